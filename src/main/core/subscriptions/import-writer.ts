// Writes checked rows into an app's list in batched transactions, deduplicating by endpoint (byte for
// byte, found through the endpoint hash) against the list and against earlier rows of the same file.
import type { Db } from '../db/database.ts';
import type { ValidSubscription } from './import-row.ts';
import { HashSet } from './hash-set.ts';
import { tagIds } from './tags.ts';

export interface WriteCounts {
  inserted: number;
  updated: number;
  duplicates: number;
}

interface ExistingRow {
  id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  fields: string | null;
  status: string;
  expiration_time: number | null;
  deleted_at: number | null;
}

export interface ImportWriter {
  /** Writes one batch in one transaction. */
  write(batch: ValidSubscription[], now: number): void;
  counts: WriteCounts;
}

export function importWriter(db: Db, appId: number, keyId: number | null, addTags: string[]): ImportWriter {
  const counts: WriteCounts = { inserted: 0, updated: 0, duplicates: 0 };
  // Rows this import created have ids above this; rows it touched are remembered (few, in practice).
  const maxIdBefore =
    (db.prepare('SELECT max(id) AS id FROM subscriptions').get() as { id: number | null }).id ?? 0;
  const touched = new Set<number>();
  const find = db.prepare(
    `SELECT id, endpoint, p256dh, auth, label, fields, status, expiration_time, deleted_at
     FROM subscriptions WHERE app_id = ? AND endpoint_hash = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, label,
       fields, status, expiration_time, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE subscriptions SET
       key_id = CASE WHEN p256dh = @p256dh AND auth = @auth THEN coalesce(key_id, @keyId) ELSE @keyId END,
       failure_count = CASE WHEN p256dh = @p256dh AND auth = @auth THEN failure_count ELSE 0 END,
       p256dh = @p256dh, auth = @auth, label = @label, fields = @fields, status = @status,
       expiration_time = @expirationTime, updated_at = @now, deleted_at = NULL
     WHERE id = @id`,
  );
  const link = db.prepare('INSERT OR IGNORE INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)');
  const tagCache = new Map<string, number>();
  const addTagIds = [...tagIds(db, appId, addTags, tagCache).values()];
  const known = new HashSet();
  for (const hash of db
    .prepare('SELECT endpoint_hash FROM subscriptions WHERE app_id = ?')
    .pluck()
    .iterate(appId) as IterableIterator<number>) {
    known.add(hash);
  }

  const linkTags = (id: number, names: string[]) => {
    for (const name of names) {
      const tagId = tagCache.get(name) ?? tagIds(db, appId, [name], tagCache).get(name)!;
      link.run(tagId, id);
    }
    for (const tagId of addTagIds) link.run(tagId, id);
  };

  const writeOne = (row: ValidSubscription, now: number) => {
    const seen = !known.add(row.endpointHash);
    const existing = seen
      ? (find.all(appId, row.endpointHash) as ExistingRow[]).find((hit) => hit.endpoint === row.endpoint)
      : undefined;
    if (!existing) {
      const id = Number(
        insert.run(
          appId,
          keyId,
          row.endpoint,
          row.endpointHash,
          row.p256dh,
          row.auth,
          row.pushService,
          row.label,
          row.fields,
          row.status,
          row.expirationTime,
          row.createdAt ?? now,
          now,
        ).lastInsertRowid,
      );
      linkTags(id, row.tags);
      counts.inserted++;
      return;
    }
    const sameFile = existing.id > maxIdBefore || touched.has(existing.id);
    const keysChanged = existing.p256dh !== row.p256dh || existing.auth !== row.auth;
    // An import never brings an expired subscription back to life unless its keys are new.
    const status =
      row.status === 'expired' || (existing.status === 'expired' && !keysChanged) ? 'expired' : 'active';
    const label = row.label ?? existing.label;
    const fields = row.fields ?? existing.fields;
    const expirationTime = row.expirationTime ?? existing.expiration_time;
    const changed =
      keysChanged ||
      label !== existing.label ||
      fields !== existing.fields ||
      status !== existing.status ||
      expirationTime !== existing.expiration_time ||
      existing.deleted_at !== null;
    if (changed) {
      update.run({
        keyId,
        p256dh: row.p256dh,
        auth: row.auth,
        label,
        fields,
        status,
        expirationTime,
        now,
        id: existing.id,
      });
    }
    linkTags(existing.id, row.tags);
    if (sameFile) counts.duplicates++;
    else if (changed) counts.updated++;
    else counts.duplicates++;
    touched.add(existing.id);
  };

  return {
    counts,
    write(batch, now) {
      db.transaction(() => {
        for (const row of batch) writeOne(row, now);
      })();
    },
  };
}
