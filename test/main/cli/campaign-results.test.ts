// `pushdeck campaign show` and `campaign list` read a campaign's stored results summary, store it when it
// is missing, and see a change another process made to the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDetail, CampaignSummary } from '../../../src/shared/campaigns.ts';
import { sendCampaign } from '../../../src/main/core/campaigns/campaigns.ts';
import { computeSummary, parseStoredResults } from '../../../src/main/core/campaigns/journal-summary.ts';
import { campaignDetail } from '../../../src/main/core/campaigns/results.ts';
import { deleteSubscriptions, emptyTrash } from '../../../src/main/core/subscriptions/bulk-actions.ts';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { draft, subscribe, type Subscriber } from '../core/campaigns/fixtures.ts';

describe('campaign show and campaign list with a stored results summary', () => {
  const ctx = testContext();
  let service: PushService;
  let subs: Subscriber[];
  let id: number;
  let appId: number;
  const env = () => ({ PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE });
  const raw = () =>
    ctx.db.prepare('SELECT results_summary FROM campaigns WHERE id = ?').pluck().get(id) as string | null;

  async function show(): Promise<CampaignDetail> {
    const result = await runPushdeck(['campaign', 'show', String(id), '--limit', '0', '--json'], {
      env: env(),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { deliveries, ...detail } = JSON.parse(result.stdout) as CampaignDetail & { deliveries: unknown[] };
    expect(deliveries).toEqual([]);
    return detail;
  }

  async function list(): Promise<CampaignSummary[]> {
    const result = await runPushdeck(['campaign', 'list', '--json'], { env: env() });
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as CampaignSummary[];
  }

  beforeAll(async () => {
    service = await startPushService();
    const app = createTestApp(ctx);
    appId = app.id;
    subs = await subscribe(ctx, app, service, [...Array(10).fill('ok'), '410', '413']);
    id = draft(ctx, app, { options: { maxAttempts: 1 } });
    const outcome = await sendCampaign(ctx, id);
    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe('completed');
  });
  afterAll(() => service.close());

  it('prints what the app shows, from the stored summary or without it, and stores it when missing', async () => {
    expect(raw()).not.toBeNull();
    const expected = campaignDetail(ctx, id);
    expect(await show()).toStrictEqual(expected);
    expect((await list()).find((c) => c.id === id)!.totals).toStrictEqual(expected.totals);

    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL').run();
    expect((await list()).find((c) => c.id === id)!.totals).toStrictEqual(expected.totals);
    expect(parseStoredResults(raw())).toStrictEqual({ totals: expected.totals, summary: null });
    expect(await show()).toStrictEqual(expected);
    expect(parseStoredResults(raw())!.summary).toStrictEqual(computeSummary(ctx.db, id));
  });

  it('keeps the results of subscriptions deleted for good, and sees the journal change', async () => {
    const before = await show();
    expect(before.totals).toMatchObject({ recipients: 12, delivered: 10, expired: 1, failed: 1 });
    deleteSubscriptions(ctx, appId, { ids: [subs[0]!.dbId, subs[10]!.dbId] });
    emptyTrash(ctx, appId);
    // The trash emptied another way changed the journal (the stored summary was dropped), not its totals.
    expect(raw()).toBeNull();
    const detail = await show();
    expect(detail.totals).toStrictEqual(before.totals);
    expect(detail.byStatus).toStrictEqual({ '201': 10, '410': 1, '413': 1 });
    expect((await list()).find((c) => c.id === id)!.totals).toStrictEqual(detail.totals);
  });
});
