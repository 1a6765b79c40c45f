// Work done ahead steps aside while the window's reads are answered (work-ahead.ts): the page anchors a
// read thread builds between requests wait while main counts a read in flight on the lane, and go on once
// none is, or once they have waited long enough; a lane counts each question from its sending to its answer.
import { afterEach, describe, expect, it } from 'vitest';
import { startLane, type Lane } from '../../../src/main/core/query-lanes.ts';
import {
  anchorsBuilding,
  buildAnchorsAhead,
  ordersBuilding,
  stopBuildingAhead,
} from '../../../src/main/core/subscriptions/page-anchors.ts';
import { importSubscriptions } from '../../../src/main/core/subscriptions/import/service.ts';
import {
  holdWorkAheadFor,
  WORK_AHEAD_WAIT_MAX_MS,
  whenReadsIdle,
} from '../../../src/main/core/work-ahead.ts';
import { subscriptionSorts } from '../../../src/shared/subscriptions.ts';
import { testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { holdThread } from '../../support/held-thread.ts';
import { until } from '../../support/until.ts';
import { realKey } from './subscriptions/subscription-fixtures.ts';

const lanes: Lane[] = [];
afterEach(async () => {
  holdWorkAheadFor(null);
  stopBuildingAhead();
  await Promise.all(lanes.splice(0).map((lane) => lane.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function someList(rows: number) {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const key = realKey();
  const lines = ['endpoint,p256dh,auth,label'];
  for (let i = 0; i < rows; i++)
    lines.push(`https://push.example/w-${i},${key.p256dh},${key.auth},User ${i}`);
  await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
  return { ctx, app };
}

describe('work done ahead', () => {
  it('waits while a read is in flight, goes on once none is, and never waits longer than its bound', async () => {
    const inFlight = new Int32Array(new SharedArrayBuffer(4));
    holdWorkAheadFor(inFlight);
    Atomics.store(inFlight, 0, 1);
    let stepped = 0;
    whenReadsIdle(() => stepped++);
    await sleep(40);
    expect(stepped, 'a read is in flight').toBe(0);
    Atomics.store(inFlight, 0, 0);
    await until(() => stepped === 1, 'the step once no read is in flight', 1_000, 2);

    // A read that never ends holds a step no longer than the bound.
    Atomics.store(inFlight, 0, 1);
    const started = performance.now();
    whenReadsIdle(() => stepped++);
    await until(() => stepped === 2, 'the step after its bound', 5_000, 2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(WORK_AHEAD_WAIT_MAX_MS - 5);
  });

  it('builds no page anchors while a read is in flight, and all of them once none is', async () => {
    const { ctx } = await someList(3_000);
    const inFlight = new Int32Array(new SharedArrayBuffer(4));
    holdWorkAheadFor(inFlight);
    Atomics.store(inFlight, 0, 1);
    buildAnchorsAhead(ctx.db);
    // Less than the bound, so no slice may have run.
    await sleep(WORK_AHEAD_WAIT_MAX_MS / 2);
    expect(ordersBuilding(), 'every order still waits').toHaveLength(subscriptionSorts.length);
    Atomics.store(inFlight, 0, 0);
    await until(() => !anchorsBuilding(), 'the anchors built', 10_000);
  });

  it('counts a lane’s questions from their sending until their answers', async () => {
    const { ctx, app } = await someList(3);
    const inFlight = new Int32Array(new SharedArrayBuffer(4));
    const lane = startLane(ctx, 2, { reads: { inFlight, countsIn: true } });
    lanes.push(lane);
    const warm = { appId: app.id, filter: {} };
    await Promise.all([lane.call('subscriptions.count', warm), lane.call('subscriptions.count', warm)]);
    expect(Atomics.load(inFlight, 0)).toBe(0);
    // One thread held by a save that waits for main's write lock: one question in flight.
    const held = await holdThread(ctx, lane, app.id, 200);
    expect(Atomics.load(inFlight, 0)).toBe(1);
    // A search answered on the other thread meanwhile, and two that a newer one replaced.
    const searches = ['us', 'use', 'user 2'].map((search) =>
      lane.call('subscriptions.count', { appId: app.id, filter: { search } }).catch(() => null),
    );
    expect(await searches[2]).toEqual({ count: 1 });
    await Promise.all(searches);
    await until(() => Atomics.load(inFlight, 0) === 1, 'the held save alone in flight', 2_000, 2);
    await held.release();
    await until(() => Atomics.load(inFlight, 0) === 0, 'no question in flight', 2_000, 2);
  });
});
