// Subscribers moved to the trash during a send, or between a pause and its resume, get nothing more: only
// the requests already in flight at the delete may still leave (issue 12, item 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { startResume, startSend, stopCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { deleteSubscriptions } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

const started = (ctx: ReturnType<typeof testContext>, id: number) =>
  ctx.db
    .prepare("SELECT count(*) FROM deliveries WHERE campaign_id = ? AND state <> 'pending'")
    .pluck()
    .get(id) as number;

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe('subscribers in the trash', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    // 20 ms an answer and 4 in flight: about 200 messages a second, so a delete lands mid-send.
    service = await startPushService({ delayMs: 20 });
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  it('get nothing more from a running send once deleted, but what was in flight', async () => {
    const subs = await subscribe(ctx, app, service, Array(700).fill('ok'), { tags: ['running'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['running'] }, options: { concurrency: 4 } });
    const run = startSend(ctx, id);
    await waitFor(() => service.messages().length >= 40);
    deleteSubscriptions(ctx, app.id, { ids: subs.map((s) => s.dbId) });
    const startedAtDelete = started(ctx, id);
    const outcome = await run.done;

    expect(startedAtDelete).toBeLessThan(700);
    expect(service.messages().length).toBeLessThanOrEqual(startedAtDelete);
    expect(outcome.totals.delivered).toBe(service.messages().length);
    expect(outcome.totals.pending).toBe(0);
    const reasons = ctx.db
      .prepare(
        'SELECT reason, outcome, count(*) AS n FROM deliveries WHERE campaign_id = ? AND state = ? GROUP BY 1, 2',
      )
      .all(id, 'failed');
    expect(reasons).toStrictEqual([
      {
        reason: 'subscription deleted before it was sent to',
        outcome: 'not-sent',
        n: 700 - outcome.totals.delivered,
      },
    ]);
  });

  it('get nothing from the resume of a paused send once deleted', async () => {
    const before = service.messages().length;
    const subs = await subscribe(ctx, app, service, Array(300).fill('ok'), { tags: ['resumed'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['resumed'] }, options: { concurrency: 4 } });
    const run = startSend(ctx, id);
    await waitFor(() => service.messages().length - before >= 20);
    stopCampaign(ctx, id, 'pause');
    await run.done;
    const sentBeforeDelete = service.messages().length;
    // Half the list goes to the trash; the other half is still sent to.
    deleteSubscriptions(ctx, app.id, { ids: subs.slice(0, 150).map((s) => s.dbId) });
    const outcome = await startResume(ctx, id).done;

    expect(outcome.state).toBe('completed');
    const deleted = new Set(subs.slice(0, 150).map((s) => s.id));
    const afterDelete = service.messages().slice(sentBeforeDelete);
    expect(afterDelete.filter((m) => deleted.has(m.subscriptionId))).toStrictEqual([]);
    expect(afterDelete.length).toBeGreaterThan(0);
    expect(outcome.totals.pending).toBe(0);
  });
});
