// The custom fields' and time zones' indexes over a real SQLite list: imports create them (a large import drops and builds them
// again), an upgraded database gets them, and a filter on a field pages and counts through its index with the
// same rows as a plain reading of every subscription's fields, in the trash's absence, any case and any depth.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/db/database.ts';
import { deleteSubscriptions } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { MAX_FIELD_INDEXES, fieldIndexName } from '../../../../src/main/core/subscriptions/field-indexes.ts';
import { runImport } from '../../../../src/main/core/subscriptions/import/run.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { filterSql, sorts, walk } from '../../../../src/main/core/subscriptions/list-filter.ts';
import { countSubscriptions, listPage } from '../../../../src/main/core/subscriptions/list-query.ts';
import { timeZoneFacets } from '../../../../src/main/core/subscriptions/time-zones.ts';
import { PAGE_SIZE, type SubscriptionFilter } from '../../../../src/shared/subscriptions.ts';
import type { Db } from '../../../../src/main/core/db/database.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { databaseAtSchema } from '../../../support/old-schema.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { realKey } from './subscription-fixtures.ts';

const cities = ['Berlin', 'berlin', 'Paris', 'BERLIN', 'Oslo'];

/** A CSV of `rows` subscriptions with a city, a field whose name has a single quote, and one with a double quote. */
function csv(rows: number, from = 0): string {
  const key = realKey();
  const lines = [`endpoint,p256dh,auth,city,it's,"say ""hi"""`];
  for (let i = from; i < from + rows; i++) {
    lines.push(
      `https://fcm.googleapis.com/fcm/send/f-${i},${key.p256dh},${key.auth},${cities[i % cities.length]},${i % 2 ? 'yes' : 'no'},x`,
    );
  }
  return lines.join('\n');
}

const indexes = (db: Db) =>
  db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND name GLOB 'subscriptions_field_*' ORDER BY name",
    )
    .pluck()
    .all() as string[];

/** How SQLite counts the time zones' facets. */
const timeZonePlan = (db: Db) =>
  (
    db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT s.timezone, COUNT(*) FROM subscriptions s
         WHERE s.app_id = 1 AND s.deleted_at IS NULL GROUP BY s.timezone`,
      )
      .all() as Array<{ detail: string }>
  )
    .map((step) => step.detail)
    .join('\n');

/** The ids the filter must find, read from every row's fields in JavaScript, newest first. */
function expected(db: Db, appId: number, name: string, value: string): number[] {
  const rows = db
    .prepare('SELECT id, fields FROM subscriptions WHERE app_id = ? AND deleted_at IS NULL ORDER BY id DESC')
    .all(appId) as Array<{ id: number; fields: string | null }>;
  return rows
    .filter((row) => {
      const field = (JSON.parse(row.fields ?? '{}') as Record<string, string>)[name];
      return field?.toLowerCase() === value.toLowerCase();
    })
    .map((row) => row.id);
}

describe('custom field indexes', () => {
  it('are created by an import, for each field a filter can name, and pages and counts go through them', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    await importSubscriptions(ctx, { appId: app.id, source: { text: csv(600) } });
    // The double-quoted name cannot be a JSON path (the filter refuses it too); the label is not a field.
    expect(indexes(ctx.db)).toEqual([fieldIndexName('city'), fieldIndexName("it's")].sort());

    const berlin: SubscriptionFilter = { fields: [{ name: 'city', value: 'Berlin' }] };
    expect(walk(ctx.db, berlin, sorts.newest)).toBe(` INDEXED BY ${fieldIndexName('city')}`);
    const { where, params } = filterSql(app.id, berlin);
    const plan = ctx.db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM subscriptions s WHERE ${where}`)
      .all(...params) as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail).join('\n')).toContain(fieldIndexName('city'));

    // Some of Berlin in the trash: the index covers the list outside it only.
    const trashed = expected(ctx.db, app.id, 'city', 'berlin').filter((_, i) => i % 7 === 0);
    deleteSubscriptions(ctx, app.id, { ids: trashed });
    const ids = expected(ctx.db, app.id, 'city', 'berlin');
    expect(ids.length).toBe(360 - trashed.length);
    expect(countSubscriptions(ctx.db, app.id, berlin)).toBe(ids.length);
    for (const page of [0, 3, 1, 6]) {
      expect(listPage(ctx.db, app.id, berlin, 'newest', page).map((row) => row.id)).toEqual(
        ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
      );
      expect(listPage(ctx.db, app.id, berlin, 'oldest', page).map((row) => row.id)).toEqual(
        [...ids].reverse().slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
      );
    }
    // Another order walks its own index; the same rows.
    expect(
      listPage(ctx.db, app.id, berlin, 'endpoint', 0, 1000)
        .map((row) => row.id)
        .sort(),
    ).toEqual([...ids].sort());
    // In the trash the index does not apply; the filter still does.
    expect(walk(ctx.db, { ...berlin, deleted: true }, sorts.newest)).toBe(' NOT INDEXED');
    expect(countSubscriptions(ctx.db, app.id, { ...berlin, deleted: true })).toBe(trashed.length);
    // A name with a single quote, written into the SQL as a literal.
    const yes = expected(ctx.db, app.id, "it's", 'YES');
    expect(yes.length).toBeGreaterThan(0);
    expect(countSubscriptions(ctx.db, app.id, { fields: [{ name: "it's", value: 'YES' }] })).toBe(yes.length);
    expect(
      listPage(
        ctx.db,
        app.id,
        { fields: [{ name: "it's", value: 'yes' }, ...berlin.fields!] },
        'newest',
        0,
      ).map((row) => row.id),
    ).toEqual(yes.filter((id) => ids.includes(id)).slice(0, PAGE_SIZE));
  });

  it('are dropped by a large import and built again at its end, new fields included, up to the cap', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const hooks = { now: Date.now, deferIndexFromBytes: 0, batchSize: 50 };
    const job = (text: string) => ({ appId: app.id, keyId: app.keyId, source: { text } });
    await runImport(ctx.db, job(csv(200)), hooks);
    expect(indexes(ctx.db)).toHaveLength(2);
    // Ten more fields: the first MAX_FIELD_INDEXES names by name have an index, the others none.
    const key = realKey();
    const names = Array.from({ length: 10 }, (_, i) => `f${i}`);
    const lines = [`endpoint,p256dh,auth,${names.join(',')}`];
    for (let i = 0; i < 100; i++) {
      lines.push(
        `https://fcm.googleapis.com/fcm/send/g-${i},${key.p256dh},${key.auth},${names.map((n) => `${n}-${i % 3}`).join(',')}`,
      );
    }
    await runImport(ctx.db, job(lines.join('\n')), hooks);
    const wanted = ['city', ...names, "it's"].sort().slice(0, MAX_FIELD_INDEXES);
    expect(indexes(ctx.db)).toEqual(wanted.map(fieldIndexName).sort());
    expect(timeZonePlan(ctx.db)).toContain('subscriptions_by_timezone');
    // A field beyond the cap filters by reading each row, with the same answer.
    const last = { fields: [{ name: 'f9', value: 'F9-1' }] };
    expect(walk(ctx.db, last, sorts.newest)).toBe(' NOT INDEXED');
    expect(countSubscriptions(ctx.db, app.id, last)).toBe(expected(ctx.db, app.id, 'f9', 'f9-1').length);
    expect(listPage(ctx.db, app.id, last, 'newest', 0).map((row) => row.id)).toEqual(
      expected(ctx.db, app.id, 'f9', 'f9-1').slice(0, PAGE_SIZE),
    );
  });

  it('are built when a database from before them is opened', () => {
    const file = path.join(tempDir(), 'v16.db');
    const raw = databaseAtSchema(file, 16);
    raw.exec(`
      INSERT INTO apps (id, name, subject, created_at, updated_at) VALUES (1, 'a.example', 'mailto:a@a.example', 1, 1);
      INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, fields, created_at, updated_at)
        VALUES (1, 1, 'https://push.example/1', 1, 'k', 'a', 'other', '{"city":"Berlin"}', 1, 1),
               (2, 1, 'https://push.example/2', 2, 'k', 'a', 'other', '{"city":"Rome"}', 1, 1);
      INSERT INTO subscription_field_lengths (app_id, name, max_bytes, max_escaped_bytes) VALUES (1, 'city', 6, 6);
    `);
    raw.close();
    const db = openDatabase(file);
    expect(indexes(db)).toEqual([fieldIndexName('city')]);
    expect(timeZonePlan(db)).toContain('subscriptions_by_timezone');
    expect(timeZoneFacets(db, 1)).toEqual([{ timeZone: null, count: 2 }]);
    const berlin = { fields: [{ name: 'city', value: 'berlin' }] };
    expect(walk(db, berlin, sorts.newest)).toBe(` INDEXED BY ${fieldIndexName('city')}`);
    expect(listPage(db, 1, berlin, 'newest', 0).map((row) => row.id)).toEqual([1]);
    db.close();
  });
});
