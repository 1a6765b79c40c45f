// Starts scheduled campaigns whose time has come. The app runs it on a timer; `pushdeck campaign run-due`
// runs it once, headless, for cron. Both may run at once: each campaign is claimed by one atomic UPDATE, so
// only one of them starts it. The claim leaves the campaign scheduled (it only marks who starts it): a
// process that dies right after claiming leaves a scheduled campaign that the next check takes over once
// the mark is a minute old, never a draft that nobody sends.
import type { DueRunReport } from '../../../shared/schedule.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import { dueCampaignIds } from './schedule.ts';

/**
 * Starts sending one claimed campaign (still 'scheduled' when called; startSend with `scheduled: true`)
 * and returns a promise of the end of its run. It throws, without sending anything, when the campaign
 * cannot start (keys locked, empty audience…), or CAMPAIGN_NOT_DUE when it was unscheduled meanwhile.
 */
export type CampaignStarter = (campaignId: number) => Promise<unknown>;

export interface DueRun extends DueRunReport {
  /** One promise per started campaign, settled when its sending ends. */
  running: Promise<unknown>[];
}

/** A claim older than this belongs to a process that died between claiming and starting: take it over. */
export const STALE_CLAIM_MS = 60_000;

/**
 * Marks a due campaign as being started by this process (runner_pid, heartbeat_at), leaving it scheduled.
 * Another runner's fresh mark wins; a stale one (its process died) is taken over.
 */
export function claimDue(ctx: CoreContext, campaignId: number, now: number): boolean {
  return (
    ctx.db
      .prepare(
        `UPDATE campaigns SET runner_pid = ?, heartbeat_at = ? WHERE id = ? AND state = 'scheduled' AND scheduled_at <= ?
           AND (runner_pid IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ?)`,
      )
      .run(process.pid, now, campaignId, now, now - STALE_CLAIM_MS).changes === 1
  );
}

export function runDueCampaigns(ctx: CoreContext, start: CampaignStarter): DueRun {
  const now = ctx.now();
  const report: DueRun = { started: [], failed: [], running: [] };
  for (const campaignId of dueCampaignIds(ctx, now)) {
    if (!claimDue(ctx, campaignId, now)) continue;
    let sending: Promise<unknown>;
    try {
      sending = start(campaignId);
    } catch (error) {
      const code = isPushdeckError(error) ? error.code : 'INTERNAL';
      if (code === 'CAMPAIGN_NOT_DUE') {
        // Unscheduled or moved later since the check: not a failure, and not ours any more.
        ctx.db
          .prepare(
            "UPDATE campaigns SET runner_pid = NULL WHERE id = ? AND state IN ('scheduled', 'draft') AND runner_pid = ?",
          )
          .run(campaignId, process.pid);
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      report.failed.push({ campaignId, code, message });
      recordFailure(ctx, campaignId, code, message);
      continue;
    }
    report.started.push(campaignId);
    // The run's own end (completed, paused on error) is the engine's to record.
    report.running.push(sending.catch(() => undefined));
  }
  if (report.started.length || report.failed.length) {
    ctx.events.emit('data.changed', { scopes: ['campaigns', 'audit'] });
    ctx.events.emit('schedule.ran', { started: report.started, failed: report.failed });
  }
  return report;
}

/** A due campaign that could not start becomes a draft (no retry every tick), says why, and is logged. */
function recordFailure(ctx: CoreContext, campaignId: number, code: string, message: string): void {
  const row = ctx.db.prepare('SELECT app_id, name FROM campaigns WHERE id = ?').get(campaignId) as
    { app_id: number; name: string } | undefined;
  appendAudit(ctx.db, ctx.now(), {
    action: 'campaign.schedule-failed',
    appId: row?.app_id ?? null,
    subject: row?.name ?? null,
    details: { campaignId, code },
  });
  ctx.db
    .prepare(
      `UPDATE campaigns SET state = CASE WHEN state = 'scheduled' THEN 'draft' ELSE state END, runner_pid = NULL,
         last_error = ?, updated_at = ? WHERE id = ?`,
    )
    .run(`The scheduled start failed: ${message}`, ctx.now(), campaignId);
}

export interface DueRunner {
  /** Checks now (also what the timer does). */
  tick(): DueRunReport;
  stop(): void;
}

/** Checks for due campaigns every `intervalMs` while the app runs. */
export function startDueRunner(
  ctx: CoreContext,
  start: CampaignStarter,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): DueRunner {
  const tick = (): DueRunReport => {
    const { started, failed } = runDueCampaigns(ctx, start);
    return { started, failed };
  };
  const timer = setInterval(() => {
    try {
      tick();
    } catch (error) {
      options.onError?.(error);
    }
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
