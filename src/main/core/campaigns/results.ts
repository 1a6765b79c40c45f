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

/** Percentiles from a histogram of whole milliseconds: one pass, no sort of a million rows. */
function latency(ctx: CoreContext, id: number): LatencyPercentiles {
  const histogram = ctx.db
    .prepare(
      `SELECT latency_ms AS ms, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? AND latency_ms IS NOT NULL
       GROUP BY latency_ms ORDER BY latency_ms`,
    )
    .all(id) as Array<{ ms: number; n: number }>;
  const count = histogram.reduce((sum, bin) => sum + bin.n, 0);
  if (count === 0) return { p50: null, p90: null, p99: null, max: null };
  const pick = (q: number) => {
    const rank = Math.min(count, Math.max(1, Math.ceil(q * count)));
    let seen = 0;
    for (const bin of histogram) {
      seen += bin.n;
      if (seen >= rank) return bin.ms;
    }
    return histogram[histogram.length - 1]!.ms;
  };
  return { p50: pick(0.5), p90: pick(0.9), p99: pick(0.99), max: histogram[histogram.length - 1]!.ms };
}

interface GroupRow {
  state: DeliveryState;
  outcome: string | null;
  http_status: number | null;
  reason: string | null;
  push_service: string | null;
  n: number;
}

const add = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

const byCountDesc = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort((a, b) => b[1] - a[1]));

export function campaignDetail(ctx: CoreContext, id: number): CampaignDetail {
  const row = campaignRow(ctx, id);
  // One scan of the journal for every breakdown (the push service is copied into it when it is created).
  const groups = ctx.db
    .prepare(
      `SELECT state, outcome, http_status, reason, push_service, COUNT(*) AS n FROM deliveries
       WHERE campaign_id = ? GROUP BY state, outcome, http_status, reason, push_service`,
    )
    .all(id) as GroupRow[];
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const byOutcome: Record<string, number> = {};
  const byPushService: Record<string, CampaignTotals> = {};
  let expiredSubscriptions = 0;
  for (const g of groups) {
    if (g.state !== 'pending') add(byStatus, g.http_status === null ? 'none' : String(g.http_status), g.n);
    if (g.reason !== null && ['failed', 'expired', 'uncertain', 'retrying'].includes(g.state)) {
      add(byReason, g.reason, g.n);
    }
    if (g.outcome !== null) add(byOutcome, g.outcome, g.n);
    if (g.state === 'expired' && g.http_status !== null) expiredSubscriptions += g.n;
    const totals = (byPushService[g.push_service ?? 'other'] ??= emptyTotals());
    totals[totalsField[g.state]] += g.n;
    totals.recipients += g.n;
  }
  return {
    ...toSummary(ctx, row),
    message: JSON.parse(row.message) as MessageSpec,
    options: campaignOptions(row),
    audience: JSON.parse(row.audience) as AudienceFilter,
    lastError: row.last_error,
    byStatus: byCountDesc(byStatus),
    byPushService,
    byReason: byCountDesc(byReason),
    byOutcome: byCountDesc(byOutcome),
    latencyMs: latency(ctx, id),
    expiredSubscriptions,
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
