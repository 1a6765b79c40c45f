// The first page of a search in id order (search-page.ts) over a real SQLite file: the same rows, in the
// same order, as the one query over every match that it replaced, for searches and filters of each kind.
import { describe, expect, it } from 'vitest';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { filterSql, sorts } from '../../../../src/main/core/subscriptions/list-filter.ts';
import { listPage } from '../../../../src/main/core/subscriptions/list-query.ts';
import { PAGE_SIZE, type SubscriptionFilter } from '../../../../src/shared/subscriptions.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { realKey } from './subscription-fixtures.ts';

describe('a search’s first page in id order', () => {
  it('finds the rows the query over every match found, in its order, for every kind of match and filter', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const key = realKey();
    const cities = ['Oslo', 'Lisbon', 'Customerville'];
    const lines = ['endpoint,p256dh,auth,tags,label,city'];
    for (let i = 0; i < 450; i++) {
      const label = i % 2 ? `Customer ${i}` : i % 3 ? `Ada ${i}` : '';
      const tags = i % 5 === 0 ? 'vip' : i % 7 === 0 ? 'oslo-office' : '';
      lines.push(`https://push.example/tok-${i},${key.p256dh},${key.auth},${tags},${label},${cities[i % 3]}`);
    }
    await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
    ctx.db.exec(`UPDATE subscriptions SET status = 'expired' WHERE id % 11 = 0;
      UPDATE subscriptions SET deleted_at = 1 WHERE id % 13 = 0`);
    const before = (filter: SubscriptionFilter, sort: 'newest' | 'oldest') => {
      const { where, params } = filterSql(app.id, filter);
      return ctx.db
        .prepare(
          `SELECT s.id FROM subscriptions s WHERE ${where} ORDER BY s.id ${sorts[sort].descending ? 'DESC' : 'ASC'} LIMIT ?`,
        )
        .pluck()
        .all(...params, PAGE_SIZE);
    };
    const filters: SubscriptionFilter[] = [
      {},
      { status: 'active' },
      { deleted: true },
      { tags: ['vip'] },
      { fields: [{ name: 'city', value: 'Oslo' }] },
    ];
    let compared = 0;
    for (const search of [
      'customer',
      'oslo',
      'vip',
      'tok-1',
      'ada lisbon',
      'Customer 12',
      'ville',
      'nobody',
    ]) {
      for (const filter of filters) {
        for (const sort of ['newest', 'oldest'] as const) {
          const full = { ...filter, search };
          const ids = listPage(ctx.db, app.id, full, sort, 0).map((row) => row.id);
          expect(ids, `${search} ${JSON.stringify(filter)} ${sort}`).toEqual(before(full, sort));
          compared += ids.length;
        }
      }
    }
    expect(compared, 'the searches found rows to compare').toBeGreaterThan(2_000);
    // More matches than a page: the page is full and the list's newest first.
    expect(listPage(ctx.db, app.id, { search: 'customer' }, 'newest', 0)).toHaveLength(PAGE_SIZE);
  });

  it('is the newest matches whether they are fewer than a page, a page, or a few more', async () => {
    const ctx = testContext();
    const key = realKey();
    // Matches read forwards first (search-page.ts): a page's worth or fewer are the page; past that, the
    // page is read backwards. Each count around a page, among rows that do not match, and two in the trash.
    for (const matches of [PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, PAGE_SIZE + 2, 3 * PAGE_SIZE]) {
      const app = createTestApp(ctx);
      const lines = ['endpoint,p256dh,auth,label'];
      for (let i = 0; i < 2 * (matches + 2); i++) {
        const label = i % 2 === 0 ? `Wanted ${i}` : `Other ${i}`;
        lines.push(`https://push.example/${matches}-${i},${key.p256dh},${key.auth},${label}`);
      }
      await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
      // Two more in the trash: outside the list.
      const ids = ctx.db
        .prepare(`SELECT id FROM subscriptions WHERE app_id = ? AND label LIKE 'Wanted %' ORDER BY id`)
        .pluck()
        .all(app.id) as number[];
      ctx.db.prepare(`UPDATE subscriptions SET deleted_at = 1 WHERE id IN (?, ?)`).run(ids[0], ids.at(-1));
      const live = ids.slice(1, -1);
      expect(live).toHaveLength(matches);
      const newest = listPage(ctx.db, app.id, { search: 'wanted' }, 'newest', 0).map((row) => row.id);
      expect(newest, `${matches} matches`).toEqual(live.toReversed().slice(0, PAGE_SIZE));
      const oldest = listPage(ctx.db, app.id, { search: 'wanted' }, 'oldest', 0).map((row) => row.id);
      expect(oldest, `${matches} matches`).toEqual(live.slice(0, PAGE_SIZE));
    }
  });
});
