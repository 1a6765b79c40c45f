// Acts on many subscriptions at once, over explicit ids or everything a filter matches: tag, untag, move to
// the trash (deleted_at) and back, empty the trash. Each runs in transactions of a bounded size (BULK_CHUNK).
import { PushdeckError } from '../../../shared/errors.ts';
import type { BulkAction, Selection } from '../../../shared/subscriptions.ts';
import type { CoreContext } from '../context.ts';
import { filterSql, type FilterSql } from './list-filter.ts';
import { listsChanged } from './page-anchors.ts';
import { tagIds } from './tags.ts';
import { endIfClosing } from '../thread-closing.ts';

export function selectionSql(appId: number, selection: Selection, inTrash = false): FilterSql {
  if ('filter' in selection) return filterSql(appId, selection.filter);
  return {
    where: `s.app_id = ? AND s.deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'} AND s.id IN (SELECT value FROM json_each(?))`,
    params: [appId, JSON.stringify(selection.ids)],
  };
}

/**
 * Subscriptions changed per transaction by a bulk action. A million take seconds; in one transaction that
 * would hold the write lock all along, and every other writer (the app's main process, a sending or import
 * thread, the CLI) would wait for it, the main process frozen meanwhile. Stopped halfway (a crash), an
 * action has changed a part of its selection, which the list shows and the same action finishes.
 */
export const BULK_CHUNK = 20_000;

/**
 * After each chunk's commit the action pauses, so that a writer waiting for the lock takes it. SQLite gives
 * the lock to no one in particular: a waiter sleeps and tries again, for longer the longer it has waited
 * (its busy handler's delays, below), and without a pause the next chunk would take the lock back before
 * the waiter woke. A writer that began to wait during the chunk just committed has waited at most as long
 * as the chunk took, so a pause as long as its sleep by then lets it in: about a third of the chunk's time.
 */
const BUSY_DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/** How long a writer that has waited `waitedMs` for the lock sleeps before it tries again. */
export function waiterSleep(waitedMs: number): number {
  let waited = 0;
  for (const delay of BUSY_DELAYS_MS) {
    if (waited + delay > waitedMs) return delay;
    waited += delay;
  }
  return BUSY_DELAYS_MS.at(-1)!;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));
/** The pause after a chunk that began at `started` (performance.now()). */
function pauseAfterChunk(started: number): void {
  Atomics.wait(pauseCell, 0, 0, waiterSleep(performance.now() - started));
}

/** Progress events of one action, at most ten a second, after a chunk that leaves more to do. */
function progressOf(ctx: CoreContext, appId: number, action: BulkAction, total: number) {
  let last = -Infinity;
  return (done: number) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    ctx.events.emit('subscriptions.bulk.progress', { appId, action, done, total });
  };
}

/**
 * Asks the app's bulk action under way to stop after its current chunk (subscriptions.bulk.cancel): what
 * the committed chunks changed stays changed, as after a crash; the same action finishes the rest.
 */
export function cancelBulk(ctx: CoreContext, appId: number): { asked: boolean } {
  ctx.db
    .prepare(
      `INSERT INTO bulk_cancels (app_id, asked_at) VALUES (?, ?)
       ON CONFLICT (app_id) DO UPDATE SET asked_at = excluded.asked_at`,
    )
    .run(appId, Date.now());
  return { asked: true };
}

/** Whether a stop was asked since `since` (Date.now() when the action began). */
function stopAsked(ctx: CoreContext, appId: number, since: number): boolean {
  return (
    ctx.db
      .prepare('SELECT 1 FROM bulk_cancels WHERE app_id = ? AND asked_at > ?')
      .pluck()
      .get(appId, since) !== undefined
  );
}

const stoppedError = (action: BulkAction, done: number, total: number) =>
  new PushdeckError(
    'BULK_STOPPED',
    `Stopped after ${done.toLocaleString('en')} of ${total.toLocaleString('en')} subscriptions (${action}): those keep the change. Run it again to finish the rest.`,
  );

/**
 * The rows of one chunk of the selection, for the chunk action's statements: bind the chunk's (after, last].
 * They name `subscriptions s NOT INDEXED`, which leaves SQLite the rowid lookups only: given the index, it
 * may walk all of a filter's rows (the whole trash, say) for every chunk.
 */
const IN_CHUNK = 's.id IN (SELECT id FROM temp.bulk_selection WHERE id > ? AND id <= ?)';

/**
 * Runs the chunk action that `prepare` returns (its statements are prepared once the temporary table
 * exists) over the selection, one transaction per chunk of at most BULK_CHUNK rows; returns how many rows
 * the selection held and the total the action returned. The selection's ids are read once, by whatever
 * plan suits its filter, into a temporary table (this connection's own, which takes no lock on the file)
 * and walked in id order from there. Each chunk's statement keeps the filter too, so a row that another
 * writer changed out of the selection meanwhile is left alone.
 */
function inChunks(
  ctx: CoreContext,
  { appId, action }: { appId: number; action: BulkAction },
  { where, params }: FilterSql,
  prepare: () => (after: number, last: number) => number,
): { selected: number; applied: number } {
  const { db } = ctx;
  // Wall clock, as the stop's asked_at: the window asks on another connection, maybe another process.
  const began = Date.now();
  db.exec('CREATE TEMP TABLE IF NOT EXISTS bulk_selection (id INTEGER PRIMARY KEY)');
  db.exec('DELETE FROM temp.bulk_selection');
  try {
    const apply = prepare();
    const selected = db
      .prepare(`INSERT INTO temp.bulk_selection (id) SELECT s.id FROM subscriptions s WHERE ${where}`)
      .run(...params).changes;
    const next = db.prepare(
      `SELECT max(id) FROM (SELECT id FROM temp.bulk_selection WHERE id > ? ORDER BY id LIMIT ${BULK_CHUNK})`,
    );
    const progress = progressOf(ctx, appId, action, selected);
    let applied = 0;
    let done = 0;
    for (let after = 0, last = next.pluck().get(after) as number | null; last !== null;) {
      const [from, to, started] = [after, last, performance.now()];
      applied += db.transaction(() => apply(from, to)).immediate();
      after = last;
      last = next.pluck().get(after) as number | null;
      if (last === null) break;
      done += BULK_CHUNK;
      progress(done);
      endIfClosing();
      if (stopAsked(ctx, appId, began)) {
        listsChanged();
        throw stoppedError(action, done, selected);
      }
      pauseAfterChunk(started);
    }
    return { selected, applied };
  } finally {
    db.exec('DELETE FROM temp.bulk_selection');
  }
}

/** Adds and removes tags; returns how many subscriptions the selection holds. */
export function tagSubscriptions(
  ctx: CoreContext,
  appId: number,
  selection: Selection,
  add: string[] = [],
  remove: string[] = [],
): number {
  const selected = selectionSql(appId, selection);
  const { where, params } = selected;
  const addTo = ctx.db.transaction(() => [...tagIds(ctx.db, appId, add).values()])();
  const count = inChunks(ctx, { appId, action: 'tag' }, selected, () => {
    const insert = ctx.db.prepare(
      `INSERT OR IGNORE INTO subscription_tags (tag_id, subscription_id)
         SELECT ?, s.id FROM subscriptions s NOT INDEXED WHERE ${IN_CHUNK} AND ${where}`,
    );
    const untag = ctx.db.prepare(
      `DELETE FROM subscription_tags WHERE tag_id IN (SELECT id FROM tags WHERE app_id = ? AND name IN (SELECT value FROM json_each(?)))
         AND subscription_id IN (SELECT s.id FROM subscriptions s NOT INDEXED WHERE ${IN_CHUNK} AND ${where})`,
    );
    return (after, last) => {
      for (const tagId of addTo) insert.run(tagId, after, last, ...params);
      if (remove.length > 0) untag.run(appId, JSON.stringify(remove), after, last, ...params);
      return 0;
    };
  }).selected;
  listsChanged();
  return count;
}

let lastDeletedAt = 0;

/** A new delete's stamp: distinct per delete, so that undo restores this delete only. */
export function deleteStamp(ctx: CoreContext): number {
  lastDeletedAt = Math.max(ctx.now(), lastDeletedAt + 1);
  return lastDeletedAt;
}

/** Moves the selection to the trash. `deletedAt` names this delete, for undo. */
export function deleteSubscriptions(
  ctx: CoreContext,
  appId: number,
  selection: Selection,
  deletedAt = deleteStamp(ctx),
): { count: number; deletedAt: number } {
  const selected = selectionSql(appId, selection);
  const count = updateInChunks(
    ctx,
    { appId, action: 'delete' },
    { where: `${selected.where} AND s.deleted_at IS NULL`, params: selected.params },
    deletedAt,
  );
  listsChanged();
  return { count, deletedAt };
}

/** Sets deleted_at (a delete's stamp, or NULL to restore) on the selection, in chunks. */
function updateInChunks(
  ctx: CoreContext,
  action: { appId: number; action: BulkAction },
  selected: FilterSql,
  deletedAt: number | null,
): number {
  return inChunks(ctx, action, selected, () => {
    const update = ctx.db.prepare(
      `UPDATE subscriptions AS s NOT INDEXED SET deleted_at = ?, updated_at = ? WHERE ${IN_CHUNK} AND ${selected.where}`,
    );
    return (after, last) => update.run(deletedAt, ctx.now(), after, last, ...selected.params).changes;
  }).applied;
}

/** Brings subscriptions back from the trash: a selection in the trash, or everything one delete removed. */
export function restoreSubscriptions(
  ctx: CoreContext,
  appId: number,
  options: { selection?: Selection; deletedAt?: number },
): number {
  let selected: FilterSql;
  if (options.deletedAt !== undefined) {
    selected = { where: 's.app_id = ? AND s.deleted_at = ?', params: [appId, options.deletedAt] };
  } else {
    const selection = options.selection ?? { filter: { deleted: true } };
    selected =
      'filter' in selection
        ? filterSql(appId, { ...selection.filter, deleted: true })
        : selectionSql(appId, selection, true);
  }
  const count = updateInChunks(ctx, { appId, action: 'restore' }, selected, null);
  listsChanged();
  return count;
}

/**
 * Deletes the trash for good, BULK_CHUNK at a time. Their deliveries stay in the campaigns' journals,
 * detached (a trigger of migration 007): history is not rewritten by list maintenance.
 */
export function emptyTrash(ctx: CoreContext, appId: number): number {
  const deleteChunk = ctx.db.prepare(
    `DELETE FROM subscriptions WHERE id IN
       (SELECT id FROM subscriptions WHERE app_id = ? AND deleted_at IS NOT NULL LIMIT ?)`,
  );
  const total = ctx.db
    .prepare('SELECT count(*) FROM subscriptions WHERE app_id = ? AND deleted_at IS NOT NULL')
    .pluck()
    .get(appId) as number;
  const progress = progressOf(ctx, appId, 'emptyTrash', total);
  const began = Date.now();
  let deleted = 0;
  for (;;) {
    const started = performance.now();
    const changes = deleteChunk.run(appId, BULK_CHUNK).changes;
    deleted += changes;
    if (changes < BULK_CHUNK) break;
    progress(Math.min(deleted, total));
    endIfClosing();
    if (stopAsked(ctx, appId, began)) {
      listsChanged();
      throw stoppedError('emptyTrash', deleted, total);
    }
    pauseAfterChunk(started);
  }
  listsChanged();
  return deleted;
}
