// Starts scheduled campaigns whose time has come. The app runs it on a timer; `pushdeck campaign run-due`
// runs it once, headless, for cron. Both may run at once: each campaign is claimed by one atomic UPDATE, so
// only one of them starts it.
import type { DueRunReport } from '../../../shared/schedule.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit.ts';
import type { CoreContext } from '../context.ts';
import { dueCampaignIds } from './schedule.ts';

/**
 * Starts sending one campaign (in state 'draft' when called) and returns a promise of the end of its run.
 * It throws, without sending anything, when the campaign cannot start (keys locked, empty audience…).
 */
export type CampaignStarter = (campaignId: number) => Promise<unknown>;

export interface DueRun extends DueRunReport {
  /** One promise per started campaign, settled when its sending ends. */
  running: Promise<unknown>[];
}

/** Takes a due campaign out of 'scheduled' (back to 'draft', keeping the time it was due) for the starter. */
function claim(ctx: CoreContext, campaignId: number, now: number): boolean {
  return (
    ctx.db
      .prepare(
        "UPDATE campaigns SET state = 'draft', updated_at = ? WHERE id = ? AND state = 'scheduled' AND scheduled_at <= ?",
      )
      .run(now, campaignId, now).changes === 1
  );
}

export function runDueCampaigns(
  ctx: CoreContext,
  start: CampaignStarter,
  actor: 'app' | 'cli' = 'app',
): DueRun {
  const now = ctx.now();
  const report: DueRun = { started: [], failed: [], running: [] };
  for (const campaignId of dueCampaignIds(ctx, now)) {
    if (!claim(ctx, campaignId, now)) continue;
    let sending: Promise<unknown>;
    try {
      sending = start(campaignId);
    } catch (error) {
      const code = isPushdeckError(error) ? error.code : 'INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      report.failed.push({ campaignId, code, message });
      recordFailure(ctx, campaignId, code, message, actor);
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

/** A due campaign that could not start stays a draft, says why, and the log says so too. */
function recordFailure(
  ctx: CoreContext,
  campaignId: number,
  code: string,
  message: string,
  actor: 'app' | 'cli',
): void {
  const row = ctx.db.prepare('SELECT app_id, name FROM campaigns WHERE id = ?').get(campaignId) as
    { app_id: number; name: string } | undefined;
  appendAudit(ctx.db, ctx.now(), {
    actor,
    action: 'campaign.schedule-failed',
    appId: row?.app_id ?? null,
    subject: row?.name ?? null,
    details: { campaignId, code },
  });
  ctx.db
    .prepare('UPDATE campaigns SET last_error = ?, updated_at = ? WHERE id = ?')
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
    const { started, failed } = runDueCampaigns(ctx, start, 'app');
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
