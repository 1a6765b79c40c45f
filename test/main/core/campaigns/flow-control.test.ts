import { describe, expect, it } from 'vitest';
import { FlowControl, type Startable } from '../../../../src/main/core/campaigns/flow-control.ts';

const job = (origin: string, dueAt = 0): Startable => ({ origin, dueAt });

describe('flow control', () => {
  it('starts no more than the global and per-origin limits, in order, and frees slots on answers', () => {
    const flow = new FlowControl({ concurrency: 3, perOriginConcurrency: 2 }, 0);
    const ready = [job('a'), job('a'), job('a'), job('b'), job('b')];
    const first = flow.take([], ready, 0);
    expect(first.map((j) => j.origin)).toEqual(['a', 'a', 'b']);
    expect(flow.inFlight).toBe(3);
    expect(flow.take([], ready, 0)).toEqual([]);
    flow.answered(first[0]!, { kind: 'ok', latencyMs: 10 }, 10);
    expect(flow.take([], ready, 0).map((j) => j.origin)).toEqual(['a']);
    expect(ready.map((j) => j.origin)).toEqual(['b']);
  });

  it('leaves what it does not start in order, past full origins, retries not yet due and the overall cap', () => {
    const flow = new FlowControl({ concurrency: 5, perOriginConcurrency: 2 }, 0);
    const named = (name: string, dueAt = 0) => ({ ...job(name[0]!, dueAt), name });
    const retries = [named('c-retry', 500), named('b-retry')];
    const ready = ['a1', 'b1', 'a2', 'a3', 'b2', 'c1', 'b3', 'c2'].map((name) => named(name));
    const started = flow.take(retries, ready, 0);
    expect(started.map((j) => j.name)).toEqual(['b-retry', 'a1', 'b1', 'a2', 'c1']);
    expect(retries.map((j) => j.name)).toEqual(['c-retry']);
    expect(ready.map((j) => j.name)).toEqual(['a3', 'b2', 'b3', 'c2']);
  });

  it('holds back a whole origin while it backs off, and retries only once due', () => {
    const flow = new FlowControl({ concurrency: 10, perOriginConcurrency: 10 }, 0);
    flow.backOff('a', 1000);
    const retry = job('b', 500);
    const retries = [retry];
    const fresh = job('b');
    const ready = [job('a'), fresh];
    expect(flow.take(retries, ready, 100)).toEqual([fresh]);
    expect(flow.take(retries, ready, 600)).toEqual([retry]);
    expect(flow.take(retries, ready, 999)).toEqual([]);
    expect(flow.take(retries, ready, 1000).map((j) => j.origin)).toEqual(['a']);
  });

  it('adapts each origin on its own: one pushing back does not slow another, and both stay under the caps', () => {
    const flow = new FlowControl({ concurrency: 3000, perOriginConcurrency: 1000 }, 0);
    let at = 0;
    // One round trip of 50 ms at a time: every ready job of each origin starts, then all are answered.
    for (let round = 0; round < 12; round++) {
      const ready = [
        ...Array.from({ length: 1200 }, () => job('fcm')),
        ...Array.from({ length: 1200 }, () => job('moz')),
      ];
      const started = flow.take([], ready, at);
      at += 50;
      for (const j of started) {
        const throttled = j.origin === 'moz' && j.sentInFlight! > 100;
        flow.answered(j, { kind: throttled ? 'throttled' : 'ok', latencyMs: 50, reason: 'HTTP 429' }, at);
      }
    }
    const origins = new Map(flow.origins(at).map((o) => [o.origin, o]));
    expect(origins.get('fcm')).toMatchObject({ limit: 1000, inFlight: 0, holdBack: 'at the cap of 1000' });
    expect(origins.get('moz')!.limit).toBeLessThanOrEqual(90);
    expect(origins.get('moz')!.holdBack).toBe('HTTP 429');
    // The overall cap holds across origins.
    const small = new FlowControl({ concurrency: 40, perOriginConcurrency: 1000 }, 0);
    expect(small.take([], [...Array.from({ length: 50 }, () => job('a')), job('b')], 0)).toHaveLength(33);
    expect(
      small.take(
        [],
        Array.from({ length: 50 }, () => job('b')),
        0,
      ),
    ).toHaveLength(7);
  });

  it('caps messages per second with a bucket of 100 ms, without a burst after a stall', () => {
    const flow = new FlowControl({ concurrency: 100, perOriginConcurrency: 100, rate: 50 }, 0);
    const ready = Array.from({ length: 100 }, () => job('a'));
    const started = [0, 20, 40, 60, 80, 100].map((at) => flow.take([], ready, at).length);
    expect(started.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    // After ten idle seconds, at most 100 ms worth (5 messages) goes at once.
    expect(flow.take([], ready, 10_000).length).toBe(5);
  });
});
