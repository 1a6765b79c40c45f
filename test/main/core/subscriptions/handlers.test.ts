// The subscriptions channels through the real dispatcher and handler table, as the window calls them.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { csvOf, subscription } from './subscription-fixtures.ts';

describe('subscriptions channels', () => {
  it('imports text from the window, pages, counts and shows a detail', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const handlers = createHandlers(ctx);
    const call = (channel: string, input: unknown) =>
      dispatch(handlers, channel, input, { log: () => undefined });
    const preview = await call('subscriptions.import.preview', {
      source: { text: 'web_endpoint,web_p256,web_auth,plan\n' },
    });
    expect(preview).toMatchObject({
      ok: true,
      result: {
        format: 'csv',
        missing: [],
        columns: [{ target: 'endpoint' }, { target: 'p256dh' }, { target: 'auth' }, { target: 'field' }],
      },
    });
    const imported = await call('subscriptions.import', {
      importId: 'window-1',
      appId: app.id,
      source: { text: csvOf([subscription(1), subscription(2)]), fileName: 'list.csv' },
      tags: ['web'],
    });
    expect(imported).toMatchObject({ ok: true, result: { inserted: 2, rejected: 0 } });
    const page = await call('subscriptions.page', {
      appId: app.id,
      filter: { tags: ['web'] },
      sort: 'oldest',
      page: 0,
    });
    expect(page).toMatchObject({ ok: true, result: { rows: [{ tags: ['web'] }, { tags: ['web'] }] } });
    const id = (page as { result: { rows: { id: number }[] } }).result.rows[0]!.id;
    expect(await call('subscriptions.detail', { appId: app.id, id })).toMatchObject({
      ok: true,
      result: { endpoint: subscription(1).endpoint, keyId: app.keyId, pushService: 'fcm' },
    });
    expect(await call('subscriptions.count', { appId: app.id, filter: {} })).toEqual({
      ok: true,
      result: { count: 2 },
    });
  });

  it('answers bad requests with stable codes', async () => {
    const ctx = testContext();
    const handlers = createHandlers(ctx);
    const call = (channel: string, input: unknown) =>
      dispatch(handlers, channel, input, { log: () => undefined });
    expect(await call('subscriptions.count', { appId: 999, filter: {} })).toMatchObject({
      ok: false,
      error: { code: 'APP_NOT_FOUND' },
    });
    expect(await call('subscriptions.page', { appId: 1, filter: {}, sort: 'random', page: 0 })).toMatchObject(
      {
        ok: false,
        error: { code: 'IPC_INVALID_INPUT' },
      },
    );
    const app = createTestApp(ctx);
    for (const [channel, input] of [
      ['subscriptions.import', { importId: 'x', appId: app.id, source: { path: '/etc/passwd' } }],
      ['subscriptions.import.preview', { source: { path: 'relative.csv' } }],
    ] as const) {
      // The window names files by token only (file-tokens.test.ts): a path is not a valid request.
      expect(await call(channel, input)).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    }
    // The window never names the file an export writes: main asks where to save.
    expect(
      await call('subscriptions.export', {
        appId: app.id,
        filter: {},
        format: 'csv',
        path: '/home/someone/.bashrc',
      }),
    ).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(
      await call('subscriptions.tag', { appId: 1, selection: { ids: [1] }, add: ['a;b'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_INPUT' },
    });
  });
});
