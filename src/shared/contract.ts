// The one IPC contract: every channel (request schema + response type) and every event, merged from the
// per-feature contract files. The preload, the main-process dispatcher and the renderer client derive from it.
import type { z } from 'zod';
import { mergeUnique, type Channel, type EventSpec, type Placement } from './channel.ts';
import { alertsChannels } from './alerts.ts';
import { appsChannels, appsEvents } from './apps.ts';
import { auditChannels } from './audit.ts';
import { bulkRunsChannels, bulkRunsEvents } from './bulk-runs.ts';
import { campaignExportChannels } from './results-export.ts';
import { campaignsChannels, campaignsEvents } from './campaigns.ts';
import { composeChannels, composeEvents } from './compose.ts';
import { doctorChannels } from './doctor.ts';
import { scheduleChannels, scheduleEvents } from './schedule.ts';
import { shellEvents } from './events.ts';
import { settingsChannels } from './settings.ts';
import { subscriptionsChannels, subscriptionsEvents } from './subscriptions.ts';
import { testDevicesChannels, testDevicesEvents } from './test-devices.ts';

export const channels = mergeUnique(
  doctorChannels,
  appsChannels,
  subscriptionsChannels,
  bulkRunsChannels,
  composeChannels,
  campaignsChannels,
  alertsChannels,
  auditChannels,
  scheduleChannels,
  campaignExportChannels,
  settingsChannels,
  testDevicesChannels,
);

export const events = mergeUnique(
  shellEvents,
  appsEvents,
  subscriptionsEvents,
  bulkRunsEvents,
  composeEvents,
  campaignsEvents,
  scheduleEvents,
  testDevicesEvents,
);

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
/** The channels the window may call: all but those declared `from: 'cli'` (the door refuses those too). */
export type WindowChannelName = {
  [K in ChannelName]: Channels[K]['callers'] extends 'cli' ? never : K;
}[ChannelName];
export type ChannelInput<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ChannelRequest<K extends ChannelName> = z.output<Channels[K]['input']>;
export type ChannelOutput<K extends ChannelName> =
  Channels[K] extends Channel<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

/** The main-process side of the contract: one function per channel, given the validated request. */
export type Handlers = {
  [K in ChannelName]: (request: ChannelRequest<K>) => Promise<ChannelOutput<K>> | ChannelOutput<K>;
};

/** The handlers of one feature's channels, as that feature's handler factory returns them. */
export type HandlersOf<C> = { [K in keyof C & ChannelName]: Handlers[K] };

export const channelNames: readonly ChannelName[] = Object.keys(channels) as ChannelName[];

/** The channels a thread serves, as their declarations say (the query thread's table is built from this). */
export function channelsOn(placement: Placement): ChannelName[] {
  return channelNames.filter((name) => channels[name].placement === placement);
}

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/** Electron IPC channel names that carry the contract (one for requests, one for events), and the drop's. */
export const IPC_INVOKE = 'pushdeck:invoke';
export const IPC_EVENT = 'pushdeck:event';
/** The preload's own channel: registers the path of a dropped file (never reachable from window.api.invoke). */
export const IPC_REGISTER_FILE = 'pushdeck:register-file';
