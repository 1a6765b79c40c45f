// The audit entry of a simple change, written where its channel's handler is registered (Actual Budget's
// `mutator(undoable(fn))`): the change and its entry commit in one transaction, or neither does.
import type { CoreContext } from '../context.ts';
import { appendAudit, type AuditEntry } from './append.ts';

/** The entry a change makes, from its request and its result; null when it changed nothing. */
export type EntryOf<R, O> = (request: R, result: O) => AuditEntry | null;

/**
 * Synchronous changes only: a better-sqlite3 transaction cannot span an await (its transaction() throws
 * "Transaction function cannot return a promise", lib/methods/transaction.js). Runs, imports and the
 * scheduler write their own entries.
 */
export function audited<R, O>(
  ctx: CoreContext,
  entryOf: EntryOf<R, Exclude<O, PromiseLike<unknown>>>,
  change: (request: R) => O,
) {
  return (request: R): O =>
    ctx.db.transaction(() => {
      const result = change(request);
      // Never a promise: better-sqlite3 would throw on it and roll back what was written, this entry too.
      const entry = entryOf(request, result as Exclude<O, PromiseLike<unknown>>);
      if (entry) appendAudit(ctx.db, ctx.now(), entry);
      return result;
    })();
}
