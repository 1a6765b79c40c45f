// Starts scheduled campaigns whose time has come. The app runs it on a timer; `pushdeck campaign run-due`
// runs it once, headless, for cron. Both may run at once: each campaign is claimed by one atomic UPDATE, so
// only one of them starts it. The claim leaves the campaign scheduled (it only marks who starts it): a
// process that dies right after claiming leaves a scheduled campaign that the next check takes over once
// the mark is a minute old, never a draft that nobody sends. A local-time campaign whose sender died
// mid-release (kill -9, a crash) is resumed here too, so its later zones do not wait for a person.
import type { DueRunReport } from '../../../shared/schedule.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import { startResume, startSendOffMain } from '../campaigns/campaigns.ts';
import { isInterrupted } from '../campaigns/runner.ts';
import type { CoreContext } from '../context.ts';
import { parseStoredTiming } from '../delivery-time/plan.ts';
import { dueCampaignIds } from './schedule.ts';

/**
 * Starts sending one claimed campaign (still 'scheduled' when called; startSend with `scheduled: true`)
 * and returns a promise of the end of its run. It throws, without sending anything, when the campaign
 * cannot start (keys locked, empty audience…), or CAMPAIGN_NOT_DUE when it was unscheduled meanwhile.
 */
export type CampaignStarter = (campaignId: number) => Promise<unknown>;

export interface DueRun extends DueRunReport {
  /** Interrupted local-time campaigns resumed by this check (their runs are in `running` too). */
  resumed: number[];
  /** One promise per started or resumed campaign, settled when its sending ends. */
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

/**
 * Local-time campaigns left 'sending' by a sender that is gone (killed, crashed, quit mid-release). A
 * plain send stays for `campaign resume`; a timed one has zones that come due unattended, so the due
 * check resumes it.
 */
export function interruptedReleases(ctx: CoreContext): number[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, state, runner_pid, heartbeat_at, timing FROM campaigns
       WHERE state = 'sending' AND timing IS NOT NULL AND started_at IS NOT NULL ORDER BY id`,
    )
    .all() as Array<Parameters<typeof isInterrupted>[1] & { timing: string }>;
  return rows
    .filter((row) => parseStoredTiming(row.timing)?.resolved && isInterrupted(ctx, row))
    .map((row) => row.id);
}

export function runDueCampaigns(
  ctx: CoreContext,
  start: CampaignStarter,
  // Resumes an interrupted timed campaign, as `start` starts one. The resume keeps the journal's at-most-once
  // rule: recoverJournal turns what was in flight at the kill into 'uncertain' (not sent again), then the run
  // releases every zone due by now.
  resume: CampaignStarter = (id) => startResume(ctx, id).done,
): DueRun {
  const now = ctx.now();
  const report: DueRun = { started: [], failed: [], resumed: [], running: [] };
  for (const campaignId of interruptedReleases(ctx)) {
    let sending: Promise<unknown>;
    try {
      sending = resume(campaignId);
    } catch (error) {
      const code = isPushdeckError(error) ? error.code : 'INTERNAL';
      // Another runner (the app, a second cron job) resumed it first: theirs to send.
      if (code === 'CAMPAIGN_RUNNING' || code === 'CAMPAIGN_NOT_RESUMABLE') continue;
      const message = error instanceof Error ? error.message : String(error);
      report.failed.push({ campaignId, code, message });
      recordResumeFailure(ctx, campaignId, code, message);
      continue;
    }
    report.resumed.push(campaignId);
    report.running.push(sending.catch(() => undefined));
  }
  for (const campaignId of dueCampaignIds(ctx, now)) {
    if (!claimDue(ctx, campaignId, now)) continue;
    let sending: Promise<unknown>;
    try {
      sending = start(campaignId);
    } catch (error) {
      const failure = startFailed(ctx, campaignId, error);
      if (failure) report.failed.push(failure);
      continue;
    }
    report.started.push(campaignId);
    // The run's own end (completed, paused on error) is the engine's to record.
    report.running.push(sending.catch(() => undefined));
  }
  if (report.started.length || report.failed.length || report.resumed.length) {
    ctx.events.emit('data.changed', { scopes: ['campaigns', 'audit'] });
    ctx.events.emit('schedule.ran', { started: report.started, failed: report.failed });
  }
  return report;
}

/**
 * A claimed campaign that did not start: unscheduled or moved later since the check (CAMPAIGN_NOT_DUE) is
 * not a failure and no longer ours; anything else is recorded (recordFailure) and returned for the report.
 */
function startFailed(
  ctx: CoreContext,
  campaignId: number,
  error: unknown,
): DueRunReport['failed'][number] | null {
  const code = isPushdeckError(error) ? error.code : 'INTERNAL';
  if (code === 'CAMPAIGN_NOT_DUE') {
    ctx.db
      .prepare(
        "UPDATE campaigns SET runner_pid = NULL WHERE id = ? AND state IN ('scheduled', 'draft') AND runner_pid = ?",
      )
      .run(campaignId, process.pid);
    return null;
  }
  const message = error instanceof Error ? error.message : String(error);
  recordFailure(ctx, campaignId, code, message);
  return { campaignId, code, message };
}

/**
 * The app's starter: a campaign planned by zone writes its plan and journal on the start thread
 * (startSendOffMain), so a million recipients do not stall the window when its time comes. What fails
 * there, after the check has returned, is recorded as a failed start is, and the window is told.
 */
export function offMainStarter(ctx: CoreContext): CampaignStarter {
  return (campaignId) =>
    startSendOffMain(ctx, campaignId, { scheduled: true }).then(
      (run) => run.done,
      (error: unknown) => {
        const failure = startFailed(ctx, campaignId, error);
        ctx.events.emit('data.changed', { scopes: ['campaigns', 'audit'] });
        if (failure) ctx.events.emit('schedule.ran', { started: [], failed: [failure] });
      },
    );
}

/** The audit entry of a scheduled start or an interrupted release that failed. */
function auditFailure(ctx: CoreContext, campaignId: number, code: string): void {
  const row = ctx.db.prepare('SELECT app_id, name FROM campaigns WHERE id = ?').get(campaignId) as
    { app_id: number; name: string } | undefined;
  appendAudit(ctx.db, ctx.now(), {
    action: 'campaign.schedule-failed',
    appId: row?.app_id ?? null,
    subject: row?.name ?? null,
    details: { campaignId, code },
  });
}

/** A due campaign that could not start becomes a draft (no retry every tick), says why, and is logged. */
function recordFailure(ctx: CoreContext, campaignId: number, code: string, message: string): void {
  auditFailure(ctx, campaignId, code);
  ctx.db
    .prepare(
      `UPDATE campaigns SET state = CASE WHEN state = 'scheduled' THEN 'draft' ELSE state END, runner_pid = NULL,
         last_error = ?, updated_at = ? WHERE id = ?`,
    )
    .run(`The scheduled start failed: ${message}`, ctx.now(), campaignId);
}

/**
 * An interrupted timed campaign that cannot resume (keys locked…) is paused with the reason, so the next
 * check does not try again every tick; `campaign resume` takes it up once the cause is fixed.
 */
function recordResumeFailure(ctx: CoreContext, campaignId: number, code: string, message: string): void {
  auditFailure(ctx, campaignId, code);
  ctx.db
    .prepare(
      `UPDATE campaigns SET state = 'paused', runner_pid = NULL, last_error = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`,
    )
    .run(`The interrupted release could not resume: ${message}`, ctx.now(), campaignId);
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
