// Imports through the real worker thread into a real SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportToText } from '../../../../support/export-text.ts';
import { importSubscriptions } from '../../../../../src/main/core/subscriptions/import/service.ts';
import {
  countSubscriptions,
  listPage,
  subscriptionDetail,
} from '../../../../../src/main/core/subscriptions/list-query.ts';
import type { ImportFormat } from '../../../../../src/shared/subscriptions.ts';
import { testContext } from '../../../../support/context.ts';
import { createTestApp } from '../../../../support/fixtures.ts';
import { tempDir } from '../../../../support/temp-dir.ts';
import { csvOf, jsonOf, offCurveKey, realKey, subscription } from '../subscription-fixtures.ts';

function setup() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const run = (text: string, options: { tags?: string[]; format?: ImportFormat; fileName?: string } = {}) =>
    importSubscriptions(ctx, {
      appId: app.id,
      source: { text, fileName: options.fileName ?? 'list' },
      tags: options.tags,
      format: options.format,
    });
  return { ctx, app, run };
}

describe('subscription import', () => {
  it('imports a CSV list, binds it to the current key, derives the push service and adds the tags given', async () => {
    const { ctx, app, run } = setup();
    const subs = [subscription(1), subscription(2, 'https://updates.push.services.mozilla.com/wpush/v2/')];
    const summary = await run(csvOf(subs), { tags: ['launch'] });
    expect(summary).toMatchObject({
      format: 'csv',
      rows: 2,
      inserted: 2,
      updated: 0,
      duplicates: 0,
      rejected: 0,
    });
    const rows = ctx.db
      .prepare('SELECT endpoint, key_id, push_service, status FROM subscriptions ORDER BY id')
      .all();
    expect(rows).toEqual([
      { endpoint: subs[0]!.endpoint, key_id: app.keyId, push_service: 'fcm', status: 'active' },
      { endpoint: subs[1]!.endpoint, key_id: app.keyId, push_service: 'mozilla', status: 'active' },
    ]);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['launch'] })).toBe(2);
  });

  it('deduplicates by endpoint within the file and against the list; changed keys count as updated', async () => {
    const { ctx, app, run } = setup();
    const a = subscription(1);
    const b = subscription(2);
    expect(await run(csvOf([a, b, a]))).toMatchObject({ inserted: 2, duplicates: 1, updated: 0 });
    const newKeys = { ...b, ...realKey() };
    // The endpoint differs from a's by one byte at the end: a different subscription.
    const c = { ...a, endpoint: `${a.endpoint}0` };
    expect(await run(jsonOf([a, newKeys, c]))).toMatchObject({ inserted: 1, updated: 1, duplicates: 1 });
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(3);
    const stored = ctx.db.prepare('SELECT p256dh FROM subscriptions WHERE endpoint = ?').get(b.endpoint) as {
      p256dh: string;
    };
    expect(stored.p256dh).toBe(newKeys.p256dh);
  });

  it('later rows of the same endpoint with other keys win, counted as duplicates', async () => {
    const { ctx, run } = setup();
    const a = subscription(1);
    const again = { ...a, ...realKey() };
    expect(await run(csvOf([a, again]))).toMatchObject({ inserted: 1, duplicates: 1, updated: 0 });
    expect(ctx.db.prepare('SELECT p256dh FROM subscriptions').pluck().get()).toBe(again.p256dh);
  });

  it('lists every bad row with its reason and imports the rest', async () => {
    const { ctx, app, run } = setup();
    const good = subscription(1);
    const key = realKey();
    const text = [
      'endpoint,p256dh,auth,expiration_time',
      `${good.endpoint},${good.p256dh},${good.auth},`,
      `http://push.example.com/x,${key.p256dh},${key.auth},`,
      `http://127.0.0.1:9000/push/1,${key.p256dh},${key.auth},`,
      `https://push.example.com/y,${offCurveKey()},${key.auth},`,
      `https://push.example.com/z,${key.p256dh},AAAA,`,
      `/relative,${key.p256dh},${key.auth},`,
      `https://push.example.com/old,${key.p256dh},${key.auth},2001-01-01T00:00:00Z`,
      `https://push.example.com/w,${key.p256dh},${key.auth},next tuesday`,
    ].join('\r\n');
    const summary = await run(text);
    expect(summary).toMatchObject({ inserted: 3, rejected: 5 });
    expect(summary.rejects).toEqual([
      { row: 3, reason: 'ENDPOINT_NOT_HTTPS' },
      { row: 5, reason: 'P256DH_OFF_CURVE' },
      { row: 6, reason: 'AUTH_WRONG_LENGTH' },
      { row: 7, reason: 'ENDPOINT_INVALID' },
      { row: 9, reason: 'EXPIRATION_INVALID' },
    ]);
    expect(countSubscriptions(ctx.db, app.id, { status: 'expired' })).toBe(1);
  });

  it('maps foreign column names and keeps other columns as custom fields', async () => {
    const { ctx, app, run } = setup();
    const s = subscription(1);
    const std = (b64url: string) => Buffer.from(b64url, 'base64url').toString('base64');
    const text = `"Endpoint URL",web_p256,web_auth,Segments,Name,City\n${s.endpoint},${std(s.p256dh)},${std(s.auth)},"vip|fr",Ada,"Paris, FR"\n`;
    expect(await run(text)).toMatchObject({ inserted: 1, rejected: 0 });
    const [row] = listPage(ctx.db, app.id, {}, 'newest', 0);
    const detail = subscriptionDetail(ctx.db, app.id, row!.id);
    expect(detail).toMatchObject({
      label: 'Ada',
      tags: ['fr', 'vip'],
      fields: { City: 'Paris, FR' },
      p256dh: s.p256dh,
    });
  });

  it('refuses files it cannot read with a clear message and leaves the list as it was', async () => {
    const { ctx, app, run } = setup();
    await run(csvOf([subscription(1)]));
    const cases: [string, string][] = [
      ['', 'IMPORT_EMPTY'],
      ['   \n', 'IMPORT_EMPTY'],
      ['{\n  "endpoint": "https://a"\n}', 'IMPORT_NOT_ARRAY'],
      ['{"subscriptions": [{"endpoint": "https://a"}]}', 'IMPORT_NOT_ARRAY'],
      ['id,name\n1,x\n', 'IMPORT_COLUMNS_MISSING'],
      ['\u0000\u0001\u0002binary\u0000', 'IMPORT_NOT_TEXT'],
    ];
    for (const [text, code] of cases) await expect(run(text)).rejects.toMatchObject({ code });
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(1);
  });

  it('refuses binary garbage and a 50 MB single line read from disk', async () => {
    const { ctx, app } = setup();
    const dir = tempDir();
    const garbage = path.join(dir, 'garbage.bin');
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)));
    await expect(
      importSubscriptions(ctx, { appId: app.id, source: { path: garbage } }),
    ).rejects.toMatchObject({ code: 'IMPORT_NOT_TEXT' });
    const oneLine = path.join(dir, 'one-line.csv');
    fs.writeFileSync(oneLine, 'x'.repeat(50 * 1024 * 1024));
    await expect(
      importSubscriptions(ctx, { appId: app.id, source: { path: oneLine } }),
    ).rejects.toMatchObject({ code: 'IMPORT_NOT_CSV' });
    const ndjsonLine = path.join(dir, 'one-line.ndjson');
    fs.writeFileSync(
      ndjsonLine,
      `{"endpoint": "${'x'.repeat(3 * 1024 * 1024)}"}\n${JSON.stringify({ endpoint: subscription(9).endpoint, keys: realKey() })}\n`,
    );
    const summary = await importSubscriptions(ctx, { appId: app.id, source: { path: ndjsonLine } });
    expect(summary).toMatchObject({ inserted: 1, rejects: [{ row: 1, reason: 'ROW_TOO_LONG' }] });
  });

  it('imports the complete part of a truncated JSON file and says so', async () => {
    const { ctx, app, run } = setup();
    const text = jsonOf([subscription(1), subscription(2), subscription(3)]).slice(0, -30);
    const summary = await run(text);
    expect(summary.inserted).toBe(2);
    expect(summary.notice).toMatch(/truncated/);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(2);
  });

  it('writes every rejected row to a rejects file', async () => {
    const { ctx, app } = setup();
    const dir = tempDir();
    const rejectsPath = path.join(dir, 'rejects.csv');
    const list = path.join(dir, 'list.csv');
    fs.writeFileSync(list, csvOf([subscription(1), { ...subscription(2), auth: 'c2hvcnQ' }]));
    await importSubscriptions(ctx, { appId: app.id, source: { path: list }, rejectsPath });
    expect(fs.readFileSync(rejectsPath, 'utf8')).toBe(
      `row,reason,endpoint\n3,AUTH_WRONG_LENGTH,https://fcm.googleapis.com/fcm/send/token-2?q=2\n`,
    );
  });

  it.each(['csv', 'json', 'ndjson'] as const)(
    'round-trips export → import through %s without loss',
    async (format) => {
      const { ctx, app, run } = setup();
      const subs = [subscription(1), subscription(2), subscription(3)];
      // An auth secret that starts with '-' is escaped in CSV like a formula, and must come back intact.
      subs[0]!.auth = `-${subs[0]!.auth.slice(1)}`;
      const text = `endpoint,p256dh,auth,tags,label,status,plan\n${subs[0]!.endpoint},${subs[0]!.p256dh},${subs[0]!.auth},a;b,"=HYPERLINK(""x"")",,gold\n${subs[1]!.endpoint},${subs[1]!.p256dh},${subs[1]!.auth},,"Bob, Jr.",expired,\n${subs[2]!.endpoint},${subs[2]!.p256dh},${subs[2]!.auth},b,,active,"-1"\n`;
      await run(text);
      const exported = exportToText(ctx.db, app.id, {}, format);
      expect(exported.count).toBe(3);
      if (format === 'csv') {
        expect(exported.text).toContain(`"'=HYPERLINK(""x"")"`);
        expect(exported.text).toContain(`,'${subs[0]!.auth},`);
      }

      const other = createTestApp(ctx);
      await importSubscriptions(ctx, { appId: other.id, source: { text: exported.text } });
      const describeList = (appId: number) =>
        listPage(ctx.db, appId, {}, 'oldest', 0).map((row) => {
          const d = subscriptionDetail(ctx.db, appId, row.id);
          return [d.endpoint, d.p256dh, d.auth, d.tags, d.label, d.status, d.fields, d.createdAt];
        });
      expect(describeList(other.id)).toEqual(describeList(app.id));
    },
  );

  it('stops between batches when cancelled and keeps whole rows only', async () => {
    const { ctx, app } = setup();
    const dir = tempDir();
    const list = path.join(dir, 'big.csv');
    const key = realKey();
    const lines = ['endpoint,p256dh,auth,tags'];
    for (let i = 0; i < 60_000; i++)
      lines.push(`https://push.example.com/s/${i},${key.p256dh},${key.auth},t${i % 3}`);
    fs.writeFileSync(list, lines.join('\n'));
    const { cancelImport } = await import('../../../../../src/main/core/subscriptions/import/service.ts');
    const summary = await importSubscriptions(
      ctx,
      { appId: app.id, importId: 'cancel-me', source: { path: list } },
      () => {
        cancelImport('cancel-me');
      },
    );
    expect(summary.cancelled).toBe(true);
    expect(ctx.recorded.some((e) => e.event === 'subscriptions.import.progress')).toBe(true);
    const count = countSubscriptions(ctx.db, app.id, {});
    expect(count).toBe(summary.inserted);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(60_000);
    // Every stored row has its tag: no half-written rows.
    const untagged = ctx.db
      .prepare(
        'SELECT count(*) FROM subscriptions s WHERE NOT EXISTS (SELECT 1 FROM subscription_tags st WHERE st.subscription_id = s.id)',
      )
      .pluck()
      .get();
    expect(untagged).toBe(0);
  });
});

describe('large imports', () => {
  it('dedupes the same way while the endpoint index is deferred, and builds the index back', async () => {
    const { runImport } = await import('../../../../../src/main/core/subscriptions/import/run.ts');
    const ctx = testContext();
    const app = createTestApp(ctx);
    const a = subscription(1);
    const b = subscription(2);
    const c = subscription(3);
    const job = (text: string) => ({ appId: app.id, keyId: app.keyId, source: { text } });
    const hooks = { now: Date.now, deferIndexFromBytes: 0, batchSize: 2 };
    expect(await runImport(ctx.db, job(csvOf([a, b])), hooks)).toMatchObject({ inserted: 2 });
    const changedB = { ...b, ...realKey() };
    const summary = await runImport(ctx.db, job(csvOf([a, c, changedB, c, a])), hooks);
    expect(summary).toMatchObject({ inserted: 1, updated: 1, duplicates: 3 });
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(3);
    const index = ctx.db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'subscriptions_endpoint'")
      .pluck()
      .get();
    expect(index).toMatch(/endpoint_hash/);
  });
});

describe('imports read on a thread of their own', () => {
  const threaded = { readThreadFromBytes: 0 };
  const fileOf = (name: string, text: string) => {
    const file = path.join(tempDir(), name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('give the same summary and list as one thread, rejects and duplicates included', async () => {
    const subs = [subscription(1), subscription(2), subscription(3)];
    const file = fileOf(
      'list.csv',
      `${csvOf([...subs, subs[0]!, { ...subscription(4), auth: 'AAAA' }])}http://plain.example/x,${subs[1]!.p256dh},${subs[1]!.auth}\n`,
    );
    const results = [];
    for (const readThreadFromBytes of [Infinity, 0]) {
      const ctx = testContext();
      const app = createTestApp(ctx);
      const request = { appId: app.id, source: { path: file }, tags: ['t'] };
      const summary = await importSubscriptions(ctx, request, undefined, { readThreadFromBytes });
      const list = listPage(ctx.db, app.id, {}, 'oldest', 0).map((row) => [row.endpoint, row.tags]);
      results.push({ ...summary, durationMs: 0, list });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[1]).toMatchObject({ inserted: 3, duplicates: 1, rejected: 2 });
  });

  it('report a broken file from the reading thread with its code', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const columns = { appId: app.id, source: { path: fileOf('columns.csv', 'id,name\n1,x\n') } };
    await expect(importSubscriptions(ctx, columns, undefined, threaded)).rejects.toMatchObject({
      code: 'IMPORT_COLUMNS_MISSING',
    });
    const truncated = fileOf('truncated.json', jsonOf([subscription(1), subscription(2)]).slice(0, -20));
    const summary = await importSubscriptions(
      ctx,
      { appId: app.id, source: { path: truncated } },
      undefined,
      threaded,
    );
    expect(summary).toMatchObject({ inserted: 1, notice: expect.stringMatching(/truncated/) });
  });

  it('stop when cancelled, with whole rows only', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const key = realKey();
    const lines = ['endpoint,p256dh,auth,tags'];
    for (let i = 0; i < 60_000; i++)
      lines.push(`https://push.example.com/t/${i},${key.p256dh},${key.auth},t${i % 3}`);
    const big = fileOf('big.csv', lines.join('\n'));
    const { cancelImport } = await import('../../../../../src/main/core/subscriptions/import/service.ts');
    const summary = await importSubscriptions(
      ctx,
      { appId: app.id, importId: 'cancel-threaded', source: { path: big } },
      () => {
        cancelImport('cancel-threaded');
      },
      threaded,
    );
    expect(summary.cancelled).toBe(true);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(summary.inserted);
    expect(summary.inserted).toBeLessThan(60_000);
  });
});
