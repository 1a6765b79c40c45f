// Handlers of the schedule channels: set or clear a campaign's start time, and run the due check once.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { scheduleChannels } from '../../../shared/schedule.ts';
import { audited } from '../audit-log/audited.ts';
import { campaignEntry, campaignRow, sendCampaign, startResume } from '../campaigns/campaigns.ts';
import type { RunOptions } from '../campaigns/runner.ts';
import type { CoreContext } from '../context.ts';
import { runDueCampaigns } from './due-runner.ts';
import { scheduleCampaign, unscheduleCampaign } from './schedule.ts';

export function scheduleHandlers(
  ctx: CoreContext,
  runOptions: RunOptions = {},
): HandlersOf<typeof scheduleChannels> {
  return {
    'schedule.set': audited(
      ctx,
      ({ campaignId, at }) =>
        campaignEntry('campaign.schedule', campaignRow(ctx, campaignId), {
          scheduledAt: new Date(at).toISOString(),
        }),
      ({ campaignId, at }) => scheduleCampaign(ctx, campaignId, at),
    ),
    'schedule.clear': audited(
      ctx,
      ({ campaignId }) => campaignEntry('campaign.unschedule', campaignRow(ctx, campaignId)),
      ({ campaignId }) => unscheduleCampaign(ctx, campaignId),
    ),
    'schedule.runDue': () => {
      // The runs go on after the answer; each one's end is recorded on its campaign and told as campaigns.ended.
      const { started, resumed, failed } = runDueCampaigns(
        ctx,
        (id) => sendCampaign(ctx, id, { ...runOptions, scheduled: true }),
        (id) => startResume(ctx, id, runOptions).done,
      );
      return { started, resumed, failed };
    },
  };
}
