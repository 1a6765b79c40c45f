import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../../src/main/core/push/classify.ts';
import {
  OriginBreaker,
  describePauses,
  takeOrigin,
} from '../../../../src/main/core/campaigns/origin-breaker.ts';

const answer = (
  outcome: Classification['outcome'],
  senderFault: Classification['senderFault'],
  reason = 'x',
) => ({ outcome, senderFault, reason, retryAfterMs: null }) satisfies Classification;
const APPLE = 'https://web.push.apple.com';
const FCM = 'https://fcm.googleapis.com';
const thresholds = { auth: 3, message: 3, network: 3, service: 4 };

describe('the per-origin circuit breaker', () => {
  it('opens after a run of the same sender fault from one origin, and names the subscriptions of the run', () => {
    const breaker = new OriginBreaker(thresholds);
    const badJwt = answer('auth', 'auth', 'BadJwtToken');
    expect(breaker.record(APPLE, 'apple', 1, badJwt)).toBeNull();
    expect(breaker.record(APPLE, 'apple', 2, badJwt)).toBeNull();
    expect(breaker.record(FCM, 'fcm', 9, answer('auth', 'auth'))).toBeNull();
    expect(breaker.record(APPLE, 'apple', 3, badJwt)).toEqual([1, 2, 3]);
    expect(breaker.isOpen(APPLE)).toBe(true);
    expect(breaker.isOpen(FCM)).toBe(false);
    // Once open, later answers are not counted again.
    expect(breaker.record(APPLE, 'apple', 4, badJwt)).toBeNull();
    breaker.wait(APPLE, 7);
    expect(breaker.pauses()).toEqual([
      expect.objectContaining({ origin: APPLE, fault: 'auth', reason: 'BadJwtToken', waiting: 7 }),
    ]);
    expect(describePauses(breaker.pauses())).toMatch(
      /^Paused sending to https:\/\/web\.push\.apple\.com \(7 deliveries wait\): Apple refuses the VAPID token: BadJwtToken — the subject must be a mailto: or https: URL you own/,
    );
  });

  it('starts the run again after a delivery, an expiry or a fault of another kind; throttling counts for nothing', () => {
    const breaker = new OriginBreaker(thresholds);
    const refused = answer('rejected', 'message', 'PayloadTooLarge');
    breaker.record(FCM, null, 1, refused);
    breaker.record(FCM, null, 2, refused);
    breaker.record(FCM, null, 3, answer('delivered', null));
    breaker.record(FCM, null, 4, refused);
    breaker.record(FCM, null, 5, refused);
    breaker.record(FCM, null, 6, answer('expired', null));
    breaker.record(FCM, null, 7, refused);
    breaker.record(FCM, null, 8, answer('transient', 'service'));
    breaker.record(FCM, null, 9, refused);
    breaker.record(FCM, null, 10, answer('throttled', null));
    expect(breaker.record(FCM, null, 11, refused)).toBeNull();
    expect(breaker.isOpen(FCM)).toBe(false);
    // A subscription's own refusal (no sender fault) also shows the service takes this sender.
    breaker.record(FCM, null, 12, answer('rejected', null));
    expect(breaker.isOpen(FCM)).toBe(false);
  });

  it('counts every answer of a failing service, retries of one subscription included', () => {
    const breaker = new OriginBreaker(thresholds);
    const down = answer('transient', 'service', 'HTTP 502');
    for (let i = 0; i < 3; i += 1) expect(breaker.record(FCM, 'fcm', 1, down)).toBeNull();
    expect(breaker.record(FCM, 'fcm', 2, down)).toEqual([1, 2]);
    expect(describePauses(breaker.pauses())).toContain('FCM is failing: HTTP 502');
  });

  it('takes one origin out of a queue and keeps the rest in order', () => {
    const list = [
      { origin: 'a', n: 1 },
      { origin: 'b', n: 2 },
      { origin: 'a', n: 3 },
      { origin: 'c', n: 4 },
    ];
    expect(takeOrigin(list, 'a').map((j) => j.n)).toEqual([1, 3]);
    expect(list.map((j) => j.n)).toEqual([2, 4]);
    expect(describePauses([])).toBeNull();
  });
});
