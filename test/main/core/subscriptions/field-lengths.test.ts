// The longest label and field values per app (field-lengths.ts): kept up by imports, raised and never
// lowered, and the CSV export's columns, with a pass over the rows when a row holds a field they lack.
import { describe, expect, it } from 'vitest';
import { exportToText } from '../../../support/export-text.ts';
import { fieldLengths } from '../../../../src/main/core/subscriptions/field-lengths.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { endpointHash } from '../../../../src/main/core/subscriptions/endpoint-hash.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { realKey } from './subscription-fixtures.ts';
import { fieldLengths as fieldLengthsMigration } from '../../../../src/main/core/db/migrations/010-field-lengths.ts';

describe('field lengths', () => {
  const ctx = testContext();
  const keys = realKey();
  const importJson = (appId: number, list: unknown[]) =>
    importSubscriptions(ctx, { appId, source: { text: JSON.stringify(list), fileName: 'list.json' } });

  it('records the longest label and value of each field at import, in bytes as inserted and escaped', async () => {
    const app = createTestApp(ctx);
    await importJson(app.id, [
      {
        endpoint: 'https://push.example/a',
        keys,
        label: 'Zoë',
        fields: { city: 'Berlin', quote: 'say "hi"' },
      },
      { endpoint: 'https://push.example/b', keys, label: 'Al', fields: { city: 'Lisboa\n' } },
    ]);
    expect(Object.fromEntries(fieldLengths(ctx.db, app.id))).toEqual({
      label: { maxBytes: 4, maxEscapedBytes: 4 },
      city: { maxBytes: 7, maxEscapedBytes: 8 },
      quote: { maxBytes: 8, maxEscapedBytes: 10 },
    });
    // A re-import with shorter values leaves the maxima: an upper bound, as the budget needs.
    await importJson(app.id, [
      { endpoint: 'https://push.example/a', keys, label: 'Z', fields: { city: 'Rome' } },
    ]);
    expect(fieldLengths(ctx.db, app.id).get('city')).toEqual({ maxBytes: 7, maxEscapedBytes: 8 });
    // A longer one raises them.
    await importJson(app.id, [{ endpoint: 'https://push.example/c', keys, fields: { city: 'Reykjavík' } }]);
    expect(fieldLengths(ctx.db, app.id).get('city')).toEqual({ maxBytes: 10, maxEscapedBytes: 10 });
  });

  it('gives the CSV export its columns, and a field written around the import still gets one', async () => {
    const app = createTestApp(ctx);
    await importJson(app.id, [{ endpoint: 'https://push.example/1', keys, fields: { city: 'Oslo' } }]);
    // Written straight into the table, as no import does: the recorded names lack "zone".
    ctx.db
      .prepare(
        `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, fields,
           created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'other', ?, 0, 0)`,
      )
      .run(
        app.id,
        'https://push.example/2',
        endpointHash('https://push.example/2'),
        keys.p256dh,
        keys.auth,
        '{"zone":"B"}',
      );
    const [header, first, second] = exportToText(ctx.db, app.id, {}, 'csv').text.split('\n');
    expect(header).toMatch(/,city,zone$/);
    expect(first).toMatch(/,Oslo,$/);
    expect(second).toMatch(/,,B$/);
  });

  it('is filled from the rows already there when the schema arrives', async () => {
    const app = createTestApp(ctx);
    await importJson(app.id, [
      { endpoint: 'https://push.example/m1', keys, label: 'Ann', fields: { city: 'Tórshavn', note: 'a\tb' } },
      { endpoint: 'https://push.example/m2', keys, label: 'Bartholomew', fields: { city: 'Oslo' } },
    ]);
    const recorded = Object.fromEntries(fieldLengths(ctx.db, app.id));
    // A database of schema 9 had the rows but not the table: the migration measures them in SQL.
    ctx.db.exec('DROP TABLE subscription_field_lengths');
    fieldLengthsMigration.up(ctx.db);
    expect(Object.fromEntries(fieldLengths(ctx.db, app.id))).toEqual(recorded);
    expect(recorded).toEqual({
      label: { maxBytes: 11, maxEscapedBytes: 11 },
      city: { maxBytes: 9, maxEscapedBytes: 9 },
      note: { maxBytes: 3, maxEscapedBytes: 4 },
    });
  });
});
