// The list's page anchors built ahead (as on the reads lane's threads) and the whole list's count from its
// totals, over a real SQLite list: every page equals the slice of one full query, before and after changes.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/db/database.ts';
import { startLane } from '../../../../src/main/core/query-lanes.ts';
import { deleteSubscriptions } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { countSubscriptions, listPage } from '../../../../src/main/core/subscriptions/list-query.ts';
import {
  ANCHOR_STRIDE,
  aheadSlot,
  anchoredPages,
  anchorsBuilding,
  buildAnchorsAhead,
  ordersBuilding,
  stopBuildingAhead,
} from '../../../../src/main/core/subscriptions/page-anchors.ts';
import {
  PAGE_SIZE,
  subscriptionSorts,
  type SubscriptionFilter,
  type SubscriptionSort,
} from '../../../../src/shared/subscriptions.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { holdThread } from '../../../support/held-thread.ts';

const services = ['fcm', 'mozilla', 'apple', 'wns'] as const;

/** `rows` subscriptions with repeating sort keys (ties broken by id), some expired, some in the trash. */
function listOf(rows: number) {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const other = createTestApp(ctx);
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, status,
       created_at, updated_at, last_attempt_at, deleted_at) VALUES (?, ?, ?, 'k', 'a', ?, ?, ?, 1, 1, ?, ?)`,
  );
  ctx.db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insert.run(
        i % 13 === 0 ? other.id : app.id,
        `https://push.example/${(i * 7919) % 5000}-${i}`,
        i,
        services[i % services.length],
        i % 4 === 0 ? null : `user ${i % 50}`,
        i % 10 === 9 ? 'expired' : 'active',
        i % 3 === 0 ? null : (i % 97) * 1000,
        i % 31 === 0 ? 5 : null,
      );
    }
  })();
  return { ctx, app };
}

const ids = (rows: Array<{ id: number }>) => rows.map((row) => row.id);

async function builtAhead(): Promise<void> {
  while (anchorsBuilding()) await new Promise((resolve) => setImmediate(resolve));
}

/** Jumps in no order to every page (and one past the end) equal the slices of one full query. */
function expectJumpsMatch(
  db: ReturnType<typeof testContext>['db'],
  appId: number,
  filter: SubscriptionFilter,
  sort: SubscriptionSort,
) {
  const whole = ids(listPage(db, appId, filter, sort, 0, 1_000_000));
  const pages = Math.ceil(whole.length / PAGE_SIZE);
  const order = Array.from({ length: pages + 1 }, (_, page) => (page * 37) % (pages + 1));
  for (const page of order) {
    expect(
      ids(listPage(db, appId, filter, sort, page)),
      `${sort} ${JSON.stringify(filter)} page ${page}`,
    ).toEqual(whole.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
  }
  return whole.length;
}

afterEach(() => stopBuildingAhead());

describe('page anchors built ahead', () => {
  it('builds every order of the whole list ahead, and a jump to any page gives the slice of one full query', async () => {
    const { ctx, app } = listOf(9_000);
    buildAnchorsAhead(ctx.db);
    await builtAhead();
    const listed = countSubscriptions(ctx.db, app.id, {});
    const lastPage = Math.ceil(listed / PAGE_SIZE) - 1;
    expect(lastPage).toBeGreaterThan(3 * ANCHOR_STRIDE);
    const everyStride = Array.from(
      { length: Math.floor(lastPage / ANCHOR_STRIDE) + 1 },
      (_, n) => n * ANCHOR_STRIDE,
    );
    for (const sort of subscriptionSorts) {
      expect(anchoredPages(ctx.db, app.id, {}, sort), sort).toEqual(everyStride);
      expect(expectJumpsMatch(ctx.db, app.id, {}, sort)).toBe(listed);
    }
  });

  it('drops the anchors when this connection or another one changes the list, and pages stay exact', async () => {
    const { ctx, app } = listOf(7_000);
    buildAnchorsAhead(ctx.db);
    await builtAhead();
    expect(anchoredPages(ctx.db, app.id, {}, 'endpoint').length).toBeGreaterThan(2);
    // A write on this connection that no list code was told of (total_changes() moves).
    ctx.db.prepare("UPDATE subscriptions SET label = 'aaa first' WHERE id % 7 = 0").run();
    expect(anchoredPages(ctx.db, app.id, {}, 'label')).toEqual([]);
    for (const sort of subscriptionSorts) expectJumpsMatch(ctx.db, app.id, {}, sort);
    // Another connection's commit (data_version moves): the first rows of the list go to the trash.
    const second = openDatabase(ctx.dbPath, { mustExist: true });
    try {
      second
        .prepare(
          'UPDATE subscriptions SET deleted_at = 9 WHERE id IN (SELECT id FROM subscriptions ORDER BY id LIMIT 450)',
        )
        .run();
      second.prepare('UPDATE subscriptions SET last_attempt_at = 999999 WHERE id % 11 = 0').run();
    } finally {
      second.close();
    }
    for (const sort of subscriptionSorts) expectJumpsMatch(ctx.db, app.id, {}, sort);
    // Through the list's own bulk action too.
    deleteSubscriptions(ctx, app.id, { filter: { pushServices: ['apple'] } });
    for (const sort of ['endpoint', 'newest'] as const) expectJumpsMatch(ctx.db, app.id, {}, sort);
  });

  it('builds no filtered list ahead; its jumps still give the slice of one full query', async () => {
    const { ctx, app } = listOf(9_000);
    buildAnchorsAhead(ctx.db);
    await builtAhead();
    const mozilla: SubscriptionFilter = { pushServices: ['mozilla'] };
    const active: SubscriptionFilter = { status: 'active' };
    listPage(ctx.db, app.id, mozilla, 'label', 0);
    listPage(ctx.db, app.id, active, 'lastAttempt', 0);
    listPage(ctx.db, app.id, { search: 'user 1' }, 'label', 0);
    expect(anchorsBuilding()).toBe(false);
    expect(anchoredPages(ctx.db, app.id, active, 'lastAttempt')).toEqual([]);
    for (const sort of ['lastAttempt', 'endpoint'] as const) expectJumpsMatch(ctx.db, app.id, active, sort);
    expectJumpsMatch(ctx.db, app.id, mozilla, 'label');
  });

  it('splits the orders between the lane’s threads, each building its share only', async () => {
    const { ctx, app } = listOf(2_500);
    buildAnchorsAhead(ctx.db, { slot: 1, threads: 2 });
    await builtAhead();
    const built = subscriptionSorts.filter((sort) => anchoredPages(ctx.db, app.id, {}, sort).length > 0);
    expect(built).toEqual(subscriptionSorts.filter((sort) => aheadSlot(sort, 2) === 1));
    expect(built.length).toBeGreaterThan(1);
    expect(built.length).toBeLessThan(subscriptionSorts.length - 1);
  });

  it('builds the longest walk first on each thread: the endpoint order, then the rest', () => {
    const { ctx } = listOf(500);
    // Two apps (listOf), the first app's orders first.
    const twice = (orders: string[]) => [...orders, ...orders];
    buildAnchorsAhead(ctx.db, { slot: 0, threads: 2 });
    expect(ordersBuilding()).toEqual(twice(['endpoint', 'newest', 'oldest']));
    stopBuildingAhead();
    buildAnchorsAhead(ctx.db, { slot: 1, threads: 2 });
    expect(ordersBuilding()).toEqual(twice(['lastAttempt', 'status', 'label', 'pushService']));
  });

  it('answers exact pages through the reads lane while its threads build anchors ahead', async () => {
    const { ctx, app } = listOf(8_000);
    const lane = startLane(ctx, 2, { buildAnchorsAhead: true });
    try {
      for (const sort of subscriptionSorts) {
        const whole = ids(listPage(ctx.db, app.id, {}, sort, 0, 1_000_000));
        const pages = [55, 3, 70, 21, 40, 0, 69];
        const answers = (await Promise.all(
          pages.map((page) => lane.call('subscriptions.page', { appId: app.id, filter: {}, sort, page })),
        )) as Array<{ rows: Array<{ id: number }> }>;
        answers.forEach(({ rows }, n) =>
          expect(ids(rows), `${sort} page ${pages[n]}`).toEqual(
            whole.slice(pages[n]! * PAGE_SIZE, (pages[n]! + 1) * PAGE_SIZE),
          ),
        );
      }
    } finally {
      await lane.close();
    }
  });

  it('gives a deep page a moment to wait for the thread holding its anchors, then the other thread', async () => {
    const { ctx, app } = listOf(8_000);
    const lane = startLane(ctx, 2, { buildAnchorsAhead: true });
    try {
      await lane.warm;
      // The main connection holds the write lock: a template saved on the lane holds the first free thread,
      // the one that built the endpoint order's anchors.
      expect(aheadSlot('endpoint', 2)).toBe(0);
      const held = await holdThread(ctx, lane, app.id, 200);
      const started = performance.now();
      const answer = (await lane.call('subscriptions.page', {
        appId: app.id,
        filter: {},
        sort: 'endpoint',
        page: 40,
      })) as { rows: Array<{ id: number }> };
      const waited = performance.now() - started;
      const whole = ids(listPage(ctx.db, app.id, {}, 'endpoint', 0, 1_000_000));
      expect(ids(answer.rows)).toEqual(whole.slice(40 * PAGE_SIZE, 41 * PAGE_SIZE));
      // It waited for its holder (50 ms), then the other thread walked to it: not behind the held save.
      expect(waited).toBeGreaterThanOrEqual(50);
      expect(waited).toBeLessThan(2_000);
      expect(held.saved()).toBe(false);
      await held.release();
    } finally {
      await lane.close();
    }
  });

  it('counts the whole list and its active part from the totals exactly as a count of the rows', () => {
    const { ctx, app } = listOf(3_000);
    const counted = (status: string | null) =>
      ctx.db
        .prepare(
          `SELECT count(*) FROM subscriptions NOT INDEXED WHERE app_id = ? AND deleted_at IS NULL
           AND (? IS NULL OR status = ?)`,
        )
        .pluck()
        .get(app.id, status, status) as number;
    const expectCounts = () => {
      expect(countSubscriptions(ctx.db, app.id, {})).toBe(counted(null));
      expect(countSubscriptions(ctx.db, app.id, { status: 'active' })).toBe(counted('active'));
      expect(countSubscriptions(ctx.db, app.id, { status: 'expired' })).toBe(counted('expired'));
    };
    expectCounts();
    expect(counted('expired')).toBeGreaterThan(100);
    ctx.db.prepare("UPDATE subscriptions SET status = 'expired' WHERE id % 17 = 0").run();
    ctx.db.prepare("UPDATE subscriptions SET status = 'active' WHERE id % 19 = 9").run();
    expectCounts();
    deleteSubscriptions(ctx, app.id, { filter: { pushServices: ['wns'] } });
    ctx.db.prepare('DELETE FROM subscriptions WHERE id % 23 = 0').run();
    expectCounts();
    ctx.db.prepare('UPDATE subscriptions SET deleted_at = NULL WHERE id % 2 = 0').run();
    expectCounts();
    expect(countSubscriptions(ctx.db, app.id, {})).toBeGreaterThan(1000);
  });
});
