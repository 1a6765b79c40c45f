// Contract of the one-off alert (support staff): one message to one subscriber, sent at once at high urgency.
import { z } from 'zod';
import type { CampaignSummary } from './campaigns.ts';
import { channel } from './channel.ts';

const id = z.number().int().positive();

export const alertsChannels = {
  'alerts.sendOne': channel(
    z
      .object({ appId: id, subscriptionId: id, title: z.string().min(1), body: z.string().optional() })
      .strict(),
    { on: 'sending' },
  ).returns<CampaignSummary>(),
};
