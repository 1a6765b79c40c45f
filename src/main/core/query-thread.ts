// The main-process side of the query threads (query-worker.ts): the channels they answer, on three lanes
// (query-lanes.ts: the list's reads on two threads, the composer on one, the bulk actions on one), and
// their change events passed on to the main process's event sink. The desktop app and the end-to-end
// harness use it; the CLI and unit tests call the same handlers in place.
import { channelsOn, type ChannelName, type EventName, type Handlers } from '../../shared/contract.ts';
import { composeChannels } from '../../shared/compose.ts';
import type { Envelope } from '../../shared/errors.ts';
import type { CoreContext } from './context.ts';
import type { FileGrant } from './file-tokens.ts';
import { startLane, type Lane } from './query-lanes.ts';
import { subscriptionsHandlers } from './subscriptions/handlers.ts';

/**
 * What the thread answers, as the channels declare (`on: 'query'`): every composer channel (its drafts,
 * templates and segments too, written in order on the composer's thread),
 * the subscription list's reads, its bulk actions (tag, delete, restore, empty the trash: seconds over a
 * whole filter of a million), and the campaigns' reads (a first look at a million-delivery journal counts
 * it). Imports and sends keep their own workers, started from main; the thread sees their rows through
 * SQLite's data_version.
 */
export const threadedChannels: readonly ChannelName[] = channelsOn('query');

export interface QueryThreadRequest {
  id: number;
  channel: ChannelName;
  input: unknown;
}

/** A file token main resolved for a request to the thread (an import's file), sent just before it. */
export interface QueryThreadFileGrant {
  type: 'file';
  token: string;
  grant: FileGrant;
}

/** Main closing: the thread closes its connection and ends itself (query-lanes.ts close). */
export interface QueryThreadClose {
  type: 'close';
}

export type QueryThreadMessage =
  | { type: 'event'; event: EventName; payload: unknown }
  /** What dispatch answered there; its errors (INTERNAL included, logged there) come back as thrown here. */
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  /** The thread has opened its connection and takes questions, once. */
  | { type: 'ready' }
  /** The thread has done the work it does ahead as it starts (anchors, the audience index), once. */
  | { type: 'warm' };

export interface QueryThread {
  handlers: Partial<Handlers>;
  /** Its lanes (tests and benchmarks). */
  lanes: Readonly<Record<'reads' | 'compose' | 'bulk', Lane>>;
  close(): Promise<void>;
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
  'subscriptions.bulk.start',
]);

/**
 * The composer's lane, one thread: its drafts, templates and segments are written there, in order, and its
 * audience index stays warm there. Its quick reads go with the list's, so that they never wait behind a
 * preview of a million recipients.
 */
const composeLane: ReadonlySet<ChannelName> = new Set(
  (Object.keys(composeChannels) as ChannelName[]).filter(
    (name) => name !== 'compose.search' && name !== 'compose.tags',
  ),
);

/** Threads per lane: reads (pages, counts, searches, campaigns) on two, so one long read holds up none. */
const LANE_THREADS = { reads: 2, compose: 1, bulk: 1 } as const;

/** How long a bulk action's chunk waits for another writer's lock (the import and send threads' 60 s). */
export const BULK_BUSY_TIMEOUT_MS = 60_000;

/** The longest the composer's and bulk lanes wait for the lane before them. */
const STAGGER_MAX_MS = 10_000;

export function startQueryThread(ctx: CoreContext): QueryThread {
  // The list's pages are asked here: its anchors are built ahead, so a jump to any depth is a seek.
  // Until one of its threads is ready (loading their modules takes 0.3-1 s, more beside a loading window),
  // main answers the light reads itself: the window's first count and page wait for no thread.
  // Only the list's count and page are light reads (list-query.ts isLightRead).
  const inPlace = subscriptionsHandlers(ctx) as Record<string, (input: unknown) => unknown>;
  // The reads lane's questions in flight: the work every thread does ahead waits while there are any.
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const reads = startLane(ctx, LANE_THREADS.reads, {
    buildAnchorsAhead: true,
    inPlace: (channel, input) => inPlace[channel]!(input),
    reads: { inFlight, countsIn: true },
  });
  // One after the other (or each at its first question): at 1M, four threads loading their modules at
  // once, the anchors and the audience index took 2-2.3 s after opening on 2 cores beside the window, and
  // the window's first count waited 0.6 s for them. The composer's thread starts once the reads lane's
  // have opened their connections (a first preview a few seconds after opening then finds it loaded; once
  // their anchors were built it did not, and waited 0.5 s), and builds its index as it starts: the first
  // count with a frequency cap, or of a tag, then comes from memory (a million subscriptions: 50 chunks
  // between requests, a second or more) instead of SQL.
  const compose = startLane(ctx, LANE_THREADS.compose, {
    warmAudienceIndex: true,
    startAfter: settledOrLate(reads.ready),
    reads: { inFlight, countsIn: false },
  });
  // A bulk action's chunk waits out another writer's long transaction (an import's batch, a send's journal,
  // the CLI) instead of ending a million rows' action half done on SQLITE_BUSY after 5 s, as the import and
  // sending threads do; Stop takes effect once the chunk goes through. With 5 s, a lock held 6 s (a
  // probe of subscriptions-bulk.e2e) ended a tag-all of 200,000 with "database is locked".
  const bulk = startLane(ctx, LANE_THREADS.bulk, {
    startAfter: settledOrLate(compose.warm),
    busyTimeoutMs: BULK_BUSY_TIMEOUT_MS,
  });
  const lanes = { reads, compose, bulk };
  const laneOf = (name: ChannelName) =>
    bulkChannels.has(name) ? lanes.bulk : composeLane.has(name) ? lanes.compose : lanes.reads;
  return {
    lanes,
    handlers: Object.fromEntries(
      threadedChannels.map((name) => [name, (input: unknown) => laneOf(name).call(name, input)]),
    ) as Partial<Handlers>,
    async close() {
      await Promise.all(Object.values(lanes).map((lane) => lane.close()));
    },
  };
}

/** Settles with `step` (a lane ready or warm), or STAGGER_MAX_MS from now if that comes first. */
function settledOrLate(step: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, STAGGER_MAX_MS).unref();
    void step.then(resolve);
  });
}
