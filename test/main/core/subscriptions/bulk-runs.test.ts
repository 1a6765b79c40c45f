// Bulk actions in the background (subscriptions.bulk.start): answered before the first chunk, the action's
// end told as subscriptions.bulk.ended after the lists' change, a Stop keeping the committed chunks; in
// place and through the query thread's bulk lane, as the window calls it.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkEnded, BulkRun } from '../../../../src/shared/bulk-runs.ts';
import type { EventName, EventPayload } from '../../../../src/shared/contract.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { startQueryThread, type QueryThread } from '../../../../src/main/core/query-thread.ts';
import { BULK_CHUNK } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { interruptedRun, startBulkRun } from '../../../../src/main/core/subscriptions/bulk-runs.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { testContext, type RecordedEvent } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertMany } from './subscription-fixtures.ts';

const threads: QueryThread[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.close()));
});

const tagged = (ctx: CoreContext, name: string) =>
  ctx.db
    .prepare('SELECT count(*) FROM subscription_tags st JOIN tags t ON t.id = st.tag_id WHERE t.name = ?')
    .pluck()
    .get(name) as number;

/** The run's end, once it is recorded (polled: the run goes on after the call answered). */
async function ended(recorded: RecordedEvent[], runId: string): Promise<BulkEnded> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const end = recorded.find(
      (e) => e.event === 'subscriptions.bulk.ended' && (e.payload as BulkEnded).runId === runId,
    );
    if (end) return end.payload as BulkEnded;
    if (Date.now() > deadline) throw new Error(`no end for ${runId}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('bulk actions in the background', () => {
  it('answers before its first chunk, then tags all matching and tells the change before its end', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, 2 * BULK_CHUNK + 10);
    const run: BulkRun = { action: 'tag', selection: { filter: {} }, add: ['everyone'] };
    expect(startBulkRun(ctx, { appId: app.id, runId: 'r1', run })).toEqual({ deletedAt: null });
    // Answered: nothing done yet.
    expect(tagged(ctx, 'everyone')).toBe(0);
    const end = await ended(ctx.recorded, 'r1');
    expect(end).toEqual({
      runId: 'r1',
      appId: app.id,
      action: 'tag',
      count: 2 * BULK_CHUNK + 10,
      deletedAt: null,
      error: null,
    });
    expect(tagged(ctx, 'everyone')).toBe(2 * BULK_CHUNK + 10);
    const names = ctx.recorded.map((e) => e.event);
    expect(names.filter((n) => n === 'subscriptions.bulk.progress').length).toBeGreaterThan(0);
    // The window refreshes its lists on data.changed: told once the rows are written, before the end.
    const changed = names.lastIndexOf('data.changed');
    expect(changed).toBeGreaterThan(names.lastIndexOf('subscriptions.bulk.progress'));
    expect(changed).toBeLessThan(names.indexOf('subscriptions.bulk.ended'));
    expect(ctx.recorded[changed]!.payload).toEqual({ scopes: ['subscriptions'] });
  });

  it('runs on the bulk lane: a delete of all matching answers with its stamp, and undo restores it', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, BULK_CHUNK + 5);
    const thread = startQueryThread(ctx);
    threads.push(thread);
    const handlers = createHandlers(ctx, { queryThread: thread });
    const deleted = await dispatch(handlers, 'subscriptions.bulk.start', {
      appId: app.id,
      runId: 'del',
      run: { action: 'delete', selection: { filter: {} } },
    });
    expect(deleted).toEqual({ ok: true, result: { deletedAt: expect.any(Number) } });
    const { deletedAt } = (deleted as { result: { deletedAt: number } }).result;
    expect(await ended(ctx.recorded, 'del')).toMatchObject({ count: BULK_CHUNK + 5, deletedAt, error: null });
    const live = () =>
      ctx.db.prepare('SELECT count(*) FROM subscriptions WHERE deleted_at IS NULL').pluck().get();
    expect(live()).toBe(0);

    await dispatch(handlers, 'subscriptions.bulk.start', {
      appId: app.id,
      runId: 'undo',
      run: { action: 'restore', deletedAt },
    });
    expect(await ended(ctx.recorded, 'undo')).toMatchObject({ action: 'restore', count: BULK_CHUNK + 5 });
    expect(live()).toBe(BULK_CHUNK + 5);

    // An unknown app is refused at once, before anything runs.
    expect(
      await dispatch(handlers, 'subscriptions.bulk.start', {
        appId: 999,
        runId: 'x',
        run: { action: 'emptyTrash' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'APP_NOT_FOUND' } });
  });

  it('ends with BULK_STOPPED when stopped, the chunks committed before the stop kept', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    insertMany(ctx, app.id, 3 * BULK_CHUNK);
    const record = ctx.events.emit.bind(ctx.events);
    let asked = false;
    // The window's Stop, from another connection, at the first progress report.
    ctx.events = {
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        record(event, payload);
        if (event !== 'subscriptions.bulk.progress' || asked) return;
        asked = true;
        const window = new Database(ctx.dbPath);
        try {
          window
            .prepare('INSERT INTO bulk_cancels (app_id, asked_at) VALUES (?, ?)')
            .run(app.id, Date.now() + 1);
        } finally {
          window.close();
        }
      },
    };
    startBulkRun(ctx, {
      appId: app.id,
      runId: 'stop',
      run: { action: 'tag', selection: { filter: {} }, add: ['half'] },
    });
    const end = await ended(ctx.recorded, 'stop');
    expect(end.count).toBeNull();
    expect(end.error).toEqual({
      code: 'BULK_STOPPED',
      message: expect.stringContaining(`Stopped after ${BULK_CHUNK.toLocaleString('en')} of`),
    });
    expect(tagged(ctx, 'half')).toBe(BULK_CHUNK);
    // Asked again, it finishes the rest (the stop was asked before this run began).
    await new Promise((resolve) => setTimeout(resolve, 5));
    startBulkRun(ctx, {
      appId: app.id,
      runId: 'again',
      run: { action: 'tag', selection: { filter: {} }, add: ['half'] },
    });
    expect(await ended(ctx.recorded, 'again')).toMatchObject({ count: 3 * BULK_CHUNK, error: null });
    expect(tagged(ctx, 'half')).toBe(3 * BULK_CHUNK);
  });

  it('leaves how far it got when its thread dies mid-way, told once at a later start', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const rows = 10 * BULK_CHUNK;
    insertMany(ctx, app.id, rows);
    const thread = startQueryThread(ctx);
    const handlers = createHandlers(ctx, { queryThread: thread });
    await dispatch(handlers, 'subscriptions.bulk.start', {
      appId: app.id,
      runId: 'cut',
      run: { action: 'tag', selection: { filter: {} }, add: ['cut'] },
    });
    // Its first chunk committed (a progress report), the thread is killed as a crash or a quit would.
    const deadline = Date.now() + 60_000;
    while (!ctx.recorded.some((e) => e.event === 'subscriptions.bulk.progress')) {
      if (Date.now() > deadline) throw new Error('no progress');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await thread.close();
    expect(ctx.recorded.some((e) => e.event === 'subscriptions.bulk.ended')).toBe(false);
    // Whole chunks stay committed, the one under way is rolled back; the row says at most that many.
    const done = tagged(ctx, 'cut');
    expect(done % BULK_CHUNK).toBe(0);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(rows);
    // Not in this process's own start: only a run older than it is told.
    expect(interruptedRun(ctx, app.id)).toBeNull();
    const told = interruptedRun(ctx, app.id, Date.now() + 1);
    expect(told).toMatchObject({ action: 'tag', total: rows });
    expect([done, done - BULK_CHUNK]).toContain(told!.done);
    // Told once; a run that ended is never told.
    expect(interruptedRun(ctx, app.id, Date.now() + 1)).toBeNull();
    startBulkRun(ctx, {
      appId: app.id,
      runId: 'whole',
      run: { action: 'tag', selection: { filter: {} }, add: ['cut'] },
    });
    await ended(ctx.recorded, 'whole');
    expect(interruptedRun(ctx, app.id, Date.now() + 1)).toBeNull();
  });
});
