// The query thread (as the desktop app runs it): the composer's channels and the subscription list's reads
// answered there give the same answers as in place, pass their change events on to the main process, keep
// their error codes, and follow writes made by the main process's connection.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSend } from '../../../src/main/core/campaigns/campaigns.ts';
import { countAudienceSql } from '../../../src/main/core/compose/audience.ts';
import { startQueryThread, type QueryThread } from '../../../src/main/core/query-thread.ts';
import { dispatch } from '../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../src/main/core/dispatch/handler-table.ts';
import type { AudienceFilter } from '../../../src/shared/compose.ts';
import { testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService } from '../../support/push-service/server.ts';
import { draft, subscribe } from './campaigns/fixtures.ts';
import { insertSubscriptions } from './compose/subscription-rows.ts';

const threads: QueryThread[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.close()));
});

function setup() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  insertSubscriptions(ctx, app.id, [
    { tags: ['vip'], pushService: 'fcm' },
    { tags: ['vip', 'news'], pushService: 'mozilla' },
    { tags: ['news'], pushService: 'apple' },
    { tags: [], pushService: 'fcm', status: 'expired' },
  ]);
  const thread = startQueryThread(ctx);
  threads.push(thread);
  const onThread = createHandlers(ctx, { queryThread: thread });
  const inPlace = createHandlers(ctx);
  return { ctx, app, onThread, inPlace };
}

describe('the query thread', () => {
  it('counts and previews as the in-place handlers do, and follows the main connection’s writes', async () => {
    const { ctx, app, onThread, inPlace } = setup();
    const filters: AudienceFilter[] = [
      {},
      { tagsAny: ['vip'] },
      { tagsAll: ['vip', 'news'] },
      { tagsNone: ['vip'] },
    ];
    for (const audience of filters) {
      const threaded = await dispatch(onThread, 'compose.count', { appId: app.id, audience });
      expect(threaded).toEqual(await dispatch(inPlace, 'compose.count', { appId: app.id, audience }));
      // An app without quiet hours or a cap holds nobody back.
      expect(threaded).toEqual({
        ok: true,
        result: { ...countAudienceSql(ctx, app.id, audience), heldBack: null },
      });
    }
    const request = {
      appId: app.id,
      message: { format: 'notification', notification: { title: 'Hi {{label|there}}', body: 'News' } },
      audience: { tagsAny: ['news'] },
      options: { ttl: 3600 },
    };
    const preview = await dispatch(onThread, 'compose.preview', request);
    expect(preview.ok).toBe(true);
    expect(preview).toEqual(await dispatch(inPlace, 'compose.preview', request));
    expect(await dispatch(onThread, 'compose.tags', { appId: app.id })).toEqual({
      ok: true,
      result: ['news', 'vip'],
    });

    // Written by the main process's connection: the thread's connection sees it on the next count.
    insertSubscriptions(ctx, app.id, [{ tags: ['vip'] }, { tags: ['vip'] }]);
    const after = await dispatch(onThread, 'compose.count', {
      appId: app.id,
      audience: { tagsAny: ['vip'] },
    });
    expect(after).toMatchObject({ ok: true, result: { recipients: 4 } });
  });

  it('saves templates there, passes its change events on, and keeps error codes', async () => {
    const { ctx, app, onThread, inPlace } = setup();
    const saved = await dispatch(onThread, 'templates.save', {
      appId: app.id,
      name: 'Welcome',
      message: { format: 'notification', notification: { title: 'Hello {{name|there}}' } },
    });
    expect(saved.ok).toBe(true);
    expect(ctx.recorded).toContainEqual({ event: 'data.changed', payload: { scopes: ['templates'] } });
    // The main connection reads what the thread wrote.
    const listed = await dispatch(inPlace, 'templates.list', { appId: app.id });
    expect(listed).toMatchObject({ ok: true, result: [{ name: 'Welcome' }] });

    const missing = await dispatch(onThread, 'templates.get', { id: 9999 });
    expect(missing).toEqual(await dispatch(inPlace, 'templates.get', { id: 9999 }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'TEMPLATE_NOT_FOUND' } });
  });

  it('answers a question open at close with APP_CLOSING, and starts a new thread for the next', async () => {
    const { app, onThread } = setup();
    const thread = threads[0]!;
    // Asked while the thread is still starting (loading its modules), then closed under it.
    const open = dispatch(onThread, 'compose.count', { appId: app.id, audience: {} });
    await thread.close();
    expect(await open).toMatchObject({ ok: false, error: { code: 'APP_CLOSING' } });
    expect(await dispatch(onThread, 'compose.count', { appId: app.id, audience: {} })).toMatchObject({
      ok: true,
      result: { recipients: 3 },
    });
  });

  it('starts the composer’s thread once the reads are ready and the bulk thread after it, or at a first question', async () => {
    const { app, onThread } = setup();
    const { reads, compose, bulk } = threads[0]!.lanes;
    // The reads lane loads its two threads alone first: the window's first page waits for no other thread.
    expect([reads.started, compose.started, bulk.started]).toEqual([2, 0, 0]);
    await reads.ready;
    await new Promise((resolve) => setImmediate(resolve));
    expect([compose.started, bulk.started]).toEqual([1, 0]);
    await compose.warm;
    await new Promise((resolve) => setImmediate(resolve));
    expect(bulk.started).toBe(1);

    // A question for a lane not started yet starts it at once instead of waiting for the one before.
    const { app: other, onThread: second } = setup();
    const { compose: notYet } = threads[1]!.lanes;
    expect(notYet.started).toBe(0);
    expect(await dispatch(second, 'compose.count', { appId: other.id, audience: {} })).toMatchObject({
      ok: true,
      result: { recipients: 3 },
    });
    expect(await dispatch(onThread, 'compose.count', { appId: app.id, audience: {} })).toMatchObject({
      ok: true,
    });
  });

  it('answers the whole list’s count and first pages in main while no read thread is ready, the rest there', async () => {
    const { app, onThread, inPlace } = setup();
    const { reads } = threads[0]!.lanes;
    const asked = [
      ['subscriptions.count', { appId: app.id, filter: {} }],
      ['subscriptions.count', { appId: app.id, filter: { status: 'active' } }],
      ['subscriptions.page', { appId: app.id, filter: {}, sort: 'endpoint', page: 0 }],
      // Not light: a tag's count, a filtered page.
      ['subscriptions.count', { appId: app.id, filter: { tags: ['vip'] } }],
      ['subscriptions.page', { appId: app.id, filter: { tags: ['vip'] }, sort: 'newest', page: 0 }],
    ] as const;
    // Asked at once: the threads are still loading their modules.
    const answers = await Promise.all(asked.map(([channel, input]) => dispatch(onThread, channel, input)));
    expect(reads.answeredInPlace).toBe(3);
    for (const [n, [channel, input]] of asked.entries()) {
      expect(answers[n], `${channel} ${JSON.stringify(input)}`).toEqual(
        await dispatch(inPlace, channel, input),
      );
    }
    expect(answers[0]).toEqual({ ok: true, result: { count: 4 } });
    // A thread ready and free takes them.
    await reads.warm;
    await dispatch(onThread, 'subscriptions.count', { appId: app.id, filter: {} });
    expect(reads.answeredInPlace).toBe(3);
  });

  it('opens the file without checking it again: main did, and its WAL since would make each thread check', async () => {
    const { ctx, app, onThread } = setup();
    // Main's writes are in the WAL (integrity.ts needsCheck: a WAL left means check); no record of a check.
    expect(fs.statSync(`${ctx.dbPath}-wal`).size).toBeGreaterThan(0);
    fs.rmSync(`${ctx.dbPath}.closed`, { force: true });
    const answers = await Promise.all([
      dispatch(onThread, 'subscriptions.count', { appId: app.id, filter: {} }),
      dispatch(onThread, 'subscriptions.count', { appId: app.id, filter: { status: 'active' } }),
      dispatch(onThread, 'compose.count', { appId: app.id, audience: {} }),
      dispatch(onThread, 'subscriptions.trash.empty', { appId: app.id }),
    ]);
    expect(answers.map((answer) => answer.ok)).toEqual([true, true, true, true]);
    // A check that passes records the file as whole (integrity.ts recordWhole): no thread wrote the record.
    expect(fs.existsSync(`${ctx.dbPath}.closed`)).toBe(false);
  });

  it('pages, counts and details the subscription list as in place, after writes on the main connection', async () => {
    const { app, onThread, inPlace } = setup();
    const ask = async (
      channel: 'subscriptions.page' | 'subscriptions.count' | 'subscriptions.facets',
      input: object,
    ) => {
      const threaded = await dispatch(onThread, channel, input);
      expect(threaded.ok).toBe(true);
      expect(threaded).toEqual(await dispatch(inPlace, channel, input));
      return threaded;
    };
    const page = await ask('subscriptions.page', {
      appId: app.id,
      filter: { tags: ['vip'] },
      sort: 'label',
      page: 0,
    });
    expect(page).toMatchObject({ ok: true, result: { rows: [{}, {}] } });
    await ask('subscriptions.count', { appId: app.id, filter: {} });
    await ask('subscriptions.facets', { appId: app.id });

    // A bulk delete on the main connection: the thread's next page and count follow it.
    const deleted = await dispatch(inPlace, 'subscriptions.delete', {
      appId: app.id,
      selection: { filter: { tags: ['news'] } },
    });
    expect(deleted.ok).toBe(true);
    const left = await ask('subscriptions.count', { appId: app.id, filter: {} });
    expect(left).toMatchObject({ ok: true, result: { count: 2 } });
    const id = (page as { result: { rows: Array<{ id: number }> } }).result.rows[0]!.id;
    const detail = await dispatch(onThread, 'subscriptions.detail', { appId: app.id, id });
    expect(detail).toEqual(await dispatch(inPlace, 'subscriptions.detail', { appId: app.id, id }));
  });

  it('runs the list’s bulk actions there, and the main connection sees their writes', async () => {
    const { ctx, app, onThread, inPlace } = setup();
    const tagged = await dispatch(onThread, 'subscriptions.tag', {
      appId: app.id,
      selection: { filter: { tags: ['news'] } },
      add: ['spring'],
      remove: [],
    });
    expect(tagged).toEqual({ ok: true, result: { count: 2 } });
    expect(ctx.recorded).toContainEqual({ event: 'data.changed', payload: { scopes: ['subscriptions'] } });
    expect(
      await dispatch(inPlace, 'subscriptions.count', { appId: app.id, filter: { tags: ['spring'] } }),
    ).toEqual({
      ok: true,
      result: { count: 2 },
    });

    const deleted = await dispatch(onThread, 'subscriptions.delete', {
      appId: app.id,
      selection: { filter: { tags: ['spring'] } },
    });
    expect(deleted.ok).toBe(true);
    expect(await dispatch(inPlace, 'subscriptions.facets', { appId: app.id })).toMatchObject({
      ok: true,
      result: { trash: 2 },
    });
    const emptied = await dispatch(onThread, 'subscriptions.trash.empty', { appId: app.id });
    expect(emptied).toEqual({ ok: true, result: { count: 2 } });
  });

  it('answers reads while a bulk action over the whole list runs on its own lane', async () => {
    const { ctx, app, onThread } = setup();
    const insert = ctx.db.prepare(
      `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, status,
         created_at, updated_at) VALUES (?, ?, ?, 'k', 'a', 'fcm', 'active', 0, 0)`,
    );
    ctx.db.transaction(() => {
      for (let i = 0; i < 60_000; i++)
        insert.run(app.id, `https://fcm.googleapis.com/fcm/send/bulk-${i}`, i + 10);
    })();
    const order: string[] = [];
    const deleting = dispatch(onThread, 'subscriptions.delete', {
      appId: app.id,
      selection: { filter: {} },
    }).then((envelope) => {
      order.push('delete');
      return envelope;
    });
    // Once the delete has started its first chunk, the reads still answer, before it ends.
    while (!ctx.recorded.some((e) => e.event === 'subscriptions.bulk.progress')) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const page = await dispatch(onThread, 'subscriptions.page', {
      appId: app.id,
      filter: {},
      sort: 'newest',
      page: 0,
    });
    order.push('page');
    // The delete goes in id order: the newest are still there.
    expect(page).toMatchObject({ ok: true, result: { rows: expect.any(Array) } });
    expect((page as { result: { rows: unknown[] } }).result.rows).toHaveLength(100);
    expect(await deleting).toMatchObject({ ok: true, result: { count: 60_004 } });
    expect(order).toEqual(['page', 'delete']);
  });

  it('reads campaigns there: a run of the main process is sending, not interrupted, and its results match', async () => {
    const { ctx, onThread, inPlace } = setup();
    const service = await startPushService({ delayMs: 150 });
    try {
      const shop = createTestApp(ctx);
      await subscribe(ctx, shop, service, Array(12).fill('ok'), { tags: ['run'] });
      const id = draft(ctx, shop, { audience: { tagsAny: ['run'] }, options: { concurrency: 2 } });
      const run = startSend(ctx, id);
      // The thread cannot see the main thread's runs: it trusts the heartbeat, as for another process.
      const during = await dispatch(onThread, 'campaigns.get', { id });
      expect(during).toMatchObject({ ok: true, result: { state: 'sending', interrupted: false } });
      const listed = await dispatch(onThread, 'campaigns.list', {});
      expect(listed).toMatchObject({ ok: true, result: [{ id, state: 'sending', interrupted: false }] });
      expect((await run.done).state).toBe('completed');

      const detail = await dispatch(onThread, 'campaigns.get', { id });
      expect(detail).toMatchObject({ ok: true, result: { state: 'completed', totals: { delivered: 12 } } });
      expect(detail).toEqual(await dispatch(inPlace, 'campaigns.get', { id }));
      const page = { id, limit: 50 };
      expect(await dispatch(onThread, 'campaigns.deliveries', page)).toEqual(
        await dispatch(inPlace, 'campaigns.deliveries', page),
      );
    } finally {
      await service.close();
    }
  });
});
