// What happened in a campaign: its detail (totals, breakdowns and latency from journal-summary.ts) and the
// deliveries themselves in keyset pages.
import type {
  CampaignDetail,
  DeliveryPage,
  DeliveryRecord,
  DeliveryState,
  Outcome,
} from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import { campaignResults, campaignRow, toSummary } from './campaigns.ts';
import { storedSendOptions } from './stored-options.ts';
import { campaignVariants } from './variant-results.ts';

export function campaignDetail(ctx: CoreContext, id: number): CampaignDetail {
  const row = campaignRow(ctx, id);
  const results = campaignResults(ctx, row);
  return {
    ...toSummary(ctx, row, results.totals),
    message: JSON.parse(row.message) as MessageSpec,
    options: storedSendOptions(row.options),
    audience: JSON.parse(row.audience) as AudienceFilter,
    lastError: row.last_error,
    byStatus: results.byStatus,
    byPushService: results.byPushService,
    byReason: results.byReason,
    byOutcome: results.byOutcome,
    latencyMs: results.latencyMs,
    latencyByPushService: results.latencyByPushService,
    expiredSubscriptions: results.expiredSubscriptions,
    variants: campaignVariants(ctx.db, row.id, row.variants),
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
  release_at: number | null;
  time_zone: string | null;
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
  releaseAt: r.release_at,
  timeZone: r.time_zone,
});

// A subscription deleted for good left its deliveries under the negative of its id (migration 007): they
// come first, with no endpoint or label (only its hash stays in the file).
const deliverySelect = `SELECT d.subscription_id, COALESCE(s.endpoint, '') AS endpoint,
  COALESCE(s.push_service, d.push_service, 'other') AS push_service, s.label, d.state, d.outcome, d.http_status,
  d.reason, d.body_excerpt, d.attempts, d.latency_ms, d.updated_at, d.release_at, z.time_zone
  FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id
  LEFT JOIN campaign_zones z ON z.campaign_id = d.campaign_id AND z.zone_id = d.zone_id`;

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
    .all(
      input.id,
      input.after ?? Number.MIN_SAFE_INTEGER,
      ...(states ?? []),
      input.limit + 1,
    ) as DeliveryRow[];
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit).map(toRecord);
  return { items, nextAfter: more ? items[items.length - 1]!.subscriptionId : null };
}
