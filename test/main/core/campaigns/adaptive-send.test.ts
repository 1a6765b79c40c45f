import { describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe } from './fixtures.ts';

/** Every subscriber received its message exactly once, decrypted by the service. */
function expectEachOnce(service: PushService, ids: string[]): void {
  const counts = new Map<string, number>();
  for (const m of service.messages()) counts.set(m.subscriptionId, (counts.get(m.subscriptionId) ?? 0) + 1);
  expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
}

/**
 * These tests are about latency and push-back, not timeouts: the fixture's 2 s timeout, on a busy machine
 * where the service decrypts in this same process, turns slow answers into timeouts that pause the origin.
 */
const PATIENT = { retryBaseMs: 50, timeoutMs: 15_000 };

describe('adaptive concurrency against the local push service', () => {
  const ctx = testContext();
  const app = createTestApp(ctx);

  it('grows past the initial limit over HTTP/2, opening more connections than one carries streams', async () => {
    // 150 ms answers and 50 streams per connection: with the defaults the limit must grow past 50. (The
    // service decrypts in this process: a shorter delay would drown in its own CPU time on a busy machine.)
    const service = await startPushService({ http2: true, delayMs: 150, maxStreams: 50 });
    try {
      const subs = await subscribe(ctx, app, service, Array(1200).fill('ok'), { tags: ['h2'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['h2'] }, options: PATIENT });
      const progress: CampaignProgress[] = [];
      const outcome = await sendCampaign(ctx, id, { ca: [service.ca!], onProgress: (p) => progress.push(p) });
      expect(outcome.totals.delivered).toBe(1200);
      expectEachOnce(
        service,
        subs.map((s) => s.id),
      );
      expect(service.messages().every((m) => m.httpVersion === '2.0')).toBe(true);
      expect(service.maxConcurrent()).toBeGreaterThan(50);
      const seen = progress.flatMap((p) => p.services);
      // Connections as the limit needed them (50 streams each), not one per request. The bound is the
      // sender's highest limit: the service counts a stream open only once its headers arrive, so on a
      // busy machine it sees fewer at once than the sender had in flight.
      const neededFor = Math.max(service.maxConcurrent(), ...seen.map((s) => s.limit));
      expect(service.connections()).toBeGreaterThanOrEqual(2);
      expect(service.connections()).toBeLessThanOrEqual(Math.ceil(neededFor / 50) + 2);
      expect(seen.every((s) => s.origin === service.origin && s.pushService === 'other')).toBe(true);
      // Grown past where it starts (32), whatever else runs on the machine.
      expect(Math.max(...seen.map((s) => s.limit))).toBeGreaterThan(32);
      const last = seen[seen.length - 1]!;
      expect(last.floorMs).toBeGreaterThanOrEqual(150);
      expect(last.latencyMs).toBeGreaterThanOrEqual(150);
    } finally {
      await service.close();
    }
  });

  it('settles below a service that answers 429 above 20 in flight, and loses nobody', async () => {
    const service = await startPushService({
      https: true,
      delayMs: 40,
      // Below the initial limit of 32, so the very first round trip is pushed back.
      throttleAbove: 20,
      retryAfterSeconds: 1,
    });
    try {
      const subs = await subscribe(ctx, app, service, Array(1000).fill('ok'), { tags: ['429'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['429'] }, options: PATIENT });
      const progress: CampaignProgress[] = [];
      const outcome = await sendCampaign(ctx, id, { ca: [service.ca!], onProgress: (p) => progress.push(p) });
      expect(outcome.state).toBe('completed');
      expect(outcome.totals.delivered).toBe(1000);
      expectEachOnce(
        service,
        subs.map((s) => s.id),
      );
      const log = service.log();
      const throttled = log.filter((entry) => entry.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      // A few episodes of push-back, each lowering what the limit may grow back to (the service counts a
      // request open until its answer is flushed, so under load it sees a few more than the sender).
      const episodes = throttled.filter((entry, i) => i === 0 || entry.at - throttled[i - 1]!.at > 500);
      expect(episodes.length).toBeLessThanOrEqual(4);
      expect(throttled.length).toBeLessThan(300);
      // The 429s were retried as throttled attempts (Retry-After honoured), none failed.
      const states = [...deliveryStates(ctx, id).values()];
      expect(states.every((s) => s.state === 'sent')).toBe(true);
      expect(Math.max(...states.map((s) => s.attempts))).toBeLessThanOrEqual(4);
      const services = progress.flatMap((p) => p.services);
      expect(services.some((s) => /^backing off, 429 Retry-After 1 s/.test(s.holdBack ?? ''))).toBe(true);
      expect(services[services.length - 1]!.limit).toBeLessThanOrEqual(20);
    } finally {
      await service.close();
    }
  });

  it('retries a reset connection or stream without counting it as an attempt, three times at most', async () => {
    const plain = await startPushService();
    const h2 = await startPushService({ http2: true });
    try {
      const [overH1] = await subscribe(ctx, app, plain, ['reset'], { tags: ['reset'] });
      const [overH2] = await subscribe(ctx, app, h2, ['reset'], { tags: ['reset'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['reset'] }, options: { maxAttempts: 2 } });
      await sendCampaign(ctx, id, { ca: [h2.ca!] });
      const states = deliveryStates(ctx, id);
      expect(states.get(overH1!.dbId)).toMatchObject({
        state: 'failed',
        reason: 'connection reset',
        attempts: 2,
      });
      expect(states.get(overH2!.dbId)).toMatchObject({
        state: 'failed',
        reason: 'stream reset',
        attempts: 2,
      });
      // Two counted attempts and three that were not, each reaching the service.
      expect(plain.log().filter((entry) => entry.subscriptionId === overH1!.id)).toHaveLength(5);
      expect(h2.log().filter((entry) => entry.subscriptionId === overH2!.id)).toHaveLength(5);
    } finally {
      await plain.close();
      await h2.close();
    }
  });

  it('keeps the latency percentiles of each push service in the results', async () => {
    const slow = await startPushService({ delayMs: 300 });
    const fast = await startPushService();
    try {
      await subscribe(ctx, app, slow, Array(20).fill('ok'), { tags: ['lat'], pushService: 'mozilla' });
      await subscribe(ctx, app, fast, Array(20).fill('ok'), { tags: ['lat'], pushService: 'fcm' });
      const id = draft(ctx, app, { audience: { tagsAny: ['lat'] }, options: PATIENT });
      await sendCampaign(ctx, id);
      const detail = campaignDetail(ctx, id);
      const { mozilla, fcm } = detail.latencyByPushService;
      expect(mozilla!.p50).toBeGreaterThanOrEqual(300);
      expect(fcm!.p50).toBeLessThan(mozilla!.p50!);
      expect(detail.latencyMs.max).toBe(mozilla!.max);
      expect(Object.keys(detail.latencyByPushService).sort()).toEqual(['fcm', 'mozilla']);
    } finally {
      await slow.close();
      await fast.close();
    }
  });

  it('sizes the HTTP/1.1 keep-alive pool by the limit: one connection per request in flight', async () => {
    const service = await startPushService({ https: true, delayMs: 100 });
    try {
      await subscribe(ctx, app, service, Array(600).fill('ok'), { tags: ['h1'] });
      const id = draft(ctx, app, { audience: { tagsAny: ['h1'] }, options: PATIENT });
      let peak = 0;
      const outcome = await sendCampaign(ctx, id, {
        ca: [service.ca!],
        onProgress: (p) => (peak = Math.max(peak, ...p.services.map((s) => Math.max(s.inFlight, s.limit)))),
      });
      expect(outcome.totals.delivered).toBe(600);
      expect(service.messages().every((m) => m.httpVersion === '1.1')).toBe(true);
      expect(service.maxConcurrent()).toBeGreaterThan(32);
      // Kept alive and reused: no more connections than the limit let be in flight at its peak (the progress
      // samples it every 100 ms, so give it some slack), plus the one that asked whether it speaks HTTP/2.
      // undici's own pool opened up to twice as many.
      expect(service.connections()).toBeLessThanOrEqual(Math.max(peak, service.maxConcurrent()) + 1 + 8);
    } finally {
      await service.close();
    }
  });
});
