// Finds campaigns that a quit, crash or kill -9 left in 'sending': no sender in this process drives them
// and their journal has been quiet for a while (a CLI sender elsewhere keeps writing to it).
import type { InterruptedCampaign } from '../../../shared/schedule.ts';
import type { CoreContext } from '../context.ts';

/** A live sender commits results far more often than this, even while backing off. */
export const INTERRUPTED_QUIET_MS = 60_000;

interface SendingRow {
  id: number;
  app_id: number;
  name: string;
  started_at: number | null;
  updated_at: number;
}

export interface InterruptedOptions {
  appId?: number;
  /** True when this process runs the campaign's sender. */
  isLive?: (campaignId: number) => boolean;
  quietMs?: number;
}

export function interruptedCampaigns(
  ctx: CoreContext,
  options: InterruptedOptions = {},
): InterruptedCampaign[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, app_id, name, started_at, updated_at FROM campaigns
       WHERE state = 'sending' ${options.appId !== undefined ? 'AND app_id = ?' : ''} ORDER BY id`,
    )
    .all(...(options.appId !== undefined ? [options.appId] : [])) as SendingRow[];
  const counts = ctx.db.prepare(
    `SELECT MAX(updated_at) AS last,
            SUM(state IN ('pending', 'retrying')) AS pending,
            SUM(state = 'in_flight') AS in_flight
     FROM deliveries WHERE campaign_id = ?`,
  );
  const now = ctx.now();
  const quietMs = options.quietMs ?? INTERRUPTED_QUIET_MS;
  const found: InterruptedCampaign[] = [];
  for (const row of rows) {
    if (options.isLive?.(row.id)) continue;
    const journal = counts.get(row.id) as {
      last: number | null;
      pending: number | null;
      in_flight: number | null;
    };
    const lastActivityAt = Math.max(row.updated_at, journal.last ?? 0);
    if (now - lastActivityAt < quietMs) continue;
    found.push({
      campaignId: row.id,
      appId: row.app_id,
      name: row.name,
      startedAt: row.started_at,
      lastActivityAt,
      pending: journal.pending ?? 0,
      inFlight: journal.in_flight ?? 0,
    });
  }
  return found;
}
