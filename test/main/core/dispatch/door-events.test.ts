// The in-process door's events: whoever calls it (the CLI) hears the runs its calls start, from their progress
// to their end (campaigns.ended), as the window hears them, and a due check started through it ends the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import type { CampaignProgress, CampaignRunEnd } from '../../../../src/shared/campaigns.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { until } from '../../../support/until.ts';
import { subscribe } from '../campaigns/fixtures.ts';

describe('the in-process door’s events', () => {
  const ctx = testContext();
  const door = createDispatcher({ context: ctx, actor: 'cli', log: () => undefined });
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    await subscribe(ctx, app, service, ['ok', 'ok', '410'], { tags: ['news'] });
  });
  afterAll(() => service.close());

  const send = (title: string) =>
    door.call('campaigns.sendNow', {
      appId: app.id,
      message: { format: 'notification', notification: { title } },
      audience: { tagsAny: ['news'] },
    });

  it('tells a listener the progress and the end of a run a call started, until it unsubscribes', async () => {
    const progress: CampaignProgress[] = [];
    const ends: CampaignRunEnd[] = [];
    const offProgress = door.on('campaigns.progress', (p) => progress.push(p));
    const offEnded = door.on('campaigns.ended', (end) => ends.push(end));

    const sent = await send('First');
    await until(() => ends.length === 1, 'the end of the run');
    expect(ends[0]).toMatchObject({
      campaignId: sent.id,
      outcome: { campaignId: sent.id, state: 'completed', totals: { delivered: 2, expired: 1 } },
      error: null,
    });
    // The end comes after the run's last progress, which says the same.
    expect(progress.at(-1)).toMatchObject({ campaignId: sent.id, finished: true, state: 'completed' });
    // The context's own sink (the window's, in the app) still hears everything.
    expect(ctx.recorded.filter((r) => r.event === 'campaigns.ended')).toHaveLength(1);

    offProgress();
    offEnded();
    const heard = progress.length;
    const again = await send('Second');
    await until(
      () =>
        ctx.recorded.some(
          (r) => r.event === 'campaigns.ended' && (r.payload as CampaignRunEnd).campaignId === again.id,
        ),
      'the end of the second run',
    );
    expect(progress).toHaveLength(heard);
    expect(ends).toHaveLength(1);
  });

  it('runs the due check through schedule.runDue; each started campaign’s end comes as campaigns.ended', async () => {
    const ends: CampaignRunEnd[] = [];
    const off = door.on('campaigns.ended', (end) => ends.push(end));
    expect(await door.call('schedule.runDue', {})).toEqual({ started: [], resumed: [], failed: [] });

    const draft = await door.call('campaigns.create', {
      appId: app.id,
      message: { format: 'notification', notification: { title: 'Due' } },
      audience: { tagsAny: ['news'] },
    });
    // Due a second ago (schedule.set refuses the past: set the time behind its back).
    ctx.db
      .prepare("UPDATE campaigns SET state = 'scheduled', scheduled_at = ? WHERE id = ?")
      .run(Date.now() - 1000, draft.id);
    expect(await door.call('schedule.runDue', {})).toEqual({ started: [draft.id], resumed: [], failed: [] });
    await until(() => ends.length === 1, 'the end of the due run');
    expect(ends[0]).toMatchObject({ campaignId: draft.id, outcome: { state: 'completed' }, error: null });
    off();
  });
});
