import { describe, expect, it } from 'vitest';
import { FlowControl } from '../../../../src/main/core/campaigns/flow-control.ts';

const job = (origin: string, dueAt = 0) => ({ origin, dueAt });

describe('flow control', () => {
  it('starts no more than the global and per-origin limits, in order, and frees slots on answers', () => {
    const flow = new FlowControl({ concurrency: 3, perOriginConcurrency: 2 }, 0);
    const ready = [job('a'), job('a'), job('a'), job('b'), job('b')];
    const first = flow.take([], ready, 0);
    expect(first.map((j) => j.origin)).toEqual(['a', 'a', 'b']);
    expect(flow.inFlight).toBe(3);
    expect(flow.take([], ready, 0)).toEqual([]);
    flow.answered('a');
    expect(flow.take([], ready, 0).map((j) => j.origin)).toEqual(['a']);
    expect(ready.map((j) => j.origin)).toEqual(['b']);
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

  it('caps messages per second with a bucket of 100 ms, without a burst after a stall', () => {
    const flow = new FlowControl({ concurrency: 100, perOriginConcurrency: 100, rate: 50 }, 0);
    const ready = Array.from({ length: 100 }, () => job('a'));
    const started = [0, 20, 40, 60, 80, 100].map((at) => flow.take([], ready, at).length);
    expect(started.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    // After ten idle seconds, at most 100 ms worth (5 messages) goes at once.
    expect(flow.take([], ready, 10_000).length).toBe(5);
  });
});
