// Contract of the compose feature: what a message is (payload format and content), who receives it
// (audience filters), templates and segments.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export const payloadFormats = ['notification', 'declarative', 'raw', 'none'] as const;
export type PayloadFormat = (typeof payloadFormats)[number];

export const notificationActionSchema = z.object({
  action: z.string().min(1).max(64),
  title: z.string().min(1).max(120),
  url: z.string().optional(),
});

/** The notification a service worker passes to showNotification (the payload shape the README documents). */
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
});
export type MessageSpec = z.infer<typeof messageSpecSchema>;

export const pushServices = ['fcm', 'mozilla', 'apple', 'wns', 'other'] as const;
export type PushService = (typeof pushServices)[number];

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
});
export type AudienceFilter = z.infer<typeof audienceFilterSchema>;

export const composeChannels = {};

export const composeEvents = {};

export const _composeBuilders = { channel, event };
