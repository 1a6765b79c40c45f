// Inserts subscriptions with plain SQL for compose tests: only the columns an audience looks at matter here,
// and the field lengths that an import records (the composer's byte budget reads them).
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { endpointHash } from '../../../../src/main/core/subscriptions/endpoint-hash.ts';
import { FieldLengthTally, saveFieldLengths } from '../../../../src/main/core/subscriptions/field-lengths.ts';

export interface Row {
  label?: string | null;
  fields?: Record<string, unknown> | null;
  tags?: string[];
  pushService?: string;
  status?: 'active' | 'expired';
  deletedAt?: number | null;
  createdAt?: number;
  lastSuccessAt?: number | null;
  endpoint?: string;
}

let serial = 0;

export function insertSubscriptions(ctx: CoreContext, appId: number, rows: Row[]): number[] {
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, fields,
       status, created_at, updated_at, deleted_at, last_success_at)
     VALUES (?, ?, ?, 'p256dh', 'auth', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = ctx.db.prepare('INSERT INTO tags (app_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const tagId = ctx.db.prepare('SELECT id FROM tags WHERE app_id = ? AND name = ?');
  const link = ctx.db.prepare('INSERT INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)');
  const lengths = new FieldLengthTally();
  return ctx.db.transaction(() => {
    const ids = rows.map((row) => {
      const n = ++serial;
      const created = row.createdAt ?? 1_700_000_000_000 + n;
      const endpoint = row.endpoint ?? `https://fcm.googleapis.com/fcm/send/test-${n}`;
      const id = Number(
        insert.run(
          appId,
          endpoint,
          endpointHash(endpoint),
          row.pushService ?? 'fcm',
          row.label ?? null,
          row.fields ? JSON.stringify(row.fields) : null,
          row.status ?? 'active',
          created,
          created,
          row.deletedAt ?? null,
          row.lastSuccessAt ?? null,
        ).lastInsertRowid,
      );
      for (const name of row.tags ?? []) {
        tag.run(appId, name);
        link.run((tagId.get(appId, name) as { id: number }).id, id);
      }
      lengths.add(row.label ?? null, row.fields ? JSON.stringify(row.fields) : null);
      return id;
    });
    saveFieldLengths(ctx.db, appId, lengths);
    return ids;
  })();
}
