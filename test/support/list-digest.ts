// One fingerprint of an app's list as an export carries it: per subscription its endpoint, keys, label,
// status, dates, time zone, custom fields (names sorted) and tag names (sorted), in endpoint order, hashed.
// Two lists with the same digest hold the same rows; the first difference tells where they part.
import crypto from 'node:crypto';
import type { Db } from '../../src/main/core/db/database.ts';

export interface ListDigest {
  count: number;
  sha256: string;
}

type Row = [
  endpoint: string,
  p256dh: string,
  auth: string,
  label: string | null,
  status: string,
  createdAt: number,
  expirationTime: number | null,
  timeZone: string | null,
  fields: string | null,
  tags: string | null,
];

/** The app's subscriptions outside the trash (what an export of the whole list writes), one line each. */
function* listLines(db: Db, appId: number): Generator<string> {
  const rows = db
    .prepare(
      `SELECT s.endpoint, s.p256dh, s.auth, s.label, s.status, s.created_at, s.expiration_time, s.timezone, s.fields,
         (SELECT json_group_array(name) FROM (SELECT t.name FROM subscription_tags st JOIN tags t ON t.id = st.tag_id
           WHERE st.subscription_id = s.id ORDER BY t.name))
       FROM subscriptions s WHERE s.app_id = ? AND s.deleted_at IS NULL ORDER BY s.endpoint`,
    )
    .raw()
    .iterate(appId) as IterableIterator<Row>;
  for (const [endpoint, p256dh, auth, label, status, created, expiration, zone, fields, tags] of rows) {
    const values = fields === null ? {} : (JSON.parse(fields) as Record<string, string>);
    const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
    yield JSON.stringify([endpoint, p256dh, auth, label, status, created, expiration, zone, sorted, tags]);
  }
}

export function listDigest(db: Db, appId: number): ListDigest {
  const hash = crypto.createHash('sha256');
  let count = 0;
  for (const line of listLines(db, appId)) {
    hash.update(line).update('\n');
    count++;
  }
  return { count, sha256: hash.digest('hex') };
}

/** The first row (in endpoint order) where two lists differ, as each has it; null when they are the same. */
export function firstDifference(
  a: { db: Db; appId: number },
  b: { db: Db; appId: number },
): { at: number; a: string | null; b: string | null } | null {
  // One connection runs one statement at a time: the first list read whole when both share it.
  const left = a.db === b.db ? [...listLines(a.db, a.appId)].values() : listLines(a.db, a.appId);
  const right = listLines(b.db, b.appId);
  for (let at = 0; ; at++) {
    const x = left.next();
    const y = right.next();
    if (x.done && y.done) return null;
    if (x.value !== y.value) {
      right.return(undefined);
      return { at, a: x.done ? null : x.value, b: y.done ? null : y.value };
    }
  }
}
