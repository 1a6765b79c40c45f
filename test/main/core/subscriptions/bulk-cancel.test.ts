import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../src/shared/contract.ts';
import {
  BULK_CHUNK,
  cancelBulk,
  deleteSubscriptions,
  tagSubscriptions,
} from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { openContext } from '../../../../src/main/core/open-context.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertMany } from './subscription-fixtures.ts';

const ROWS = 3 * BULK_CHUNK + 500;

/** A context whose first progress report of a bulk action asks it to stop, from another connection (the window's). */
function stoppingContext(): CoreContext {
  const ctx = testContext();
  let asked = false;
  return Object.assign(ctx, {
    events: {
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        if (event !== 'subscriptions.bulk.progress' || asked) return;
        asked = true;
        const main = openContext({ dbPath: ctx.dbPath, runtime: ctx.runtime, keySealer: ctx.keySealer });
        try {
          cancelBulk(main, (payload as { appId: number }).appId);
        } finally {
          main.db.close();
        }
      },
    },
  });
}

describe('stopping a bulk action', () => {
  it('stops tagging all matching after the chunk under way, and keeps the chunks it committed', () => {
    const ctx = stoppingContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, ROWS);
    expect(() => tagSubscriptions(ctx, app.id, { filter: {} }, ['everyone'])).toThrow(
      expect.objectContaining({
        code: 'BULK_STOPPED',
        message: expect.stringContaining(`of ${ROWS.toLocaleString('en')}`),
      }),
    );
    const tagged = ctx.db
      .prepare(
        `SELECT COUNT(*) AS n, MAX(subscription_id) AS last FROM subscription_tags st JOIN tags t ON t.id = st.tag_id
         WHERE t.name = 'everyone'`,
      )
      .get() as { n: number; last: number };
    // Whole chunks, in id order: the first BULK_CHUNK ids tagged, no one after them.
    expect(tagged.n).toBeGreaterThanOrEqual(BULK_CHUNK);
    expect(tagged.n).toBeLessThan(ROWS);
    expect(tagged.n % BULK_CHUNK).toBe(0);
    const firstIds = ctx.db.prepare('SELECT id FROM subscriptions ORDER BY id LIMIT 1 OFFSET ?').pluck();
    expect(tagged.last).toBe(firstIds.get(tagged.n - 1));

    // A stop asked before an action began does not stop it: running it again finishes the rest.
    expect(tagSubscriptions(ctx, app.id, { filter: {} }, ['everyone'])).toBe(ROWS);
    const everyone = ctx.db
      .prepare(
        "SELECT COUNT(*) FROM subscription_tags st JOIN tags t ON t.id = st.tag_id WHERE t.name = 'everyone'",
      )
      .pluck();
    expect(everyone.get()).toBe(ROWS);
  });

  it('stops a move to the trash with the list and the trash consistent', () => {
    const ctx = stoppingContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, ROWS);
    expect(() => deleteSubscriptions(ctx, app.id, { filter: {} })).toThrow(
      expect.objectContaining({ code: 'BULK_STOPPED' }),
    );
    const counts = ctx.db
      .prepare('SELECT COUNT(deleted_at) AS trash, COUNT(*) - COUNT(deleted_at) AS list FROM subscriptions')
      .get() as { trash: number; list: number };
    expect(counts.trash % BULK_CHUNK).toBe(0);
    expect(counts.trash + counts.list).toBe(ROWS);
    expect(counts.list).toBeGreaterThan(0);
    // The composer's totals (migration 13) follow the rows committed.
    expect(ctx.db.prepare('SELECT active FROM audience_totals WHERE app_id = ?').pluck().get(app.id)).toBe(
      counts.list,
    );
    const raw = new Database(ctx.dbPath);
    expect(raw.prepare('SELECT COUNT(*) FROM bulk_cancels').pluck().get()).toBe(1);
    raw.close();
  });
});
