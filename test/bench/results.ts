// `npm run bench:results`: campaigns.get and campaigns.list over campaigns of 1,000,000 deliveries each (built
// by SQL, not sent), cold (first call: the journal is summed up and stored) and warm (the stored summary),
// against counting the journal on every call. Also the stored summary's cost to the sending thread's writes
// (the triggers that drop it). Figures, not assertions: run it once on a quiet machine.
import fs from 'node:fs';
import os from 'node:os';
import { createCampaign, listCampaigns } from '../../src/main/core/campaigns/campaigns.ts';
import { computeSummary, journalTotals } from '../../src/main/core/campaigns/journal-summary.ts';
import { campaignDetail } from '../../src/main/core/campaigns/results.ts';
import { benchContext, createBenchApp } from './send-support.ts';
import { median, timed } from './timing.ts';

const deliveries = Number(process.env.BENCH_DELIVERIES ?? 1_000_000);
const campaignCount = Number(process.env.BENCH_CAMPAIGNS ?? 3);
const { ctx, dir } = benchContext('results-');
const app = createBenchApp(ctx);

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

const [, subscriptionsMs] = timed(() =>
  ctx.db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
       SELECT i, ?, 'https://fcm.googleapis.com/fcm/send/bench-' || i, i, 'k', 'a',
         CASE i % 6 WHEN 0 THEN 'apple' WHEN 1 THEN 'mozilla' WHEN 2 THEN 'wns' ELSE 'fcm' END, 0, 0 FROM n`,
    )
    .run(deliveries, app.id),
);

// A finished campaign's journal as a real run leaves it: mostly delivered, some expired, rejected,
// failing and uncertain, latencies spread over 20–420 ms.
const journalInsert = ctx.db.prepare(
  `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, outcome, http_status, reason, attempts, latency_ms, updated_at)
   SELECT ?, id,
     CASE WHEN id % 100 < 2 THEN 'expired' WHEN id % 100 < 4 THEN 'failed' WHEN id % 100 = 4 THEN 'uncertain' ELSE 'sent' END,
     push_service,
     CASE WHEN id % 100 < 2 THEN 'expired' WHEN id % 100 = 2 THEN 'rejected' WHEN id % 100 = 3 THEN 'transient'
       WHEN id % 100 = 4 THEN NULL ELSE 'delivered' END,
     CASE WHEN id % 100 = 0 THEN 410 WHEN id % 100 = 1 THEN 404 WHEN id % 100 = 2 THEN 413 WHEN id % 100 = 3 THEN 500
       WHEN id % 100 = 4 THEN NULL ELSE 201 END,
     CASE WHEN id % 100 < 2 THEN 'gone' WHEN id % 100 = 2 THEN 'Payload Too Large' WHEN id % 100 = 3 THEN 'Internal Server Error'
       WHEN id % 100 = 4 THEN 'in flight when the sender stopped: it may or may not have arrived' END,
     1, CASE WHEN id % 100 = 4 THEN NULL ELSE 20 + (id * 7919) % 400 END, ?
   FROM subscriptions WHERE app_id = ? ORDER BY id`,
);
const ids: number[] = [];
const [, journalsMs] = timed(() => {
  for (let c = 0; c < campaignCount; c++) {
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      name: `Bench ${c + 1}`,
      message: { format: 'notification', notification: { title: 'Flash sale', body: 'Everything 20% off' } },
      audience: {},
    });
    ctx.db.transaction(() => {
      journalInsert.run(campaign.id, Date.now(), app.id);
      ctx.db
        .prepare(
          "UPDATE campaigns SET state = 'completed', started_at = ?, finished_at = ?, updated_at = ? WHERE id = ?",
        )
        .run(Date.now(), Date.now(), Date.now(), campaign.id);
    })();
    ids.push(campaign.id);
  }
});
ctx.db.pragma('optimize');
console.log(
  `${deliveries.toLocaleString('en')} subscriptions in ${(subscriptionsMs / 1000).toFixed(1)} s; ` +
    `${campaignCount} campaigns of ${deliveries.toLocaleString('en')} deliveries in ${(journalsMs / 1000).toFixed(1)} s (${dir})`,
);

const id = ids[0]!;
const clearSummaries = () => ctx.db.prepare('UPDATE campaigns SET results_summary = NULL').run();

// What a live count costs (every call before the summary was stored; still every call while sending).
const multiColumnGroupBy = ctx.db.prepare(
  `SELECT state, outcome, http_status, reason, push_service, COUNT(*) AS n FROM deliveries
   WHERE campaign_id = ? GROUP BY state, outcome, http_status, reason, push_service`,
);
const line = (label: string, value: number) => console.log(`  ${label.padEnd(52)} ${ms(value)}`);
console.log('\ncounting the journal on every call:');
line(
  'detail of one campaign (breakdowns + latency)',
  median(() => computeSummary(ctx.db, id), 3),
);
line(
  '(before this change, its five-column GROUP BY alone)',
  median(() => multiColumnGroupBy.all(id), 3),
);
line(
  `list: totals of ${campaignCount} campaigns`,
  median(() => ids.map((c) => journalTotals(ctx.db, c)), 3),
);

clearSummaries();
const [detail, getCold] = timed(() => campaignDetail(ctx, id));
const getWarm = median(() => campaignDetail(ctx, id), 21);
clearSummaries();
const [list, listCold] = timed(() => listCampaigns(ctx, { appId: app.id }));
const listWarm = median(() => listCampaigns(ctx, { appId: app.id }), 21);
console.log('\nwith the stored summary (campaignDetail and listCampaigns, what the two handlers call):');
console.log(`  campaigns.get   cold ${ms(getCold).padEnd(9)} warm ${ms(getWarm)}`);
console.log(
  `  campaigns.list  cold ${ms(listCold).padEnd(9)} warm ${ms(listWarm)}  (${list.length} campaigns; the cold call counts and stores their totals)`,
);
console.log(
  `  check: ${detail.totals.recipients} recipients, ${detail.totals.delivered} delivered, p50 ${detail.latencyMs.p50} ms, p99 ${detail.latencyMs.p99} ms; ` +
    `list totals ${list.every((c) => c.totals.recipients === deliveries) ? 'all' : 'NOT all'} ${deliveries}`,
);

// The sending thread's writes with and without the triggers that drop a stored summary: per delivery, the
// in-flight mark and the result (journal-writer.ts's statements), 500 deliveries per transaction.
function writerCost(campaignId: number, from: number, count: number): number {
  const start = ctx.db.prepare(
    "UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE campaign_id = ? AND subscription_id = ?",
  );
  const result = ctx.db.prepare(
    `UPDATE deliveries SET state = ?, outcome = ?, http_status = ?, reason = ?, body_excerpt = ?, latency_ms = ?,
       next_attempt_at = ?, updated_at = ? WHERE campaign_id = ? AND subscription_id = ?`,
  );
  const batch = ctx.db.transaction((first: number) => {
    for (let s = first; s < first + 500; s++) {
      start.run(1, campaignId, s);
      result.run('sent', 'delivered', 201, null, null, 40, null, 2, campaignId, s);
    }
  });
  const t0 = performance.now();
  for (let first = from; first < from + count; first += 500) batch(first);
  return ((performance.now() - t0) * 1000) / count;
}
// Alternate with and without (recreating them), over fresh rows each time, so the cache warms both alike.
const triggers = ctx.db
  .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'deliveries'")
  .all() as Array<{ name: string; sql: string }>;
const writes = Math.min(100_000, Math.floor(deliveries / 4));
const cost = { with: [] as number[], without: [] as number[] };
for (let round = 0; round < 4; round++) {
  const on = round % 2 === 1;
  for (const trigger of triggers) ctx.db.exec(on ? trigger.sql : `DROP TRIGGER ${trigger.name}`);
  cost[on ? 'with' : 'without'].push(writerCost(ids[1] ?? id, 1 + round * writes, writes));
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(
  `\nsending thread's journal writes (${(2 * writes).toLocaleString('en')} deliveries each way): ` +
    `${mean(cost.with).toFixed(2)} µs per delivery with the triggers, ${mean(cost.without).toFixed(2)} µs without`,
);
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
ctx.db.close();
fs.rmSync(dir, { recursive: true, force: true });
