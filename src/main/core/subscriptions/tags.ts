// Tags of an app's subscriptions: names to ids, created on first use.
import type { Db } from '../db/database.ts';

/** The ids of these tag names in the app, creating the missing ones; `cache` spares repeated lookups. */
export function tagIds(
  db: Db,
  appId: number,
  names: readonly string[],
  cache: Map<string, number> = new Map(),
): Map<string, number> {
  const result = new Map<string, number>();
  for (const name of names) {
    let id = cache.get(name);
    if (id === undefined) {
      db.prepare('INSERT OR IGNORE INTO tags (app_id, name) VALUES (?, ?)').run(appId, name);
      id = (
        db.prepare('SELECT id FROM tags WHERE app_id = ? AND name = ?').get(appId, name) as { id: number }
      ).id;
      cache.set(name, id);
    }
    result.set(name, id);
  }
  return result;
}
