import { describe, expect, it } from 'vitest';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe, type Subscriber } from './fixtures.ts';

/** Every subscriber's message was received (decrypted by the service) exactly once. */
function receivedOnce(service: PushService, subs: Subscriber[]): string[] {
  const counts = new Map<string, number>();
  for (const m of service.messages()) counts.set(m.subscriptionId, (counts.get(m.subscriptionId) ?? 0) + 1);
  return subs.filter((s) => counts.get(s.id) !== 1).map((s) => `${s.id}: ${counts.get(s.id) ?? 0}`);
}

function statuses(service: PushService, id: string): Array<number | string> {
  return service
    .log()
    .filter((entry) => entry.subscriptionId === id)
    .map((entry) => entry.status);
}

// RFC 9113 §8.7: a refused stream, and a stream above a GOAWAY's last stream id, were not processed, so
// they may be retried; undici replays each once itself, the engine retries what still fails.
describe('refused streams and GOAWAY over HTTP/2', () => {
  const ctx = testContext();
  const app = createTestApp(ctx);

  it('retries refused streams without counting an attempt, and delivers each message once', async () => {
    const service = await startPushService({ http2: true, delayMs: 20 });
    try {
      const behaviours = Array.from({ length: 300 }, (_, i) =>
        i % 15 === 0 ? ('refused-twice-then-201' as const) : ('ok' as const),
      );
      const subs = await subscribe(ctx, app, service, behaviours, { tags: ['refused'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['refused'] } });
      const outcome = await sendCampaign(ctx, id, { ca: [service.ca!] });
      expect(outcome.totals.delivered).toBe(300);
      expect(receivedOnce(service, subs)).toEqual([]);
      const states = deliveryStates(ctx, id);
      const refused = subs.filter((s) => s.behaviour === 'refused-twice-then-201');
      expect(refused).toHaveLength(20);
      for (const sub of refused) {
        // Refused twice (undici's own replay, then the engine's retry), answered the third time.
        expect(statuses(service, sub.id)).toEqual(['refused', 'refused', 201]);
        expect(states.get(sub.dbId)).toMatchObject({ state: 'sent', http_status: 201, attempts: 1 });
      }
      expect([...states.values()].every((s) => s.state === 'sent' && s.attempts === 1)).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('retries the streams a GOAWAY left unprocessed without counting an attempt, nobody twice', async () => {
    const service = await startPushService({ http2: true, delayMs: 20 });
    try {
      // Three connections told to go away. (undici 8.13.1 also resets and sends again the streams still
      // running on an older connection of a pool slot when its newer one gets a GOAWAY; this service, like
      // one whose answer is still on the way, does not process a stream reset before its answer is due.)
      const behaviours = Array.from({ length: 300 }, (_, i) =>
        i % 100 === 50 ? ('goaway-then-201' as const) : ('ok' as const),
      );
      const subs = await subscribe(ctx, app, service, behaviours, { tags: ['goaway'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['goaway'] } });
      const outcome = await sendCampaign(ctx, id, { ca: [service.ca!] });
      // Not paused: a wave of streams failing with their connection is not the service failing.
      expect(outcome.state).toBe('completed');
      expect(outcome.totals.delivered).toBe(300);
      expect(receivedOnce(service, subs)).toEqual([]);
      const states = deliveryStates(ctx, id);
      for (const sub of subs.filter((s) => s.behaviour === 'goaway-then-201')) {
        expect(statuses(service, sub.id)).toEqual(['goaway', 201]);
        expect(states.get(sub.dbId)).toMatchObject({ state: 'sent', attempts: 1 });
      }
      // Streams in flight behind each GOAWAY were not processed and were sent again on a new connection.
      expect(
        service.log().filter((e) => e.status === 'refused' || e.status === 'cancelled').length,
      ).toBeGreaterThan(0);
      expect(service.connections()).toBeGreaterThanOrEqual(4);
      expect([...states.values()].every((s) => s.state === 'sent' && s.attempts === 1)).toBe(true);
    } finally {
      await service.close();
    }
  });
});
