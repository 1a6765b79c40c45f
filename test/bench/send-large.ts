// `npm run bench:send:large`: a synthetic 1,000,000-recipient campaign against the local push service in a
// separate process; reports the rate and this process's peak RSS (target < 300 MB), sending threads included.
import { createCampaign, sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import {
  benchContext,
  createBenchApp,
  insertBenchSubscriptions,
  measure,
  report,
  startServiceProcess,
} from './send-support.ts';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1_000_000);
// BENCH_DELAY=80: the service answers after 80 ms over HTTP/2, as a real one over a real network.
const DELAY = Number(process.env.BENCH_DELAY ?? 0);
const service = await startServiceProcess(DELAY > 0, DELAY > 0 ? ['--delay', String(DELAY)] : []);
try {
  const { ctx } = benchContext();
  const app = createBenchApp(ctx);
  const inserting = performance.now();
  insertBenchSubscriptions(ctx, app.id, service.origin, RECIPIENTS);
  console.log(
    `${RECIPIENTS} subscriptions inserted in ${((performance.now() - inserting) / 1000).toFixed(1)} s`,
  );
  const { campaign } = createCampaign(ctx, {
    appId: app.id,
    message: {
      format: 'notification',
      notification: { title: 'Flash sale', body: 'Everything 20% off', url: '/sale' },
    },
    audience: {},
    options: { ttl: 60 },
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  let lastLog = 0;
  const m = await measure(() =>
    sendCampaign(ctx, campaign.id, {
      ca: [service.ca],
      onProgress: (p) => {
        if (Date.now() - lastLog < 10_000 && !p.finished) return;
        lastLog = Date.now();
        console.log(
          `  ${p.delivered + p.failed + p.expired}/${p.recipients} · ${Math.round(p.rate)} msg/s · RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
        );
      },
    }),
  );
  clearInterval(sampler);
  report(`pushdeck engine, one campaign`, RECIPIENTS, m);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `peak RSS: ${(Math.max(peak, maxRss) / 1e6).toFixed(0)} MB (sampled ${(peak / 1e6).toFixed(0)} MB, getrusage ${(maxRss / 1e6).toFixed(0)} MB; target < 300 MB)`,
  );
} finally {
  service.stop();
}
