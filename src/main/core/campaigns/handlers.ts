// Handlers of the campaigns channels. Sending runs in worker threads: send/resume/retryFailed return as soon
// as the campaign has started, and progress arrives as `campaigns.progress` events.
import type { alertsChannels } from '../../../shared/alerts.ts';
import type { HandlersOf } from '../../../shared/contract.ts';
import type { campaignsChannels } from '../../../shared/campaigns.ts';
import type { CoreContext } from '../context.ts';
import { audited } from '../audit-log/audited.ts';
import {
  campaignEntry,
  campaignRow,
  campaignSummary,
  createCampaign,
  deleteDraft,
  duplicateCampaign,
  startResume,
  startRetryFailed,
  startSendOffMain,
  stopCampaign,
  listCampaigns,
} from './campaigns.ts';
import { cancelDryRun, startDryRun } from './dry-run-thread.ts';
import { campaignDetail, deliveriesPage } from './results.ts';
import { startSendRest } from './send-rest.ts';
import { alertCampaign, startSendNow } from './send-now.ts';
import { checkVariants } from './variant-checks.ts';
import type { CampaignRun, RunOptions } from './runner.ts';
import { zonePlanPreview } from '../delivery-time/campaign-timing.ts';
import { setDraftTiming } from '../delivery-time/draft-timing.ts';

export function campaignsHandlers(
  ctx: CoreContext,
  runOptions: RunOptions = {},
  onError: (error: unknown) => void = (error) => console.error('Campaign run failed', error),
): HandlersOf<typeof campaignsChannels & typeof alertsChannels> {
  const stop = (kind: 'pause' | 'cancel') =>
    audited(
      ctx,
      ({ id }: { id: number }) => campaignEntry(`campaign.${kind}`, campaignRow(ctx, id)),
      ({ id }: { id: number }) => stopCampaign(ctx, id, kind),
    );
  const started = (run: CampaignRun) => {
    // Runs in the background; a failure after the start is recorded on the campaign (last_error).
    run.done.catch(onError);
    return campaignSummary(ctx, run.campaignId);
  };
  return {
    'campaigns.list': (input) => listCampaigns(ctx, input),
    'campaigns.get': ({ id }) => campaignDetail(ctx, id),
    'campaigns.deliveries': (input) => deliveriesPage(ctx, input),
    'campaigns.create': (input) => campaignDetail(ctx, createCampaign(ctx, input).campaign.id),
    'campaigns.dryRun': (request) => startDryRun(ctx, request).done,
    'campaigns.zonePlan': ({ appId, audience, timing }) => zonePlanPreview(ctx, appId, audience, timing),
    'campaigns.dryRun.cancel': ({ runId }) => ({ cancelled: cancelDryRun(ctx, runId) }),
    'campaigns.setTiming': ({ id, timing }) => {
      setDraftTiming(ctx, id, timing);
      return campaignDetail(ctx, id);
    },
    'campaigns.send': async ({ id }) => started(await startSendOffMain(ctx, id, runOptions)),
    'campaigns.sendNow': (input) => {
      const { run, warnings } = startSendNow(ctx, input, runOptions);
      return { ...started(run), warnings };
    },
    'campaigns.checkVariants': ({ variants, ...request }) => checkVariants(ctx, request, variants),
    'alerts.sendOne': (input) => started(startSendNow(ctx, alertCampaign(input), runOptions).run),
    'campaigns.pause': stop('pause'),
    'campaigns.resume': ({ id, resendUncertain }) =>
      started(startResume(ctx, id, { ...runOptions, resendUncertain })),
    'campaigns.sendRest': ({ id, variant }) => started(startSendRest(ctx, id, variant, runOptions)),
    'campaigns.cancel': stop('cancel'),
    'campaigns.retryFailed': ({ id }) => started(startRetryFailed(ctx, id, runOptions)),
    'campaigns.duplicate': ({ id }) => campaignDetail(ctx, duplicateCampaign(ctx, id).id),
    'campaigns.deleteDraft': ({ id }) => {
      deleteDraft(ctx, id);
      return { deleted: true as const };
    },
  };
}
