// Contract of the compose feature: what a message is (payload format and content), its send options, who
// receives it (audience filters), templates, segments, drafts and the pre-send checker's findings.
import { z } from 'zod';
import { campaignLinksSchema } from './campaign-links.ts';
import { channel } from './channel.ts';
import { fieldConditionsSchema } from './field-filter.ts';
import { deliveryTimingSchema, type HeldBack } from './delivery-time.ts';
import { payloadFormats, pushServices, type PayloadFormat, type PushService } from './compose-rules.ts';
import { DEFAULT_TTL_SECONDS, DEFAULT_URGENCY, topicProblem, urgencies } from './push-rules.ts';

export * from './compose-rules.ts';
export { DEFAULT_URGENCY, MAX_TTL_SECONDS, urgencies, type Urgency } from './push-rules.ts';

/** RFC 8030 §5.4: at most 32 characters of the base64url alphabet; Apple also refuses a length ≡ 1 mod 4. */
export const topicSchema = z.string().superRefine((topic, ctx) => {
  const problem = topicProblem(topic);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const notificationActionSchema = z.object({
  action: z.string().min(1).max(64),
  title: z.string().min(1).max(120),
  url: z.string().optional(),
});

/**
 * The notification a service worker passes to showNotification: Pushdeck's payload is exactly this object
 * as JSON (format 'notification'). `url` is opened on click, `actions[].url` when that button is clicked.
 */
export const notificationContentSchema = z.object({
  // Caps a request's size only: the payload limit (3993 bytes) is lower, and the checker names it.
  title: z.string().max(4000),
  body: z.string().max(4000).optional(),
  icon: z.string().optional(),
  image: z.string().optional(),
  badge: z.string().optional(),
  url: z.string().optional(),
  tag: z.string().max(200).optional(),
  renotify: z.boolean().optional(),
  requireInteraction: z.boolean().optional(),
  silent: z.boolean().optional(),
  dir: z.enum(['auto', 'ltr', 'rtl']).optional(),
  lang: z.string().max(35).optional(),
  timestamp: z.number().int().optional(),
  actions: z.array(notificationActionSchema).max(2).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type NotificationContent = z.infer<typeof notificationContentSchema>;

export const messageSpecSchema = z.object({
  format: z.enum(payloadFormats),
  notification: notificationContentSchema.optional(),
  /** The raw text or JSON sent as is (format 'raw'). */
  raw: z.string().optional(),
  /** Defaults for {{placeholders}} that a subscription does not fill. */
  vars: z.record(z.string(), z.string()).optional(),
  /** Declarative Web Push only: the app badge number to set. */
  appBadge: z.number().int().min(0).optional(),
  /** Declarative Web Push only: let the service worker change the notification (`pushnotification`). */
  mutable: z.boolean().optional(),
  /** Tag every URL the notification opens with UTM parameters (campaign-links.ts); raw payloads are not. */
  utm: campaignLinksSchema.optional(),
});
export type MessageSpec = z.infer<typeof messageSpecSchema>;

/** Who receives a campaign. Expired and deleted subscriptions are never included. */
// Limits that keep every audience usable (issue 12: 2,000 tagsAll gave SQLite's "Expression tree is too
// large", and a segment saved with them could never be sent). Id and endpoint lists go to SQL as one JSON
// parameter each, so their limit is only a sane size for one request.
const audienceTag = z.string().max(64, { message: 'a tag is at most 64 characters' });
const tagList = (max: number, what: string) =>
  z.array(audienceTag).max(max, { message: `${what} at most ${max} tags` });
export const MAX_AUDIENCE_LIST = 100_000;
export const audienceFilterSchema = z.object({
  tagsAny: tagList(1000, 'any of').optional(),
  // One SQL condition per tag: SQLite's expression depth limit is 1000.
  tagsAll: tagList(32, 'all of: a subscription can be required to have').optional(),
  tagsNone: tagList(1000, 'none of').optional(),
  pushServices: z.array(z.enum(pushServices)).max(pushServices.length).optional(),
  endpoints: z
    .array(z.string().max(2048, { message: 'an endpoint is at most 2048 characters' }))
    .max(MAX_AUDIENCE_LIST, {
      message: `at most ${MAX_AUDIENCE_LIST.toLocaleString('en')} endpoints: use a tag or a segment for more`,
    })
    .optional(),
  subscriptionIds: z
    .array(z.number().int())
    .max(MAX_AUDIENCE_LIST, {
      message: `at most ${MAX_AUDIENCE_LIST.toLocaleString('en')} subscriptions: use a tag or a segment for more`,
    })
    .optional(),
  createdFrom: z.number().int().optional(),
  createdTo: z.number().int().optional(),
  lastSuccessFrom: z.number().int().optional(),
  lastSuccessTo: z.number().int().optional(),
  /** Only the test devices: subscriptions tagged TEST_DEVICE_TAG. */
  testDevices: z.boolean().optional(),
  /** Custom fields equal to these values (`city = Berlin`). */
  fields: fieldConditionsSchema.optional(),
  /** In one of these zones; null = no zone of its own (the app's default applies). */
  timeZones: z.array(z.string().max(64).nullable()).max(1000).optional(),
});
export type AudienceFilter = z.infer<typeof audienceFilterSchema>;

/**
 * The composer's delivery options: RFC 8030 headers and an optional rate cap. Loose on purpose (any whole
 * TTL): the checker says what is wrong as the user types; a campaign validates them (campaigns.ts).
 */
export const composeOptionsSchema = z.object({
  ttl: z.number().int(),
  urgency: z.enum(urgencies).optional(),
  topic: z.string().optional(),
  /** At most this many messages per second (no cap when absent). */
  rate: z.number().positive().optional(),
});
export type ComposeOptions = z.infer<typeof composeOptionsSchema>;

export const defaultComposeOptions: ComposeOptions = { ttl: DEFAULT_TTL_SECONDS, urgency: DEFAULT_URGENCY };

/** The composer's state for one app, saved as the user types. */
export const composeDraftSchema = z.object({
  message: messageSpecSchema,
  audience: audienceFilterSchema,
  options: composeOptionsSchema,
});
export type ComposeDraft = z.infer<typeof composeDraftSchema>;

export interface TemplateSummary {
  id: number;
  appId: number;
  name: string;
  format: PayloadFormat;
  title: string | null;
  updatedAt: number;
}

export interface Template extends TemplateSummary {
  message: MessageSpec;
}

export interface Segment {
  id: number;
  appId: number;
  name: string;
  filter: AudienceFilter;
  updatedAt: number;
}

export type FindingSeverity = 'block' | 'warn' | 'info';

/** One result of the pre-send checker: what is wrong, where, and how to fix it. */
export interface Finding {
  code: string;
  severity: FindingSeverity;
  /** The part of the composer it concerns, for the UI to point at. */
  field: 'subject' | 'topic' | 'ttl' | 'rate' | 'content' | 'icon' | 'image' | 'url' | 'audience' | 'size';
  message: string;
  fix: string;
}

export interface PayloadBudget {
  /** Bytes of the largest personalised payload (an upper bound when `exact` is false). */
  largestBytes: number;
  exact: boolean;
  limit: number;
  firefoxAndroidLimit: number;
}

export interface PlaceholderUse {
  name: string;
  /** Recipients of the audience without a value for it. */
  missing: number;
  hasDefault: boolean;
  /** `missing` is estimated from a sample of a large audience (a dry run counts every recipient). */
  estimated?: boolean;
}

export interface SampleRecipient {
  id: number;
  label: string | null;
  fields: Record<string, unknown> | null;
  pushService: string;
}

export interface ComposePreview {
  recipients: number;
  sample: SampleRecipient | null;
  /** The notification as the sample recipient would see it (null for raw or no payload). */
  rendered: NotificationContent | null;
  /** The sample recipient's payload, as text (null for no payload). */
  payloadText: string | null;
  budget: PayloadBudget;
  placeholders: PlaceholderUse[];
  findings: Finding[];
}

export interface AudienceCount {
  recipients: number;
  byService: Partial<Record<PushService, number>>;
  /** How many of them the frequency cap and quiet hours would hold back now; null when the app has neither. */
  heldBack?: HeldBack | null;
}

export interface SubscriptionMatch {
  id: number;
  label: string | null;
  endpoint: string;
  pushService: string;
  createdAt: number;
}

const appIdSchema = z.number().int().positive();
const nameSchema = z.string().trim().min(1).max(80);
const byApp = z.object({ appId: appIdSchema });
const byId = z.object({ id: z.number().int() });
const byName = byApp.extend({ name: z.string() });

export const composeRequestSchema = z.object({ appId: appIdSchema, ...composeDraftSchema.shape });
export type ComposeRequest = z.infer<typeof composeRequestSchema>;

export const composeChannels = {
  'compose.count': channel(
    byApp.extend({ audience: audienceFilterSchema, timing: deliveryTimingSchema.optional() }),
    { on: 'query' },
  ).returns<AudienceCount>(),
  'compose.preview': channel(composeRequestSchema, { on: 'query' }).returns<ComposePreview>(),
  'compose.search': channel(
    byApp.extend({ query: z.string().max(2000), limit: z.number().int().min(1).max(50).optional() }),
    { on: 'query' },
  ).returns<SubscriptionMatch[]>(),
  'compose.tags': channel(byApp, { on: 'query' }).returns<string[]>(),
  'compose.draft.get': channel(byApp, { on: 'query' }).returns<ComposeDraft | null>(),
  'compose.draft.save': channel(byApp.extend({ draft: composeDraftSchema }), { on: 'query' }).returns<{
    savedAt: number;
  }>(),
  'templates.list': channel(byApp, { on: 'query' }).returns<TemplateSummary[]>(),
  'templates.get': channel(byId, { on: 'query' }).returns<Template>(),
  /** A template's message by name, as `pushdeck send --template NAME` names it. */
  'templates.resolve': channel(byName, { on: 'query' }).returns<MessageSpec>(),
  'templates.save': channel(
    byApp.extend({ name: nameSchema, message: messageSpecSchema, overwrite: z.boolean().optional() }),
    { on: 'query', changes: ['templates'] },
  ).returns<Template>(),
  'templates.rename': channel(byId.extend({ name: nameSchema }), {
    on: 'query',
    changes: ['templates'],
  }).returns<Template>(),
  'templates.duplicate': channel(byId.extend({ name: nameSchema.optional() }), {
    on: 'query',
    changes: ['templates'],
  }).returns<Template>(),
  'templates.delete': channel(byId, { on: 'query', changes: ['templates'] }).returns<{ deleted: boolean }>(),
  'segments.list': channel(byApp, { on: 'query' }).returns<Segment[]>(),
  'segments.resolve': channel(byName, { on: 'query' }).returns<AudienceFilter>(),
  'segments.save': channel(
    byApp.extend({ name: nameSchema, filter: audienceFilterSchema, overwrite: z.boolean().optional() }),
    { on: 'query', changes: ['segments'] },
  ).returns<Segment>(),
  'segments.delete': channel(byId, { on: 'query', changes: ['segments'] }).returns<{ deleted: boolean }>(),
};

export const composeEvents = {};
