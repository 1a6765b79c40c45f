// The audit entry of a simple change, written where its channel's handler is registered (Actual Budget's
// `mutator(undoable(fn))`): the change and its entry commit in one transaction, or neither does.
import type { CoreContext } from '../context.ts';
import { appendAudit, type AuditEntry } from './append.ts';

type Sync<O> = Exclude<O, PromiseLike<unknown>>;

/**
 * `entryOf` makes the entry from the request and the result (null: nothing changed). Synchronous changes
 * only: a better-sqlite3 transaction cannot span an await (its transaction() throws "Transaction function
 * cannot return a promise", lib/methods/transaction.js, and rolls back). Runs, imports and the scheduler
 * write their own entries.
 */
export function audited<R, O>(
  ctx: CoreContext,
  entryOf: (request: R, result: Sync<O>) => AuditEntry | null,
  change: (request: R) => O,
) {
  return (request: R): O =>
    ctx.db.transaction(() => {
      const result = change(request);
      const entry = entryOf(request, result as Sync<O>);
      if (entry) appendAudit(ctx.db, ctx.now(), entry);
      return result;
    })();
}
