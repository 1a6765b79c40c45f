// Create, then send, as one use case: the window's Send test, the one-off alert and `pushdeck send` start a
// campaign this way. A send that cannot start deletes its draft (nothing was sent), and that clean-up never
// takes the place of the error that stopped the send.
import type { CampaignRequest } from '../../../shared/campaigns.ts';
import type { ChannelRequest } from '../../../shared/contract.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';
import { diskFullError, isDiskFull } from '../db/disk-full.ts';
import { createCampaign, deleteDraft, startSend, type StartOptions } from './campaigns.ts';
import type { CampaignRun } from './runner.ts';

export function startSendNow(
  ctx: CoreContext,
  input: CampaignRequest,
  options: StartOptions = {},
): { run: CampaignRun; warnings: string[] } {
  const { campaign, warnings } = createCampaign(ctx, input);
  try {
    return { run: startSend(ctx, campaign.id, options), warnings };
  } catch (error) {
    throw notStarted(ctx, campaign.id, error);
  }
}

function notStarted(ctx: CoreContext, campaignId: number, error: unknown) {
  let draft = true;
  try {
    deleteDraft(ctx, campaignId);
  } catch (cleanup) {
    // Past a draft (its journal was made): it stays, to be resumed. Any other failure is the first one's.
    draft = !(isPushdeckError(cleanup) && cleanup.code === 'CAMPAIGN_NOT_DRAFT');
  }
  if (!isDiskFull(error)) return error;
  return diskFullError(
    ctx.dbPath,
    draft
      ? 'Nothing was sent. Free some space and run the same command again.'
      : `Campaign ${campaignId} stopped before it sent anything. Free some space, then: pushdeck campaign resume ${campaignId}`,
  );
}

/** The one-off alert (alerts.sendOne): one subscriber, high urgency, sent at once. */
export function alertCampaign(alert: ChannelRequest<'alerts.sendOne'>): CampaignRequest {
  return {
    appId: alert.appId,
    // The name lands in the audit log: the subscription's id, never its label (personal data).
    name: `One-off alert to subscription #${alert.subscriptionId}`,
    message: { format: 'notification', notification: { title: alert.title, body: alert.body || undefined } },
    audience: { subscriptionIds: [alert.subscriptionId] },
    options: { urgency: 'high' },
  };
}
