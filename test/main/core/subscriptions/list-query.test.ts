// Pages, counts and bulk actions over a real SQLite list.
import { describe, expect, it } from 'vitest';
import {
  BULK_CHUNK,
  deleteSubscriptions,
  emptyTrash,
  restoreSubscriptions,
  tagSubscriptions,
  waiterSleep,
} from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import {
  countSubscriptions,
  countSubscriptionsUpTo,
  listPage,
  subscriptionDetail,
} from '../../../../src/main/core/subscriptions/list-query.ts';
import {
  PAGE_SIZE,
  subscriptionSorts,
  type SubscriptionFilter,
} from '../../../../src/shared/subscriptions.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { realKey } from './subscription-fixtures.ts';

const hosts = [
  'https://fcm.googleapis.com/fcm/send/',
  'https://updates.push.services.mozilla.com/wpush/v2/',
  'https://web.push.apple.com/',
];

async function listOf(rows: number) {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const key = realKey();
  const lines = ['endpoint,p256dh,auth,tags,label,status'];
  for (let i = 0; i < rows; i++) {
    const tags = [i % 2 === 0 ? 'even' : 'odd', i % 5 === 0 ? 'five' : ''].filter(Boolean).join(';');
    lines.push(
      `${hosts[i % 3]}${(i * 7919) % 1000}-${i},${key.p256dh},${key.auth},${tags},${i % 4 === 0 ? '' : `user ${i % 50}`},${i % 10 === 9 ? 'expired' : 'active'}`,
    );
  }
  await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
  return { ctx, app };
}

describe('subscription list', () => {
  it('pages through every sort in the same order as one full query, with no row twice or missing', async () => {
    const { ctx, app } = await listOf(450);
    const filters: SubscriptionFilter[] = [
      {},
      { tags: ['even'] },
      { status: 'active' },
      { search: 'USER 1' },
      { pushServices: ['fcm', 'apple'] },
    ];
    for (const filter of filters) {
      const total = countSubscriptions(ctx.db, app.id, filter);
      for (const sort of subscriptionSorts) {
        const paged = [];
        for (let page = 0; page * PAGE_SIZE < total + PAGE_SIZE; page++)
          paged.push(...listPage(ctx.db, app.id, filter, sort, page));
        const whole = listPage(ctx.db, app.id, filter, sort, 0, 100_000);
        expect(
          paged.map((row) => row.id),
          `${sort} ${JSON.stringify(filter)}`,
        ).toEqual(whole.map((row) => row.id));
        expect(new Set(paged.map((row) => row.id)).size).toBe(total);
      }
    }
  });

  it('gives the same pages when jumping around a sorted list as when paging through it', async () => {
    const { ctx, app } = await listOf(950);
    for (const sort of subscriptionSorts) {
      const whole = listPage(ctx.db, app.id, {}, sort, 0, 100_000).map((row) => row.id);
      for (const page of [6, 2, 3, 9, 7, 0, 8, 1, 5, 4]) {
        expect(
          listPage(ctx.db, app.id, {}, sort, page).map((row) => row.id),
          `${sort} page ${page}`,
        ).toEqual(whole.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
      }
      expect(listPage(ctx.db, app.id, {}, sort, 10)).toEqual([]);
    }
  });

  it('gives a filtered list’s deep pages exactly as OFFSET would, jumping in any order', async () => {
    const { ctx, app } = await listOf(1250);
    const filters: SubscriptionFilter[] = [
      { tags: ['even'] },
      { status: 'active' },
      { search: 'user' },
      { pushServices: ['fcm', 'apple'], search: 'user' },
    ];
    for (const filter of filters) {
      for (const sort of subscriptionSorts) {
        const whole = listPage(ctx.db, app.id, filter, sort, 0, 100_000).map((row) => row.id);
        const pages = Math.ceil(whole.length / PAGE_SIZE);
        expect(pages, JSON.stringify(filter)).toBeGreaterThan(3);
        for (const page of [pages - 1, 2, 1, pages - 2, 3, 0, pages]) {
          expect(
            listPage(ctx.db, app.id, filter, sort, page).map((row) => row.id),
            `${sort} ${JSON.stringify(filter)} page ${page}`,
          ).toEqual(whole.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
        }
      }
    }
  });

  it('counts by tag, status, push service and search', async () => {
    const { ctx, app } = await listOf(300);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(300);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['even'] })).toBe(150);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['even', 'five'] })).toBe(180);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['five'], status: 'active' })).toBe(60);
    expect(countSubscriptions(ctx.db, app.id, { status: 'expired' })).toBe(30);
    expect(countSubscriptions(ctx.db, app.id, { pushServices: ['mozilla'] })).toBe(100);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['nope'] })).toBe(0);
    const rows = listPage(ctx.db, app.id, { search: '919-1' }, 'newest', 0).map((row) => row.endpoint);
    expect(rows).toContain('https://updates.push.services.mozilla.com/wpush/v2/919-1');
    expect(rows.every((endpoint) => endpoint.includes('v2/919-1'))).toBe(true);
  });

  it('counts a search up to a cap, saying more match, and the exact number without the cap', async () => {
    const { ctx, app } = await listOf(300);
    const upTo = (filter: SubscriptionFilter, cap: number) =>
      countSubscriptionsUpTo(ctx.db, app.id, filter, cap);
    const users = countSubscriptions(ctx.db, app.id, { search: 'user' });
    expect(users).toBe(225);
    expect(upTo({ search: 'user' }, 10)).toEqual({ count: 10, capped: true });
    expect(upTo({ search: 'user' }, 224)).toEqual({ count: 224, capped: true });
    expect(upTo({ search: 'user' }, 225)).toEqual({ count: 225, capped: false });
    // The other filters apply before the cap: 'user 1' with active fcm only.
    const narrow: SubscriptionFilter = { search: 'user 1', status: 'active', pushServices: ['fcm'] };
    const exact = countSubscriptions(ctx.db, app.id, narrow);
    expect(exact).toBeGreaterThan(3);
    expect(upTo(narrow, exact - 1)).toEqual({ count: exact - 1, capped: true });
    expect(upTo(narrow, exact)).toEqual({ count: exact, capped: false });
    // Found by tag only (the trigram index has no 'five'), and no search at all: exact.
    expect(upTo({ search: 'five' }, 10)).toEqual({ count: 10, capped: true });
    expect(upTo({ search: 'five' }, 1000)).toEqual({ count: 60, capped: false });
    expect(upTo({}, 10)).toEqual({ count: 300, capped: false });
    // In the trash, not in the list.
    const inList = countSubscriptions(ctx.db, app.id, { search: 'user 1' });
    deleteSubscriptions(ctx, app.id, { filter: { search: 'user 1' } });
    expect(upTo({ search: 'user 1' }, 10)).toEqual({ count: 0, capped: false });
    expect(upTo({ search: 'user 1', deleted: true }, inList - 1)).toEqual({
      count: inList - 1,
      capped: true,
    });
    expect(upTo({ search: 'user 1', deleted: true }, inList)).toEqual({ count: inList, capped: false });
  });

  it('counts up to a cap the matches of labels and of a tag’s name together, each once', async () => {
    const { ctx, app } = await listOf(300);
    const upTo = (filter: SubscriptionFilter, cap: number) =>
      countSubscriptionsUpTo(ctx.db, app.id, filter, cap);
    // The labels' matches alone; then a tag named like them on two rows of every eight: one of the two has
    // no label (every fourth row has none) and is found by the tag only, the other twice.
    expect(upTo({ search: 'user' }, 1000)).toEqual({ count: 225, capped: false });
    tagSubscriptions(
      ctx,
      app.id,
      {
        ids: listPage(ctx.db, app.id, {}, 'oldest', 0, 1000)
          .filter((_, i) => i % 8 < 2)
          .map((row) => row.id),
      },
      ['user-vip'],
    );
    const both = countSubscriptions(ctx.db, app.id, { search: 'user' });
    expect(both).toBe(225 + 38);
    expect(upTo({ search: 'user' }, 1000)).toEqual({ count: both, capped: false });
    expect(upTo({ search: 'user' }, both)).toEqual({ count: both, capped: false });
    expect(upTo({ search: 'user' }, both - 1)).toEqual({ count: both - 1, capped: true });
    // The labels' matches alone are fewer than the cap, the tag's take them past it.
    expect(upTo({ search: 'user' }, 230)).toEqual({ count: 230, capped: true });
  });

  it('filters the list on custom fields (city = Berlin), in counts, pages and bulk actions', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const key = realKey();
    const lines = ['endpoint,p256dh,auth,city'];
    for (let i = 0; i < 30; i++) {
      lines.push(`${hosts[0]}city-${i},${key.p256dh},${key.auth},${['Berlin', 'berlin', 'Paris'][i % 3]}`);
    }
    await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
    const berlin: SubscriptionFilter = { fields: [{ name: 'city', value: 'Berlin' }] };
    expect(countSubscriptions(ctx.db, app.id, berlin)).toBe(20);
    expect(countSubscriptions(ctx.db, app.id, { ...berlin, search: 'city-1' })).toBe(8);
    const page = listPage(ctx.db, app.id, berlin, 'endpoint', 0);
    expect(page).toHaveLength(20);
    expect(page.every((row) => !/city-(2|5|8|11|14|17|20|23|26|29)$/.test(row.endpoint))).toBe(true);
    expect(tagSubscriptions(ctx, app.id, { filter: berlin }, ['de'])).toBe(20);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['de'], ...berlin })).toBe(20);
    expect(countSubscriptions(ctx.db, app.id, { fields: [{ name: 'city', value: 'Rome' }] })).toBe(0);
  });

  it('tags and untags a selection or a filter, and says how many it applied to', async () => {
    const { ctx, app } = await listOf(100);
    const ids = listPage(ctx.db, app.id, {}, 'oldest', 0)
      .slice(0, 3)
      .map((row) => row.id);
    expect(tagSubscriptions(ctx, app.id, { ids }, ['vip'])).toBe(3);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['vip'] })).toBe(3);
    expect(tagSubscriptions(ctx, app.id, { filter: { tags: ['five'] } }, ['vip'])).toBe(20);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['vip'] })).toBe(22);
    expect(tagSubscriptions(ctx, app.id, { filter: { tags: ['vip'] } }, [], ['vip'])).toBe(22);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['vip'] })).toBe(0);
    expect(ctx.recorded.some((e) => e.event === 'data.changed')).toBe(true);
  });

  it('moves deleted subscriptions to the trash, leaves them out of counts and tag counts, and undoes a delete', async () => {
    const { ctx, app } = await listOf(100);
    const first = deleteSubscriptions(ctx, app.id, { filter: { tags: ['five'] } });
    const second = deleteSubscriptions(ctx, app.id, { filter: { status: 'expired' } });
    expect(first.count).toBe(20);
    expect(second.count).toBe(10);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(70);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['five'] })).toBe(0);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['odd'], status: 'active' })).toBe(30);
    expect(countSubscriptions(ctx.db, app.id, { deleted: true })).toBe(30);
    // Undo restores the first delete only.
    expect(restoreSubscriptions(ctx, app.id, { deletedAt: first.deletedAt })).toBe(20);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(90);
    const inTrash = listPage(ctx.db, app.id, { deleted: true }, 'newest', 0).map((row) => row.id);
    expect(restoreSubscriptions(ctx, app.id, { selection: { ids: inTrash.slice(0, 2) } })).toBe(2);
    expect(emptyTrash(ctx, app.id)).toBe(8);
    expect(countSubscriptions(ctx.db, app.id, { deleted: true })).toBe(0);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(92);
  });

  it('deletes, restores and tags a selection larger than one transaction’s chunk, each row once', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    const insert = ctx.db.prepare(
      `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, status, created_at, updated_at)
       VALUES (?, ?, ?, 'k', 'a', 'other', ?, 1, 1)`,
    );
    // Two chunks and seven rows of the app's active subscriptions, interleaved with rows outside the selection.
    const active = 2 * BULK_CHUNK + 7;
    ctx.db.transaction(() => {
      for (let i = 0; i < active; i++) {
        insert.run(app.id, `https://push.example/${i}`, i, 'active');
        if (i % 1000 === 0) insert.run(app.id, `https://push.example/expired-${i}`, i, 'expired');
        if (i % 5000 === 0) insert.run(other.id, `https://push.example/other-${i}`, i, 'active');
      }
    })();
    const expired = countSubscriptions(ctx.db, app.id, { status: 'expired' });
    const others = countSubscriptions(ctx.db, other.id, {});

    expect(tagSubscriptions(ctx, app.id, { filter: { status: 'active' } }, ['all'])).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['all'] })).toBe(active);
    // Progress after the first chunk (and the second, unless within 100 ms of it), never after the last.
    const progress = ctx.recorded.filter((e) => e.event === 'subscriptions.bulk.progress');
    expect(progress[0]?.payload).toStrictEqual({
      appId: app.id,
      action: 'tag',
      done: BULK_CHUNK,
      total: active,
    });
    expect(progress.every((e) => (e.payload as { done: number }).done < active)).toBe(true);
    // Untagging by the tag that selects them: every chunk still finds its rows.
    expect(tagSubscriptions(ctx, app.id, { filter: { tags: ['all'] } }, [], ['all'])).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, { tags: ['all'] })).toBe(0);

    const { count, deletedAt } = deleteSubscriptions(ctx, app.id, { filter: { status: 'active' } });
    expect(count).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, { deleted: true })).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(expired);
    expect(
      ctx.db
        .prepare('SELECT count(DISTINCT deleted_at) FROM subscriptions WHERE deleted_at IS NOT NULL')
        .pluck()
        .get(),
    ).toBe(1);
    expect(restoreSubscriptions(ctx, app.id, { deletedAt })).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(active + expired);

    deleteSubscriptions(ctx, app.id, { filter: {} });
    expect(
      restoreSubscriptions(ctx, app.id, { selection: { filter: { deleted: true, status: 'active' } } }),
    ).toBe(active);
    expect(countSubscriptions(ctx.db, app.id, { deleted: true })).toBe(expired);
    expect(countSubscriptions(ctx.db, other.id, {})).toBe(others);
  });

  it('pauses after a chunk as long as a writer that waited through it sleeps (SQLite’s busy handler)', () => {
    // The busy handler's sleeps 1, 2, 5, 10, 15, 20, 25… add up to 1, 3, 8, 18, 33, 53, 78…
    expect([0, 2, 7, 17, 32, 52, 77, 150, 200, 300, 5000].map(waiterSleep)).toEqual([
      1, 2, 5, 10, 15, 20, 25, 50, 50, 100, 100,
    ]);
  });

  it('empties a trash larger than one transaction’s chunk, and only the trash', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    const insert = ctx.db.prepare(
      `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, 'k', 'a', 'other', 1, 1, ?)`,
    );
    const trashed = 2 * BULK_CHUNK + 7;
    ctx.db.transaction(() => {
      for (let i = 0; i < trashed + 30; i++) {
        insert.run(app.id, `https://push.example/${i}`, i, i < trashed ? 5 : null);
      }
      for (let i = 0; i < 10; i++) insert.run(other.id, `https://push.example/other-${i}`, i, 5);
    })();
    expect(emptyTrash(ctx, app.id)).toBe(trashed);
    expect(countSubscriptions(ctx.db, app.id, { deleted: true })).toBe(0);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(30);
    expect(countSubscriptions(ctx.db, other.id, { deleted: true })).toBe(10);
  });

  it('never touches another app’s subscriptions', async () => {
    const { ctx, app } = await listOf(20);
    const other = createTestApp(ctx);
    const ids = listPage(ctx.db, app.id, {}, 'newest', 0).map((row) => row.id);
    expect(deleteSubscriptions(ctx, other.id, { ids }).count).toBe(0);
    expect(tagSubscriptions(ctx, other.id, { ids }, ['x'])).toBe(0);
    expect(countSubscriptions(ctx.db, app.id, {})).toBe(20);
  });

  it('shows a subscription’s delivery history, newest campaign first', async () => {
    const { ctx, app } = await listOf(3);
    const [row] = listPage(ctx.db, app.id, {}, 'oldest', 0);
    const campaign = ctx.db.prepare(
      `INSERT INTO campaigns (app_id, name, state, message, options, audience, created_at, updated_at)
       VALUES (?, ?, 'completed', '{}', '{}', '{}', ?, ?)`,
    );
    const delivery = ctx.db.prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, http_status, reason, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const first = Number(campaign.run(app.id, 'Spring sale', 1000, 1000).lastInsertRowid);
    const second = Number(campaign.run(app.id, 'Price alert', 2000, 2000).lastInsertRowid);
    delivery.run(first, row!.id, 'sent', 201, null, 1100);
    delivery.run(second, row!.id, 'expired', 410, 'Gone', 2100);
    expect(subscriptionDetail(ctx.db, app.id, row!.id).deliveries).toEqual([
      {
        campaignId: second,
        campaignName: 'Price alert',
        state: 'expired',
        httpStatus: 410,
        reason: 'Gone',
        updatedAt: 2100,
      },
      {
        campaignId: first,
        campaignName: 'Spring sale',
        state: 'sent',
        httpStatus: 201,
        reason: null,
        updatedAt: 1100,
      },
    ]);
  });
});
