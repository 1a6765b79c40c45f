// Scheduling a campaign: the start time lives in campaigns.scheduled_at (state 'scheduled'), so it
// survives restarts and a cron job can start it as well as the running app.
import type { ScheduledCampaign } from '../../../shared/schedule.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';

interface CampaignStateRow {
  id: number;
  app_id: number;
  name: string;
  state: string;
  scheduled_at: number | null;
  started_at: number | null;
}

/** How far in the past a time may be and still count as "now" (a date picker rounds to the minute). */
export const SCHEDULE_PAST_GRACE_MS = 60_000;

function campaignState(ctx: CoreContext, campaignId: number): CampaignStateRow {
  const row = ctx.db
    .prepare('SELECT id, app_id, name, state, scheduled_at, started_at FROM campaigns WHERE id = ?')
    .get(campaignId) as CampaignStateRow | undefined;
  if (!row) throw new PushdeckError('CAMPAIGN_NOT_FOUND', `No campaign with id ${campaignId}.`);
  return row;
}

/** A timed campaign between two zones' releases: its times are its plan's, paused or cancelled as a whole. */
function goingOut(campaign: CampaignStateRow): PushdeckError {
  return new PushdeckError(
    'CAMPAIGN_GOING_OUT',
    `Campaign "${campaign.name}" is going out zone by zone: pause or cancel it (pushdeck campaign cancel ${campaign.id}).`,
  );
}

export function scheduleCampaign(ctx: CoreContext, campaignId: number, at: number): ScheduledCampaign {
  const now = ctx.now();
  if (at < now - SCHEDULE_PAST_GRACE_MS) {
    throw new PushdeckError(
      'SCHEDULE_IN_PAST',
      'That time has already passed. Pick a time in the future, or send now.',
    );
  }
  ctx.db.transaction(() => {
    const campaign = campaignState(ctx, campaignId);
    if (campaign.started_at !== null) throw goingOut(campaign);
    if (campaign.state !== 'draft' && campaign.state !== 'scheduled') {
      throw new PushdeckError(
        'CAMPAIGN_NOT_SCHEDULABLE',
        `Campaign "${campaign.name}" is ${campaign.state}: only a draft can be scheduled. Duplicate it as a new draft.`,
      );
    }
    ctx.db
      .prepare(
        "UPDATE campaigns SET state = 'scheduled', scheduled_at = ?, runner_pid = NULL, updated_at = ? WHERE id = ?",
      )
      .run(at, now, campaignId);
  })();
  return { campaignId, scheduledAt: at };
}

export function unscheduleCampaign(ctx: CoreContext, campaignId: number): { campaignId: number } {
  const now = ctx.now();
  ctx.db.transaction(() => {
    const campaign = campaignState(ctx, campaignId);
    if (campaign.state === 'scheduled' && campaign.started_at !== null) throw goingOut(campaign);
    if (campaign.state !== 'scheduled') {
      throw new PushdeckError(
        'CAMPAIGN_NOT_SCHEDULED',
        `Campaign "${campaign.name}" is ${campaign.state}, not scheduled.`,
      );
    }
    ctx.db
      .prepare(
        "UPDATE campaigns SET state = 'draft', scheduled_at = NULL, runner_pid = NULL, updated_at = ? WHERE id = ?",
      )
      .run(now, campaignId);
  })();
  return { campaignId };
}

/** Scheduled campaigns whose time has come, earliest first. */
export function dueCampaignIds(ctx: CoreContext, now: number): number[] {
  return (
    ctx.db
      .prepare(
        "SELECT id FROM campaigns WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id",
      )
      .all(now) as { id: number }[]
  ).map((row) => row.id);
}
