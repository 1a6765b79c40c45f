// Writes checked rows into an app's list in batched transactions, deduplicating by endpoint (byte for
// byte, found through the endpoint hash) against the list and against earlier rows of the same file.
// New rows and their tag links go in with multi-row INSERTs: per-statement overhead, not SQLite's B-trees,
// was most of the cost of a million single-row inserts.
import type { Db } from '../../db/database.ts';
import { createFieldIndexes, dropFieldIndexes } from '../field-indexes.ts';
import { createSortIndexes, dropSortIndexes, TIME_ZONE_INDEX } from '../sort-indexes.ts';
import { EndpointIndex } from './endpoint-index.ts';
import { FieldLengthTally, saveFieldLengths } from '../field-lengths.ts';
import type { ValidSubscription } from './row.ts';
import { tagIds } from '../tags.ts';

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
  timezone: string | null;
}

export interface ImportWriter {
  /** Writes one batch in one transaction. */
  write(batch: ValidSubscription[], now: number): void;
  /** Puts back what the import took away (the endpoint index); call it however the import ended. */
  finish(): void;
  counts: WriteCounts;
}

/** The indexes an import may drop for speed, back in place (after a crash in the middle of one). */
export function ensureSubscriptionIndexes(db: Db): void {
  db.exec('CREATE INDEX IF NOT EXISTS subscriptions_endpoint ON subscriptions(app_id, endpoint_hash)');
  db.exec(createSortIndexes());
  db.exec(TIME_ZONE_INDEX.create);
  // And those of the custom fields, the new ones an import brought included.
  createFieldIndexes(db);
}

const ROWS_PER_INSERT = 100;
const SUBSCRIPTION_COLUMNS = 14;
const LINKS_PER_INSERT = 400;

export interface WriterOptions {
  /** Drop the endpoint, sort, time zone and field indexes for the import and build them again at the end (large files). */
  deferEndpointIndex?: boolean;
}

export function importWriter(
  db: Db,
  appId: number,
  keyId: number | null,
  addTags: string[],
  options: WriterOptions = {},
): ImportWriter {
  const counts: WriteCounts = { inserted: 0, updated: 0, duplicates: 0 };
  // Rows this import created have ids above this; older rows it touched are marked here, one byte each
  // (a re-import of a million rows touches them all: a Set of a million ids would cost tens of MB).
  const maxIdBefore = (db.prepare('SELECT max(id) FROM subscriptions').pluck().get() as number | null) ?? 0;
  const touched = new Uint8Array(maxIdBefore + 1);
  const columns = 'id, endpoint, p256dh, auth, label, fields, status, expiration_time, deleted_at, timezone';
  const byId = db.prepare(`SELECT ${columns} FROM subscriptions WHERE id = ?`);
  const byHash = db.prepare(`SELECT ${columns} FROM subscriptions WHERE app_id = ? AND endpoint_hash = ?`);
  const update = db.prepare(
    `UPDATE subscriptions SET
       key_id = CASE WHEN p256dh = @p256dh AND auth = @auth THEN coalesce(key_id, @keyId) ELSE @keyId END,
       failure_count = CASE WHEN p256dh = @p256dh AND auth = @auth THEN failure_count ELSE 0 END,
       p256dh = @p256dh, auth = @auth, label = @label, fields = @fields, status = @status,
       expiration_time = @expirationTime, timezone = @timeZone, updated_at = @now, deleted_at = NULL
     WHERE id = @id`,
  );
  const insertStatements = new Map<number, ReturnType<Db['prepare']>>();
  const insertMany = (n: number) => {
    let statement = insertStatements.get(n);
    if (!statement) {
      const values = `(${Array(SUBSCRIPTION_COLUMNS).fill('?').join(',')})`;
      statement = db.prepare(
        `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, label,
           fields, status, expiration_time, created_at, updated_at, timezone) VALUES ${Array(n).fill(values).join(',')}`,
      );
      insertStatements.set(n, statement);
    }
    return statement;
  };
  const linkStatements = new Map<number, ReturnType<Db['prepare']>>();
  const linkMany = (n: number) => {
    let statement = linkStatements.get(n);
    if (!statement) {
      statement = db.prepare(
        `INSERT OR IGNORE INTO subscription_tags (tag_id, subscription_id) VALUES ${Array(n).fill('(?,?)').join(',')}`,
      );
      linkStatements.set(n, statement);
    }
    return statement;
  };

  const tagCache = new Map<string, number>();
  const addTagIds = [...tagIds(db, appId, addTags, tagCache).values()];
  const known = new EndpointIndex();
  for (const [hash, id] of db
    .prepare('SELECT endpoint_hash, id FROM subscriptions WHERE app_id = ?')
    .raw()
    .iterate(appId) as IterableIterator<[number, number]>) {
    known.add(hash, id);
  }
  if (options.deferEndpointIndex) {
    // A large import: one sort at the end builds the endpoint index far faster than a million random
    // inserts into it. Lookups meanwhile go through `known`; ensureSubscriptionIndexes repairs a crash.
    db.exec('DROP INDEX IF EXISTS subscriptions_endpoint');
    // The table's sort indexes likewise: random endpoints inserted one by one into theirs cost most.
    db.exec(dropSortIndexes());
    db.exec(TIME_ZONE_INDEX.drop);
    dropFieldIndexes(db);
  }

  // Rows waiting for their multi-row INSERT, and (tag id, subscription id) pairs waiting for theirs.
  let pending: ValidSubscription[] = [];
  const pendingHashes = new Set<number>();
  let links: number[] = [];
  let now = 0;
  const lengths = new FieldLengthTally();

  const link = (id: number, names: string[]) => {
    for (const name of names) {
      links.push(tagCache.get(name) ?? tagIds(db, appId, [name], tagCache).get(name)!, id);
    }
    for (const tagId of addTagIds) links.push(tagId, id);
  };

  const insertPending = () => {
    if (pending.length === 0) return;
    const params: unknown[] = [];
    for (const row of pending) {
      params.push(
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
        row.timeZone,
      );
      lengths.add(row.label, row.fields);
    }
    const last = Number(insertMany(pending.length).run(params).lastInsertRowid);
    // One INSERT gives its rows consecutive ids (the transaction holds the write lock).
    const first = last - pending.length + 1;
    pending.forEach((row, i) => {
      known.add(row.endpointHash, first + i);
      link(first + i, row.tags);
    });
    counts.inserted += pending.length;
    pending = [];
    pendingHashes.clear();
  };

  const insertLinks = () => {
    for (let i = 0; i < links.length; i += LINKS_PER_INSERT * 2) {
      const chunk = links.slice(i, i + LINKS_PER_INSERT * 2);
      linkMany(chunk.length / 2).run(chunk);
    }
    links = [];
  };

  const writeExisting = (row: ValidSubscription): boolean => {
    // The hash was seen: the rows still waiting must be in the table before it is asked.
    insertPending();
    const first = byId.get(known.get(row.endpointHash)) as ExistingRow | undefined;
    // Two endpoints with one hash (about 1 in 10^10 pairs): ask by hash for the other rows.
    const existing =
      first?.endpoint === row.endpoint
        ? first
        : (byHash.all(appId, row.endpointHash) as ExistingRow[]).find((hit) => hit.endpoint === row.endpoint);
    if (!existing) return false;
    const sameFile = existing.id > maxIdBefore || touched[existing.id] === 1;
    const keysChanged = existing.p256dh !== row.p256dh || existing.auth !== row.auth;
    // An import never brings an expired subscription back to life unless its keys are new.
    const status =
      row.status === 'expired' || (existing.status === 'expired' && !keysChanged) ? 'expired' : 'active';
    const label = row.label ?? existing.label;
    const fields = row.fields ?? existing.fields;
    const expirationTime = row.expirationTime ?? existing.expiration_time;
    const timeZone = row.timeZone ?? existing.timezone;
    const changed =
      keysChanged ||
      label !== existing.label ||
      fields !== existing.fields ||
      status !== existing.status ||
      expirationTime !== existing.expiration_time ||
      timeZone !== existing.timezone ||
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
        timeZone,
        now,
        id: existing.id,
      });
      lengths.add(label, fields);
    }
    link(existing.id, row.tags);
    if (sameFile) counts.duplicates++;
    else if (changed) counts.updated++;
    else counts.duplicates++;
    if (existing.id <= maxIdBefore) touched[existing.id] = 1;
    return true;
  };

  return {
    counts,
    finish() {
      ensureSubscriptionIndexes(db);
    },
    write(batch, at) {
      now = at;
      db.transaction(() => {
        for (const row of batch) {
          // An endpoint already waiting in `pending` must be in the table before it is compared.
          if (pendingHashes.has(row.endpointHash)) insertPending();
          if (known.get(row.endpointHash) !== undefined && writeExisting(row)) continue;
          pending.push(row);
          pendingHashes.add(row.endpointHash);
          if (pending.length === ROWS_PER_INSERT) insertPending();
        }
        insertPending();
        insertLinks();
        saveFieldLengths(db, appId, lengths);
      })();
    },
  };
}
