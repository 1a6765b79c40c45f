// Export → import gives back what import stored, in every format (issue 12, item 6): a NUL is refused at
// import (no CSV could carry it back), labels lose their surrounding spaces at import from any format,
// line ends are stored as LF, and formula-looking text and field names come back exactly.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportFormat } from '../../../../src/shared/subscriptions.ts';
import { exportToText } from '../../../support/export-text.ts';
import { exportOnThread } from '../../../../src/main/core/subscriptions/export/thread.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { firstDifference, listDigest } from '../../../support/list-digest.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { realKey } from './subscription-fixtures.ts';

const tricky = [
  '\tAnna',
  'Anna\r',
  '  Anna  ',
  'A\r\nB',
  'A\nB',
  'A\rB',
  '=1+1',
  "'=x",
  "''@y",
  '-3',
  '+49 30 1234',
  '@home',
  '"quoted"',
  'a,b;c',
  'plain',
];

describe('export → import', () => {
  const ctx = testContext();
  const keys = realKey();
  const list = tricky.map((value, i) => ({
    endpoint: `https://push.example/send/${i}`,
    keys,
    label: value,
    tags: [`t${i}`, '=sum'],
    fields: { city: value, '=f': value, '+g': `${i}`, "'h": value },
  }));
  const rows = (appId: number) =>
    ctx.db
      .prepare('SELECT endpoint, label, fields, status FROM subscriptions WHERE app_id = ? ORDER BY id')
      .all(appId)
      .map((row) => {
        const { fields, ...rest } = row as { label: string | null; fields: string | null };
        return { ...rest, fields: fields === null ? null : (JSON.parse(fields) as Record<string, string>) };
      });

  it('refuses a NUL at import with a reason that says what to do', async () => {
    const app = createTestApp(ctx);
    const withNul = [
      { endpoint: 'https://push.example/nul/1', keys, label: 'A\u0000B' },
      { endpoint: 'https://push.example/nul/2', keys, fields: { note: 'x\u0000' } },
      { endpoint: 'https://push.example/nul/3', keys, tags: ['a\u0000'] },
      { endpoint: 'https://push.example/nul/4', keys, label: 'fine' },
    ];
    const summary = await importSubscriptions(ctx, {
      appId: app.id,
      source: { text: JSON.stringify(withNul), fileName: 'nul.json' },
    });
    expect(summary).toMatchObject({ inserted: 1, rejected: 3, rejectsByReason: { TEXT_HAS_NUL: 3 } });
  });

  for (const format of ['csv', 'json', 'ndjson'] as ImportFormat[]) {
    it(`gives back labels, tags and custom fields exactly through ${format}`, async () => {
      const first = createTestApp(ctx);
      const imported = await importSubscriptions(ctx, {
        appId: first.id,
        source: { text: JSON.stringify(list), fileName: 'tricky.json' },
      });
      expect(imported).toMatchObject({ inserted: tricky.length, rejected: 0 });
      const stored = rows(first.id);
      // What import made of the input: labels trimmed and CRLF as LF; field names kept, =f included.
      expect(stored.map((row) => row.label)).toStrictEqual(
        tricky.map((value) => value.trim().replace(/\r\n/g, '\n')),
      );
      expect(stored[0]!.fields).toStrictEqual({ city: '\tAnna', '=f': '\tAnna', '+g': '0', "'h": '\tAnna' });

      const exported = exportToText(ctx.db, first.id, {}, format).text;
      const second = createTestApp(ctx);
      const again = await importSubscriptions(ctx, {
        appId: second.id,
        source: { text: exported, fileName: `list.${format}` },
        format,
      });
      expect(again).toMatchObject({ inserted: tricky.length, rejected: 0 });
      expect(rows(second.id)).toStrictEqual(stored);
      const tags = (appId: number) =>
        ctx.db
          .prepare(
            `SELECT s.endpoint, group_concat(t.name, ' ' ORDER BY t.name) AS tags FROM subscriptions s
             JOIN subscription_tags st ON st.subscription_id = s.id JOIN tags t ON t.id = st.tag_id
             WHERE s.app_id = ? GROUP BY s.endpoint ORDER BY s.endpoint`,
          )
          .all(appId);
      expect(tags(second.id)).toStrictEqual(tags(first.id));
      if (format === 'csv') {
        // Still inert for a spreadsheet: every formula-looking cell and name starts with a quote.
        expect(exported.split('\n')[0]).toContain(",'=f,");
        expect(exported).toContain(",'=1+1,");
        expect(exported).toContain(",'''@y,");
      }
    });
  }
});

describe('export thread → file → import, a few thousand rows', () => {
  const ROWS = 3000;
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', null];
  const cities = ['Berlin', 'Paris, France', 'São Paulo', '=cmd', 'Line\nbreak'];
  // Each row its own key pair: a column mixed up between rows would show.
  const list = Array.from({ length: ROWS }, (_, i) => ({
    endpoint: `https://fcm.googleapis.com/fcm/send/rt-${i}?q=${(i * 7919) % 1000}`,
    keys: realKey(),
    ...(i % 5 === 0 ? {} : { label: `Reader ${i}${i % 7 === 0 ? ', "quoted"' : ''}` }),
    tags: i % 4 === 0 ? [] : [`group-${i % 3}`, ...(i % 9 === 0 ? ['vip', '=sum'] : [])],
    ...(i % 6 === 0
      ? {}
      : { fields: { city: cities[i % cities.length]!, ...(i % 2 ? { plan: `p${i % 4}` } : {}) } }),
    ...(zones[i % zones.length] ? { timezone: zones[i % zones.length] } : {}),
    createdAt: 1_700_000_000_000 + i * 1001,
    ...(i % 11 === 0 ? { status: 'expired' } : {}),
    ...(i % 13 === 0 ? { expirationTime: 4_102_444_800_000 + i } : {}),
  }));

  for (const format of ['csv', 'json', 'ndjson'] as ImportFormat[]) {
    it(`gives back every row through a ${format} file: keys, labels, tags, fields, zones, status, dates`, async () => {
      const ctx = testContext();
      const source = createTestApp(ctx);
      const imported = await importSubscriptions(ctx, {
        appId: source.id,
        source: { text: JSON.stringify(list), fileName: 'list.json' },
      });
      expect(imported).toMatchObject({ inserted: ROWS, rejected: 0 });
      const before = listDigest(ctx.db, source.id);
      expect(before.count).toBe(ROWS);
      // What is to come back is there: expired rows, zones, expirations, labels, fields and tags.
      expect(
        ctx.db
          .prepare(
            `SELECT sum(status = 'expired') AS expired, count(timezone) AS zones, count(expiration_time) AS expiring,
               count(label) AS labels, count(fields) AS fields,
               (SELECT count(*) FROM subscription_tags st JOIN tags t ON t.id = st.tag_id WHERE t.app_id = ?) AS tags
             FROM subscriptions WHERE app_id = ?`,
          )
          .get(source.id, source.id),
      ).toStrictEqual({ expired: 273, zones: 2250, expiring: 231, labels: 2400, fields: 2500, tags: 2750 });

      const file = path.join(tempDir(), `list.${format}`);
      const written = await exportOnThread(ctx, { appId: source.id, filter: {}, format, file });
      expect(written).toEqual({ count: ROWS, cancelled: false });
      const copy = createTestApp(ctx);
      const again = await importSubscriptions(ctx, { appId: copy.id, source: { path: file }, format });
      expect(again).toMatchObject({ inserted: ROWS, rejected: 0 });
      expect(firstDifference({ db: ctx.db, appId: source.id }, { db: ctx.db, appId: copy.id })).toBeNull();
      expect(listDigest(ctx.db, copy.id)).toStrictEqual(before);
    }, 60_000);
  }

  it('tells a changed row from the same list (the digest can fail)', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    await importSubscriptions(ctx, {
      appId: app.id,
      source: { text: JSON.stringify(list.slice(0, 50)), fileName: 'list.json' },
    });
    const before = listDigest(ctx.db, app.id);
    ctx.db
      .prepare(
        "UPDATE subscriptions SET fields = json_set(fields, '$.city', 'Rome') WHERE id = (SELECT min(id) FROM subscriptions WHERE fields IS NOT NULL)",
      )
      .run();
    expect(listDigest(ctx.db, app.id).sha256).not.toBe(before.sha256);
  });
});
