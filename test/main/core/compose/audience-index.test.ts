import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countAudience, countAudienceSql } from '../../../../src/main/core/compose/audience.ts';
import { countFromIndex, withoutAudienceChange } from '../../../../src/main/core/compose/audience-index.ts';
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
      expect(countFromIndex(ctx, app.id, filter), JSON.stringify(filter)).toEqual(
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

  it('keeps its columns across the composer’s own draft writes', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertSubscriptions(ctx, app.id, [{}, {}]);
    expect(countAudience(ctx, app.id, {}).recipients).toBe(2);
    // Writes declared as not changing any audience keep the cached columns: even a (deliberately wrong)
    // subscription insert inside one stays unseen until the next ordinary write.
    withoutAudienceChange(ctx, () => {
      saveDraft(ctx, app.id, { message: { format: 'none' }, audience: {}, options: { ttl: 60 } });
      insertSubscriptions(ctx, app.id, [{}]);
    });
    expect(countAudience(ctx, app.id, {}).recipients).toBe(2);
    insertSubscriptions(ctx, app.id, [{}]);
    expect(countAudience(ctx, app.id, {}).recipients).toBe(4);
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
});
