// Starts imports in a worker thread, forwards their progress as events, and cancels them on request.
// The caller (IPC handler or CLI) awaits the summary; the list changes batch by batch meanwhile.
import { Worker } from 'node:worker_threads';
import { PushdeckError } from '../../../../shared/errors.ts';
import type {
  ImportPreview,
  ImportRequest,
  ImportSummary,
  ImportSource,
  ImportFormat,
} from '../../../../shared/subscriptions.ts';
import { getApp } from '../../apps/apps.ts';
import type { CoreContext } from '../../context.ts';
import { workerUrl } from '../../workers.ts';
import { csvRecords } from './csv-records.ts';
import { resolveColumns } from './columns.ts';
import { detectFormat, openSource } from './source.ts';
import type { ImportWorkerData, ImportWorkerMessage } from './import-worker.ts';
import { ensureSubscriptionIndexes } from './writer.ts';

const running = new Map<string, Int32Array>();

export type ProgressListener = (
  progress: Extract<ImportWorkerMessage, { type: 'progress' }>['progress'],
) => void;

export function importSubscriptions(
  ctx: CoreContext,
  request: Omit<ImportRequest, 'importId'> & { importId?: string },
  onProgress?: ProgressListener,
  options: { readThreadFromBytes?: number } = {},
): Promise<ImportSummary> {
  const app = getApp(ctx, request.appId);
  ensureSubscriptionIndexes(ctx.db);
  const importId = request.importId ?? `import-${Date.now()}`;
  if (running.has(importId)) {
    throw new PushdeckError('IMPORT_RUNNING', 'This import is already running.');
  }
  const cancelFlag = new SharedArrayBuffer(4);
  const workerData: ImportWorkerData = {
    dbPath: ctx.dbPath,
    cancelFlag,
    readThreadFromBytes: options.readThreadFromBytes,
    job: {
      appId: app.id,
      keyId: app.keyId,
      source: request.source,
      format: request.format,
      tags: request.tags,
      mapping: request.mapping,
      rejectsPath: request.rejectsPath,
    },
  };
  running.set(importId, new Int32Array(cancelFlag));
  const worker = new Worker(workerUrl(import.meta.url, 'import-worker'), {
    workerData,
    // Batches are short-lived: a 16 MB young generation keeps a million-row import within ~400 MB.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  let lastEvent = 0;
  return new Promise<ImportSummary>((resolve, reject) => {
    let settled = false;
    const settle = (run: () => void) => {
      if (settled) return;
      settled = true;
      running.delete(importId);
      ctx.events.emit('data.changed', { scopes: ['subscriptions'] });
      run();
    };
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') {
        onProgress?.(message.progress);
        const at = Date.now();
        if (at - lastEvent >= 100) {
          lastEvent = at;
          ctx.events.emit('subscriptions.import.progress', { importId, ...message.progress });
        }
      } else if (message.type === 'done') {
        settle(() => resolve(message.summary));
      } else {
        settle(() => reject(new PushdeckError(message.code, message.message)));
      }
    });
    worker.on('error', (error) =>
      settle(() => reject(new PushdeckError('IMPORT_FAILED', `The import stopped: ${error.message}`))),
    );
    worker.on('exit', (code) =>
      settle(() =>
        reject(new PushdeckError('IMPORT_FAILED', `The import stopped unexpectedly (exit code ${code}).`)),
      ),
    );
  });
}

export function cancelImport(importId: string): boolean {
  const flag = running.get(importId);
  if (!flag) return false;
  Atomics.store(flag, 0, 1);
  return true;
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** The format and, for CSV, the columns and where they would go, from the first 64 KB. */
export async function previewImport(source: ImportSource, format?: ImportFormat): Promise<ImportPreview> {
  const opened = openSource(source);
  const detected = format ?? detectFormat(opened.head, opened.fileName);
  if (detected !== 'csv') return { format: detected, columns: [], missing: [], sample: [] };
  const lastNewline = opened.head.lastIndexOf('\n');
  const head =
    opened.totalBytes > opened.head.length && lastNewline > 0
      ? opened.head.slice(0, lastNewline)
      : opened.head;
  const rows: string[][] = [];
  for await (const record of csvRecords(once(head))) {
    if ('cells' in record) rows.push(record.cells);
    if (rows.length > 6) break;
  }
  const header = (rows[0] ?? []).map((cell) => cell.trim());
  const { targets, missing } = resolveColumns(header, undefined);
  return {
    format: 'csv',
    columns: header.map((name, i) => ({ name, target: targets[i]! })),
    missing,
    sample: rows.slice(1, 6),
  };
}
