// A sending thread waits out another writer's long transaction (a bulk action over a million subscriptions
// holds the write lock for seconds) instead of stopping the campaign on SQLITE_BUSY after the default 5 s.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSend } from '../../../../src/main/core/campaigns/campaigns.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

describe('a sending thread and a long write lock', () => {
  let service: PushService;
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service.close());

  it('finishes the campaign after another connection held the write lock for 6 s', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    await subscribe(ctx, app, service, Array(20).fill('ok'));
    const id = draft(ctx, app, { options: { concurrency: 2 } });
    const run = startSend(ctx, id);
    // Another writer (as the query thread is) takes the lock while the sender is at work, and keeps it.
    const other = new Database(ctx.dbPath);
    other.pragma('busy_timeout = 10000');
    other.exec('BEGIN IMMEDIATE');
    const heldAt = service.messages().length;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    // The sender could not record anything meanwhile, so it stopped starting requests (at most the
    // concurrency limit of them went out while it waited).
    expect(service.messages().length - heldAt).toBeLessThanOrEqual(2);
    other.exec('COMMIT');
    other.close();
    const outcome = await run.done;
    expect(outcome).toMatchObject({ state: 'completed', error: null, totals: { delivered: 20 } });
    expect(service.messages()).toHaveLength(20);
  }, 30_000);
});
