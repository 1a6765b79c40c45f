// `npm run bench:send`: web-push's own sendNotification loop (concurrency 16 and 64) against Pushdeck's
// engine, 20,000 messages each, against the same local push service in a separate process (https, 201
// without decrypting). Reports messages per second and client CPU per message (process.cpuUsage: every
// thread of this process, the sending threads included).
import https from 'node:https';
import webpush from 'web-push';
import { createCampaign, sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { generateVapidKeyPair } from '../../src/main/core/keys/vapid-keys.ts';
import {
  benchContext,
  createBenchApp,
  insertBenchSubscriptions,
  measure,
  report,
  startServiceProcess,
  type ServiceProcess,
  userAgentKeys,
} from './send-support.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const PAYLOAD = JSON.stringify({
  title: 'Flash sale',
  body: 'Everything 20% off until midnight',
  data: { url: '/sale' },
});

const service = await startServiceProcess();
// web-push sends through https.globalAgent (keep-alive in Node 22): trust the local service there.
https.globalAgent.options.ca = [service.ca];

async function webPushLoop(concurrency: number) {
  const vapid = generateVapidKeyPair();
  const keys = userAgentKeys();
  const options = {
    TTL: 60,
    vapidDetails: {
      subject: 'mailto:bench@example.com',
      publicKey: vapid.publicKey,
      privateKey: vapid.privateKey.toString('base64url'),
    },
  };
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < MESSAGES) {
      const i = next++;
      try {
        await webpush.sendNotification(
          { endpoint: `${service.origin}/push/wp-${i}`, keys },
          PAYLOAD,
          options,
        );
      } catch {
        failures += 1;
      }
    }
  };
  const m = await measure(() => Promise.all(Array.from({ length: concurrency }, worker)));
  if (failures) console.log(`  web-push failures: ${failures}`);
  return report(`web-push sendNotification (c=${concurrency})`, MESSAGES, m);
}

async function pushdeck(concurrency: number, target: ServiceProcess = service, label = '') {
  const { ctx } = benchContext();
  const app = createBenchApp(ctx);
  insertBenchSubscriptions(ctx, app.id, target.origin, MESSAGES);
  const { campaign } = createCampaign(ctx, {
    appId: app.id,
    message: { format: 'raw', raw: PAYLOAD },
    audience: {},
    options: { ttl: 60, concurrency, perOriginConcurrency: concurrency },
  });
  let outcome: Awaited<ReturnType<typeof sendCampaign>> | undefined;
  const m = await measure(async () => {
    outcome = await sendCampaign(ctx, campaign.id, { ca: [target.ca] });
  });
  if (outcome!.totals.delivered !== MESSAGES)
    console.log(`  pushdeck totals: ${JSON.stringify(outcome!.totals)}`);
  ctx.db.close();
  return report(`pushdeck engine (c=${concurrency})${label}`, MESSAGES, m);
}

try {
  console.log(`Push service ${service.origin} (separate process, https, 201 without decrypting)`);
  const wp16 = await webPushLoop(16);
  const wp64 = await webPushLoop(64);
  const pd = await pushdeck(64);
  const best = Math.max(wp16.rate, wp64.rate);
  console.log(
    `\npushdeck / best web-push: ${(pd.rate / best).toFixed(2)}× the messages per second (target ≥ 4×), ` +
      `${pd.cpuPerMessage.toFixed(0)} µs CPU per message (target ≤ 450)`,
  );
  // Real push services (FCM among them) offer HTTP/2; web-push's https client cannot use it, Pushdeck can.
  const h2Service = await startServiceProcess(true);
  try {
    console.log(`\nThe same service offering HTTP/2 (${h2Service.origin}):`);
    const h2 = await pushdeck(64, h2Service, ' over HTTP/2');
    console.log(
      `pushdeck over HTTP/2 / best web-push: ${(h2.rate / best).toFixed(2)}× the messages per second, ` +
        `${h2.cpuPerMessage.toFixed(0)} µs CPU per message`,
    );
  } finally {
    h2Service.stop();
  }
} finally {
  service.stop();
}
