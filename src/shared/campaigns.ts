// Contract of the campaigns feature (Campaigns: sending, progress, results): channels, events and domain types.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export const campaignsChannels = {};

export const campaignsEvents = {};

// Keep the imports in use until the feature's channels are declared.
export const _campaignsBuilders = { z, channel, event };
