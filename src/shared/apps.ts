// Contract of the apps feature (apps and their VAPID keys): channels, events and domain types.
// The private key never appears in any of these types.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export interface AppSummary {
  id: number;
  name: string;
  subject: string;
  createdAt: number;
  /** The current key: base64url public key, for applicationServerKey. */
  publicKey: string | null;
  keyId: number | null;
  protection: 'safe-storage' | 'passphrase' | 'none' | null;
  fingerprint: string | null;
}

export const appsChannels = {
  'apps.list': channel(z.object({}).strict()).returns<AppSummary[]>(),
};

export const appsEvents = {};

export const _appsBuilders = { event };
