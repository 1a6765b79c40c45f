// Lanes of query threads over a real SQLite file: a newer search replaces the ones still waiting and stops
// the one a thread is answering, and a read goes to a free thread instead of waiting behind a long question.
import { afterEach, describe, expect, it } from 'vitest';
import { startLane, supersession, type Lane } from '../../../src/main/core/query-lanes.ts';
import { startQueryThread, type QueryThread } from '../../../src/main/core/query-thread.ts';
import { importSubscriptions } from '../../../src/main/core/subscriptions/import/service.ts';
import { testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { realKey } from './subscriptions/subscription-fixtures.ts';
import { holdThread } from '../../support/held-thread.ts';

const open: Array<Lane | QueryThread> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((lane) => lane.close()));
});

async function people() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const key = realKey();
  const rows = ['Ada Lovelace', 'Adam Smith', 'Grace Hopper'].map(
    (label, i) => `https://fcm.googleapis.com/fcm/send/t-${i},${key.p256dh},${key.auth},${label}`,
  );
  await importSubscriptions(ctx, {
    appId: app.id,
    source: { text: ['endpoint,p256dh,auth,label', ...rows].join('\n') },
  });
  return { ctx, app };
}

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: { code?: string }) => ({ error: error.code }),
  );

describe('query lanes', () => {
  it('drops the searches still waiting when a newer one of the same list comes, and answers the newest', async () => {
    const { ctx, app } = await people();
    const lane = startLane(ctx, 1);
    open.push(lane);
    const count = (filter: object) => lane.call('subscriptions.count', { appId: app.id, filter });
    // The one thread is busy with the first question; the rest wait in main, typed one after the other.
    const first = settled(count({}));
    const typed = ['a', 'ad', 'ada', 'ada l'].map((search) => settled(count({ search })));
    const total = settled(count({}));
    const page = (n: number) =>
      settled(
        lane.call('subscriptions.page', {
          appId: app.id,
          filter: { search: 'ada l' },
          sort: 'newest',
          page: n,
        }),
      );
    const pages = [page(0), page(1)];
    const trash = settled(count({ search: 'ad', deleted: true }));
    expect(lane.waiting).toBe(5);

    expect(await first).toEqual({ value: { count: 3 } });
    expect(await Promise.all(typed)).toEqual([
      { error: 'QUERY_SUPERSEDED' },
      { error: 'QUERY_SUPERSEDED' },
      { error: 'QUERY_SUPERSEDED' },
      { value: { count: 1 } },
    ]);
    expect(await total, 'an empty search replaces nothing').toEqual({ value: { count: 3 } });
    const [page0, page1] = await Promise.all(pages);
    expect(page0, 'pages of the same search do not replace each other').toMatchObject({
      value: { rows: [{ label: 'Ada Lovelace' }] },
    });
    expect(page1).toEqual({ value: { rows: [] } });
    expect(await trash, 'another list (the trash) is another kind').toEqual({ value: { count: 0 } });
  });

  it('stops the search a thread is answering when a newer one comes, and answers the newer one', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    // 20,000 customers written in SQL (the triggers index them): a count of "Cu" walks every one.
    ctx.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 20000)
         INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, created_at, updated_at)
         SELECT ?, 'https://push.example/t-' || i, i, 'k', 'a', 'other', 'Customer ' || i, 1, 1 FROM n`,
      )
      .run(app.id);
    const lane = startLane(ctx, 1);
    open.push(lane);
    const count = (search: string) => lane.call('subscriptions.count', { appId: app.id, filter: { search } });
    expect(await count('Customer 1999'), 'both words, anywhere').toEqual({ count: 12 });
    const first = settled(count('Cu'));
    // Asked while the thread answers the first: nothing waits in main, the thread is busy with "Cu".
    expect(lane.waiting).toBe(0);
    const newer = settled(count('Customer 7'));
    expect(await first).toEqual({ error: 'QUERY_SUPERSEDED' });
    expect(await newer).toEqual({ value: { count: 1111 } });
    expect(lane.stopped, 'the thread stopped "Cu" part way rather than counting it to the end').toBe(1);
    expect(await count('Cu'), 'asked again, it counts to the end').toEqual({ count: 20_000 });
    expect(lane.stopped).toBe(1);
  });

  it('knows which questions a search replaces', () => {
    const page = (search: string, n = 0) => ({
      appId: 1,
      filter: { search, tags: ['x'] },
      sort: 'label',
      page: n,
    });
    expect(supersession('subscriptions.page', page('ada', 3))).toEqual(
      supersession('subscriptions.page', page('ada', 0)),
    );
    expect(supersession('subscriptions.page', page('ada'))?.kind).toBe(
      supersession('subscriptions.page', page('grace'))?.kind,
    );
    expect(supersession('subscriptions.page', { ...page('ada'), sort: 'newest' })?.kind).not.toBe(
      supersession('subscriptions.page', page('ada'))?.kind,
    );
    expect(supersession('subscriptions.page', page('  '))).toBeNull();
    // A count up to a cap and the exact count are replaced alike by a newer text.
    const count = (search: string, upTo?: number) => ({ appId: 1, filter: { search }, upTo });
    expect(supersession('subscriptions.count', count('ada', 10_000))?.kind).toBe(
      supersession('subscriptions.count', count('grace'))?.kind,
    );
    expect(supersession('subscriptions.count', count('ada'))?.kind).not.toBe(
      supersession('subscriptions.page', page('ada'))?.kind,
    );
    expect(supersession('compose.search', { appId: 1, query: 'ada', limit: 10 })).toMatchObject({
      text: 'ada',
    });
    expect(supersession('compose.preview', { appId: 1 })).toBeNull();
  });

  it('answers a read on the other thread while one is held up by a long question', async () => {
    const { ctx, app } = await people();
    const lane = startLane(ctx, 2);
    open.push(lane);
    // Both threads started and their connections open (opening one waits for a held lock too).
    const warm = { appId: app.id, filter: {} };
    await Promise.all([lane.call('subscriptions.count', warm), lane.call('subscriptions.count', warm)]);
    // The main connection holds the write lock: a template saved on the lane waits for it.
    const held = await holdThread(ctx, lane, app.id, 300);
    const started = performance.now();
    const found = await lane.call('subscriptions.count', { appId: app.id, filter: { search: 'grace' } });
    expect(found).toEqual({ count: 1 });
    expect(held.saved(), 'the save still waits for the lock').toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
    await held.release();
    expect(held.saved()).toBe(true);
  });

  it('runs the list’s reads apart from the composer: a read does not wait behind a held-up draft save', async () => {
    const { ctx, app } = await people();
    const thread = startQueryThread(ctx);
    open.push(thread);
    // Every thread started and its connection open (opening one waits for a held lock too); not the whole
    // list's count, which main answers itself while no read thread is ready.
    const warm = { appId: app.id, filter: { status: 'expired' as const } };
    await Promise.all([
      thread.handlers['subscriptions.count']!(warm),
      thread.handlers['subscriptions.count']!(warm),
      thread.handlers['compose.tags']!({ appId: app.id }),
      thread.handlers['templates.list']!({ appId: app.id }),
      thread.handlers['subscriptions.facets']!({ appId: app.id }),
    ]);
    ctx.db.exec('BEGIN IMMEDIATE');
    let saved = false;
    const save = Promise.resolve(
      thread.handlers['templates.save']!({
        appId: app.id,
        name: 'Held',
        message: { format: 'notification', notification: { title: 'Hi' } },
      }),
    ).then(() => (saved = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Before the change, the save held the one thread for SQLite's busy timeout (5 s), and the page after it.
    const started = performance.now();
    const page = await thread.handlers['subscriptions.page']!({
      appId: app.id,
      filter: { search: 'ada' },
      sort: 'label',
      page: 0,
    });
    expect((page as { rows: Array<{ label: string }> }).rows.map((row) => row.label)).toEqual([
      'Ada Lovelace',
      'Adam Smith',
    ]);
    const oneOff = await thread.handlers['compose.search']!({ appId: app.id, query: 'hopper' });
    expect(oneOff).toMatchObject([{ label: 'Grace Hopper' }]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(saved).toBe(false);
    ctx.db.exec('COMMIT');
    await save;
  });

  it('ends its threads on close by asking them, whether still loading or after answering', async () => {
    const { ctx, app } = await people();
    // Closed at once: its threads are still loading their modules and the database's native addon.
    const loading = startLane(ctx, 2);
    await loading.close();
    expect(loading.terminated, 'a thread terminated while loading').toBe(0);
    const used = startLane(ctx, 2);
    expect(await used.call('subscriptions.count', { appId: app.id, filter: { search: 'ada' } })).toEqual({
      count: 2,
    });
    await used.close();
    expect(used.terminated).toBe(0);
    expect(used.started).toBe(0);
  });
});
