// Acts on many subscriptions at once, over explicit ids or everything a filter matches: tag, untag, move to
// the trash (deleted_at) and back. Each action is one transaction, except emptying the trash (in chunks).
import type { Selection } from '../../../shared/subscriptions.ts';
import type { CoreContext } from '../context.ts';
import { filterSql, listsChanged, type FilterSql } from './list-query.ts';
import { tagIds } from './tags.ts';

export function selectionSql(appId: number, selection: Selection, inTrash = false): FilterSql {
  if ('filter' in selection) return filterSql(appId, selection.filter);
  return {
    where: `s.app_id = ? AND s.deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'} AND s.id IN (SELECT value FROM json_each(?))`,
    params: [appId, JSON.stringify(selection.ids)],
  };
}

function changed(ctx: CoreContext): void {
  listsChanged();
  ctx.events.emit('data.changed', { scopes: ['subscriptions'] });
}

/** Adds and removes tags; returns how many subscriptions the selection holds. */
export function tagSubscriptions(
  ctx: CoreContext,
  appId: number,
  selection: Selection,
  add: string[] = [],
  remove: string[] = [],
): number {
  const { where, params } = selectionSql(appId, selection);
  const count = ctx.db.transaction(() => {
    const selected = ctx.db
      .prepare(`SELECT count(*) FROM subscriptions s WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    for (const [, tagId] of tagIds(ctx.db, appId, add)) {
      ctx.db
        .prepare(
          `INSERT OR IGNORE INTO subscription_tags (tag_id, subscription_id) SELECT ?, s.id FROM subscriptions s WHERE ${where}`,
        )
        .run(tagId, ...params);
    }
    if (remove.length > 0) {
      ctx.db
        .prepare(
          `DELETE FROM subscription_tags WHERE tag_id IN (SELECT id FROM tags WHERE app_id = ? AND name IN (SELECT value FROM json_each(?)))
             AND subscription_id IN (SELECT s.id FROM subscriptions s WHERE ${where})`,
        )
        .run(appId, JSON.stringify(remove), ...params);
    }
    return selected;
  })();
  changed(ctx);
  return count;
}

let lastDeletedAt = 0;

/** Moves the selection to the trash. `deletedAt` names this delete, for undo. */
export function deleteSubscriptions(
  ctx: CoreContext,
  appId: number,
  selection: Selection,
): { count: number; deletedAt: number } {
  const { where, params } = selectionSql(appId, selection);
  // Distinct per delete, so that undo restores this delete only.
  const deletedAt = Math.max(ctx.now(), lastDeletedAt + 1);
  lastDeletedAt = deletedAt;
  const result = ctx.db
    .prepare(
      `UPDATE subscriptions SET deleted_at = ?, updated_at = ? WHERE id IN (SELECT s.id FROM subscriptions s WHERE ${where} AND s.deleted_at IS NULL)`,
    )
    .run(deletedAt, ctx.now(), ...params);
  changed(ctx);
  return { count: result.changes, deletedAt };
}

/** Brings subscriptions back from the trash: a selection in the trash, or everything one delete removed. */
export function restoreSubscriptions(
  ctx: CoreContext,
  appId: number,
  options: { selection?: Selection; deletedAt?: number },
): number {
  let result;
  if (options.deletedAt !== undefined) {
    result = ctx.db
      .prepare(
        'UPDATE subscriptions SET deleted_at = NULL, updated_at = ? WHERE app_id = ? AND deleted_at = ?',
      )
      .run(ctx.now(), appId, options.deletedAt);
  } else {
    const selection = options.selection ?? { filter: { deleted: true } };
    const { where, params } =
      'filter' in selection
        ? filterSql(appId, { ...selection.filter, deleted: true })
        : selectionSql(appId, selection, true);
    result = ctx.db
      .prepare(
        `UPDATE subscriptions SET deleted_at = NULL, updated_at = ? WHERE id IN (SELECT s.id FROM subscriptions s WHERE ${where})`,
      )
      .run(ctx.now(), ...params);
  }
  changed(ctx);
  return result.changes;
}

/**
 * Subscriptions deleted for good per transaction when the trash is emptied. A million with their delivery
 * history take several seconds; in one transaction that would hold the write lock longer than a sending
 * thread waits for it (busy_timeout, 5 s). Stopped halfway (a crash), the rest simply stays in the trash.
 */
export const EMPTY_TRASH_CHUNK = 20_000;

/** Deletes the trash for good (with the delivery history of those subscriptions). */
export function emptyTrash(ctx: CoreContext, appId: number): number {
  const deleteChunk = ctx.db.prepare(
    `DELETE FROM subscriptions WHERE id IN
       (SELECT id FROM subscriptions WHERE app_id = ? AND deleted_at IS NOT NULL LIMIT ?)`,
  );
  let deleted = 0;
  for (;;) {
    const changes = deleteChunk.run(appId, EMPTY_TRASH_CHUNK).changes;
    deleted += changes;
    if (changes < EMPTY_TRASH_CHUNK) break;
  }
  changed(ctx);
  // Their deliveries went with them: the totals of the campaigns that reached them changed too.
  if (deleted > 0) ctx.events.emit('data.changed', { scopes: ['campaigns'] });
  return deleted;
}
