// campaigns.setTiming through the handler table: the window's Schedule form stores a draft's timing, the
// campaign's page reads it back, its start plans by zone, and a started campaign's timing is fixed.
import { describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../../src/shared/contract.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { startPushService } from '../../../support/push-service/server.ts';

describe('a draft campaign timing (campaigns.setTiming)', () => {
  // 07:30 UTC on 24 December 2026: 16:30 in Tokyo, 02:30 in New York.
  let now = Date.UTC(2026, 11, 24, 7, 30);
  const ctx = testContext({ now: () => now });
  const handlers = createHandlers(ctx);

  async function call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
    const envelope = await dispatch(handlers, channel, input, { log: () => {} });
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.result as ChannelOutput<K>;
  }

  it('stores the choice on the draft, plans by zone at the start, and refuses a change once started', async () => {
    const service = await startPushService();
    try {
      const app = createTestApp(ctx, 'timing.example');
      const subs = await Promise.all(
        [0, 1].map(() => service.subscribe({ applicationServerKey: app.publicKey! })),
      );
      const [tokyo, newYork] = insertSubscriptions(ctx.db, app.id, subs);
      await call('subscriptions.setTimeZone', { appId: app.id, id: tokyo!, timeZone: 'Asia/Tokyo' });
      await call('subscriptions.setTimeZone', { appId: app.id, id: newYork!, timeZone: 'America/New_York' });
      const draft = await call('campaigns.create', {
        appId: app.id,
        name: 'Morning',
        message: { format: 'notification', notification: { title: 'Good morning' } },
        audience: {},
      });
      expect(draft.timing).toBeNull();

      const timed = await call('campaigns.setTiming', {
        id: draft.id,
        timing: { localTime: { time: '09:00', date: '2026-12-24', pastZones: 'now' }, quietHours: 'skip' },
      });
      expect(timed.timing?.timing).toEqual({
        localTime: { time: '09:00', date: '2026-12-24', pastZones: 'now' },
        quietHours: 'skip',
        frequencyCap: 'apply',
      });
      await expect(
        call('campaigns.setTiming', {
          id: draft.id,
          timing: { localTime: { time: '9:00', date: '2026-12-24' } },
        }),
      ).rejects.toMatchObject({ code: 'IPC_INVALID_INPUT' });

      const started = await call('campaigns.send', { id: draft.id });
      // Tokyo is past 09:00 and goes at once; New York waits for 09:00 there, 14:00 UTC.
      expect(started.timing?.zones.map((z) => [z.timeZone, z.releaseAt])).toEqual([
        ['Asia/Tokyo', now],
        ['America/New_York', Date.UTC(2026, 11, 24, 14, 0)],
      ]);
      await expect(call('campaigns.setTiming', { id: draft.id, timing: null })).rejects.toMatchObject({
        code: 'CAMPAIGN_NOT_DRAFT',
      });

      // Cleared on another draft: sent at one instant again.
      const other = await call('campaigns.duplicate', { id: draft.id });
      expect(other.timing?.timing.localTime).not.toBeNull();
      const cleared = await call('campaigns.setTiming', { id: other.id, timing: null });
      expect(cleared.timing).toBeNull();
      now += 1;
    } finally {
      await service.close();
    }
  });
});
