// `npm run bench:send`: web-push's own sendNotification loop (concurrency 16 and 64) against Pushdeck's
// engine, 20,000 messages each, against the same local push service in a separate process (https, 201
// without decrypting). Reports messages per second, client CPU per message (process.cpuUsage: every
// thread of this process, the sending threads included) and the service's CPU per message (it shares the
// cores). Then the protocol floor: two threads doing only what every message must cost (encryption, a
// cached VAPID header, one HTTPS request), with and without the encryption, to show where the ceiling is.
import https from 'node:https';
import { Worker } from 'node:worker_threads';
import { createCampaign, sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import {
  benchContext,
  createBenchApp,
  insertBenchSubscriptions,
  measure,
  report,
  startServiceProcess,
  type ServiceProcess,
  userAgentKeys,
  webPushLoop,
} from './send-support.ts';
import type { FloorWorkerData } from './send-floor-worker.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const PAYLOAD = JSON.stringify({
  title: 'Flash sale',
  body: 'Everything 20% off until midnight',
  data: { url: '/sale' },
});

const service = await startServiceProcess();
// web-push sends through https.globalAgent (keep-alive in Node 22): trust the local service there.
https.globalAgent.options.ca = [service.ca];

async function webPush(concurrency: number) {
  let failures = 0;
  const m = await measure(async () => {
    failures = await webPushLoop(service.origin, MESSAGES, concurrency, PAYLOAD);
  }, service);
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
  }, target);
  if (outcome!.totals.delivered !== MESSAGES)
    console.log(`  pushdeck totals: ${JSON.stringify(outcome!.totals)}`);
  ctx.db.close();
  return report(`pushdeck engine (c=${concurrency})${label}`, MESSAGES, m);
}

/** `threads` threads of send-floor-worker.ts sharing MESSAGES and a concurrency of 64. */
async function protocolFloor(threads: number, reuseBody: boolean) {
  const keys = userAgentKeys();
  const failures: string[] = [];
  const m = await measure(
    () =>
      Promise.all(
        Array.from({ length: threads }, (_, i) => {
          const workerData: FloorWorkerData = {
            origin: service.origin,
            ca: service.ca,
            messages: Math.floor(MESSAGES / threads) + (i < MESSAGES % threads ? 1 : 0),
            concurrency: 64 / threads,
            keys,
            payload: PAYLOAD,
            reuseBody,
          };
          const worker = new Worker(new URL('./send-floor-worker.ts', import.meta.url), { workerData });
          return new Promise<void>((resolve, reject) => {
            worker.once('message', (msg: { failures: number; firstError: string | null }) => {
              if (msg.failures) failures.push(`${msg.failures} failed, first: ${msg.firstError}`);
              resolve();
            });
            worker.once('error', reject);
          });
        }),
      ),
    service,
  );
  if (failures.length) throw new Error(`The floor's requests failed: ${failures.join('; ')}`);
  const label = reuseBody ? 'floor, one body reused' : 'floor: encrypt + HTTPS only';
  return report(`${label} (${threads} thr)`, MESSAGES, m);
}

try {
  console.log(`Push service ${service.origin} (separate process, https, 201 without decrypting)`);
  const wp16 = await webPush(16);
  const wp64 = await webPush(64);
  const pd = await pushdeck(64);
  const best = Math.max(wp16.rate, wp64.rate);
  console.log(
    `\npushdeck / best web-push: ${(pd.rate / best).toFixed(2)}× the messages per second (target ≥ 4×), ` +
      `${pd.cpuPerMessage.toFixed(0)} µs CPU per message (target ≤ 450)`,
  );
  // The ceiling on this machine: no journal, no flow control, nothing but the protocol's own work.
  console.log('\nThe protocol floor against the same service (no database, journal or flow control):');
  const floor = await protocolFloor(2, false);
  const bodyReused = await protocolFloor(2, true);
  console.log(
    `floor / best web-push: ${(floor.rate / best).toFixed(2)}×; pushdeck reaches ${((pd.rate / floor.rate) * 100).toFixed(0)}% of the floor; ` +
      `without the per-message encryption (which RFC 8291 requires) the floor would be ${(bodyReused.rate / best).toFixed(2)}×`,
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
