// The composer's "held back by the frequency cap": how many of an audience got `limit` or more campaigns in
// the last 24 hours or 7 days. Counted from the few campaigns released in that window, not per subscriber:
// their journal rows are tallied per subscription id once, then the audience's members are looked up in the
// tally (through the composer's in-memory index when it is built, else SQL).
import type { AudienceFilter } from '../../../shared/compose.ts';
import { DAY_MS } from '../../../shared/delivery-time-rules.ts';
import { audienceSql } from '../compose/audience.ts';
import { indexMatcher } from '../compose/audience-index.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { FrequencyCapLimits } from './frequency-cap.ts';

/** Per subscription id, how many campaigns reached it in the last 24 hours and 7 days. */
interface Tally {
  key: string;
  day: Uint16Array;
  week: Uint16Array;
}

const tallies = new WeakMap<Db, Tally>();

/** The states that may have reached a subscriber (as frequency-cap.ts counts them). */
const REACHED = "('sent', 'in_flight', 'uncertain')";
/** Finished campaigns' journals no longer change: their tally can be kept. */
const FINISHED = new Set(['completed', 'cancelled']);
/** Up to this many capped subscriptions are checked against the audience one by one in SQL. */
const LOOKUPS = 20_000;

interface Released {
  id: number;
  state: string;
  started_at: number;
}

/**
 * The app's campaigns released in (since, now]: started then (sent at one instant: its deliveries carry no
 * release_at), or with a zone released then (a timed campaign's deliveries carry their zone's release_at,
 * plan.ts). Every delivery frequency-cap.ts would count belongs to one of them.
 */
function releasedIn(db: Db, appId: number, since: number, now: number): Released[] {
  return db
    .prepare(
      `SELECT id, state, started_at FROM campaigns
       WHERE app_id = ? AND started_at IS NOT NULL AND (
         (started_at > ? AND started_at <= ?)
         OR id IN (SELECT campaign_id FROM campaign_zones WHERE release_at > ? AND release_at <= ?))
       ORDER BY id`,
    )
    .all(appId, since, now, since, now) as Released[];
}

/**
 * Calls `each` with the numbers of a group_concat over non-negative integers (its default ',' separator).
 * Many ids come out of SQLite this way at a fraction of what a row per id costs: 500,000 delivery ids in
 * 42-48 ms of CPU where iterating the rows took 161-175 ms and a SQL function called per row 88-99 ms
 * (probe over the 1M bench database).
 */
function forEachNumber(list: string | null, each: (n: number) => void): void {
  if (!list) return;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      each(n);
      n = 0;
    } else n = n * 10 + (c - 48);
  }
  each(n);
}

function tally(db: Db, campaigns: Released[], now: number): Tally {
  const maxId = (db.prepare('SELECT max(id) FROM subscriptions').pluck().get() as number | null) ?? 0;
  // Subscriptions added or removed since would shift what an id means: part of the key.
  const version = db.prepare('SELECT subscriptions FROM audience_changes').pluck().get() as number;
  // Which of the window's edges each release instant is inside: the tally's rows follow from it.
  const zones = db
    .prepare(
      `SELECT campaign_id, release_at > ? FROM campaign_zones
       WHERE campaign_id IN (SELECT value FROM json_each(?)) ORDER BY campaign_id, release_at`,
    )
    .raw()
    .all(now - DAY_MS, JSON.stringify(campaigns.map((c) => c.id))) as Array<[number, number]>;
  const edges = campaigns.map((c) => [c.id, c.state, c.started_at > now - DAY_MS]);
  const key = JSON.stringify([version, maxId, edges, zones]);
  const kept = tallies.get(db);
  if (kept?.key === key) return kept;
  const result = { key, day: new Uint16Array(maxId + 1), week: new Uint16Array(maxId + 1) };
  const { day, week } = result;
  // A campaign without zones was sent at one instant, its start (releasedIn: inside the window): its
  // deliveries carry no release_at (only plan.ts's timed journal sets it), so the narrow index answers.
  const oneInstant = db.prepare(
    `SELECT group_concat(subscription_id) FROM deliveries INDEXED BY deliveries_state
     WHERE campaign_id = ? AND state IN ${REACHED} AND subscription_id > 0 AND subscription_id <= ?`,
  );
  // A timed campaign's: each id doubled, plus 1 if its zone was released in the last 24 hours.
  const timed = db.prepare(
    `SELECT group_concat(subscription_id * 2 + (COALESCE(release_at, ?) > ?)) FROM deliveries
     WHERE campaign_id = ? AND state IN ${REACHED} AND subscription_id > 0 AND subscription_id <= ?
       AND COALESCE(release_at, ?) > ? AND COALESCE(release_at, ?) <= ?`,
  );
  const zoned = new Set(zones.map(([id]) => id));
  for (const c of campaigns) {
    const at = c.started_at;
    if (zoned.has(c.id)) {
      const list = timed.pluck().get(at, now - DAY_MS, c.id, maxId, at, now - 7 * DAY_MS, at, now);
      forEachNumber(list as string | null, (n) => {
        const id = Math.floor(n / 2);
        week[id]!++;
        if (n % 2 === 1) day[id]!++;
      });
    } else {
      const inDay = at > now - DAY_MS;
      forEachNumber(oneInstant.pluck().get(c.id, maxId) as string | null, (id) => {
        week[id]!++;
        if (inDay) day[id]!++;
      });
    }
  }
  // Kept for the next edit only while every journal in it is final (a sending campaign's grows).
  if (campaigns.every((c) => FINISHED.has(c.state))) tallies.set(db, result);
  return result;
}

/** Audience members who got `limit` or more campaigns in the window ending now. */
export function cappedCount(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  cap: FrequencyCapLimits,
  now: number,
): number {
  if (cap.per24h === null && cap.per7d === null) return 0;
  const campaigns = releasedIn(ctx.db, appId, now - 7 * DAY_MS, now);
  // One delivery per campaign and subscription: nobody reached a cap of more campaigns than were released.
  if (campaigns.length < Math.min(cap.per24h ?? Infinity, cap.per7d ?? Infinity)) return 0;
  const { day, week } = tally(ctx.db, campaigns, now);
  const capped = (id: number) =>
    id < week.length &&
    ((cap.per24h !== null && day[id]! >= cap.per24h) || (cap.per7d !== null && week[id]! >= cap.per7d));

  const matcher = indexMatcher(ctx, appId, audience);
  if (matcher) {
    let n = 0;
    for (let i = 0; i < matcher.ids.length; i++) if (capped(matcher.ids[i]!) && matcher.matches(i)) n++;
    return n;
  }
  const ids: number[] = [];
  for (let id = 1; id < week.length && ids.length <= LOOKUPS; id++) if (capped(id)) ids.push(id);
  const { where, params } = audienceSql(appId, audience);
  if (ids.length <= LOOKUPS) {
    return ctx.db
      .prepare(
        `SELECT COUNT(*) FROM subscriptions s WHERE s.id IN (SELECT value FROM json_each(?)) AND ${where}`,
      )
      .pluck()
      .get(JSON.stringify(ids), ...params) as number;
  }
  // Many capped and no index yet: the audience's ids, each looked up in the tally.
  let n = 0;
  const members = ctx.db.prepare(`SELECT group_concat(s.id) FROM subscriptions s WHERE ${where}`);
  forEachNumber(members.pluck().get(...params) as string | null, (id) => {
    if (capped(id)) n++;
  });
  return n;
}
