// Contract of the settings feature: how Pushdeck reaches push services (proxy, request timeout).
import { z } from 'zod';
import { channel } from './channel.ts';

export interface SendingSettings {
  /** A proxy for every push request; null = HTTPS_PROXY / NO_PROXY from the environment, if any. */
  proxyUrl: string | null;
  /** The default per-request timeout of new campaigns, in seconds. */
  timeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;

export const sendingSettingsSchema = z
  .object({
    proxyUrl: z.string().trim().max(2000).nullable().optional(),
    timeoutSeconds: z.number().int().min(1).max(600).optional(),
  })
  .strict();

export const settingsChannels = {
  'settings.sending': channel(z.object({}).strict()).returns<SendingSettings>(),
  'settings.updateSending': channel(sendingSettingsSchema, {
    changes: ['settings'],
  }).returns<SendingSettings>(),
};
