// The due check (the app's timer, `campaign run-due`) resumes a local-time campaign whose sender died
// mid-release; what was in flight at the death is never sent again; a resume that cannot start pauses it.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { PushdeckError } from '../../../../src/shared/errors.ts';
import { campaignRow, sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { runDueCampaigns } from '../../../../src/main/core/schedule/due-runner.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe, type Subscriber } from '../campaigns/fixtures.ts';

const at = (iso: string) => Date.parse(iso);
const clock = { now: at('2026-12-23T23:00:00Z') };
// 09:00 on 2026-12-24: Tokyo (+9) at 00:00Z, Berlin (+1) at 08:00Z.
const TOKYO = at('2026-12-24T00:00:00Z');
const BERLIN = at('2026-12-24T08:00:00Z');

/** The pid of a process that has exited: a sender killed with kill -9. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('an interrupted local-time release', () => {
  let service: PushService;
  const ctx = testContext({ now: () => clock.now });
  let app: AppSummary;
  let tokyo: Subscriber[];
  let berlin: Subscriber[];

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    tokyo = await subscribe(ctx, app, service, Array(6).fill('ok'));
    berlin = await subscribe(ctx, app, service, Array(3).fill('ok'));
    const zone = ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?');
    for (const s of tokyo) zone.run('Asia/Tokyo', s.dbId);
    for (const s of berlin) zone.run('Europe/Berlin', s.dbId);
  });
  afterAll(() => service.close());

  /** A planned campaign whose sender claimed Tokyo's release, sent 2, had 1 in flight and was killed. */
  async function killedMidTokyo(): Promise<number> {
    clock.now = at('2026-12-23T23:00:00Z');
    const id = draft(ctx, app, { timing: { localTime: { time: '09:00', date: '2026-12-24' } } });
    expect((await sendCampaign(ctx, id)).state).toBe('scheduled');
    clock.now = TOKYO + 1000;
    const pending = ctx.db.prepare(
      'SELECT subscription_id FROM deliveries WHERE campaign_id = ? AND release_at = ? ORDER BY subscription_id',
    );
    const ids = pending.pluck().all(id, TOKYO) as number[];
    expect(ids).toHaveLength(6);
    const set = ctx.db.prepare(
      'UPDATE deliveries SET state = ? WHERE campaign_id = ? AND subscription_id = ?',
    );
    set.run('sent', id, ids[0]);
    set.run('sent', id, ids[1]);
    set.run('in_flight', id, ids[2]);
    ctx.db
      .prepare("UPDATE campaigns SET state = 'sending', runner_pid = ?, heartbeat_at = ? WHERE id = ?")
      .run(deadPid(), clock.now, id);
    return id;
  }

  it('is resumed by the due check, sends nobody twice, and leaves Berlin for its time', async () => {
    const id = await killedMidTokyo();
    const before = service.messages().length;
    // What the app's timer (startDueRunner) and `campaign run-due` both call.
    const report = runDueCampaigns(ctx, (campaignId) => sendCampaign(ctx, campaignId, { scheduled: true }));
    expect(report.resumed).toEqual([id]);
    expect(report.started).toEqual([]);
    await Promise.all(report.running);
    const states = deliveryStates(ctx, id);
    // The 3 never sent of Tokyo went out; the 2 sent and the 1 in flight at the kill were not sent again.
    expect(service.messages().length - before).toBe(3);
    expect(tokyo.filter((s) => states.get(s.dbId)!.state === 'uncertain')).toHaveLength(1);
    expect(tokyo.filter((s) => states.get(s.dbId)!.state === 'sent')).toHaveLength(5);
    expect(berlin.every((s) => states.get(s.dbId)!.state === 'pending')).toBe(true);
    expect(campaignRow(ctx, id)).toMatchObject({ state: 'scheduled', scheduled_at: BERLIN });

    // Nothing more until Berlin's 09:00; then Berlin once each.
    expect(runDueCampaigns(ctx, () => Promise.reject(new Error('not due'))).resumed).toEqual([]);
    clock.now = BERLIN;
    const berlinRun = runDueCampaigns(ctx, (campaignId) =>
      sendCampaign(ctx, campaignId, { scheduled: true }),
    );
    expect(berlinRun.started).toEqual([id]);
    await Promise.all(berlinRun.running);
    expect(berlin.every((s) => service.messages(s.id).length === 1)).toBe(true);
    expect(campaignRow(ctx, id).state).toBe('completed');
  });

  it('is paused with the reason when it cannot resume, not tried again every tick', async () => {
    const id = await killedMidTokyo();
    let tries = 0;
    const locked = () => {
      tries += 1;
      throw new PushdeckError('KEYS_LOCKED', 'The keys are locked: enter the passphrase.');
    };
    const first = runDueCampaigns(ctx, () => Promise.resolve(), locked);
    expect(first.failed).toEqual([
      { campaignId: id, code: 'KEYS_LOCKED', message: 'The keys are locked: enter the passphrase.' },
    ]);
    expect(campaignRow(ctx, id)).toMatchObject({
      state: 'paused',
      runner_pid: null,
      last_error: 'The interrupted release could not resume: The keys are locked: enter the passphrase.',
    });
    runDueCampaigns(ctx, () => Promise.resolve(), locked);
    expect(tries).toBe(1);
  });
});
