// What happened in a campaign: breakdowns by HTTP status, push service, reason and outcome, latency
// percentiles, and the deliveries themselves in keyset pages.
import type {
  CampaignDetail,
  CampaignTotals,
  DeliveryPage,
  DeliveryRecord,
  DeliveryState,
  LatencyPercentiles,
  Outcome,
} from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import { campaignOptions, campaignRow, toSummary } from './campaigns.ts';

function emptyTotals(): CampaignTotals {
  return {
    recipients: 0,
    delivered: 0,
    expired: 0,
    failed: 0,
    pending: 0,
    retrying: 0,
    inFlight: 0,
    uncertain: 0,
  };
}

const totalsField: Record<DeliveryState, keyof CampaignTotals> = {
  pending: 'pending',
  in_flight: 'inFlight',
  sent: 'delivered',
  failed: 'failed',
  expired: 'expired',
  retrying: 'retrying',
  uncertain: 'uncertain',
};

function latency(ctx: CoreContext, id: number): LatencyPercentiles {
  const count = ctx.db
    .prepare('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND latency_ms IS NOT NULL')
    .pluck()
    .get(id) as number;
  if (count === 0) return { p50: null, p90: null, p99: null, max: null };
  const at = ctx.db
    .prepare(
      'SELECT latency_ms FROM deliveries WHERE campaign_id = ? AND latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ?',
    )
    .pluck();
  const pick = (q: number) => at.get(id, Math.min(count - 1, Math.floor(q * count))) as number;
  return { p50: pick(0.5), p90: pick(0.9), p99: pick(0.99), max: pick(1) };
}

export function campaignDetail(ctx: CoreContext, id: number): CampaignDetail {
  const row = campaignRow(ctx, id);
  const group = (column: string, where = '') =>
    Object.fromEntries(
      (
        ctx.db
          .prepare(
            `SELECT COALESCE(CAST(${column} AS TEXT), 'none') AS k, COUNT(*) AS n FROM deliveries
             WHERE campaign_id = ? ${where} GROUP BY k ORDER BY n DESC`,
          )
          .all(id) as Array<{ k: string; n: number }>
      ).map(({ k, n }) => [k, n]),
    );
  const byPushService: Record<string, CampaignTotals> = {};
  for (const r of ctx.db
    .prepare(
      `SELECT s.push_service AS service, d.state, COUNT(*) AS n FROM deliveries d
       JOIN subscriptions s ON s.id = d.subscription_id WHERE d.campaign_id = ? GROUP BY service, d.state`,
    )
    .all(id) as Array<{ service: string; state: DeliveryState; n: number }>) {
    const totals = (byPushService[r.service] ??= emptyTotals());
    totals[totalsField[r.state]] += r.n;
    totals.recipients += r.n;
  }
  return {
    ...toSummary(ctx, row),
    message: JSON.parse(row.message) as MessageSpec,
    options: campaignOptions(row),
    audience: JSON.parse(row.audience) as AudienceFilter,
    lastError: row.last_error,
    byStatus: group('http_status', "AND state NOT IN ('pending')"),
    byPushService,
    byReason: group('reason', "AND state IN ('failed', 'expired', 'uncertain', 'retrying')"),
    byOutcome: group('outcome', 'AND outcome IS NOT NULL'),
    latencyMs: latency(ctx, id),
    expiredSubscriptions: ctx.db
      .prepare(
        "SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'expired' AND http_status IS NOT NULL",
      )
      .pluck()
      .get(id) as number,
  };
}

interface DeliveryRow {
  subscription_id: number;
  endpoint: string;
  push_service: string;
  label: string | null;
  state: DeliveryState;
  outcome: Outcome | null;
  http_status: number | null;
  reason: string | null;
  body_excerpt: string | null;
  attempts: number;
  latency_ms: number | null;
  updated_at: number | null;
}

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  subscriptionId: r.subscription_id,
  endpoint: r.endpoint,
  pushService: r.push_service,
  label: r.label,
  state: r.state,
  outcome: r.outcome,
  httpStatus: r.http_status,
  reason: r.reason,
  bodyExcerpt: r.body_excerpt,
  attempts: r.attempts,
  latencyMs: r.latency_ms,
  updatedAt: r.updated_at,
});

const deliverySelect = `SELECT d.subscription_id, s.endpoint, s.push_service, s.label, d.state, d.outcome, d.http_status,
  d.reason, d.body_excerpt, d.attempts, d.latency_ms, d.updated_at
  FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id`;

/** One page of deliveries by subscription id (keyset: pass the last page's `nextAfter`). */
export function deliveriesPage(
  ctx: CoreContext,
  input: { id: number; states?: DeliveryState[]; after?: number; limit: number },
): DeliveryPage {
  campaignRow(ctx, input.id);
  const states = input.states?.length ? input.states : null;
  const rows = ctx.db
    .prepare(
      `${deliverySelect} WHERE d.campaign_id = ? AND d.subscription_id > ?
       ${states ? `AND d.state IN (${states.map(() => '?').join(', ')})` : ''}
       ORDER BY d.subscription_id LIMIT ?`,
    )
    .all(input.id, input.after ?? 0, ...(states ?? []), input.limit + 1) as DeliveryRow[];
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit).map(toRecord);
  return { items, nextAfter: more ? items[items.length - 1]!.subscriptionId : null };
}

/** Every delivery, streamed (for `campaign show` and exports of large campaigns). */
export function* iterateDeliveries(
  ctx: CoreContext,
  id: number,
  states?: DeliveryState[],
): Generator<DeliveryRecord> {
  const where = states?.length ? `AND d.state IN (${states.map(() => '?').join(', ')})` : '';
  const statement = ctx.db.prepare(
    `${deliverySelect} WHERE d.campaign_id = ? ${where} ORDER BY d.subscription_id`,
  );
  for (const row of statement.iterate(id, ...(states ?? [])) as Iterable<DeliveryRow>) yield toRecord(row);
}
