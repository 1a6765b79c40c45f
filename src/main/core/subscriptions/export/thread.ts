// Starts a list export on its own thread (export-worker.ts): the desktop app's save-dialog flow, with its
// progress as `subscriptions.export.progress` events and a cancel by its name (`subscriptions.export.cancel`).
import { Worker } from 'node:worker_threads';
import { PushdeckError } from '../../../../shared/errors.ts';
import type { ImportFormat, SubscriptionFilter } from '../../../../shared/subscriptions.ts';
import type { CoreContext } from '../../context.ts';
import { workerUrl } from '../../workers.ts';
import type { ExportOutcome } from './list.ts';
import type { ExportWorkerData, ExportWorkerMessage } from './export-worker.ts';

export interface ExportRequest {
  appId: number;
  filter: SubscriptionFilter;
  format: ImportFormat;
  file: string;
  /** Names the export, for its progress events and a cancel. */
  exportId?: string;
}

const running = new Map<string, () => void>();
const runKey = (ctx: CoreContext, exportId: string) => `${ctx.dbPath}#${exportId}`;

/** Writes the list to `request.file` on the export thread; resolves when the file is complete (or stopped). */
export function exportOnThread(ctx: CoreContext, request: ExportRequest): Promise<ExportOutcome> {
  const { exportId } = request;
  if (exportId !== undefined && running.has(runKey(ctx, exportId))) {
    throw new PushdeckError('EXPORT_RUNNING', `An export named ${exportId} is already running.`);
  }
  const cancel = new SharedArrayBuffer(4);
  const worker = new Worker(workerUrl(import.meta.url, 'export-worker'), {
    workerData: {
      dbPath: ctx.dbPath,
      appId: request.appId,
      filter: request.filter,
      format: request.format,
      file: request.file,
      cancel,
    } satisfies ExportWorkerData,
    // Flat memory whatever the list's size: the thread holds one chunk of rows and a megabyte of text. A
    // young generation of 32 MB, not 8: every row's text dies young, and at 8 MB the thread spent 2.46 s of its
    // 9.06 s of CPU for a million rows collecting it, at 32 MB 0.87 of 7.38 (--cpu-prof in bench:ui, export
    // only): 1.6 s less of a core taken from the window and the main loop.
    resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 48 },
  });
  if (exportId !== undefined)
    running.set(runKey(ctx, exportId), () => Atomics.store(new Int32Array(cancel), 0, 1));
  return new Promise<ExportOutcome>((resolve, reject) => {
    worker.on('message', (msg: ExportWorkerMessage) => {
      if (msg.type === 'progress') {
        ctx.events.emit('subscriptions.export.progress', {
          exportId: exportId ?? null,
          appId: request.appId,
          done: msg.done,
          total: msg.total,
        });
        return;
      }
      if (msg.type === 'done') resolve(msg.outcome);
      else reject(msg.code ? new PushdeckError(msg.code, msg.message) : new Error(msg.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`The export thread stopped (exit code ${code}).`)));
  }).finally(() => {
    if (exportId !== undefined) running.delete(runKey(ctx, exportId));
  });
}

/** Stops a running export by its name; false when none runs under it. */
export function cancelExport(ctx: CoreContext, exportId: string): boolean {
  const stop = running.get(runKey(ctx, exportId));
  stop?.();
  return stop !== undefined;
}
