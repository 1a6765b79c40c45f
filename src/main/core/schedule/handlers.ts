// Handlers of the schedule channels: set or clear a campaign's start time.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { scheduleChannels } from '../../../shared/schedule.ts';
import type { CoreContext } from '../context.ts';
import { scheduleCampaign, unscheduleCampaign } from './schedule.ts';

export function scheduleHandlers(ctx: CoreContext): HandlersOf<typeof scheduleChannels> {
  return {
    'schedule.set': ({ campaignId, at }) => scheduleCampaign(ctx, campaignId, at),
    'schedule.clear': ({ campaignId }) => unscheduleCampaign(ctx, campaignId),
  };
}
