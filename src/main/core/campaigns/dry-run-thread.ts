// Starts a dry run on its own thread (dry-run-worker.ts) from the main process or the CLI, passes its
// progress on as `campaigns.dryRun.progress` events, and cancels it on request (`campaigns.dryRun.cancel`).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DryRunReport } from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../apps/apps.ts';
import type { CoreContext } from '../context.ts';
import { workerUrl } from '../workers.ts';
import type { DryRunEncrypt } from './dry-run.ts';
import type { DryRunWorkerCommand, DryRunWorkerData, DryRunWorkerMessage } from './dry-run-worker.ts';

export interface DryRunRequest {
  appId: number;
  message: MessageSpec;
  audience: AudienceFilter;
  /** Names the run for its progress events and for a cancel. */
  runId?: string;
  encrypt?: DryRunEncrypt;
}

export interface DryRunHandle {
  done: Promise<DryRunReport>;
  /** Stops between chunks; `done` then gives the report so far, marked cancelled. */
  cancel(): void;
}

const running = new Map<string, DryRunHandle>();
const runKey = (ctx: CoreContext, runId: string) => `${ctx.dbPath}#${runId}`;

/** Encryption threads: one per core, up to four (the dry-run thread itself only reads and builds). */
function encryptionThreads(): number {
  const cores = os.availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores);
}

export function startDryRun(ctx: CoreContext, request: DryRunRequest): DryRunHandle {
  getApp(ctx, request.appId);
  const { runId } = request;
  if (runId !== undefined && running.has(runKey(ctx, runId))) {
    throw new PushdeckError('DRY_RUN_RUNNING', `A dry run named ${runId} is already running.`);
  }
  const worker = new Worker(workerUrl(import.meta.url, 'dry-run-worker'), {
    workerData: {
      dbPath: ctx.dbPath,
      appId: request.appId,
      message: request.message,
      audience: request.audience,
      encrypt: request.encrypt ?? 'sample',
      encryptionThreads: encryptionThreads(),
    } satisfies DryRunWorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
  });
  const done = new Promise<DryRunReport>((resolve, reject) => {
    worker.on('message', (msg: DryRunWorkerMessage) => {
      if (msg.type === 'progress') {
        ctx.events.emit('campaigns.dryRun.progress', { runId: runId ?? null, ...msg.progress });
      } else if (msg.type === 'done') resolve(msg.report);
      else reject(msg.code ? new PushdeckError(msg.code, msg.message) : new Error(msg.message));
      if (msg.type !== 'progress') void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`The dry-run thread stopped (exit code ${code}).`)));
  }).finally(() => {
    if (runId !== undefined) running.delete(runKey(ctx, runId));
  });
  const handle: DryRunHandle = {
    done,
    cancel: () => worker.postMessage({ type: 'cancel' } satisfies DryRunWorkerCommand),
  };
  if (runId !== undefined) running.set(runKey(ctx, runId), handle);
  return handle;
}

/** Cancels a running dry run by its name; false when none runs under it (it may have just ended). */
export function cancelDryRun(ctx: CoreContext, runId: string): boolean {
  const handle = running.get(runKey(ctx, runId));
  handle?.cancel();
  return handle !== undefined;
}
