// The main-process side of the composer's thread (compose-worker.ts): the compose, template and segment
// channels answered there, the thread's change events passed on to the main process's event sink. The
// desktop app and the end-to-end harness use it; the CLI and unit tests call the same handlers in place.
import { Worker } from 'node:worker_threads';
import type { ChannelName, EventName, EventPayload, HandlersOf } from '../../../shared/contract.ts';
import { composeChannels } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';
import { workerUrl } from '../workers.ts';
import type { ComposeWorkerData } from './compose-worker.ts';

export interface ComposeThreadRequest {
  id: number;
  channel: ChannelName;
  input: unknown;
}

export type ComposeThreadMessage =
  | { type: 'event'; event: EventName; payload: unknown }
  | {
      type: 'result';
      id: number;
      ok: boolean;
      result?: unknown;
      /** code null: an unexpected error (message holds its stack), reported as INTERNAL by dispatch. */
      error?: { code: string | null; message: string };
    };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface ComposeThread {
  handlers: HandlersOf<typeof composeChannels>;
  close(): Promise<void>;
}

export function startComposeThread(ctx: CoreContext): ComposeThread {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | null = null;

  const failAll = (message: string) => {
    for (const entry of pending.values()) entry.reject(new Error(message));
    pending.clear();
  };

  // Started on first use, and again after a crash: one failed thread does not end the composer.
  const thread = (): Worker => {
    if (worker) return worker;
    const started = new Worker(workerUrl(import.meta.url, 'compose-worker'), {
      workerData: { dbPath: ctx.dbPath, runtime: ctx.runtime } satisfies ComposeWorkerData,
    });
    started.unref();
    started.on('message', (message: ComposeThreadMessage) => {
      if (message.type === 'event') {
        ctx.events.emit(message.event, message.payload as EventPayload<typeof message.event>);
        return;
      }
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else if (message.error?.code)
        entry.reject(new PushdeckError(message.error.code, message.error.message));
      else entry.reject(new Error(message.error?.message ?? 'The compose thread failed.'));
    });
    started.on('error', (error) => failAll(`The compose thread failed: ${error.message}`));
    started.on('exit', (code) => {
      if (worker === started) worker = null;
      failAll(`The compose thread stopped (exit code ${code}).`);
    });
    worker = started;
    return started;
  };

  const call = (channel: ChannelName, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      thread().postMessage({ id, channel, input } satisfies ComposeThreadRequest);
    });

  const handlers = Object.fromEntries(
    (Object.keys(composeChannels) as ChannelName[]).map((name) => [
      name,
      (input: unknown) => call(name, input),
    ]),
  ) as unknown as HandlersOf<typeof composeChannels>;

  return {
    handlers,
    async close() {
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
