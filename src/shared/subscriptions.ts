// Contract of the subscriptions feature (Subscription lists: import, browse, tag, export): channels, events and domain types.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export const subscriptionsChannels = {};

export const subscriptionsEvents = {};

// Keep the imports in use until the feature's channels are declared.
export const _subscriptionsBuilders = { z, channel, event };
