// The query thread: the composer's channels (audience counts, previews, payload measures, drafts, templates,
// segments), the subscription list's reads, bulk actions and export, and the campaigns' reads, on their own
// database connection (threadedChannels). A first count, a sorted page or a bulk delete over a million
// subscriptions takes from most of a second to several; here it does not hold up the main process, which
// keeps answering the window's other requests meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { PushdeckError } from '../../shared/errors.ts';
import type { RuntimeInfo } from './context.ts';
import { allowCheckpoints } from './db/checkpoint.ts';
import { THREAD_CACHE_KIB } from './db/database.ts';
import { serve } from './dispatch/dispatcher.ts';
import { warmAudienceIndexes } from './compose/audience-index.ts';
import { featureHandlers } from './dispatch/handler-table.ts';
import { lockedSealer } from './keys/sealer.ts';
import { openContext } from './open-context.ts';
import { closingWhen } from './thread-closing.ts';
import { holdWorkAheadFor } from './work-ahead.ts';
import { THREAD_CLOSING } from './query-lanes.ts';
import type {
  QueryThreadClose,
  QueryThreadFileGrant,
  QueryThreadMessage,
  QueryThreadRequest,
} from './query-thread.ts';
import { threadedChannels } from './query-thread.ts';
import { buildAnchorsAhead, whenBuiltAhead } from './subscriptions/page-anchors.ts';

export interface QueryWorkerData {
  dbPath: string;
  runtime: RuntimeInfo;
  /** The composer's thread: build every app's audience index now, between the requests that come. */
  warmAudienceIndex: boolean;
  /** The list's reads: this thread's share of the page anchors built ahead (page-anchors.ts), or null. */
  anchorsAhead: { slot: number; threads: number } | null;
  /** Main writes here the id of a question a newer search replaced while this thread answers it. */
  superseded: Int32Array;
  /** Main's count of the window's reads in flight: the work ahead waits while it is above zero. */
  readsInFlight: Int32Array | null;
  /** SQLite's busy_timeout for this thread's connection, where not the default of database.ts. */
  busyTimeoutMs: number | null;
}

const data = workerData as QueryWorkerData;
const port = parentPort!;
const post = (message: QueryThreadMessage) => port.postMessage(message);
const ctx = openContext({
  dbPath: data.dbPath,
  mustExist: true,
  // Main checked the file when it opened it, before starting this thread.
  check: false,
  cacheKib: THREAD_CACHE_KIB,
  runtime: data.runtime,
  // Nothing answered here opens a private key.
  keySealer: lockedSealer(),
  events: { emit: (event, payload) => post({ type: 'event', event, payload }) },
});
// Only the threaded channels, without main's wrappers (main tells the window what they changed): a request
// for any other fails here (INTERNAL, logged) instead of running.
const all = featureHandlers(ctx);
// The question being answered (null between questions, when work ahead runs): a search's statement stops at
// its next checkpoint once main says a newer search replaced it (db/checkpoint.ts), and the thread is free
// for that newer one.
let answering: number | null = null;
/** Main is closing this thread (query-lanes.ts). */
const closing = () => Atomics.load(data.superseded, 0) === THREAD_CLOSING;
allowCheckpoints(ctx.db, () => {
  if (closing()) {
    throw new PushdeckError('APP_CLOSING', 'Pushdeck is closing.');
  }
  if (answering !== null && Atomics.load(data.superseded, 0) === answering) {
    throw new PushdeckError('QUERY_SUPERSEDED', 'A newer search replaced this one.');
  }
});
if (data.busyTimeoutMs !== null) ctx.db.pragma(`busy_timeout = ${Math.round(data.busyTimeoutMs)}`);
const handlers = Object.fromEntries(threadedChannels.map((name) => [name, all[name]]));
if (data.readsInFlight) holdWorkAheadFor(data.readsInFlight);
closingWhen(closing);
post({ type: 'ready' });
if (data.anchorsAhead) buildAnchorsAhead(ctx.db, data.anchorsAhead);

// A failure here costs only speed: the counts are answered from SQL until the index is built.
const warming = data.warmAudienceIndex ? warmAudienceIndexes(ctx).catch(() => undefined) : null;
void Promise.all([warming, whenBuiltAhead()]).then(() => post({ type: 'warm' }));

// Main validated the request at its door: the same error envelope and logging here, without a second check.
port.on('message', (request: QueryThreadRequest | QueryThreadFileGrant | QueryThreadClose) => {
  if ('type' in request && request.type === 'close') {
    // Between two statements (this thread runs one at a time): nothing of SQLite's is under way.
    ctx.db.close();
    process.exit(0);
  }
  if ('type' in request) {
    ctx.files.adopt(request.token, request.grant);
    return;
  }
  answering = request.id;
  void serve(handlers, request.channel, request.input).then((envelope) => {
    answering = null;
    post({ type: 'result', id: request.id, envelope });
  });
});
