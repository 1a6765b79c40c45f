// Stopping a long statement part way: better-sqlite3 cannot interrupt one, but a statement that calls a
// JavaScript function ends when that function throws, and the call that ran it throws the same error
// (better-sqlite3 13.2 src/util/custom-function.cpp: a pending exception becomes sqlite3_result_error).
// A search's statements call still_wanted() on about one row in a thousand; a query thread makes it throw
// once a newer search has replaced the question it is answering (query-worker.ts, query-lanes.ts).
import type { Db } from './database.ts';

const FUNCTION = 'pushdeck_still_wanted';

/**
 * A condition that is true, and asks still_wanted() on rows whose `rowid` is a multiple of 1021: a prime, so
 * that lists of every other or every fifth id (labels, cities) still meet it every thousand rows or so.
 */
export function checkpoint(rowid: string): string {
  return `(${rowid} % 1021 != 0 OR ${FUNCTION}())`;
}

/**
 * Lets statements with checkpoints run on this connection; `check` throws to stop the one running. Every
 * connection gets one that never throws at open (database.ts); a query thread replaces it.
 */
export function allowCheckpoints(db: Db, check: () => void = () => {}): void {
  db.function(FUNCTION, { deterministic: false }, () => {
    check();
    return 1;
  });
}
