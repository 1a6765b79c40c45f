// Contract of the one-off alert (support staff): one message to one subscriber, sent at once at high urgency.
import { z } from 'zod';
import type { CampaignSummary } from './campaigns.ts';
import { channel } from './channel.ts';
import { notificationContentSchema } from './compose.ts';

const id = z.number().int().positive();
// A notification's own limits: the campaign the alert becomes is not checked again.
const { title, body } = notificationContentSchema.shape;

export const alertsChannels = {
  'alerts.sendOne': channel(z.object({ appId: id, subscriptionId: id, title: title.min(1), body }).strict(), {
    on: 'sending',
  }).returns<CampaignSummary>(),
};
