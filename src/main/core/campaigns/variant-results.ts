// What each variant's part of a campaign's journal adds up to: totals, HTTP statuses, outcomes and latency
// per variant (and for the rest once sent), counted in one snapshot, so the winner can be chosen on them.
import type { DeliveryState } from '../../../shared/campaigns.ts';
import { REST_VARIANT, type CampaignVariants, type VariantResults } from '../../../shared/variants.ts';
import type { Db } from '../db/database.ts';
import { emptyTotals, percentiles, totalsField } from './journal-summary.ts';
import { heldCount, parseStoredVariants } from './variants.ts';

function emptyResults(name: string): VariantResults {
  return {
    name,
    totals: emptyTotals(),
    byStatus: {},
    byOutcome: {},
    latencyMs: { p50: null, p90: null, p99: null, max: null },
  };
}

/** A campaign's variants, held count and per-variant figures; null for a campaign of one message. */
export function campaignVariants(db: Db, campaignId: number, stored: string | null): CampaignVariants | null {
  const plan = parseStoredVariants(stored);
  if (!plan) return null;
  return db.transaction(() => {
    const results = new Map<string, VariantResults>(plan.variants.map((v) => [v.name, emptyResults(v.name)]));
    if (plan.restVariant !== null) results.set(REST_VARIANT, emptyResults(REST_VARIANT));
    const of = (name: string | null) => {
      const key = name ?? REST_VARIANT;
      let entry = results.get(key);
      if (!entry) results.set(key, (entry = emptyResults(key)));
      return entry;
    };
    const groups = db
      .prepare(
        `SELECT variant, state, outcome, http_status AS status, COUNT(*) AS n FROM deliveries
         WHERE campaign_id = ? GROUP BY variant, state, outcome, http_status`,
      )
      .all(campaignId) as Array<{
      variant: string | null;
      state: DeliveryState;
      outcome: string | null;
      status: number | null;
      n: number;
    }>;
    for (const g of groups) {
      const entry = of(g.variant);
      entry.totals[totalsField[g.state]] += g.n;
      entry.totals.recipients += g.n;
      if (g.state !== 'pending') {
        const status = g.status === null ? 'none' : String(g.status);
        entry.byStatus[status] = (entry.byStatus[status] ?? 0) + g.n;
      }
      if (g.outcome !== null) entry.byOutcome[g.outcome] = (entry.byOutcome[g.outcome] ?? 0) + g.n;
    }
    const bins = db
      .prepare(
        `SELECT variant, latency_ms AS ms, COUNT(*) AS n FROM deliveries
         WHERE campaign_id = ? AND latency_ms IS NOT NULL GROUP BY variant, latency_ms ORDER BY variant, latency_ms`,
      )
      .all(campaignId) as Array<{ variant: string | null; ms: number; n: number }>;
    const byVariant = new Map<string, Array<{ ms: number; n: number }>>();
    for (const bin of bins) {
      const key = bin.variant ?? REST_VARIANT;
      byVariant.set(key, [...(byVariant.get(key) ?? []), { ms: bin.ms, n: bin.n }]);
    }
    for (const [key, histogram] of byVariant) of(key).latencyMs = percentiles(histogram);
    return {
      variants: plan.variants,
      holdRest: plan.holdRest,
      held: heldCount(db, campaignId),
      restVariant: plan.restVariant,
      results: [...results.values()],
    };
  })();
}
