// Puts subscriptions of the local push service into a Pushdeck database (plain SQL, as a browser's
// subscription would arrive through an import).
import crypto from 'node:crypto';
import type { Db } from '../../../src/main/core/db/database.ts';
import type { LocalSubscription } from './server.ts';

export interface StoredSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  pushService?: string;
  keyId?: number | null;
  label?: string | null;
  fields?: Record<string, unknown> | null;
  tags?: string[];
}

function endpointHash(endpoint: string): number {
  return crypto.createHash('sha256').update(endpoint).digest().readIntBE(0, 6);
}

/** Inserts the subscriptions for the app; returns their ids in order. */
export function insertSubscriptions(
  db: Db,
  appId: number,
  subs: ReadonlyArray<StoredSubscription | LocalSubscription>,
): number[] {
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, fields, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare(
    'INSERT INTO tags (app_id, name) VALUES (?, ?) ON CONFLICT (app_id, name) DO UPDATE SET name = name RETURNING id',
  );
  const link = db.prepare('INSERT OR IGNORE INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)');
  return db.transaction(() =>
    subs.map((sub) => {
      const stored = sub as StoredSubscription;
      const id = Number(
        insert.run(
          appId,
          stored.keyId ?? null,
          sub.endpoint,
          endpointHash(sub.endpoint),
          sub.keys.p256dh,
          sub.keys.auth,
          stored.pushService ?? 'other',
          stored.label ?? null,
          stored.fields ? JSON.stringify(stored.fields) : null,
          now,
          now,
        ).lastInsertRowid,
      );
      for (const name of stored.tags ?? []) {
        const { id: tagId } = tag.get(appId, name) as { id: number };
        link.run(tagId, id);
      }
      return id;
    }),
  )();
}
