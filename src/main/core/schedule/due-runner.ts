// Starts scheduled campaigns whose time has come. The app runs it on a timer; `pushdeck campaign run-due`
// runs it once, headless, for cron. Both may run at once: each campaign is claimed by one atomic UPDATE, so
// only one of them starts it.
import type { DueRunReport } from '../../../shared/schedule.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit.ts';
import type { CoreContext } from '../context.ts';
import { dueCampaignIds } from './schedule.ts';

/**
 * Starts sending one campaign (in state 'draft' when called). It resolves once the campaign has finished or
 * stopped; it throws a PushdeckError when the campaign cannot start at all.
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

export async function runDueCampaigns(
  ctx: CoreContext,
  start: CampaignStarter,
  actor: 'app' | 'cli' = 'app',
): Promise<DueRun> {
  const now = ctx.now();
  const report: DueRun = { started: [], failed: [], running: [] };
  for (const campaignId of dueCampaignIds(ctx, now)) {
    if (!claim(ctx, campaignId, now)) continue;
    const sending = start(campaignId);
    // Let the starter reach its first await: a campaign that cannot start fails here, not later.
    const early = await Promise.race([
      sending.then(
        () => null,
        (error: unknown) => error,
      ),
      new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
    ]);
    if (early === undefined || early === null) {
      report.started.push(campaignId);
      report.running.push(sending.catch(() => undefined));
      continue;
    }
    const code = isPushdeckError(early) ? early.code : 'INTERNAL';
    const message = early instanceof Error ? early.message : String(early);
    report.failed.push({ campaignId, code, message });
    const row = ctx.db.prepare('SELECT app_id, name FROM campaigns WHERE id = ?').get(campaignId) as
      { app_id: number; name: string } | undefined;
    appendAudit(ctx.db, ctx.now(), {
      actor,
      action: 'campaign.schedule-failed',
      appId: row?.app_id ?? null,
      subject: row?.name ?? null,
      details: { campaignId, code },
    });
  }
  if (report.started.length || report.failed.length) {
    ctx.events.emit('data.changed', { scopes: ['campaigns', 'audit'] });
    ctx.events.emit('schedule.ran', { started: report.started, failed: report.failed });
  }
  return report;
}

export interface DueRunner {
  /** Checks now (also what the timer does); runs never overlap. */
  tick(): Promise<DueRunReport>;
  stop(): void;
}

/** Checks for due campaigns every `intervalMs` while the app runs. */
export function startDueRunner(
  ctx: CoreContext,
  start: CampaignStarter,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): DueRunner {
  let current: Promise<DueRunReport> | null = null;
  const tick = (): Promise<DueRunReport> => {
    current ??= runDueCampaigns(ctx, start, 'app')
      .then(({ started, failed }) => ({ started, failed }))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
