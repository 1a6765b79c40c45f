// The main-process side of the query threads (query-worker.ts): the channels they answer, on two lanes (the
// bulk actions on a thread of their own, everything else on the other), and their change events passed on
// to the main process's event sink. The desktop app and the end-to-end harness use it;
// the CLI and unit tests call the same handlers in place.
import { Worker } from 'node:worker_threads';
import type { ChannelName, EventName, EventPayload, Handlers } from '../../shared/contract.ts';
import { composeChannels } from '../../shared/compose.ts';
import { PushdeckError, type Envelope } from '../../shared/errors.ts';
import type { CoreContext } from './context.ts';
import { fileTokensIn, type FileGrant } from './file-tokens.ts';
import type { QueryWorkerData } from './query-worker.ts';
import { workerUrl } from './workers.ts';

/**
 * What the thread answers: every composer channel (its drafts, templates and segments too, so that their
 * writes stay the thread's own and keep its audience index), the subscription list's reads, its bulk
 * actions (tag, delete, restore, empty the trash: seconds over a whole filter of a million), and the
 * campaigns' reads (a first look at a million-delivery journal counts it). Imports and sends keep
 * their own workers, started from main; the thread sees their rows through SQLite's data_version.
 */
export const threadedChannels: readonly ChannelName[] = [
  ...(Object.keys(composeChannels) as ChannelName[]),
  'subscriptions.page',
  'subscriptions.count',
  'subscriptions.facets',
  'subscriptions.detail',
  'subscriptions.tag',
  'subscriptions.delete',
  'subscriptions.restore',
  'subscriptions.trash.empty',
  'campaigns.list',
  'campaigns.get',
  'campaigns.deliveries',
];

export interface QueryThreadRequest {
  id: number;
  channel: ChannelName;
  input: unknown;
}

/** A file token main resolved for a request to the thread (an export's file), sent just before it. */
export interface QueryThreadFileGrant {
  type: 'file';
  token: string;
  grant: FileGrant;
}

export type QueryThreadMessage =
  | { type: 'event'; event: EventName; payload: unknown }
  /** What dispatch answered there; its errors (INTERNAL included, logged there) come back as thrown here. */
  | { type: 'result'; id: number; envelope: Envelope<unknown> };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The thread asked: when it ends, only its own questions fail. */
  thread: Worker;
}

export interface QueryThread {
  handlers: Partial<Handlers>;
  close(): Promise<void>;
}

interface Lane {
  call(channel: ChannelName, input: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** One thread and its open questions. */
function startLane(ctx: CoreContext): Lane {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | null = null;

  // Threads stopped on purpose (close): their exit fails the open questions quietly.
  const closed = new WeakSet<Worker>();
  const failAll = (of: Worker, error: Error) => {
    for (const [id, entry] of pending) {
      if (entry.thread !== of) continue;
      pending.delete(id);
      entry.reject(error);
    }
  };

  // Started at once, and again on the next question after a crash: one failed thread does not end the
  // window's queries.
  const thread = (): Worker => {
    if (worker) return worker;
    const started = new Worker(workerUrl(import.meta.url, 'query-worker'), {
      workerData: { dbPath: ctx.dbPath, runtime: ctx.runtime } satisfies QueryWorkerData,
    });
    started.unref();
    started.on('message', (message: QueryThreadMessage) => {
      if (message.type === 'event') {
        ctx.events.emit(message.event, message.payload as EventPayload<typeof message.event>);
        return;
      }
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      const { envelope } = message;
      if (envelope.ok) entry.resolve(envelope.result);
      else entry.reject(new PushdeckError(envelope.error.code, envelope.error.message));
    });
    started.on('error', (error) => failAll(started, new Error(`The query thread failed: ${error.message}`)));
    started.on('exit', (code) => {
      if (worker === started) worker = null;
      failAll(
        started,
        closed.has(started)
          ? // The app quits: questions still open are not errors worth a log line.
            new PushdeckError('APP_CLOSING', 'Pushdeck is closing.')
          : new Error(`The query thread stopped (exit code ${code}).`),
      );
    });
    worker = started;
    return started;
  };

  const call = (channel: ChannelName, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const target = thread();
      pending.set(id, { resolve, reject, thread: target });
      // Tokens stay main's: the thread learns only those of this request, and only if main knows them.
      for (const token of fileTokensIn(input)) {
        const grant = ctx.files.lookup(token);
        if (grant) target.postMessage({ type: 'file', token, grant } satisfies QueryThreadFileGrant);
      }
      target.postMessage({ id, channel, input } satisfies QueryThreadRequest);
    });

  // Started now rather than at the window's first question: loading the thread's modules takes a moment,
  // which the window's first page would otherwise wait for.
  thread();

  return {
    call,
    async close() {
      const running = worker;
      worker = null;
      if (!running) return;
      closed.add(running);
      await running.terminate();
    },
  };
}

/**
 * The bulk actions' own lane: a delete or tag over a million subscriptions takes seconds, and the window's
 * reads (pages, counts, the composer's previews) go on meanwhile on the other thread instead of waiting
 * behind it. Both threads read and write the same file; SQLite's data_version tells each of the other's writes.
 */
const bulkChannels: ReadonlySet<ChannelName> = new Set([
  'subscriptions.tag',
  'subscriptions.delete',
  'subscriptions.restore',
  'subscriptions.trash.empty',
]);

export function startQueryThread(ctx: CoreContext): QueryThread {
  const reads = startLane(ctx);
  const bulk = startLane(ctx);
  return {
    handlers: Object.fromEntries(
      threadedChannels.map((name) => [
        name,
        (input: unknown) => (bulkChannels.has(name) ? bulk : reads).call(name, input),
      ]),
    ) as Partial<Handlers>,
    async close() {
      await Promise.all([reads.close(), bulk.close()]);
    },
  };
}
