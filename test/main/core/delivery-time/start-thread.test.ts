// campaigns.send of a campaign planned by zone writes its plan and journal on the start thread
// (campaigns/start-worker.ts, its own connection, one transaction): the same journal and audit row as on the
// main connection, and a start that cannot happen writes nothing and answers the same error.
import { describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../../src/shared/contract.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { offMainStarter, runDueCampaigns } from '../../../../src/main/core/schedule/due-runner.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { startPushService } from '../../../support/push-service/server.ts';

describe('the start thread of a local-time campaign', () => {
  // 07:30 UTC on 24 December 2026: 16:30 in Tokyo, 02:30 in New York.
  const now = Date.UTC(2026, 11, 24, 7, 30);
  const ctx = testContext({ now: () => now });
  const handlers = createHandlers(ctx);

  async function call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
    const envelope = await dispatch(handlers, channel, input, { actor: 'cli', log: () => {} });
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.result as ChannelOutput<K>;
  }

  const count = (sql: string, id: number) => ctx.db.prepare(sql).pluck().get(id) as number;

  it('journals every recipient with its zone off the main connection, and logs the start as its caller (the CLI here, not the default app)', async () => {
    const service = await startPushService();
    try {
      const app = createTestApp(ctx, 'start-thread.example');
      const subs = await Promise.all(
        [0, 1, 2].map(() => service.subscribe({ applicationServerKey: app.publicKey! })),
      );
      const [tokyo, newYork, none] = insertSubscriptions(ctx.db, app.id, subs);
      ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?').run('Asia/Tokyo', tokyo);
      ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?').run('America/New_York', newYork);
      const draft = await call('campaigns.create', {
        appId: app.id,
        name: 'Evening',
        message: { format: 'notification', notification: { title: 'Good evening' } },
        audience: {},
        timing: { localTime: { time: '20:00', date: '2026-12-24' } },
      });
      // The call has returned to the loop with the start not yet written (on the main connection it would
      // be, synchronously): the thread writes it, and the main connection holds no transaction meanwhile.
      const sending = call('campaigns.send', { id: draft.id });
      expect(ctx.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck().get(draft.id)).toBe('draft');
      expect(ctx.db.inTransaction).toBe(false);
      const started = await sending;
      expect(started.timing?.zones.map((z) => [z.timeZone, z.releaseAt])).toEqual([
        ['Asia/Tokyo', Date.UTC(2026, 11, 24, 11, 0)],
        ['UTC', Date.UTC(2026, 11, 24, 20, 0)],
        ['America/New_York', Date.UTC(2026, 11, 25, 1, 0)],
      ]);
      const rows = ctx.db
        .prepare(
          'SELECT subscription_id AS id, state, release_at AS at FROM deliveries WHERE campaign_id = ?',
        )
        .all(draft.id);
      expect(rows).toEqual([
        { id: tokyo, state: 'pending', at: Date.UTC(2026, 11, 24, 11, 0) },
        { id: newYork, state: 'pending', at: Date.UTC(2026, 11, 25, 1, 0) },
        { id: none, state: 'pending', at: Date.UTC(2026, 11, 24, 20, 0) },
      ]);
      const audit = ctx.db
        .prepare("SELECT actor, details FROM audit_log WHERE action = 'campaign.start' ORDER BY id DESC")
        .get() as { actor: string; details: string };
      expect(audit.actor).toBe('cli');
      expect(JSON.parse(audit.details)).toMatchObject({ campaignId: draft.id, recipients: 3 });
      expect(service.messages()).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  /** One subscriber in Tokyo, never sent to: the campaigns here start, or fail to, before any release. */
  function tokyoApp(name: string) {
    const app = createTestApp(ctx, name);
    ctx.db
      .prepare(
        `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at, timezone)
         VALUES (?, 'https://push.example/x', 4242, 'p', 'a', 'other', 0, 0, 'Asia/Tokyo')`,
      )
      .run(app.id);
    return app;
  }

  it('answers the start’s own error from the thread and leaves the draft untouched', async () => {
    const app = tokyoApp('start-thread-past.example');
    const past = await call('campaigns.create', {
      appId: app.id,
      name: 'Yesterday',
      message: { format: 'notification', notification: { title: 'Too late' } },
      audience: {},
      timing: { localTime: { time: '09:00', date: '2026-12-22' } },
    });
    await expect(call('campaigns.send', { id: past.id })).rejects.toMatchObject({ code: 'LOCAL_DATE_PAST' });
    const empty = await call('campaigns.create', {
      appId: app.id,
      name: 'Nobody',
      message: { format: 'notification', notification: { title: 'Hello' } },
      audience: { tagsAny: ['nobody-has-this'] },
      timing: { localTime: { time: '09:00', date: '2026-12-25' } },
    });
    await expect(call('campaigns.send', { id: empty.id })).rejects.toMatchObject({ code: 'AUDIENCE_EMPTY' });
    for (const id of [past.id, empty.id]) {
      expect(ctx.db.prepare('SELECT state, started_at FROM campaigns WHERE id = ?').get(id)).toEqual({
        state: 'draft',
        started_at: null,
      });
      expect(count('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?', id)).toBe(0);
      expect(count('SELECT COUNT(*) FROM campaign_zones WHERE campaign_id = ?', id)).toBe(0);
    }
  });

  it('starts a due campaign from the app’s check on the thread, and records a start that fails there as a failed scheduled start', async () => {
    const app = tokyoApp('start-thread-due.example');
    const create = (name: string, date: string) =>
      call('campaigns.create', {
        appId: app.id,
        name,
        message: { format: 'notification', notification: { title: name } },
        audience: {},
        timing: { localTime: { time: '20:00', date } },
      });
    const evening = await create('Evening', '2026-12-24');
    const late = await create('Two days late', '2026-12-22');
    for (const { id } of [evening, late]) {
      ctx.db
        .prepare("UPDATE campaigns SET state = 'scheduled', scheduled_at = ? WHERE id = ?")
        .run(now - 1000, id);
    }
    const due = runDueCampaigns(ctx, offMainStarter(ctx));
    // Both passed the checks on main; the check returned before either plan was written.
    expect([...due.started].sort()).toEqual([evening.id, late.id].sort());
    expect(
      ctx.db.prepare('SELECT started_at FROM campaigns WHERE id = ?').pluck().get(evening.id),
    ).toBeNull();
    await Promise.all(due.running);
    expect(count('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?', evening.id)).toBe(1);
    expect(ctx.db.prepare('SELECT started_at FROM campaigns WHERE id = ?').pluck().get(evening.id)).toBe(now);
    // The thread refused the other (every zone's 20:00 on that date is past): a draft again, with the reason.
    expect(
      ctx.db.prepare('SELECT state, runner_pid, last_error FROM campaigns WHERE id = ?').get(late.id),
    ).toEqual({
      state: 'draft',
      runner_pid: null,
      last_error: expect.stringMatching(/^The scheduled start failed: /),
    });
    expect(count('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?', late.id)).toBe(0);
    const failed = ctx.db
      .prepare("SELECT details FROM audit_log WHERE action = 'campaign.schedule-failed' ORDER BY id DESC")
      .pluck()
      .get() as string;
    expect(JSON.parse(failed)).toEqual({ campaignId: late.id, code: 'LOCAL_DATE_PAST' });
    expect(ctx.recorded.some((e) => e.event === 'schedule.ran')).toBe(true);
  });

  it('writes an ordinary campaign’s journal on the thread too', async () => {
    const app = tokyoApp('start-thread-plain.example');
    const plain = await call('campaigns.create', {
      appId: app.id,
      name: 'Now',
      message: { format: 'notification', notification: { title: 'Now' } },
      audience: {},
    });
    const sending = call('campaigns.send', { id: plain.id });
    // Back on the loop with nothing written yet: the journal of a million would hold main for seconds.
    expect(count('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?', plain.id)).toBe(0);
    const started = await sending;
    expect(started.totals.recipients).toBe(1);
    expect(count('SELECT COUNT(*) FROM deliveries WHERE campaign_id = ?', plain.id)).toBe(1);
  });
});
