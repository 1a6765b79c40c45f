import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { subscribe, type Subscriber } from './fixtures.ts';

describe('create, then send, in one call (campaigns.sendNow, alerts.sendOne)', () => {
  const ctx = testContext();
  const { call } = createDispatcher({ context: ctx, actor: 'app', log: () => {} });
  let service: PushService;
  let app: AppSummary;
  let subs: Subscriber[];

  async function finished(id: number): Promise<CampaignProgress> {
    for (let i = 0; i < 500; i++) {
      const last = ctx.recorded
        .filter((r) => r.event === 'campaigns.progress')
        .map((r) => r.payload as CampaignProgress)
        .filter((p) => p.campaignId === id)
        .at(-1);
      if (last?.finished) return last;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`campaign ${id} did not finish`);
  }

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    subs = await subscribe(ctx, app, service, ['ok', 'ok', 'ok'], { tags: ['news'] });
  });
  afterAll(() => service.close());

  it('sends a new campaign at once and answers its summary with the warnings of its message', async () => {
    const sent = await call('campaigns.sendNow', {
      appId: app.id,
      name: 'Big',
      message: { format: 'raw', raw: 'x'.repeat(3500) },
      audience: { tagsAny: ['news'] },
    });
    expect(sent).toMatchObject({ name: 'Big', state: 'sending' });
    expect(sent.warnings).toEqual([expect.stringMatching(/Firefox on Android/)]);
    expect(await finished(sent.id)).toMatchObject({ state: 'completed', delivered: 3 });
  });

  it('deletes the draft it made when the send cannot start, and answers the error that stopped it', async () => {
    const before = await call('campaigns.list', { appId: app.id });
    await expect(
      call('campaigns.sendNow', {
        appId: app.id,
        name: 'Nobody',
        message: { format: 'none' },
        audience: { tagsAny: ['nobody-has-this'] },
      }),
    ).rejects.toMatchObject({ code: 'AUDIENCE_EMPTY' });
    expect(await call('campaigns.list', { appId: app.id })).toEqual(before);
  });

  it('sends a one-off alert to one subscriber at high urgency, named by its id', async () => {
    const alert = await call('alerts.sendOne', { appId: app.id, subscriptionId: subs[1]!.dbId, title: 'Hi' });
    expect(alert.name).toBe(`One-off alert to subscription #${subs[1]!.dbId}`);
    expect(await finished(alert.id)).toMatchObject({ recipients: 1, delivered: 1 });
    const received = service.messages(subs[1]!.id).at(-1)!;
    expect(received.urgency).toBe('high');
    expect(JSON.parse(received.payload!.toString())).toEqual({ title: 'Hi' });
  });

  it("refuses an alert beyond a notification's limits at the door (the campaign it makes is not checked again)", async () => {
    const before = await call('campaigns.list', { appId: app.id });
    const alert = { appId: app.id, subscriptionId: subs[0]!.dbId };
    for (const bad of [{ title: 'x'.repeat(4001) }, { title: 'Hi', body: 'x'.repeat(4001) }]) {
      await expect(call('alerts.sendOne', { ...alert, ...bad })).rejects.toMatchObject({
        code: 'IPC_INVALID_INPUT',
        message: expect.stringMatching(/^Invalid alerts.sendOne: (title|body): Too big/),
      });
    }
    expect(await call('campaigns.list', { appId: app.id })).toEqual(before);
  });
});
