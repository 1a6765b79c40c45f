// Contract of the compose feature: what a message is (payload format and content), its send options, who
// receives it (audience filters), templates, segments, drafts and the pre-send checker's findings.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export const payloadFormats = ['notification', 'declarative', 'raw', 'none'] as const;
export type PayloadFormat = (typeof payloadFormats)[number];

export const notificationActionSchema = z.object({
  action: z.string().min(1).max(64),
  title: z.string().min(1).max(120),
  url: z.string().optional(),
});
export type NotificationAction = z.infer<typeof notificationActionSchema>;

/**
 * The notification a service worker passes to showNotification: Pushdeck's payload is exactly this object
 * as JSON (format 'notification'). `url` is opened on click, `actions[].url` when that button is clicked.
 */
export const notificationContentSchema = z.object({
  title: z.string().max(2000),
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
});
export type MessageSpec = z.infer<typeof messageSpecSchema>;

export const pushServices = ['fcm', 'mozilla', 'apple', 'wns', 'other'] as const;
export type PushService = (typeof pushServices)[number];

/** The tag that puts a subscription in the "test devices" group. */
export const TEST_DEVICE_TAG = 'test-device';

/** Who receives a campaign. Expired and deleted subscriptions are never included. */
export const audienceFilterSchema = z.object({
  tagsAny: z.array(z.string()).optional(),
  tagsAll: z.array(z.string()).optional(),
  tagsNone: z.array(z.string()).optional(),
  pushServices: z.array(z.enum(pushServices)).optional(),
  endpoints: z.array(z.string()).optional(),
  subscriptionIds: z.array(z.number().int()).optional(),
  createdFrom: z.number().int().optional(),
  createdTo: z.number().int().optional(),
  lastSuccessFrom: z.number().int().optional(),
  lastSuccessTo: z.number().int().optional(),
  /** Only the test devices: subscriptions tagged TEST_DEVICE_TAG. */
  testDevices: z.boolean().optional(),
});
export type AudienceFilter = z.infer<typeof audienceFilterSchema>;

export const urgencies = ['very-low', 'low', 'normal', 'high'] as const;
export type Urgency = (typeof urgencies)[number];

/** FCM rejects a TTL above 4 weeks (autopush clamps at 30 days). */
export const MAX_TTL_SECONDS = 2_419_200;

/** How a message is sent: RFC 8030 headers and an optional rate cap. */
export const sendOptionsSchema = z.object({
  ttl: z.number().int(),
  urgency: z.enum(urgencies).optional(),
  topic: z.string().optional(),
  /** At most this many messages per second (no cap when absent). */
  rate: z.number().positive().optional(),
});
export type SendOptions = z.infer<typeof sendOptionsSchema>;

/**
 * RFC 8030 §5.4: a topic is at most 32 characters of the URL-safe base64 alphabet. Apple also rejects a
 * topic whose length is ≡ 1 (mod 4), because no base64 text has that length. Null when the topic is fine.
 */
export function topicProblem(topic: string): { code: string; message: string; appleOnly: boolean } | null {
  if (topic.length > 32) {
    return {
      code: 'TOPIC_TOO_LONG',
      message: `The topic has ${topic.length} characters; the limit is 32.`,
      appleOnly: false,
    };
  }
  if (!/^[A-Za-z0-9_-]*$/.test(topic)) {
    return {
      code: 'TOPIC_ALPHABET',
      message: 'A topic may only use letters, digits, "-" and "_" (the URL-safe base64 alphabet).',
      appleOnly: false,
    };
  }
  if (topic.length % 4 === 1) {
    return {
      code: 'TOPIC_APPLE_LENGTH',
      message: `Apple rejects a topic of ${topic.length} characters: no base64 text is 1 more than a multiple of 4 long.`,
      appleOnly: true,
    };
  }
  return null;
}

export const defaultSendOptions: SendOptions = { ttl: 86_400, urgency: 'normal' };

/** RFC 8291 §4: one record of at most 4096 bytes, so at most 3993 bytes of plaintext. */
export const PAYLOAD_LIMIT_BYTES = 3993;
/** Firefox on Android accepts about this much. */
export const FIREFOX_ANDROID_LIMIT_BYTES = 3070;

/** The composer's state for one app, saved as the user types. */
export const composeDraftSchema = z.object({
  message: messageSpecSchema,
  audience: audienceFilterSchema,
  options: sendOptionsSchema,
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
}

export interface SubscriptionMatch {
  id: number;
  label: string | null;
  endpoint: string;
  pushService: string;
  createdAt: number;
}

export interface SetupSnippets {
  serviceWorker: string;
  subscribe: string;
}

const appIdSchema = z.number().int().positive();
const nameSchema = z.string().trim().min(1).max(80);

export const composeRequestSchema = z.object({
  appId: appIdSchema,
  message: messageSpecSchema,
  audience: audienceFilterSchema,
  options: sendOptionsSchema,
});
export type ComposeRequest = z.infer<typeof composeRequestSchema>;

export const composeChannels = {
  'compose.count': channel(
    z.object({ appId: appIdSchema, audience: audienceFilterSchema }),
  ).returns<AudienceCount>(),
  'compose.preview': channel(composeRequestSchema).returns<ComposePreview>(),
  'compose.search': channel(
    z.object({
      appId: appIdSchema,
      query: z.string().max(2000),
      limit: z.number().int().min(1).max(50).optional(),
    }),
  ).returns<SubscriptionMatch[]>(),
  'compose.tags': channel(z.object({ appId: appIdSchema })).returns<string[]>(),
  'compose.draft.get': channel(z.object({ appId: appIdSchema })).returns<ComposeDraft | null>(),
  'compose.draft.save': channel(z.object({ appId: appIdSchema, draft: composeDraftSchema })).returns<{
    savedAt: number;
  }>(),
  'compose.setup': channel(z.object({ appId: appIdSchema })).returns<SetupSnippets>(),
  'templates.list': channel(z.object({ appId: appIdSchema })).returns<TemplateSummary[]>(),
  'templates.get': channel(z.object({ id: z.number().int() })).returns<Template>(),
  'templates.save': channel(
    z.object({
      appId: appIdSchema,
      name: nameSchema,
      message: messageSpecSchema,
      overwrite: z.boolean().optional(),
    }),
  ).returns<Template>(),
  'templates.rename': channel(z.object({ id: z.number().int(), name: nameSchema })).returns<Template>(),
  'templates.duplicate': channel(
    z.object({ id: z.number().int(), name: nameSchema.optional() }),
  ).returns<Template>(),
  'templates.delete': channel(z.object({ id: z.number().int() })).returns<{ deleted: boolean }>(),
  'segments.list': channel(z.object({ appId: appIdSchema })).returns<Segment[]>(),
  'segments.save': channel(
    z.object({
      appId: appIdSchema,
      name: nameSchema,
      filter: audienceFilterSchema,
      overwrite: z.boolean().optional(),
    }),
  ).returns<Segment>(),
  'segments.delete': channel(z.object({ id: z.number().int() })).returns<{ deleted: boolean }>(),
};

export const composeEvents = {};

export const _composeBuilders = { event };
