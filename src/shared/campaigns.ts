// Contract of the campaigns feature (Campaigns: sending, progress, results): channels, events and domain types.
import { z } from 'zod';
import { channel, event } from './channel.ts';
import {
  audienceFilterSchema,
  composeRequestSchema,
  messageSpecSchema,
  topicSchema,
  type AudienceFilter,
  type Finding,
  type MessageSpec,
  type PushService,
} from './compose.ts';
import { DEFAULT_TTL_SECONDS, DEFAULT_URGENCY, MAX_TTL_SECONDS, urgencies } from './push-rules.ts';
import { DEFAULT_TIMEOUT_SECONDS } from './settings.ts';
import { deliveryTimingSchema, type TimingSummary, type ZonePlanPreview } from './delivery-time.ts';
import {
  MAX_VARIANTS,
  MIN_VARIANTS,
  variantNameSchema,
  variantPlanSchema,
  variantSchema,
  type CampaignVariants,
} from './variants.ts';

export { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, urgencies, type Urgency } from './push-rules.ts';

export const DEFAULT_CONCURRENCY = 2048;
export const DEFAULT_PER_ORIGIN_CONCURRENCY = 1024;
export const MAX_CONCURRENCY = 10_000;
/** Settings' request timeout until someone changes it. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
/** Per-request timeout; the request is aborted when it runs out. */
const timeoutMsSchema = z.number().int().min(100).max(600_000);

export const sendOptionsSchema = z.object({
  ttl: z.number().int().min(0).max(MAX_TTL_SECONDS).default(DEFAULT_TTL_SECONDS),
  urgency: z.enum(urgencies).default(DEFAULT_URGENCY),
  topic: topicSchema.optional(),
  /**
   * Cap on requests in flight at once, all push services together. Not the working value: each origin's
   * limit adapts to its latency and push-back (push/adaptive-limit.ts) under these caps.
   */
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
  /** Cap on requests in flight at once per push-service origin. */
  perOriginConcurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_PER_ORIGIN_CONCURRENCY),
  /** Messages per second, all services together; absent = as fast as the limits allow. */
  rate: z.number().positive().max(100_000).optional(),
  timeoutMs: timeoutMsSchema.default(DEFAULT_TIMEOUT_MS),
  /** Attempts per delivery, the first included (5xx, resets, timeouts and throttling are retried). */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** First retry delay; doubles each attempt, with jitter. */
  retryBaseMs: z.number().int().min(0).max(600_000).default(1_000),
  /** Retry-After is honoured up to this. */
  retryAfterCapMs: z.number().int().min(0).max(3_600_000).default(120_000),
  /** Encryption threads beside the sending thread; 0 = one per spare core. */
  workers: z.number().int().min(0).max(8).default(0),
});
export type SendOptions = z.output<typeof sendOptionsSchema>;
export type SendOptionsInput = z.input<typeof sendOptionsSchema>;

export const campaignStates = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof campaignStates)[number];

/**
 * A delivery's journal state. `in_flight`: the request may have left (it is marked before it is sent);
 * `uncertain`: it was in flight when the sender died, so nobody knows whether it arrived. It is not re-sent
 * unless the user asks (at most once).
 */
export const deliveryStates = [
  'pending',
  'in_flight',
  'sent',
  'failed',
  'expired',
  'retrying',
  'uncertain',
  /** Never sent, by rule: the app's frequency cap or quiet hours (its reason says which). */
  'skipped',
] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** How a push service's answer was understood. */
export const outcomes = [
  'delivered',
  'expired',
  'rejected',
  'auth',
  'throttled',
  'transient',
  /** No answer, for a reason retrying will not fix: a certificate refused, a host not found, a port closed. */
  'unreachable',
  'not-sent',
] as const;
export type Outcome = (typeof outcomes)[number];

export interface CampaignTotals {
  recipients: number;
  delivered: number;
  expired: number;
  failed: number;
  pending: number;
  retrying: number;
  inFlight: number;
  uncertain: number;
  /** Left out by the frequency cap or quiet hours (delivery-time.ts). */
  skipped: number;
}

export interface CampaignSummary {
  id: number;
  appId: number;
  appName: string;
  name: string;
  state: CampaignState;
  /** Sending, but nobody is sending it (the sender was killed or quit): resume it. */
  interrupted: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  scheduledAt: number | null;
  totals: CampaignTotals;
  /** Local-time delivery, quiet hours and cap: the plan per zone; null when sent at one instant to all. */
  timing: TimingSummary | null;
}

export interface LatencyPercentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface CampaignDetail extends CampaignSummary {
  message: MessageSpec;
  options: SendOptions;
  audience: AudienceFilter;
  lastError: string | null;
  /** HTTP status → count ("none" when no answer was received). */
  byStatus: Record<string, number>;
  byPushService: Record<string, CampaignTotals>;
  /** Reason of failed, expired and uncertain deliveries → count. */
  byReason: Record<string, number>;
  byOutcome: Record<string, number>;
  latencyMs: LatencyPercentiles;
  /** The same, per push service (fcm, mozilla, apple, wns, other). */
  latencyByPushService: Record<string, LatencyPercentiles>;
  /** Subscriptions this campaign marked expired. */
  expiredSubscriptions: number;
  /** A/B variants and each one's figures; null for a campaign of one message. */
  variants: CampaignVariants | null;
}

export interface DeliveryRecord {
  /** Negative once the subscription was deleted for good: the endpoint is then '' and the label null. */
  subscriptionId: number;
  endpoint: string;
  pushService: string;
  label: string | null;
  state: DeliveryState;
  outcome: Outcome | null;
  httpStatus: number | null;
  reason: string | null;
  bodyExcerpt: string | null;
  attempts: number;
  latencyMs: number | null;
  updatedAt: number | null;
  /** When it was (or will be) released in its zone; null for a campaign sent at one instant. */
  releaseAt: number | null;
  timeZone: string | null;
}

export interface DeliveryPage {
  items: DeliveryRecord[];
  /** Pass as `after` for the next page; null at the end. */
  nextAfter: number | null;
}

/** How one push-service origin is being sent to, in a running campaign's progress. */
export interface ServiceProgress {
  /** scheme://host[:port] */
  origin: string;
  pushService: PushService;
  inFlight: number;
  /** Its adaptive in-flight limit now. */
  limit: number;
  /** Recent average latency, and the lowest of the last 10–20 s (the service without load). */
  latencyMs: number | null;
  floorMs: number | null;
  /** Answers per second over the last few seconds. */
  rate: number;
  /** Why it is not sending more ('backing off, 429 Retry-After 30 s (28 s left)'); null when nothing holds it. */
  holdBack: string | null;
}

export interface CampaignProgress extends CampaignTotals {
  campaignId: number;
  state: CampaignState;
  /** Messages answered per second, over the last few seconds. */
  rate: number;
  /** Seconds left at that rate; null when unknown. */
  etaSeconds: number | null;
  /** True on the last event of a run. */
  finished: boolean;
  /** Each push-service origin of this run so far. */
  services: ServiceProgress[];
}

export interface DryRunReport {
  /** Recipients checked (all of the audience unless cancelled). */
  recipients: number;
  /** Messages also encrypted: a sample (one in 100), or all of them when the run was asked to. */
  encrypted: number;
  /** Recipients that would be refused; the first 200 are in `rejects`. */
  refused: number;
  /** Stopped on request before the end of the audience. */
  cancelled: boolean;
  byPushService: Record<string, number>;
  largestPayloadBytes: number;
  warnings: string[];
  rejects: Array<{ subscriptionId: number; endpoint: string; reason: string }>;
}

const id = z.number().int().positive();
const byId = z.object({ id }).strict();

export const campaignCreateSchema = z.object({
  appId: id,
  name: z.string().trim().min(1).max(200).optional(),
  message: messageSpecSchema,
  audience: audienceFilterSchema,
  // No default timeout here: a campaign that names none takes Settings' (campaigns.ts).
  options: sendOptionsSchema.partial().extend({ timeoutMs: timeoutMsSchema.optional() }).optional(),
  /** A/B variants: each sent to its share of the audience instead of `message` (which the first repeats). */
  variants: variantPlanSchema.optional(),
  /** Local-time delivery, and how quiet hours and the frequency cap apply (delivery-time.ts). */
  timing: deliveryTimingSchema.optional(),
});
export type CampaignCreate = z.input<typeof campaignCreateSchema>;
export type CampaignRequest = z.output<typeof campaignCreateSchema>;

export const campaignsChannels = {
  'campaigns.list': channel(
    z
      .object({
        appId: id.optional(),
        state: z.enum(campaignStates).optional(),
        search: z.string().max(200).optional(),
      })
      .strict(),
    { on: 'query' },
  ).returns<CampaignSummary[]>(),
  'campaigns.get': channel(byId, { on: 'query' }).returns<CampaignDetail>(),
  'campaigns.deliveries': channel(
    z
      .object({
        id,
        states: z.array(z.enum(deliveryStates)).optional(),
        after: z.number().int().optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    { on: 'query' },
  ).returns<DeliveryPage>(),
  'campaigns.create': channel(campaignCreateSchema, { changes: ['campaigns'] }).returns<CampaignDetail>(),
  /** Runs on its own thread with the encryption threads; progress comes as `campaigns.dryRun.progress`. */
  'campaigns.dryRun': channel(
    campaignCreateSchema.pick({ appId: true, message: true, audience: true }).extend({
      /** Names the run, for its progress events and `campaigns.dryRun.cancel`. */
      runId: z.string().min(1).max(100).optional(),
      /** Every message checked; 'sample' (default) encrypts one in 100 of them, 'all' every one. */
      encrypt: z.enum(['sample', 'all']).optional(),
    }),
  ).returns<DryRunReport>(),
  'campaigns.dryRun.cancel': channel(z.object({ runId: z.string().min(1).max(100) }).strict()).returns<{
    cancelled: boolean;
  }>(),
  /** The composer's schedule preview: each zone of the audience, when it goes out, what is held back. */
  'campaigns.zonePlan': channel(
    z.object({ appId: id, audience: audienceFilterSchema, timing: deliveryTimingSchema }).strict(),
  ).returns<ZonePlanPreview>(),
  /** A draft's timing (local time, quiet hours, cap), applied when it is sent or its schedule comes. */
  'campaigns.setTiming': channel(z.object({ id, timing: deliveryTimingSchema.nullable() }).strict(), {
    changes: ['campaigns'],
  }).returns<CampaignDetail>(),
  'campaigns.send': channel(byId, { on: 'sending' }).returns<CampaignSummary>(),
  /**
   * Creates and sends in one step; a send that cannot start deletes the draft it made (the audit log keeps
   * both), so the list and the log change even then.
   */
  'campaigns.sendNow': channel(campaignCreateSchema, {
    on: 'sending',
    changes: ['campaigns', 'audit'],
  }).returns<CampaignSummary & { warnings: string[] }>(),
  /** `pushdeck send --variant … --check`: each variant's checks over the audience, then their differences. */
  'campaigns.checkVariants': channel(
    composeRequestSchema.extend({ variants: z.array(variantSchema).min(MIN_VARIANTS).max(MAX_VARIANTS) }),
  ).returns<Finding[]>(),
  'campaigns.pause': channel(byId, { changes: ['campaigns'] }).returns<CampaignSummary>(),
  /** A resume refused before it starts has changed nothing; one that starts is told by the run itself. */
  'campaigns.resume': channel(z.object({ id, resendUncertain: z.boolean().optional() }).strict(), {
    on: 'sending',
  }).returns<CampaignSummary>(),
  /**
   * Sends the held part of a variants campaign with the chosen variant, as part of the same campaign. The
   * held deliveries are released (and audited) before the run starts, so a start that fails has changed them.
   */
  'campaigns.sendRest': channel(z.object({ id, variant: variantNameSchema }).strict(), {
    on: 'sending',
    changes: ['campaigns', 'audit'],
  }).returns<CampaignSummary>(),
  'campaigns.cancel': channel(byId, { changes: ['campaigns'] }).returns<CampaignSummary>(),
  'campaigns.retryFailed': channel(byId, { on: 'sending' }).returns<CampaignSummary>(),
  'campaigns.duplicate': channel(byId, { changes: ['campaigns'] }).returns<CampaignDetail>(),
  'campaigns.deleteDraft': channel(byId, { changes: ['campaigns'] }).returns<{ deleted: true }>(),
};

export interface DryRunProgress {
  runId: string | null;
  done: number;
  total: number;
}

/** How a run ended: its state, its totals, and what stopped it short (a push service's pause, a failure). */
export interface RunOutcome {
  campaignId: number;
  state: CampaignState;
  totals: CampaignTotals;
  error: string | null;
}

/** The end of a run, for whoever follows it through the core's events (the CLI waits for it). */
export interface CampaignRunEnd {
  campaignId: number;
  /** Null when the run's end could not be recorded (`error` says why). */
  outcome: RunOutcome | null;
  /** Why it stopped short, as the door would say it: DISK_FULL (and what to run once there is space), INTERNAL. */
  error: { code: string; message: string } | null;
}

export const campaignsEvents = {
  /** A dry run's recipients checked so far, at most 10 times a second. */
  'campaigns.dryRun.progress': event<DryRunProgress>(),
  /** A running campaign's counts, at most 10 times a second, and once more when the run ends. */
  'campaigns.progress': event<CampaignProgress>(),
  /** A run ended (after its last `campaigns.progress`), or its end could not be recorded. */
  'campaigns.ended': event<CampaignRunEnd>(),
};
