import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { subscribe, type Subscriber } from './fixtures.ts';

describe('campaigns handlers (the contract the renderer uses)', () => {
  const progress: Array<{ at: number; payload: CampaignProgress }> = [];
  const ctx = testContext();
  ctx.events = {
    emit(event, payload) {
      if (event === 'campaigns.progress')
        progress.push({ at: Date.now(), payload: payload as CampaignProgress });
    },
  };
  const { call } = createDispatcher({ context: ctx, actor: 'app', log: () => {} });
  let service: PushService;
  let app: AppSummary;
  let subs: Subscriber[];

  async function finished(id: number): Promise<CampaignProgress> {
    for (;;) {
      const last = progress.filter((p) => p.payload.campaignId === id).at(-1);
      if (last?.payload.finished) return last.payload;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    service = await startPushService({ delayMs: 5 });
    app = createTestApp(ctx);
    subs = await subscribe(ctx, app, service, [...Array(300).fill('ok'), 'always-500', '410'], {
      pushService: 'mozilla',
    });
  });
  afterAll(() => service.close());

  it('creates a draft, sends it in the background with progress at most 10 times a second, and reports results', async () => {
    const created = await call('campaigns.create', {
      appId: app.id,
      name: 'Spring sale',
      message: { format: 'notification', notification: { title: 'Spring' } },
      audience: {},
      options: { maxAttempts: 1, urgency: 'high' },
    });
    expect(created).toMatchObject({
      state: 'draft',
      name: 'Spring sale',
      options: { urgency: 'high', ttl: 86_400 },
    });
    const started = await call('campaigns.send', { id: created.id });
    expect(started.state).toBe('sending');
    const last = await finished(created.id);
    expect(last).toMatchObject({
      state: 'completed',
      recipients: 302,
      delivered: 300,
      expired: 1,
      failed: 1,
      pending: 0,
    });

    const running = progress.filter((p) => p.payload.campaignId === created.id && !p.payload.finished);
    for (let i = 1; i < running.length; i++)
      expect(running[i]!.at - running[i - 1]!.at).toBeGreaterThanOrEqual(90);

    const detail = await call('campaigns.get', { id: created.id });
    expect(detail.byStatus).toMatchObject({ '201': 300, '500': 1, '410': 1 });
    expect(detail.byPushService.mozilla).toMatchObject({
      recipients: 302,
      delivered: 300,
      expired: 1,
      failed: 1,
    });
    expect(detail.byOutcome).toMatchObject({ delivered: 300, expired: 1, transient: 1 });
    expect(detail.expiredSubscriptions).toBe(1);
    expect(detail.latencyMs.p50).toBeGreaterThanOrEqual(0);

    // Keyset pages, filtered by state.
    const page1 = await call('campaigns.deliveries', { id: created.id, limit: 200 });
    expect(page1.items).toHaveLength(200);
    const page2 = await call('campaigns.deliveries', { id: created.id, limit: 200, after: page1.nextAfter! });
    expect(page2.items).toHaveLength(102);
    expect(page2.nextAfter).toBeNull();
    const failed = await call('campaigns.deliveries', { id: created.id, states: ['failed'], limit: 10 });
    expect(failed.items).toEqual([
      expect.objectContaining({
        subscriptionId: subs[300]!.dbId,
        httpStatus: 500,
        outcome: 'transient',
        bodyExcerpt: 'Internal Server Error',
      }),
    ]);

    // Retry the failed only, once the service is well again.
    service.setBehaviour(subs[300]!.id, 'ok');
    await call('campaigns.retryFailed', { id: created.id });
    progress.length = 0;
    expect(await finished(created.id)).toMatchObject({ delivered: 301, failed: 0 });
    expect(service.messages(subs[300]!.id)).toHaveLength(1);
    expect(service.messages(subs[0]!.id)).toHaveLength(1);

    const list = await call('campaigns.list', { appId: app.id });
    expect(list[0]).toMatchObject({ id: created.id, state: 'completed', interrupted: false });
  });

  it('duplicates a campaign as a draft and deletes drafts only', async () => {
    const [sent] = await call('campaigns.list', { state: 'completed' });
    const copy = await call('campaigns.duplicate', { id: sent!.id });
    expect(copy).toMatchObject({ state: 'draft', name: 'Spring sale (copy)', totals: { recipients: 0 } });
    await expect(call('campaigns.deleteDraft', { id: sent!.id })).rejects.toMatchObject({
      code: 'CAMPAIGN_NOT_DRAFT',
    });
    expect(await call('campaigns.deleteDraft', { id: copy.id })).toEqual({ deleted: true });
    await expect(call('campaigns.get', { id: copy.id })).rejects.toMatchObject({
      code: 'CAMPAIGN_NOT_FOUND',
    });
  });

  it('refuses bad options at the boundary and reports would-be rejects in a dry run', async () => {
    await expect(
      call('campaigns.create', {
        appId: app.id,
        message: { format: 'none' },
        audience: {},
        options: { topic: 'abcde' },
      }),
    ).rejects.toMatchObject({ code: 'IPC_INVALID_INPUT' });
    await expect(
      call('campaigns.create', {
        appId: app.id,
        message: { format: 'raw', raw: 'x'.repeat(4000) },
        audience: {},
      }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const [broken] = insertSubscriptions(ctx.db, app.id, [
      {
        endpoint: `${service.origin}/push/broken`,
        keys: { p256dh: 'AAAA', auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
        tags: ['dry'],
      },
    ]);
    const report = await call('campaigns.dryRun', {
      appId: app.id,
      message: { format: 'raw', raw: 'hi' },
      audience: { tagsAny: ['dry'] },
    });
    expect(report).toMatchObject({
      recipients: 1,
      rejects: [
        expect.objectContaining({
          subscriptionId: broken,
          reason: expect.stringMatching(/SUBSCRIPTION_INVALID_KEY/),
        }),
      ],
    });
  });
});
