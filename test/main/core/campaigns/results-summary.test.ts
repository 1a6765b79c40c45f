// The stored summary of a campaign's journal (campaigns.results_summary): written when a run ends or on the
// first read of a settled campaign, dropped by any change of the journal, never used while sending.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import {
  listCampaigns,
  sendCampaign,
  startResume,
  startRetryFailed,
  startSend,
  stopCampaign,
} from '../../../../src/main/core/campaigns/campaigns.ts';
import {
  computeSummary,
  journalTotals,
  parseStoredResults,
  type JournalSummary,
} from '../../../../src/main/core/campaigns/journal-summary.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { deleteSubscriptions } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

describe('stored results summary', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService({ delayMs: 5 });
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  const raw = (id: number) =>
    ctx.db.prepare('SELECT results_summary FROM campaigns WHERE id = ?').pluck().get(id) as string | null;
  const stored = (id: number): JournalSummary | null => parseStoredResults(raw(id))?.summary ?? null;

  /** The stored summary exists and says exactly what a fresh count of the journal says. */
  function expectStoredMatchesJournal(id: number): JournalSummary {
    const summary = stored(id);
    expect(summary).not.toBeNull();
    expect(summary).toStrictEqual(computeSummary(ctx.db, id));
    return summary!;
  }

  const mix = (n: number) => [...Array(n).fill('ok'), '410', '413', 'always-500', '404'] as const;

  it('is stored when a run ends and agrees with the journal', async () => {
    await subscribe(ctx, app, service, [...mix(40)], { tags: ['run'], pushService: 'mozilla' });
    const id = draft(ctx, app, { audience: { tagsAny: ['run'] }, options: { maxAttempts: 1 } });
    expect(raw(id)).toBeNull();
    const outcome = await sendCampaign(ctx, id);
    expect(outcome.state).toBe('completed');
    const summary = expectStoredMatchesJournal(id);
    expect(summary.totals).toStrictEqual(outcome.totals);
    expect(summary.totals).toMatchObject({ recipients: 44, delivered: 40, expired: 2, failed: 2 });
    expect(summary.byStatus).toMatchObject({ '201': 40, '410': 1, '404': 1, '413': 1, '500': 1 });
    expect(summary.latencyMs.max).not.toBeNull();
  });

  it('serves get and list from the stored value, and gives the same answers without it', async () => {
    const ids = listCampaigns(ctx, { appId: app.id }).map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(raw(id)).not.toBeNull();
    const withSummary = {
      list: listCampaigns(ctx, { appId: app.id }),
      details: ids.map((id) => campaignDetail(ctx, id)),
    };

    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL').run();
    const withoutSummary = {
      list: listCampaigns(ctx, { appId: app.id }),
      details: ids.map((id) => campaignDetail(ctx, id)),
    };
    // Same values, same key order (the window and the CLI print them in that order).
    expect(JSON.stringify(withoutSummary)).toBe(JSON.stringify(withSummary));
    expect(withoutSummary).toStrictEqual(withSummary);
    // The first read stored it again.
    for (const id of ids) expectStoredMatchesJournal(id);

    // Reads use what is stored rather than counting again: a doctored value shows through.
    const id = ids[0]!;
    const doctored = JSON.parse(raw(id)!) as JournalSummary;
    doctored.totals.delivered = 123_456;
    doctored.byReason = { 'doctored reason': 7 };
    ctx.db.prepare('UPDATE campaigns SET results_summary = ? WHERE id = ?').run(JSON.stringify(doctored), id);
    expect(campaignDetail(ctx, id)).toMatchObject({
      totals: { delivered: 123_456 },
      byReason: { 'doctored reason': 7 },
    });
    expect(listCampaigns(ctx, { appId: app.id }).find((c) => c.id === id)!.totals.delivered).toBe(123_456);
    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL WHERE id = ?').run(id);
    expect(campaignDetail(ctx, id).totals.delivered).toBe(40);
  });

  it('is dropped by a retry of the failed, and stored again, right, when the retry ends', async () => {
    const subs = await subscribe(ctx, app, service, ['ok', 'ok', 'always-500', 'always-500'], {
      tags: ['retry'],
    });
    const id = draft(ctx, app, { audience: { tagsAny: ['retry'] }, options: { maxAttempts: 1 } });
    await sendCampaign(ctx, id);
    expect(expectStoredMatchesJournal(id).totals).toMatchObject({ delivered: 2, failed: 2 });

    for (const sub of subs.slice(2)) service.setBehaviour(sub.id, 'ok');
    const run = startRetryFailed(ctx, id);
    // The failed went back to pending: the old summary no longer holds, and a sending campaign counts live.
    expect(raw(id)).toBeNull();
    expect(campaignDetail(ctx, id).totals.failed).toBe(0);
    expect(raw(id)).toBeNull();
    await run.done;
    expect(expectStoredMatchesJournal(id).totals).toMatchObject({ delivered: 4, failed: 0 });
    expect(campaignDetail(ctx, id).byStatus).toStrictEqual({ '201': 4 });
  });

  it('is stored at a pause, dropped at the resume, and agrees with the journal once the resume ends', async () => {
    await subscribe(ctx, app, service, Array(200).fill('ok'), { tags: ['resume'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['resume'] }, options: { concurrency: 2 } });
    const before = service.messages().length;
    const run = startSend(ctx, id);
    while (service.messages().length < before + 10) await new Promise((resolve) => setTimeout(resolve, 5));
    stopCampaign(ctx, id, 'pause');
    // Paused, but the sending thread is still finishing its requests: nothing is stored yet.
    expect(campaignDetail(ctx, id).state).toBe('paused');
    expect(raw(id)).toBeNull();
    const paused = await run.done;
    expect(paused.state).toBe('paused');
    expect(expectStoredMatchesJournal(id).totals.pending).toBeGreaterThan(0);

    const resumed = startResume(ctx, id);
    await resumed.done;
    const summary = expectStoredMatchesJournal(id);
    expect(summary.totals).toMatchObject({ recipients: 200, delivered: 200, pending: 0 });
    expect(campaignDetail(ctx, id).totals).toStrictEqual(summary.totals);
  });

  it('is dropped when the trash is emptied, and stored again with the same totals', async () => {
    const subs = await subscribe(ctx, app, service, Array(12).fill('ok'), { tags: ['purge'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['purge'] } });
    await sendCampaign(ctx, id);
    expect(expectStoredMatchesJournal(id).totals.recipients).toBe(12);
    const other = listCampaigns(ctx, { appId: app.id }).find((c) => c.id !== id)!.id;
    const otherRaw = raw(other);
    expect(otherRaw).not.toBeNull();

    deleteSubscriptions(ctx, app.id, { ids: subs.slice(0, 5).map((s) => s.dbId) });
    // In the trash, the deliveries stay: so does the summary.
    expect(stored(id)!.totals.recipients).toBe(12);
    ctx.recorded.length = 0;
    await createDispatcher({ context: ctx, actor: 'app' }).call('subscriptions.trash.empty', {
      appId: app.id,
    });
    // Their deliveries were detached from them (migration 007): the journal changed, not its totals.
    expect(raw(id)).toBeNull();
    expect(ctx.recorded).toContainEqual({
      event: 'data.changed',
      payload: { scopes: expect.arrayContaining(['campaigns']) },
    });
    // A campaign that never had those subscriptions keeps its summary.
    expect(raw(other)).toBe(otherRaw);

    expect(campaignDetail(ctx, id).totals).toMatchObject({ recipients: 12, delivered: 12 });
    expect(expectStoredMatchesJournal(id).byStatus).toStrictEqual({ '201': 12 });
  });

  it('is dropped by a change another connection makes, as the sending thread and other processes do', async () => {
    const id = listCampaigns(ctx, { appId: app.id, state: 'completed' })[0]!.id;
    campaignDetail(ctx, id);
    expect(raw(id)).not.toBeNull();
    const other = new Database(ctx.dbPath);
    try {
      other
        .prepare(
          "UPDATE deliveries SET state = 'failed', http_status = 500 WHERE campaign_id = ? AND subscription_id = (SELECT MIN(subscription_id) FROM deliveries WHERE campaign_id = ?)",
        )
        .run(id, id);
    } finally {
      other.close();
    }
    expect(raw(id)).toBeNull();
    expect(campaignDetail(ctx, id).totals.failed).toBe(1);
    expectStoredMatchesJournal(id);
  });

  it('stores only the totals when a list asks first, and the whole summary once the campaign is opened', () => {
    const ids = listCampaigns(ctx, { appId: app.id }).map((c) => c.id);
    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL').run();
    const list = listCampaigns(ctx, { appId: app.id });
    for (const id of ids) {
      expect(parseStoredResults(raw(id))).toStrictEqual({ totals: journalTotals(ctx.db, id), summary: null });
    }
    expect(listCampaigns(ctx, { appId: app.id })).toStrictEqual(list);
    const detail = campaignDetail(ctx, ids[0]!);
    expect(detail.totals).toStrictEqual(list.find((c) => c.id === ids[0])!.totals);
    expect(expectStoredMatchesJournal(ids[0]!).byStatus).toStrictEqual(detail.byStatus);
  });

  it('answers without storing, and without waiting, while another connection holds the write lock', () => {
    const id = listCampaigns(ctx, { appId: app.id, state: 'completed' })[0]!.id;
    const expected = campaignDetail(ctx, id);
    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL WHERE id = ?').run(id);
    const other = new Database(ctx.dbPath);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(campaignDetail(ctx, id)).toStrictEqual(expected);
      expect(listCampaigns(ctx, { appId: app.id }).find((c) => c.id === id)!.totals).toStrictEqual(
        expected.totals,
      );
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    expect(raw(id)).toBeNull();
    expect(campaignDetail(ctx, id)).toStrictEqual(expected);
    expectStoredMatchesJournal(id);
  });

  it('is neither used nor stored while a campaign sends', async () => {
    await subscribe(ctx, app, service, ['stall', 'stall', 'ok'], { tags: ['stall'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['stall'] }, options: { timeoutMs: 60_000 } });
    const run = startSend(ctx, id);
    while (service.log().filter((e) => e.status === 'stall').length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    while (campaignDetail(ctx, id).totals.delivered < 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Reads of a sending campaign count the journal and store nothing.
    expect(campaignDetail(ctx, id).totals).toMatchObject({ recipients: 3, delivered: 1, inFlight: 2 });
    expect(listCampaigns(ctx, { appId: app.id }).find((c) => c.id === id)!.totals.inFlight).toBe(2);
    expect(raw(id)).toBeNull();
    // Even a stored value (the requests stall: no delivery changes to drop it) is not used while sending.
    const planted = { version: 1, ...computeSummary(ctx.db, id) };
    planted.totals = { ...planted.totals, delivered: 999 };
    ctx.db.prepare('UPDATE campaigns SET results_summary = ? WHERE id = ?').run(JSON.stringify(planted), id);
    expect(campaignDetail(ctx, id).totals.delivered).toBe(1);
    expect(listCampaigns(ctx, { appId: app.id }).find((c) => c.id === id)!.totals.delivered).toBe(1);

    stopCampaign(ctx, id, 'cancel');
    const outcome = await run.done;
    expect(outcome.totals).toMatchObject({ delivered: 1, uncertain: 2, inFlight: 0 });
    expect(expectStoredMatchesJournal(id).totals).toStrictEqual(outcome.totals);
  });
});
