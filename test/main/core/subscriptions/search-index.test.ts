// The people search over a real SQLite file: what it finds after import, edit, delete, trash and restore,
// how it ranks, short texts, and the index built for subscriptions already there (migration 12).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteApp } from '../../../../src/main/core/apps/apps.ts';
import { searchSubscriptions } from '../../../../src/main/core/compose/audience.ts';
import { openDatabase } from '../../../../src/main/core/db/database.ts';
import {
  deleteSubscriptions,
  emptyTrash,
  restoreSubscriptions,
  tagSubscriptions,
} from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { filterSql } from '../../../../src/main/core/subscriptions/list-filter.ts';
import { countSubscriptions, listPage } from '../../../../src/main/core/subscriptions/list-query.ts';
import { matchQuery, searchIsBroad } from '../../../../src/main/core/subscriptions/search-index.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { databaseAtSchema } from '../../../support/old-schema.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { realKey } from './subscription-fixtures.ts';

const key = realKey();
const row = (token: string, label: string, city: string, first = '', tags = '') =>
  `https://fcm.googleapis.com/fcm/send/${token},${key.p256dh},${key.auth},${tags},${label},${first},${city}`;
const header = 'endpoint,p256dh,auth,tags,label,first_name,city';

async function list(ctx: CoreContext, appId: number, rows: string[]) {
  return importSubscriptions(ctx, { appId, source: { text: [header, ...rows].join('\n') } });
}

async function people() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  await list(ctx, app.id, [
    row('tok-aa11', 'Ada Lovelace', 'London', 'Ada', 'vip'),
    row('tok-bb22', 'Bob', 'München', 'Robert'),
    row('tok-cc33', 'carol', 'Berlin', 'Carol', 'newsletter'),
    row('zz-Xq7PlongRandomTokenPart', '', 'Paris', 'Dan'),
  ]);
  const labels = (search: string, filter = {}) =>
    listPage(ctx.db, app.id, { ...filter, search }, 'oldest', 0).map((r) => r.label ?? '');
  return { ctx, app, labels };
}

describe('people search', () => {
  it('finds people by part of a label, a custom field value, a tag or an endpoint, in any case', async () => {
    const { labels } = await people();
    expect(labels('LOVE')).toEqual(['Ada Lovelace']);
    expect(labels('robe')).toEqual(['Bob']);
    expect(labels('berl')).toEqual(['carol']);
    expect(labels('munchen'), 'diacritics ignored').toEqual(['Bob']);
    expect(labels('letter'), 'a tag by part of its name').toEqual(['carol']);
    expect(labels('zz-Xq7P'), 'the start of the endpoint’s token').toEqual(['']);
    expect(labels('Xq7Plong'), 'not the middle of a token').toEqual([]);
    expect(labels('tok-')).toEqual(['Ada Lovelace', 'Bob', 'carol']);
    expect(labels('https://fcm.googleapis.com/fcm/send/tok-b'), 'an endpoint by its start').toEqual(['Bob']);
    expect(labels('ada london'), 'every word somewhere').toEqual(['Ada Lovelace']);
    expect(labels('ada paris')).toEqual([]);
    expect(labels('nobody')).toEqual([]);
  });

  it('finds labels starting with a text too short for trigrams, and tags containing it', async () => {
    const { labels } = await people();
    expect(labels('bo')).toEqual(['Bob']);
    expect(labels('CA')).toEqual(['carol']);
    expect(labels('ip'), 'the tag vip').toEqual(['Ada Lovelace']);
    expect(labels('ob'), 'not in the middle of a label').toEqual([]);
  });

  it('keeps the index in step with a re-import that edits, a delete, the trash, a restore and emptying it', async () => {
    const { ctx, app, labels } = await people();
    await list(ctx, app.id, [row('tok-bb22', 'Roberta', 'Hamburg', 'Bobbie')]);
    expect(labels('roberta')).toEqual(['Roberta']);
    expect(labels('munchen'), 'the old city is gone').toEqual([]);
    expect(labels('hamb')).toEqual(['Roberta']);

    const { deletedAt } = deleteSubscriptions(ctx, app.id, { filter: { search: 'hamb' } });
    expect(labels('hamb')).toEqual([]);
    expect(labels('hamb', { deleted: true }), 'in the trash, found there').toEqual(['Roberta']);
    restoreSubscriptions(ctx, app.id, { deletedAt });
    expect(labels('hamb')).toEqual(['Roberta']);

    deleteSubscriptions(ctx, app.id, { filter: { search: 'carol' } });
    expect(emptyTrash(ctx, app.id)).toBe(1);
    expect(labels('carol', { deleted: true })).toEqual([]);
    const indexed = () => ctx.db.prepare('SELECT count(*) FROM subscription_search').pluck().get();
    expect(indexed()).toBe(3);

    tagSubscriptions(ctx, app.id, { filter: { search: 'roberta' } }, ['gold-members']);
    expect(labels('members')).toEqual(['Roberta']);
    expect(countSubscriptions(ctx.db, app.id, { search: 'gold' })).toBe(1);

    deleteApp(ctx, app.id, app.name);
    expect(indexed(), 'deleting the app removes its subscriptions from the index').toBe(0);
  });

  it('ranks a label match above a custom field match, then endpoints, for the one-off search', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    await list(ctx, app.id, [
      row('zeta-one', 'Zoe', 'Oslo'),
      row('oslo-endpoint', 'Yann', 'Rome'),
      row('zeta-three', 'Oslo Office', 'Rome'),
    ]);
    const found = searchSubscriptions(ctx, app.id, 'oslo').map((m) => m.label);
    expect(found).toEqual(['Oslo Office', 'Zoe', 'Yann']);
    expect(searchSubscriptions(ctx, app.id, 'oslo', 1).map((m) => m.label)).toEqual(['Oslo Office']);
  });

  it('finds the same whether a search walks the list (a broad one) or looks its matches up', async () => {
    const { ctx, app } = await people();
    for (const search of ['love', 'tok-', 'letter', 'bo', 'ada london', 'https://fcm.googleapis.com/']) {
      const ids = (broad: boolean) => {
        const { where, params } = filterSql(app.id, { search }, { broadSearch: broad });
        return ctx.db
          .prepare(`SELECT s.id FROM subscriptions s WHERE ${where} ORDER BY s.id`)
          .pluck()
          .all(...params);
      };
      expect(ids(true), search).toEqual(ids(false));
      expect(ids(true).length, search).toBeGreaterThan(0);
    }
    expect(searchIsBroad(ctx.db, app.id, 'love')).toBe(false);
  });

  it('counts a search in the list alone: not what it finds in another app or the trash, each match once', async () => {
    const ctx = testContext();
    const shop = createTestApp(ctx);
    const other = createTestApp(ctx, 'Other');
    await list(ctx, shop.id, [
      row('tok-1', 'Ana', 'Berlin'),
      row('tok-2', 'Ben', 'Berlin', '', 'berlin-team'),
      row('berlin-3', 'Cleo', 'Oslo', '', 'berlin-team'),
      row('tok-4', 'Dan', 'Berlin'),
      row('tok-5', 'Eve', 'Paris'),
    ]);
    await list(ctx, other.id, [row('tok-6', 'Fay', 'Berlin'), row('tok-7', 'Gus', 'Berlin')]);
    deleteSubscriptions(ctx, shop.id, { filter: { search: 'dan' } });
    // The city, a tag and an endpoint's token find Ben and Cleo twice; Dan is in the trash, Fay and Gus in
    // the other app.
    const lookedUp = (appId: number, search: string) => {
      const { where, params } = filterSql(appId, { search });
      return ctx.db
        .prepare(`SELECT count(*) FROM subscriptions s WHERE ${where}`)
        .pluck()
        .get(...params);
    };
    expect(countSubscriptions(ctx.db, shop.id, { search: 'berlin' })).toBe(3);
    expect(lookedUp(shop.id, 'berlin')).toBe(3);
    expect(countSubscriptions(ctx.db, other.id, { search: 'berlin' })).toBe(2);
    expect(countSubscriptions(ctx.db, shop.id, { search: 'berlin', deleted: true })).toBe(1);
    emptyTrash(ctx, shop.id);
    deleteApp(ctx, other.id, other.name);
    expect(countSubscriptions(ctx.db, shop.id, { search: 'berlin' }), 'nothing outside the list').toBe(3);
    expect(countSubscriptions(ctx.db, shop.id, { search: 'paris' })).toBe(1);
  });

  it('turns a text into an FTS5 query: words of three or more anywhere, else the text as written', () => {
    expect(matchQuery('anna berlin')).toBe('"anna" AND "berlin"');
    expect(matchQuery('user 7')).toBe('"user 7"');
    expect(matchQuery('say "hi"')).toBe('"say" AND """hi"""');
    expect(matchQuery('ab')).toBeNull();
    expect(matchQuery('äöü')).toBe('"äöü"');
  });

  it('indexes the subscriptions of a schema-11 file when it is opened', () => {
    const file = path.join(tempDir(), 'v11.db');
    const raw = databaseAtSchema(file, 11);
    raw.exec(`
      INSERT INTO apps (id, name, subject, created_at, updated_at) VALUES (1, 'a.example', 'mailto:a@a.example', 1, 1);
      INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, fields, created_at, updated_at)
        VALUES (1, 1, 'https://push.example/abc-123', 1, 'k', 'a', 'other', 'Old Friend', '{"city":"Lisboa"}', 1, 1),
               (2, 1, 'https://push.example/def-456', 2, 'k', 'a', 'other', NULL, 'not json', 1, 1);
    `);
    raw.close();
    const db = openDatabase(file);
    const found = (text: string) => listPage(db, 1, { search: text }, 'oldest', 0).map((r) => r.id);
    expect(found('lisb')).toEqual([1]);
    expect(found('friend')).toEqual([1]);
    expect(found('def-45')).toEqual([2]);
    db.close();
  });
});
