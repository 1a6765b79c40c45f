// Contract of the compose feature (Composing: payloads, templates, segments, audiences): channels, events and domain types.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export const composeChannels = {};

export const composeEvents = {};

// Keep the imports in use until the feature's channels are declared.
export const _composeBuilders = { z, channel, event };
