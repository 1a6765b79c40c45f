// Work a query thread does ahead, between requests (the list's page anchors, the composer's audience index),
// steps aside while the window's reads are being answered on the other threads: on two cores, the last
// keystroke's count and page otherwise shared them with a build of the audience index (bench:ui, the first
// seconds after opening: each of the two waited 8-23 ms for a core, /proc/thread-self/schedstat).
// Main counts the reads lane's questions in flight in a shared counter (query-lanes.ts); each thread's work
// ahead asks it before each step. Outside the query threads (the CLI, tests) nothing is held.

/** Main's count of the window's reads being answered, shared with every query thread; null: none held. */
let answering: Int32Array | null = null;

/** Work ahead waits at most this long per step: a read that never ends does not stop it for good. */
export const WORK_AHEAD_WAIT_MAX_MS = 250;
/** How often a held step asks again. */
const ASK_EVERY_MS = 2;

/** The thread's work ahead from now on waits while `counter` (query-lanes.ts) is above zero; null: never. */
export function holdWorkAheadFor(counter: Int32Array | null): void {
  answering = counter;
}

/** Whether the window's reads are being answered now. */
function readsInFlight(): boolean {
  return answering !== null && Atomics.load(answering, 0) > 0;
}

/** Runs `step` once no read is in flight, or once it has waited WORK_AHEAD_WAIT_MAX_MS. */
export function whenReadsIdle(step: () => void): void {
  const until = performance.now() + WORK_AHEAD_WAIT_MAX_MS;
  const ask = () => {
    if (readsInFlight() && performance.now() < until) setTimeout(ask, ASK_EVERY_MS).unref();
    else step();
  };
  ask();
}

/** whenReadsIdle as a promise. */
export const readsIdle = (): Promise<void> => new Promise((resolve) => whenReadsIdle(resolve));
