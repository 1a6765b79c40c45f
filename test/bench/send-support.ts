// Shared pieces of the send benchmarks: the local push service in a separate process (https, answering 201
// without decrypting), a Pushdeck database filled with its subscriptions, and CPU/RSS measurement.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import webpush from 'web-push';
import { createApp } from '../../src/main/core/apps/apps.ts';
import { generateVapidKeyPair } from '../../src/main/core/keys/vapid-keys.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';

export interface ServiceProcess {
  origin: string;
  ca: string;
  /** The CA certificate's file, for another process. */
  caFile: string;
  child: ChildProcess;
  /** The service process's CPU time so far in µs (Linux /proc), or null where it cannot be read. */
  cpuMicros(): number | null;
  stop(): void;
}

/** utime + stime of a process from /proc/PID/stat, in µs (clock ticks are 100 Hz on Linux). */
function processCpuMicros(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

/** `extra`: more flags of push-service/main.ts (--delay MS, --max-streams N, --throttle-above N…). */
export async function startServiceProcess(http2 = false, extra: string[] = []): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [
      path.resolve('test/support/push-service/main.ts'),
      '--https',
      '--accept-all',
      ...(http2 ? ['--http2'] : []),
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`push service exited with ${code}`)));
  });
  const { origin, caFile } = JSON.parse(line) as { origin: string; caFile: string };
  return {
    origin,
    ca: fs.readFileSync(caFile, 'utf8'),
    caFile,
    child,
    cpuMicros: () => processCpuMicros(child.pid),
    stop: () => child.kill('SIGTERM'),
  };
}

/** One user-agent key pair shared by every fake subscriber: the sender still encrypts each message afresh. */
export function userAgentKeys(): { p256dh: string; auth: string } {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey('base64url'), auth: crypto.randomBytes(16).toString('base64url') };
}

/**
 * web-push's own sendNotification loop: `messages` pushes to the service, `concurrency` at a time, through
 * https.globalAgent (which must trust the service). Returns how many failed.
 */
export async function webPushLoop(
  origin: string,
  messages: number,
  concurrency: number,
  payload: string,
): Promise<number> {
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
    while (next < messages) {
      const i = next++;
      try {
        await webpush.sendNotification({ endpoint: `${origin}/push/wp-${i}`, keys }, payload, options);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

/** A database in a fresh temporary folder (named pushdeck-bench-NAME…), keys sealed with a passphrase. */
export function benchContext(name = ''): { ctx: CoreContext; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pushdeck-bench-${name}`));
  const ctx = openContext({
    dbPath: path.join(dir, 'bench.db'),
    runtime: { pushdeckVersion: 'bench', electronVersion: null },
    keySealer: passphraseSealer('bench'),
  });
  return { ctx, dir };
}

export function createBenchApp(ctx: CoreContext) {
  return createApp(ctx, { name: 'bench.example', subject: 'mailto:bench@example.com' });
}

/** Inserts `count` subscriptions of the service, in transactions of 50,000 (streamed, never all in memory). */
export function insertBenchSubscriptions(
  ctx: CoreContext,
  appId: number,
  origin: string,
  count: number,
): void {
  const keys = userAgentKeys();
  const now = Date.now();
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'other', ?, ?)`,
  );
  const batch = ctx.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      insert.run(appId, `${origin}/push/bench-${i}-${'x'.repeat(100)}`, i, keys.p256dh, keys.auth, now, now);
    }
  });
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
}

export interface Measured {
  seconds: number;
  cpuMicros: number;
  /** CPU the push service spent meanwhile (it shares this machine's cores), when readable. */
  serviceCpuMicros: number | null;
}

export async function measure(run: () => Promise<unknown>, service?: ServiceProcess): Promise<Measured> {
  const serviceBefore = service?.cpuMicros() ?? null;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  const serviceAfter = service?.cpuMicros() ?? null;
  return {
    seconds: (performance.now() - started) / 1000,
    cpuMicros: used.user + used.system,
    serviceCpuMicros: serviceBefore !== null && serviceAfter !== null ? serviceAfter - serviceBefore : null,
  };
}

export function report(name: string, messages: number, m: Measured): { rate: number; cpuPerMessage: number } {
  const rate = messages / m.seconds;
  const cpuPerMessage = m.cpuMicros / messages;
  const service =
    m.serviceCpuMicros === null ? '' : `  (service ${(m.serviceCpuMicros / messages).toFixed(0)} µs/msg)`;
  console.log(
    `${name.padEnd(34)} ${messages} msgs  ${m.seconds.toFixed(2).padStart(7)} s  ${rate.toFixed(0).padStart(6)} msg/s  ${cpuPerMessage.toFixed(0).padStart(5)} µs CPU/msg${service}`,
  );
  return { rate, cpuPerMessage };
}
