// `npm run bench:local-time`: 1,000,000 subscriptions across 400 IANA zones; plans a local-time campaign
// the way the window does (campaigns.send → startSendOffMain: plan and journal on a start thread) while a
// probe watches the main loop, then releases a sample of zones against the local push service in a
// separate process. Prints the plan time, the main loop's longest stall meanwhile, each sampled release,
// and the peak RSS. BENCH_RECIPIENTS, BENCH_RELEASES (release instants sampled, default 6) change the size.
import { createCampaign, startSend, startSendOffMain } from '../../src/main/core/campaigns/campaigns.ts';
import { startStallProbe } from '../support/main-loop-stall.ts';
import {
  benchContext,
  createBenchApp,
  insertBenchSubscriptions,
  startServiceProcess,
} from './send-support.ts';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1_000_000);
const RELEASES = Number(process.env.BENCH_RELEASES ?? 6);
const ZONES = Intl.supportedValuesOf('timeZone').slice(0, 400);
// The injected clock: the day before the campaign's date, so every zone is still to come.
const DATE = '2027-03-10';
const NOW = Date.parse('2027-03-09T12:00:00Z');

// The delay monitor records from its second tick on: give it a few before the measured call.
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const service = await startServiceProcess();
try {
  const { ctx } = benchContext('local-time');
  let now = NOW;
  ctx.now = () => now;
  const app = createBenchApp(ctx);
  const seeding = performance.now();
  insertBenchSubscriptions(ctx, app.id, service.origin, RECIPIENTS);
  // One statement: zone i of 400 for subscription i (the insert above is in order of id).
  ctx.db
    .prepare(
      `UPDATE subscriptions SET timezone = (SELECT value FROM json_each(?) WHERE key = subscriptions.id % ?)`,
    )
    .run(JSON.stringify(ZONES), ZONES.length);
  console.log(`${RECIPIENTS} subscriptions across ${ZONES.length} zones seeded in ${seconds(seeding)} s`);

  const message = {
    format: 'notification' as const,
    notification: { title: 'Good morning', body: 'Your 9:00 deal', url: '/deal' },
  };
  const timing = { localTime: { date: DATE, time: '09:00', pastZones: 'next-day' as const } };
  const { campaign } = createCampaign(ctx, {
    appId: app.id,
    message,
    audience: {},
    options: { ttl: 600 },
    timing,
  });

  const probe = startStallProbe();
  await settle();
  const planning = performance.now();
  const run = await startSendOffMain(ctx, campaign.id, { ca: [service.ca] });
  const planSeconds = seconds(planning);
  const stall = probe.stop();
  await run.done;
  const zones = ctx.db
    .prepare(
      'SELECT release_at AS at, COUNT(*) AS zones FROM campaign_zones WHERE campaign_id = ? GROUP BY 1 ORDER BY 1',
    )
    .all(campaign.id) as Array<{ at: number; zones: number }>;
  const planned = ctx.db
    .prepare('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?')
    .pluck()
    .get(campaign.id);
  console.log(
    `plan + journal on the start thread: ${planSeconds} s for ${planned} deliveries in ${zones.length} release instants`,
  );
  console.log(
    `main loop during the plan: longest stall ${stall.maxStallMs.toFixed(0)} ms, p99 ${stall.p99StallMs.toFixed(0)} ms, longest turn ${stall.maxTurnMs.toFixed(0)} ms`,
  );

  // The first instants in turn (the clock moved to each; a run releases every delivery due by its start).
  const sample = zones.slice(0, RELEASES);
  const sentSoFar = ctx.db.prepare(
    "SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'sent'",
  );
  let before = 0;
  for (const { at, zones: count } of sample) {
    now = at;
    const releasing = performance.now();
    await startSend(ctx, campaign.id, { ca: [service.ca] }).done;
    const took = (performance.now() - releasing) / 1000;
    const total = sentSoFar.pluck().get(campaign.id) as number;
    const zonesDue = zones.filter((z) => z.at <= at).reduce((sum, z) => sum + z.zones, 0);
    console.log(
      `release at ${new Date(at).toISOString()} (${count} zones at this instant, ${zonesDue} due in all): ${total - before} sent in ${took.toFixed(2)} s · ${Math.round((total - before) / took)} msg/s`,
    );
    before = total;
  }

  if (process.env.BENCH_COMPARE !== '0') {
    // The same plan on the main thread, as before (startSend, which the CLI still uses).
    const again = createCampaign(ctx, {
      appId: app.id,
      message,
      audience: {},
      options: { ttl: 600 },
      timing,
    });
    const probeSync = startStallProbe();
    await settle();
    const sync = performance.now();
    const runSync = startSend(ctx, again.campaign.id, { ca: [service.ca] });
    const syncSeconds = seconds(sync);
    // The probe's timer fires once the loop is free again: give it a turn to see the stall.
    await settle();
    const stallSync = probeSync.stop();
    await runSync.done;
    console.log(
      `for comparison, plan + journal on the main thread: ${syncSeconds} s, longest stall ${stallSync.maxStallMs.toFixed(0)} ms, longest turn ${stallSync.maxTurnMs.toFixed(0)} ms`,
    );
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `peak RSS: ${(Math.max(peak, maxRss) / 1e6).toFixed(0)} MB (this process, its threads included)`,
  );
} finally {
  clearInterval(sampler);
  service.stop();
}
