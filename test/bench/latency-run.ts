// One measurement of `npm run bench:latency`, in a process of its own so that its peak RSS and CPU are its
// own: a web-push sendNotification loop at 64 in flight, or `pushdeck send` with its default options.
//   node test/bench/latency-run.ts webpush|pushdeck ORIGIN CA_FILE MESSAGES
// Prints one JSON line: { seconds, cpuMicros, maxRssBytes, delivered, failed, peakInFlight, finalLimit,
// lateInFlight } (the last three from Pushdeck's progress; lateInFlight: the most in flight in the run's
// second half).
import fs from 'node:fs';
import https from 'node:https';
import { createCampaign, sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { benchContext, createBenchApp, insertBenchSubscriptions, webPushLoop } from './send-support.ts';

const [mode, origin, caFile, count] = process.argv.slice(2);
const messages = Number(count);
const ca = fs.readFileSync(caFile!, 'utf8');
const PAYLOAD = JSON.stringify({
  title: 'Flash sale',
  body: 'Everything 20% off until midnight',
  data: { url: '/sale' },
});

export interface RunResult {
  seconds: number;
  cpuMicros: number;
  maxRssBytes: number;
  delivered: number;
  failed: number;
  peakInFlight: number | null;
  finalLimit: number | null;
  lateInFlight: number | null;
}

type Counts = Omit<RunResult, 'seconds' | 'cpuMicros' | 'maxRssBytes'>;

async function webPush(): Promise<Counts> {
  // web-push sends through https.globalAgent (keep-alive in Node 22): trust the local service there.
  https.globalAgent.options.ca = [ca];
  const failed = await webPushLoop(origin!, messages, 64, PAYLOAD);
  return { delivered: messages - failed, failed, peakInFlight: 64, finalLimit: null, lateInFlight: null };
}

async function pushdeckSend(
  ctx: ReturnType<typeof benchContext>['ctx'],
  campaignId: number,
): Promise<Counts> {
  let peak = 0;
  let late = 0;
  let finalLimit: number | null = null;
  const outcome = await sendCampaign(ctx, campaignId, {
    ca: [ca],
    onProgress: (p) => {
      peak = Math.max(peak, p.inFlight);
      const answered = p.delivered + p.failed + p.expired;
      if (answered > messages / 2) late = Math.max(late, p.inFlight);
      if (p.services[0]) finalLimit = p.services[0].limit;
    },
  });
  return {
    delivered: outcome.totals.delivered,
    failed: outcome.totals.recipients - outcome.totals.delivered,
    peakInFlight: peak,
    finalLimit,
    lateInFlight: late,
  };
}

let run: () => Promise<Counts>;
if (mode === 'webpush') run = webPush;
else {
  // Set up before the clock starts, as a user's database already holds its subscribers.
  const { ctx } = benchContext('latency');
  const app = createBenchApp(ctx);
  insertBenchSubscriptions(ctx, app.id, origin!, messages);
  const { campaign } = createCampaign(ctx, {
    appId: app.id,
    message: { format: 'raw', raw: PAYLOAD },
    audience: {},
    options: { ttl: 60 },
  });
  run = () => pushdeckSend(ctx, campaign.id);
}
const cpu = process.cpuUsage();
const started = performance.now();
const counts = await run();
const used = process.cpuUsage(cpu);
const result: RunResult = {
  seconds: (performance.now() - started) / 1000,
  cpuMicros: used.user + used.system,
  // getrusage covers every thread of this process, the sending and encryption threads included.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  ...counts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
