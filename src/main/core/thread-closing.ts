// A query thread that the app is closing ends itself at a point where nothing of SQLite's is under way (a
// bulk action between two chunks), rather than be terminated during a call into it, which can abort the
// whole process (WiseLibs/better-sqlite3#1507; query-lanes.ts close). Outside the query threads (the main
// process, the CLI, tests) nothing is ever closing.

let closing: () => boolean = () => false;

/** This thread is closing from now on whenever `test` says so (query-worker.ts). */
export function closingWhen(test: () => boolean): void {
  closing = test;
}

/**
 * Ends this thread now if the app is closing it: a bulk action stops there as a quit or a crash leaves it
 * (its chunks committed kept, its run told as cut short at the next start: bulk-runs.ts).
 */
export function endIfClosing(): void {
  if (closing()) process.exit(0);
}
