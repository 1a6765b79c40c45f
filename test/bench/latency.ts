// `npm run bench:latency`: sending against a push service that answers after DELAY ms, as real ones do over
// a real network. For DELAY = 20, 80 and 250 ms, a web-push sendNotification loop at 64 in flight and
// `pushdeck send` with its defaults (over HTTP/2, then HTTP/1.1), BENCH_MESSAGES each (20,000), every
// measurement in a fresh process (latency-run.ts) against a fresh service process (test/support/push-service,
// 100 streams per HTTP/2 connection, the lowest RFC 9113 §6.5.2 recommends). Prints msg/s, the ratio to
// web-push, peak in flight (the service's count), CPU per message and peak RSS. Then a service that answers
// 429 Retry-After: 2 to any request beyond 200 in flight: Pushdeck must settle below it and lose nothing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Agent, request } from 'undici';
import type { RunResult } from './latency-run.ts';
import { startServiceProcess, type ServiceProcess } from './send-support.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const DELAYS = (process.env.BENCH_DELAYS ?? '20,80,250').split(',').map(Number);

interface ServiceStats {
  requests: number;
  maxConcurrent: number;
  connections: number;
  throttled: number;
}

async function stats(service: ServiceProcess): Promise<ServiceStats> {
  const agent = new Agent({ connect: { ca: [service.ca] } });
  try {
    const response = await request(`${service.origin}/_control/stats`, { method: 'POST', dispatcher: agent });
    return (await response.body.json()) as ServiceStats;
  } finally {
    await agent.close();
  }
}

function runChild(mode: 'webpush' | 'pushdeck', service: ServiceProcess): Promise<RunResult> {
  const child = spawn(
    process.execPath,
    [path.resolve('test/bench/latency-run.ts'), mode, service.origin, service.caFile, String(MESSAGES)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${mode} run exited with ${code}: ${out}`));
      else resolve(JSON.parse(line) as RunResult);
    });
  });
}

async function measure(
  mode: 'webpush' | 'pushdeck',
  flags: string[],
  http2: boolean,
): Promise<{ run: RunResult; service: ServiceStats }> {
  const service = await startServiceProcess(http2, flags);
  try {
    const run = await runChild(mode, service);
    return { run, service: await stats(service) };
  } finally {
    service.stop();
  }
}

const rate = (r: RunResult) => r.delivered / r.seconds;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const cell = (text: string, width: number) => text.padStart(width);

console.log(
  `${MESSAGES} messages per measurement; web-push: sendNotification, 64 in flight (HTTP/1.1, it has no HTTP/2); ` +
    'pushdeck: `send` defaults (caps 2,048 overall, 1,024 per origin; adaptive limit)\n',
);
const header = [
  'delay',
  'web-push msg/s',
  'pushdeck h2 msg/s',
  'ratio',
  'peak in flight',
  'µs CPU/msg',
  'peak RSS',
  'pushdeck h1 msg/s',
  'ratio',
  'peak in flight',
  'connections',
  'peak RSS',
];
const widths = header.map((h) => Math.max(h.length, 8));
console.log(header.map((h, i) => cell(h, widths[i]!)).join('  '));
for (const delay of DELAYS) {
  const flags = ['--delay', String(delay), '--max-streams', '100'];
  const wp = await measure('webpush', flags, true);
  const h2 = await measure('pushdeck', flags, true);
  const h1 = await measure('pushdeck', flags, false);
  for (const [name, m] of [
    ['web-push', wp],
    ['pushdeck h2', h2],
    ['pushdeck h1', h1],
  ] as const) {
    if (m.run.failed) console.log(`  ${name} at ${delay} ms: ${m.run.failed} not delivered`);
  }
  const row = [
    `${delay} ms`,
    rate(wp.run).toFixed(0),
    rate(h2.run).toFixed(0),
    `${(rate(h2.run) / rate(wp.run)).toFixed(2)}×`,
    String(h2.service.maxConcurrent),
    (h2.run.cpuMicros / MESSAGES).toFixed(0),
    mb(h2.run.maxRssBytes),
    rate(h1.run).toFixed(0),
    `${(rate(h1.run) / rate(wp.run)).toFixed(2)}×`,
    String(h1.service.maxConcurrent),
    String(h1.service.connections),
    mb(h1.run.maxRssBytes),
  ];
  console.log(row.map((c, i) => cell(c, widths[i]!)).join('  '));
}

// RFC 6585 §4: 429 with Retry-After; the service refuses whatever goes beyond 200 open requests.
const throttle = await measure(
  'pushdeck',
  ['--delay', '80', '--max-streams', '100', '--throttle-above', '200', '--retry-after', '2'],
  true,
);
const t = throttle.run;
console.log(
  `\n429 Retry-After: 2 above 200 in flight (80 ms, HTTP/2): ${t.delivered}/${MESSAGES} delivered in ${t.seconds.toFixed(1)} s ` +
    `(${rate(t).toFixed(0)} msg/s), ${throttle.service.throttled} answers were 429, limit at the end ${t.finalLimit}, ` +
    `most in flight in the second half ${t.lateInFlight} (peak ${throttle.service.maxConcurrent} as seen by the service)`,
);
