import { describe, expect, it } from 'vitest';
import { cappedCount } from '../../../../src/main/core/delivery-time/capped-count.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import type { AudienceFilter } from '../../../../src/shared/compose.ts';
import { audienceSql } from '../../../../src/main/core/compose/audience.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertSubscriptions } from '../compose/subscription-rows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-12-23T12:00:00Z');

/** The count as issue 17 first wrote it: per audience member, a count of its deliveries in each window. */
function reference(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  per24h: number | null,
  per7d: number | null,
) {
  const { where, params } = audienceSql(appId, audience);
  const recent = (since: number) =>
    `(SELECT COUNT(*) FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
       WHERE d.subscription_id = s.id AND d.state IN ('sent', 'in_flight', 'uncertain')
         AND COALESCE(d.release_at, c.started_at) > ${since} AND COALESCE(d.release_at, c.started_at) <= ${now})`;
  const tests: string[] = [];
  if (per24h !== null) tests.push(`${recent(now - DAY)} >= ${per24h}`);
  if (per7d !== null) tests.push(`${recent(now - 7 * DAY)} >= ${per7d}`);
  return ctx.db
    .prepare(`SELECT COUNT(*) FROM subscriptions s WHERE ${where} AND (${tests.join(' OR ')})`)
    .pluck()
    .get(...params) as number;
}

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** A campaign started `ago` before now; with zones, its deliveries carry their zone's release_at. */
function campaign(
  ctx: CoreContext,
  appId: number,
  ago: number,
  state = 'completed',
  zones: number[] = [],
): number {
  const started = now - ago;
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO campaigns (app_id, name, state, message, options, audience, created_at, updated_at, started_at)
         VALUES (?, 'c', ?, '{"format":"none"}', '{}', '{}', ?, ?, ?)`,
      )
      .run(appId, state, started, started, started).lastInsertRowid,
  );
  zones.forEach((offset, zone) =>
    ctx.db
      .prepare(
        `INSERT INTO campaign_zones (campaign_id, zone_id, time_zone, release_at, local_release) VALUES (?, ?, ?, ?, '09:00')`,
      )
      .run(id, zone, `Zone/${zone}`, started + offset),
  );
  return id;
}

describe('cappedCount', () => {
  it('counts what the per-subscriber query counts, with and without the audience index', () => {
    const ctx = testContext({ now: () => now });
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    const rnd = random(17);
    const ids = insertSubscriptions(
      ctx,
      app.id,
      Array.from({ length: 400 }, () => ({
        pushService: rnd() < 0.5 ? 'fcm' : 'apple',
        status: rnd() < 0.1 ? 'expired' : 'active',
        deletedAt: rnd() < 0.05 ? 1 : null,
        tags: rnd() < 0.3 ? ['vip'] : [],
      })),
    );
    insertSubscriptions(ctx, other.id, [{}, {}]);
    const campaigns = [
      campaign(ctx, app.id, 2 * HOUR),
      campaign(ctx, app.id, 20 * HOUR, 'sending'),
      campaign(ctx, app.id, DAY), // exactly 24 h ago: out of the 24 h window, in the 7 days
      campaign(ctx, app.id, 3 * DAY),
      campaign(ctx, app.id, 7 * DAY + HOUR), // out of both
      campaign(ctx, app.id, 30 * HOUR, 'completed', [4 * HOUR, 8 * HOUR, 40 * HOUR]), // zones: 26 h, 22 h ago, future
      campaign(ctx, app.id, 8 * DAY, 'completed', [2 * DAY]), // started 8 days ago, its zone released 6 days ago
    ];
    const states = ['sent', 'sent', 'in_flight', 'uncertain', 'failed', 'skipped', 'pending'];
    const deliver = ctx.db.prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, release_at, zone_id)
       SELECT ?, ?, ?, z.release_at, z.zone_id FROM (SELECT 1) LEFT JOIN campaign_zones z ON z.campaign_id = ? AND z.zone_id = ?`,
    );
    for (const c of campaigns)
      for (const id of ids)
        if (rnd() < 0.6)
          deliver.run(
            c,
            rnd() < 0.05 ? -id : id,
            states[Math.floor(rnd() * states.length)],
            c,
            Math.floor(rnd() * 3),
          );

    const audiences: AudienceFilter[] = [
      {},
      { pushServices: ['apple'] },
      { tagsAny: ['vip'] },
      { tagsNone: ['vip'], pushServices: ['fcm'] },
      // Not indexable: counted through SQL.
      { timeZones: [null] },
      { timeZones: [null], tagsAll: ['vip'] },
    ];
    const caps: Array<[number | null, number | null]> = [
      [1, null],
      [2, null],
      [null, 3],
      [1, 4],
      [3, 5],
      [null, 7],
    ];
    for (const audience of audiences)
      for (const [per24h, per7d] of caps)
        expect(
          cappedCount(ctx, app.id, audience, { per24h, per7d }, now),
          JSON.stringify([audience, per24h, per7d]),
        ).toBe(reference(ctx, app.id, audience, per24h, per7d));
    // A sending campaign’s journal is read afresh: its tally is never kept.
    ctx.db.prepare("UPDATE deliveries SET state = 'sent' WHERE campaign_id = ?").run(campaigns[1]);
    expect(cappedCount(ctx, app.id, {}, { per24h: 2, per7d: null }, now)).toBe(
      reference(ctx, app.id, {}, 2, null),
    );
  });

  it('looks up many capped subscriptions through the audience when the index is not there', () => {
    const ctx = testContext({ now: () => now });
    const app = createTestApp(ctx);
    ctx.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45000)
         INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at, timezone)
         SELECT ?, 'https://push.example/' || i, i, 'k', 'a', 'fcm', i, i, CASE WHEN i % 3 = 0 THEN 'Europe/Oslo' END FROM n`,
      )
      .run(app.id);
    const c = campaign(ctx, app.id, HOUR);
    ctx.db
      .prepare(
        "INSERT INTO deliveries (campaign_id, subscription_id, state) SELECT ?, id, 'sent' FROM subscriptions WHERE id % 2 = 0",
      )
      .run(c);
    // 22,500 capped (more than are looked up one by one), 15,000 of them without a zone of their own.
    expect(cappedCount(ctx, app.id, { timeZones: [null] }, { per24h: 1, per7d: null }, now)).toBe(15_000);
    expect(reference(ctx, app.id, { timeZones: [null] }, 1, null)).toBe(15_000);
  });
});
