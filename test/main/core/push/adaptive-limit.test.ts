import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, type AnswerKind } from '../../../../src/main/core/push/adaptive-limit.ts';

interface Service {
  /** Latency of an answer when `inFlight` requests are open. */
  latency(inFlight: number, at: number): number;
  /** What the service answers when `inFlight` requests are open. */
  kind?(inFlight: number, at: number): AnswerKind;
}

/**
 * Drives the limiter the way the engine does, one round trip at a time: the limit's worth of requests
 * start together, and each answer comes back after the service's latency.
 */
function simulate(limiter: AdaptiveLimit, service: Service, rounds: number, start = 0): number {
  let at = start;
  for (let round = 0; round < rounds; round++) {
    const count = limiter.limit;
    for (let i = 1; i <= count; i++) limiter.started(i);
    const latency = service.latency(count, at);
    for (let i = 1; i <= count; i++) {
      const kind = service.kind?.(i, at) ?? 'ok';
      limiter.answered(
        { kind, latencyMs: latency, sentAt: at, sentInFlight: i, reason: 'HTTP 429' },
        at + latency,
      );
    }
    at += latency;
  }
  return at;
}

describe('adaptive per-origin limit', () => {
  it('doubles on the first round trip, then each one while the latency stays at its floor, up to the cap', () => {
    const limiter = new AdaptiveLimit({ max: 1024, initial: 32 });
    const seen: number[] = [];
    let at = 0;
    for (let round = 0; round < 8; round++) {
      at = simulate(limiter, { latency: () => 80 }, 1, at);
      seen.push(limiter.limit);
    }
    // The first answer is a whole round trip (its window opened when the request left): one doubling per
    // round trip from the first, five to the cap from 32.
    expect(seen.slice(0, 5)).toEqual([64, 128, 256, 512, 1024]);
    expect(limiter.limit).toBe(1024);
    const state = limiter.state(at);
    expect(state).toMatchObject({ floorMs: 80, latencyMs: 80, holdBack: 'at the cap of 1024' });
  });

  it('does not grow a limit that is not used', () => {
    const limiter = new AdaptiveLimit({ max: 1024, initial: 64 });
    let at = 0;
    for (let round = 0; round < 10; round++) {
      // Only 20 requests are ready each round trip: the limit is not what holds them back.
      for (let i = 1; i <= 20; i++) limiter.started(i);
      for (let i = 1; i <= 20; i++)
        limiter.answered({ kind: 'ok', latencyMs: 50, sentAt: at, sentInFlight: i }, at + 50);
      at += 50;
    }
    expect(limiter.limit).toBe(64);
    expect(limiter.state(at).phase).toBe('steady');
  });

  it('shrinks when the latency rises above the floor and settles where it stays near it', () => {
    const limiter = new AdaptiveLimit({ max: 2048, initial: 32 });
    // A service that queues beyond 300 open requests: each extra one adds 1 ms.
    const queueing: Service = { latency: (n) => 80 + Math.max(0, n - 300) };
    const at = simulate(limiter, queueing, 30);
    expect(limiter.limit).toBeGreaterThanOrEqual(200);
    expect(limiter.limit).toBeLessThanOrEqual(340);
    // The same service slowing down under load: the limit comes down.
    const before = limiter.limit;
    simulate(limiter, { latency: (n) => 80 + n }, 3, at);
    expect(limiter.limit).toBeLessThan(before / 1.5);
    expect(limiter.state(at + 1000).holdBack).toMatch(/^latency \d+ ms, floor 80 ms$/);
  });

  it('stops shrinking when the latency stays high for good, instead of falling to its minimum', () => {
    const limiter = new AdaptiveLimit({ max: 2048, initial: 32 });
    let at = simulate(limiter, { latency: () => 80 }, 5);
    expect(limiter.limit).toBe(1024);
    // A busy machine or a slower route: every answer now takes 200 ms, whatever the load.
    at = simulate(limiter, { latency: () => 200 }, 3, at);
    const shrunk = limiter.limit;
    expect(shrunk).toBeLessThan(1024);
    simulate(limiter, { latency: () => 200 }, 100, at);
    expect(limiter.limit).toBeGreaterThanOrEqual(64);
  });

  it('halves on 429 once per round trip and stays below the in-flight count that was pushed back', () => {
    const limiter = new AdaptiveLimit({ max: 2048, initial: 32 });
    // The benchmark's service: 429 for every request beyond 200 in flight.
    const strict: Service = { latency: () => 80, kind: (n) => (n > 200 ? 'throttled' : 'ok') };
    let at = simulate(limiter, strict, 5);
    // 32 → 64 → 128 → 256: the round at 256 was pushed back, and brought down once, not once per 429.
    expect(limiter.limit).toBe(180);
    expect(limiter.state(at).holdBack).toBe('HTTP 429');
    let throttledRounds = 0;
    for (let round = 0; round < 200; round++) {
      const count = limiter.limit;
      if (count > 200) throttledRounds += 1;
      at = simulate(limiter, strict, 1, at);
    }
    expect(throttledRounds).toBe(0);
    expect(limiter.limit).toBe(180);
    expect(limiter.state(at).holdBack).toBe('pushed back at 201 in flight: staying below');
  });

  it('shrinks on errors and resets, but no lower than its minimum', () => {
    const limiter = new AdaptiveLimit({ max: 100, min: 4, initial: 100 });
    let at = 0;
    for (let i = 0; i < 40; i++) {
      limiter.answered(
        { kind: 'failed', latencyMs: 5, sentAt: at, sentInFlight: 10, reason: 'connection reset' },
        at + 5,
      );
      at += 10;
    }
    expect(limiter.limit).toBe(4);
    expect(limiter.state(at)).toMatchObject({ phase: 'errors', holdBack: 'connection reset' });
    // Answers that were on their way before a decrease do not decrease it again.
    const again = new AdaptiveLimit({ max: 100, initial: 100 });
    for (let i = 0; i < 10; i++)
      again.answered({ kind: 'failed', latencyMs: 5, sentAt: 0, sentInFlight: 10 }, 5 + i);
    expect(again.limit).toBe(80);
  });

  it('keeps within its cap and minimum whatever it is given', () => {
    expect(new AdaptiveLimit({ max: 10, initial: 32 }).limit).toBe(10);
    expect(new AdaptiveLimit({ max: 2, min: 4 }).limit).toBe(2);
    const capped = new AdaptiveLimit({ max: 50 });
    simulate(capped, { latency: () => 20 }, 20);
    expect(capped.limit).toBe(50);
  });

  it('ignores answers that say nothing about the service', () => {
    const limiter = new AdaptiveLimit({ max: 100, initial: 40 });
    limiter.answered({ kind: 'ignored', latencyMs: 9000, sentAt: 0, sentInFlight: 40 }, 9000);
    expect(limiter.state(9000)).toMatchObject({ limit: 40, floorMs: null, latencyMs: null, holdBack: null });
  });
});
