// Lanes of query threads (query-worker.ts): each lane a few threads, each thread one question at a time.
// The questions a lane has not started yet wait here in main, where a newer search takes the place of the
// ones it makes pointless (search as you type queues one scan, not six), and a free thread takes the next.
// A search a thread is already answering when a newer one comes stops at its next checkpoint (a thousand
// rows or so: db/checkpoint.ts), so the last keystroke's search never waits behind an earlier one.
import { Worker } from 'node:worker_threads';
import type { ChannelName, EventPayload } from '../../shared/contract.ts';
import { PushdeckError } from '../../shared/errors.ts';
import type { CoreContext } from './context.ts';
import { fileTokensIn } from './file-tokens.ts';
import type {
  QueryThreadClose,
  QueryThreadFileGrant,
  QueryThreadMessage,
  QueryThreadRequest,
} from './query-thread.ts';
import type { QueryWorkerData } from './query-worker.ts';
import { isLightRead } from './subscriptions/list-query.ts';
import { anchorHolder } from './subscriptions/page-anchors.ts';
import { workerUrl } from './workers.ts';

export interface Lane {
  call(channel: ChannelName, input: unknown): Promise<unknown>;
  /** Questions waiting for a thread (for tests and benchmarks). */
  readonly waiting: number;
  /** Questions a thread stopped part way because a newer search replaced them (for tests and benchmarks). */
  readonly stopped: number;
  /** Threads running now (for tests). */
  readonly started: number;
  /** Threads that closing had to terminate, as they did not end themselves in time (for tests). */
  readonly terminated: number;
  /** Light reads main answered itself while no thread was ready and free (for tests and benchmarks). */
  readonly answeredInPlace: number;
  /** Settles once each of its threads takes questions (its connection open), or stopped. */
  readonly ready: Promise<void>;
  /** Settles once each of its threads has done its work ahead (query-worker.ts), or stopped. */
  readonly warm: Promise<void>;
  close(): Promise<void>;
}

/** Questions that a newer one of the same kind replaces while they wait: the same list, another search. */
export interface Supersession {
  kind: string;
  text: string;
}

const searchText = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The kind and search text of a question that a newer search replaces: a page or count of the list
 * (whatever its page number) or a one-off search, with another non-empty search text and all else equal.
 * An empty text never replaces nor is replaced: the window asks the whole list's count beside a search's.
 */
export function supersession(channel: ChannelName, input: unknown): Supersession | null {
  if (typeof input !== 'object' || input === null) return null;
  if (channel === 'subscriptions.page' || channel === 'subscriptions.count') {
    // A count up to a cap and the exact count of the same list are one kind: a newer text replaces both.
    const {
      filter,
      page: _page,
      upTo: _upTo,
      ...rest
    } = input as { filter?: { search?: unknown }; page?: unknown; upTo?: unknown };
    const { search, ...others } = filter ?? {};
    const text = searchText(search);
    return text ? { kind: JSON.stringify([channel, rest, others]), text } : null;
  }
  if (channel === 'compose.search') {
    const { query, ...rest } = input as { query?: unknown };
    const text = searchText(query);
    return text ? { kind: JSON.stringify([channel, rest]), text } : null;
  }
  return null;
}

/** Which list a page belongs to: a thread that served it keeps its page anchors, so it gets the next. */
function listOf(channel: ChannelName, input: unknown): string | null {
  if (channel !== 'subscriptions.page' || typeof input !== 'object' || input === null) return null;
  const { page: _page, ...list } = input as { page?: unknown };
  return JSON.stringify(list);
}

interface Job {
  id: number;
  /** Answered, or replaced by a newer search: what the thread says of it later is dropped. */
  settled: boolean;
  channel: ChannelName;
  input: unknown;
  supersession: Supersession | null;
  list: string | null;
  /** performance.now() when it was asked. */
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  slot: number;
  /** Where main writes the id of the job it replaced while this thread answers it (query-worker.ts). */
  superseded: Int32Array;
  job: Job | null;
  /** The list of the last page it served. */
  list: string | null;
  /** Failed or stopping: takes nothing more. */
  done: boolean;
  /** Told it has done its work ahead, or stopped before. */
  warm: boolean;
  /** Its connection is open: it takes a question now instead of after loading its modules. */
  ready: boolean;
  /** Settles once it is ready or has ended. */
  loaded: Promise<void>;
  /** Settles once it has ended. */
  ended: Promise<void>;
}

/** Written where a thread reads which question was replaced: the app closes, every statement stops. */
export const THREAD_CLOSING = -2;
/** How long closing waits for a thread to load (to take questions) and then to end itself. */
const LOAD_WAIT_MS = 5_000;
const CLOSE_WAIT_MS = 2_000;

/** How long a deep page of the whole list waits for the thread holding its anchors while that one is busy. */
const HOLDER_WAIT_MS = 50;

export interface LaneOptions {
  /** Its threads build the composer's audience index of every app as they start (query-worker.ts). */
  warmAudienceIndex?: boolean;
  /** Its threads build the list's page anchors ahead between requests (page-anchors.ts). */
  buildAnchorsAhead?: boolean;
  /**
   * Its threads start once this settles, or at its first question if that comes first; else at once.
   * Loading a thread's modules and its work ahead take CPU that the window's first reads need.
   */
  startAfter?: Promise<unknown>;
  /**
   * Answers a light read (list-query.ts isLightRead) in main when none of its threads is ready and free:
   * a millisecond on the main loop instead of waiting for a thread to load or to end a long question.
   */
  inPlace?: (channel: ChannelName, input: unknown) => unknown;
  /**
   * Main's count of the window's reads in flight, shared with the lane's threads, whose work ahead waits
   * while it is above zero (work-ahead.ts); `countsIn`: this lane's questions are counted there.
   */
  reads?: { inFlight: Int32Array; countsIn: boolean };
  /** How long its threads' connections wait for another writer's lock (SQLite's busy_timeout); else 5 s. */
  busyTimeoutMs?: number;
}

export function startLane(ctx: CoreContext, size: number, options: LaneOptions = {}): Lane {
  const queue: Job[] = [];
  const slots: Array<Thread | null> = Array.from({ length: size }, () => null);
  const stopping = new WeakSet<Worker>();
  let nextId = 0;
  let stopped = 0;
  let answeredInPlace = 0;
  let terminated = 0;
  let closed = false;
  /** A pump again once a deep page has waited long enough for its holder (pump). */
  let retry: NodeJS.Timeout | null = null;
  // Each of the first threads tells once; a thread started again later does not hold it up.
  let cold = size;
  let loading = size;
  let warmed!: () => void;
  let readied!: () => void;
  const warm = new Promise<void>((resolve) => (warmed = resolve));
  const ready = new Promise<void>((resolve) => (readied = resolve));
  const markWarm = (thread: Thread) => {
    if (thread.warm) return;
    thread.warm = true;
    if (--cold <= 0) warmed();
  };
  const markReady = (thread: Thread) => {
    if (thread.ready) return;
    thread.ready = true;
    if (--loading <= 0) readied();
  };

  const counted = options.reads?.countsIn ? options.reads.inFlight : null;
  const settle = (thread: Thread, error: Error | null, message?: QueryThreadMessage) => {
    const job = thread.job;
    thread.job = null;
    if (!job) return;
    if (counted) Atomics.sub(counted, 0, 1);
    if (
      message?.type === 'result' &&
      !message.envelope.ok &&
      message.envelope.error.code === 'QUERY_SUPERSEDED'
    ) {
      stopped++;
    }
    if (job.settled) return;
    job.settled = true;
    if (error) job.reject(error);
    else if (message?.type === 'result') {
      const { envelope } = message;
      if (envelope.ok) job.resolve(envelope.result);
      else job.reject(new PushdeckError(envelope.error.code, envelope.error.message));
    }
  };

  const start = (slot: number): Thread => {
    const superseded = new Int32Array(new SharedArrayBuffer(4));
    superseded[0] = -1;
    const worker = new Worker(workerUrl(import.meta.url, 'query-worker'), {
      workerData: {
        dbPath: ctx.dbPath,
        runtime: ctx.runtime,
        warmAudienceIndex: options.warmAudienceIndex ?? false,
        anchorsAhead: options.buildAnchorsAhead ? { slot, threads: size } : null,
        superseded,
        readsInFlight: options.reads?.inFlight ?? null,
        busyTimeoutMs: options.busyTimeoutMs ?? null,
      } satisfies QueryWorkerData,
      // A thread's answers are small and short-lived: a young generation of 4 MB instead of V8's default
      // left 8-14 MB less of each of the four threads' heaps resident at 1M (the process 417 -> 372 MB
      // before an export, probe), and the list's reads took the same CPU.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    let isLoaded!: () => void;
    let isEnded!: () => void;
    const loaded = new Promise<void>((resolve) => (isLoaded = resolve));
    const ended = new Promise<void>((resolve) => (isEnded = resolve));
    const thread: Thread = {
      worker,
      slot,
      superseded,
      job: null,
      list: null,
      done: false,
      warm: false,
      ready: false,
      loaded,
      ended,
    };
    worker.on('message', (message: QueryThreadMessage) => {
      if (message.type === 'warm') {
        markWarm(thread);
        return;
      }
      if (message.type === 'ready') {
        markReady(thread);
        isLoaded();
        return;
      }
      if (message.type === 'event') {
        ctx.events.emit(message.event, message.payload as EventPayload<typeof message.event>);
        return;
      }
      if (thread.job?.id !== message.id) return;
      settle(thread, null, message);
      pump();
    });
    worker.on('error', (error) => {
      thread.done = true;
      settle(thread, new Error(`The query thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      isLoaded();
      isEnded();
      thread.done = true;
      markReady(thread);
      markWarm(thread);
      if (slots[slot] === thread) slots[slot] = null;
      settle(
        thread,
        stopping.has(worker)
          ? // The app quits: questions still open are not errors worth a log line.
            new PushdeckError('APP_CLOSING', 'Pushdeck is closing.')
          : new Error(`The query thread stopped (exit code ${code}).`),
      );
      // Started again for the next question: one failed thread does not end the window's queries.
      pump();
    });
    slots[slot] = thread;
    return thread;
  };

  const send = (thread: Thread, job: Job) => {
    if (counted) Atomics.add(counted, 0, 1);
    thread.job = job;
    if (job.list !== null) thread.list = job.list;
    // Tokens stay main's: the thread learns only those of this request, and only if main knows them.
    for (const token of fileTokensIn(job.input)) {
      const grant = ctx.files.lookup(token);
      if (grant) thread.worker.postMessage({ type: 'file', token, grant } satisfies QueryThreadFileGrant);
    }
    thread.worker.postMessage({
      id: job.id,
      channel: job.channel,
      input: job.input,
    } satisfies QueryThreadRequest);
  };

  function pump(): void {
    let retryInMs = Infinity;
    for (let i = 0; i < queue.length;) {
      const idle = slots.map((thread, slot) => thread ?? start(slot)).filter((t) => !t.job && !t.done);
      if (idle.length === 0) break;
      const job = queue[i]!;
      // A deep page of the whole list where its order's anchors were built ahead, else where its list was
      // served. Another thread walks the rows from the list's start to the page (60-200 ms at the middle of
      // 1M), so a deep page waits a moment for its holder (busy with a short read, usually) rather than that.
      const holder = options.buildAnchorsAhead ? anchorHolder(job.channel, job.input, size) : null;
      const thread = idle.find((t) => t.slot === holder);
      const waitedMs = performance.now() - job.queuedAt;
      if (!thread && holder !== null && !slots[holder]!.done && waitedMs < HOLDER_WAIT_MS) {
        retryInMs = Math.min(retryInMs, HOLDER_WAIT_MS - waitedMs);
        i++;
        continue;
      }
      queue.splice(i, 1);
      send(thread ?? idle.find((t) => job.list !== null && t.list === job.list) ?? idle[0]!, job);
    }
    if (retryInMs < Infinity && !retry) {
      retry = setTimeout(() => {
        retry = null;
        pump();
      }, retryInMs);
    }
  }

  /**
   * Ends a thread as the app closes: once it has loaded, it is told to close its connection and end itself,
   * its statement under way stops at its next checkpoint and a bulk action after its chunk
   * (thread-closing.ts); terminated only if it does not end in time.
   * A thread terminated while loading the database's native addon aborted the whole process (a fresh
   * clone's CI: "FATAL ERROR: Error::New napi_get_last_error_info" in better-sqlite3's module
   * registration), as terminating one during a call into it can (WiseLibs/better-sqlite3#1507).
   */
  const endThread = async (thread: Thread) => {
    const within = (promise: Promise<void>, ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        promise.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
      ]).finally(() => clearTimeout(timer));
    };
    // Its question open now is answered as the app closing; what the thread says of it later is dropped.
    const open = thread.job;
    if (open && !open.settled) {
      open.settled = true;
      open.reject(new PushdeckError('APP_CLOSING', 'Pushdeck is closing.'));
    }
    await within(thread.loaded, LOAD_WAIT_MS);
    Atomics.store(thread.superseded, 0, THREAD_CLOSING);
    thread.worker.postMessage({ type: 'close' } satisfies QueryThreadClose);
    if (await within(thread.ended, CLOSE_WAIT_MS)) return;
    terminated++;
    await thread.worker.terminate();
  };

  const replaced = (job: Job, by: Supersession) => {
    const other = job.supersession;
    return !job.settled && other?.kind === by.kind && other.text !== by.text;
  };
  const supersede = (job: Job, by: Supersession) => {
    job.settled = true;
    job.reject(new PushdeckError('QUERY_SUPERSEDED', `A newer search (“${by.text}”) replaced this one.`));
  };

  const call = (channel: ChannelName, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const free = slots.some((thread) => thread?.ready && !thread.done && !thread.job);
      if (options.inPlace && !free && isLightRead(channel, input)) {
        answeredInPlace++;
        resolve(options.inPlace(channel, input));
        return;
      }
      const job: Job = {
        id: nextId++,
        settled: false,
        channel,
        input,
        supersession: supersession(channel, input),
        list: listOf(channel, input),
        queuedAt: performance.now(),
        resolve,
        reject,
      };
      const mine = job.supersession;
      if (mine) {
        for (let i = queue.length - 1; i >= 0; i--) {
          if (replaced(queue[i]!, mine)) supersede(queue.splice(i, 1)[0]!, mine);
        }
        // Answered already: told now, and the thread stops at its next checkpoint, then takes the next.
        for (const thread of slots) {
          if (thread?.job && replaced(thread.job, mine)) {
            Atomics.store(thread.superseded, 0, thread.job.id);
            supersede(thread.job, mine);
          }
        }
      }
      queue.push(job);
      pump();
    });

  // Started ahead rather than at the window's first question: loading a thread's modules takes a moment,
  // which the window's first page would otherwise wait for.
  const startAll = () => {
    if (!closed) slots.forEach((thread, slot) => thread ?? start(slot));
  };
  if (options.startAfter) void options.startAfter.then(startAll, startAll);
  else startAll();

  return {
    call,
    get waiting() {
      return queue.length;
    },
    get stopped() {
      return stopped;
    },
    get answeredInPlace() {
      return answeredInPlace;
    },
    get started() {
      return slots.filter((thread) => thread !== null).length;
    },
    get terminated() {
      return terminated;
    },
    ready,
    warm,
    async close() {
      closed = true;
      readied();
      warmed();
      if (retry) clearTimeout(retry);
      for (const job of queue.splice(0)) job.reject(new PushdeckError('APP_CLOSING', 'Pushdeck is closing.'));
      const running = slots.filter((thread): thread is Thread => thread !== null);
      slots.fill(null);
      for (const thread of running) {
        thread.done = true;
        stopping.add(thread.worker);
      }
      await Promise.all(running.map(endThread));
    },
  };
}
