import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countAudience, countAudienceSql } from '../../../../src/main/core/compose/audience.ts';
import {
  activeTotals,
  BUILD_AT_ONCE,
  countFromIndex,
  warmAudienceIndex,
  warmAudienceIndexes,
} from '../../../../src/main/core/compose/audience-index.ts';
import { appendAudit } from '../../../../src/main/core/audit-log/append.ts';
import { createCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { JournalWriter } from '../../../../src/main/core/campaigns/journal-writer.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { saveDraft } from '../../../../src/main/core/compose/drafts.ts';
import { pushServices, type AudienceFilter } from '../../../../src/shared/compose.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertSubscriptions, type Row } from './subscription-rows.ts';

const day = 86_400_000;
const tags = ['vip', 'news', 'beta', 'test-device'];

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('the in-memory audience index', () => {
  it('counts exactly what the SQL query counts, for hundreds of random filters', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    const rnd = random(42);
    const pick = <T>(list: readonly T[]) => list.filter(() => rnd() < 0.3);
    const rows: Row[] = Array.from({ length: 600 }, () => ({
      pushService: pushServices[Math.floor(rnd() * pushServices.length)],
      tags: pick(tags),
      createdAt: Math.floor(rnd() * 100) * day,
      lastSuccessAt: rnd() < 0.6 ? Math.floor(rnd() * 100) * day : null,
      status: rnd() < 0.1 ? 'expired' : 'active',
      deletedAt: rnd() < 0.05 ? 1 : null,
    }));
    insertSubscriptions(ctx, app.id, rows);
    insertSubscriptions(ctx, other.id, rows.slice(0, 50));

    for (let i = 0; i < 300; i++) {
      const range = () => {
        const a = Math.floor(rnd() * 100) * day;
        return rnd() < 0.5 ? [a, undefined] : [undefined, a];
      };
      const [createdFrom, createdTo] = rnd() < 0.3 ? range() : [undefined, undefined];
      const [lastSuccessFrom, lastSuccessTo] = rnd() < 0.3 ? range() : [undefined, undefined];
      const filter: AudienceFilter = {
        tagsAny: rnd() < 0.4 ? pick(tags) : undefined,
        tagsAll: rnd() < 0.3 ? pick(tags) : undefined,
        tagsNone: rnd() < 0.3 ? pick(tags) : undefined,
        pushServices: rnd() < 0.3 ? pick(pushServices) : undefined,
        testDevices: rnd() < 0.1 || undefined,
        createdFrom,
        createdTo,
        lastSuccessFrom,
        lastSuccessTo,
      };
      // A "last reached" range is counted in SQL (the index does not copy last_success_at, migration 15).
      const bySuccess = lastSuccessFrom !== undefined || lastSuccessTo !== undefined;
      expect(countFromIndex(ctx, app.id, filter), JSON.stringify(filter)).toEqual(
        bySuccess ? null : countAudienceSql(ctx, app.id, filter),
      );
      expect(countAudience(ctx, app.id, filter), JSON.stringify(filter)).toEqual(
        countAudienceSql(ctx, app.id, filter),
      );
    }
  });

  it('sees changes made on the same connection and by other connections', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const [first] = insertSubscriptions(ctx, app.id, [{ tags: ['vip'] }, { tags: ['vip'] }]);
    expect(countAudience(ctx, app.id, { tagsAny: ['vip'] }).recipients).toBe(2);

    // This connection: a subscription expires.
    ctx.db.prepare("UPDATE subscriptions SET status = 'expired' WHERE id = ?").run(first);
    expect(countAudience(ctx, app.id, { tagsAny: ['vip'] }).recipients).toBe(1);

    // Another connection (the send worker, the CLI): a new tagged subscription.
    const otherConnection = new Database(ctx.dbPath);
    try {
      const ids = otherConnection
        .prepare(
          `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
           VALUES (?, 'https://push.example/x', 1, 'k', 'a', 'apple', 1, 1) RETURNING id`,
        )
        .get(app.id) as { id: number };
      const tag = otherConnection.prepare("SELECT id FROM tags WHERE name = 'vip'").get() as { id: number };
      otherConnection
        .prepare('INSERT INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)')
        .run(tag.id, ids.id);
    } finally {
      otherConnection.close();
    }
    expect(countAudience(ctx, app.id, { tagsAny: ['vip'] })).toEqual({
      recipients: 2,
      byService: { fcm: 1, apple: 1 },
    });
  });

  it('keeps its columns across writes that change no audience, here and on other connections', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const [first] = insertSubscriptions(ctx, app.id, [{}, {}]);
    // A fresh connection's first look builds at once; a change seen later waits for the data to be still.
    expect(countFromIndex(ctx, app.id, {})).toEqual({ recipients: 2, byService: { fcm: 2 } });
    saveDraft(ctx, app.id, { message: { format: 'none' }, audience: {}, options: { ttl: 60 } });
    createCampaign(ctx, { appId: app.id, name: 'Review', message: { format: 'none' }, audience: {} });
    appendAudit(ctx.db, 1, { action: 'campaign.create', appId: app.id, subject: 'x', details: {} });
    const otherConnection = new Database(ctx.dbPath);
    try {
      otherConnection
        .prepare("INSERT INTO audit_log (at, actor, action, app_id, subject) VALUES (1, 'cli', 'x', ?, 'y')")
        .run(app.id);
      // A delivery's result on a column no audience reads.
      otherConnection
        .prepare('UPDATE subscriptions SET last_status = 201, last_attempt_at = 9 WHERE id = ?')
        .run(first);
    } finally {
      otherConnection.close();
    }
    // Kept: a dropped index would decline now (the data just changed) and leave the count to SQL.
    expect(countFromIndex(ctx, app.id, {})).toEqual({ recipients: 2, byService: { fcm: 2 } });

    // A subscription edit that the index copies drops it.
    ctx.db.prepare('UPDATE subscriptions SET created_at = 5 WHERE id = ?').run(first);
    expect(countFromIndex(ctx, app.id, {})).toBeNull();
    expect(countAudience(ctx, app.id, { createdTo: 6 }).recipients).toBe(1);
  });

  it('keeps its columns through a delivery’s result written by the sender, and drops them when one expires', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const [first, second] = insertSubscriptions(ctx, app.id, [{ tags: ['vip'] }, {}]);
    expect(countFromIndex(ctx, app.id, {})).toEqual({ recipients: 2, byService: { fcm: 2 } });
    const campaignId = Number(
      ctx.db
        .prepare(
          `INSERT INTO campaigns (app_id, name, state, message, options, audience, created_at, updated_at)
           VALUES (?, 'Sent', 'sending', '{"format":"none"}', '{}', '{}', 1, 1)`,
        )
        .run(app.id).lastInsertRowid,
    );
    const deliver = ctx.db.prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, updated_at)
       VALUES (?, ?, 'in_flight', 'fcm', 1)`,
    );
    for (const id of [first, second]) deliver.run(campaignId, id);
    const changes = () =>
      ctx.db.prepare('SELECT subscriptions FROM audience_changes').pluck().get() as number;
    const before = changes();
    const answer = (subscriptionId: number, state: 'sent' | 'expired', httpStatus: number) => ({
      subscriptionId,
      state,
      outcome: state === 'sent' ? ('delivered' as const) : ('expired' as const),
      httpStatus,
      reason: null,
      bodyExcerpt: null,
      latencyMs: 20,
      nextAttemptAt: null,
    });
    // The send worker's own connection, as in a send: a 201 writes last_success_at on the subscription.
    const worker = new Database(ctx.dbPath);
    try {
      new JournalWriter(worker, campaignId).commit([answer(first!, 'sent', 201)], [], 1_000, true);
      expect(
        worker.prepare('SELECT last_success_at FROM subscriptions WHERE id = ?').pluck().get(first),
      ).toBe(1_000);
      expect(changes()).toBe(before);
      // Kept: a dropped index would decline now (the data just changed) and leave the count to SQL.
      expect(countFromIndex(ctx, app.id, {})).toEqual({ recipients: 2, byService: { fcm: 2 } });
      // "Last reached" is answered in SQL, and sees the delivery.
      expect(countAudience(ctx, app.id, { lastSuccessFrom: 1_000 }).recipients).toBe(1);

      // A 410 expires the subscription: it leaves every audience, so the index goes.
      new JournalWriter(worker, campaignId).commit([answer(second!, 'expired', 410)], [], 2_000, true);
    } finally {
      worker.close();
    }
    expect(changes()).toBe(before + 1);
    expect(countFromIndex(ctx, app.id, {})).toBeNull();
    expect(countAudience(ctx, app.id, {}).recipients).toBe(1);
    // A tag edit still reaches the counts.
    const vip = ctx.db.prepare("SELECT id FROM tags WHERE name = 'vip'").pluck().get() as number;
    ctx.db.prepare('DELETE FROM subscription_tags WHERE tag_id = ? AND subscription_id = ?').run(vip, first);
    expect(countAudience(ctx, app.id, { tagsAny: ['vip'] }).recipients).toBe(0);
  });

  it('clears its tag members when a tag changes, and keeps the subscription columns', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const [first, second] = insertSubscriptions(ctx, app.id, [{ tags: ['vip'] }, {}]);
    expect(countFromIndex(ctx, app.id, { tagsAny: ['vip'] })?.recipients).toBe(1);
    const vip = ctx.db.prepare("SELECT id FROM tags WHERE name = 'vip'").pluck().get() as number;
    ctx.db.prepare('INSERT INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)').run(vip, second);
    expect(countFromIndex(ctx, app.id, { tagsAny: ['vip'] })?.recipients).toBe(2);
    ctx.db.prepare("UPDATE tags SET name = 'gold' WHERE id = ?").run(vip);
    expect(countFromIndex(ctx, app.id, { tagsAny: ['vip'] })?.recipients).toBe(0);
    expect(countFromIndex(ctx, app.id, { tagsAny: ['gold'] })?.recipients).toBe(2);
    ctx.db.prepare('DELETE FROM subscription_tags WHERE subscription_id = ?').run(first);
    expect(countFromIndex(ctx, app.id, { tagsAny: ['gold'] })?.recipients).toBe(1);
  });

  it('counts in SQL while the data keeps changing, and builds the index once it is still', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertSubscriptions(ctx, app.id, [{}]);
    expect(countFromIndex(ctx, app.id, {})).toEqual({ recipients: 1, byService: { fcm: 1 } });
    insertSubscriptions(ctx, app.id, [{}]);
    // Just changed: the index declines, and countAudience answers from SQL, exactly.
    expect(countFromIndex(ctx, app.id, {})).toBeNull();
    expect(countAudience(ctx, app.id, {}).recipients).toBe(2);
  });

  it('builds a large app’s copy in chunks, off the request, and drops a build the data changed under', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, BUILD_AT_ONCE + 25_001);
    // Declined at first: the request is answered from SQL while the copy is built between requests.
    expect(countFromIndex(ctx, app.id, {})).toBeNull();
    expect(countAudience(ctx, app.id, {}).recipients).toBe(BUILD_AT_ONCE + 25_001);
    expect(await warmAudienceIndex(ctx, app.id)).toBe(true);
    expect(countFromIndex(ctx, app.id, { pushServices: ['apple'] })).toEqual(
      countAudienceSql(ctx, app.id, { pushServices: ['apple'] }),
    );

    const fresh = testContext();
    const other = createTestApp(fresh);
    insertMany(fresh, other.id, BUILD_AT_ONCE + 25_001);
    const warming = warmAudienceIndex(fresh, other.id);
    // Between two chunks: a row leaves the audience.
    fresh.db
      .prepare("UPDATE subscriptions SET status = 'expired' WHERE id = (SELECT max(id) FROM subscriptions)")
      .run();
    expect(await warming).toBe(false);
    expect(countAudience(fresh, other.id, {}).recipients).toBe(BUILD_AT_ONCE + 25_000);
  });

  it('builds every app’s copy when asked at once (the composer’s thread starting), the largest first', async () => {
    const ctx = testContext();
    const small = createTestApp(ctx);
    const large = createTestApp(ctx);
    createTestApp(ctx); // no subscriptions: nothing to build
    insertSubscriptions(ctx, small.id, [{ tags: ['vip'] }, {}]);
    insertMany(ctx, large.id, BUILD_AT_ONCE + 25_001);
    expect(await warmAudienceIndexes(ctx)).toEqual([large.id, small.id]);
    // Both answer from memory at once: a copy not built would decline (null) and start building now.
    expect(countFromIndex(ctx, large.id, { pushServices: ['apple'] })).toEqual(
      countAudienceSql(ctx, large.id, { pushServices: ['apple'] }),
    );
    expect(countFromIndex(ctx, small.id, { tagsAny: ['vip'] })).toEqual({
      recipients: 1,
      byService: { fcm: 1 },
    });
  });
});

describe('audience_totals (migration 13)', () => {
  it('matches a count of active subscriptions per service through inserts, edits, the trash and deletes', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    const rnd = random(7);
    const rows: Row[] = Array.from({ length: 300 }, () => ({
      pushService: pushServices[Math.floor(rnd() * pushServices.length)],
      status: rnd() < 0.2 ? 'expired' : 'active',
      deletedAt: rnd() < 0.1 ? 1 : null,
    }));
    const ids = insertSubscriptions(ctx, app.id, rows);
    insertSubscriptions(ctx, other.id, rows.slice(0, 40));
    const update = (sql: string) =>
      ids.filter(() => rnd() < 0.2).forEach((id) => ctx.db.prepare(sql).run(id));
    update("UPDATE subscriptions SET status = 'expired' WHERE id = ?");
    update("UPDATE subscriptions SET status = 'active' WHERE id = ?");
    update('UPDATE subscriptions SET deleted_at = 2 WHERE id = ?');
    update('UPDATE subscriptions SET deleted_at = NULL WHERE id = ?');
    update("UPDATE subscriptions SET push_service = 'apple' WHERE id = ?");
    update('DELETE FROM subscriptions WHERE id = ?');
    const expected = (appId: number) =>
      ctx.db
        .prepare(
          `SELECT push_service AS service, COUNT(*) AS n FROM subscriptions
           WHERE app_id = ? AND status = 'active' AND deleted_at IS NULL GROUP BY 1 ORDER BY 1`,
        )
        .all(appId);
    const totals = (appId: number) =>
      activeTotals(ctx.db, appId).sort((a, b) => a.service.localeCompare(b.service));
    expect(totals(app.id)).toEqual(expected(app.id));
    expect(totals(other.id)).toEqual(expected(other.id));
    expect(countAudience(ctx, app.id, {})).toEqual(countAudienceSql(ctx, app.id, {}));
    expect(countAudience(ctx, app.id, { pushServices: ['apple', 'fcm'] })).toEqual(
      countAudienceSql(ctx, app.id, { pushServices: ['apple', 'fcm'] }),
    );
    // An app's deletion takes its subscriptions by cascade: the delete trigger still fires for each.
    ctx.db.prepare('DELETE FROM apps WHERE id = ?').run(other.id);
    expect(totals(other.id)).toEqual([]);
  });
});

/** `count` active subscriptions over five services in one statement (a loop of inserts would take seconds). */
function insertMany(ctx: CoreContext, appId: number, count: number): void {
  ctx.db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
       SELECT ?, 'https://push.example/' || i, i, 'k', 'a',
         CASE i % 5 WHEN 0 THEN 'apple' WHEN 1 THEN 'mozilla' ELSE 'fcm' END, i, i FROM n`,
    )
    .run(count, appId);
}
