// The progress ETA of a send: a delivery held back by a push service's Retry-After keeps the send going
// until it is due, so the ETA is never shorter than that wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { startSend, stopCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

describe('progress ETA', () => {
  const ctx = testContext();
  let service: PushService;

  beforeAll(async () => {
    service = await startPushService({ delayMs: 60, retryAfterSeconds: 120 });
  });
  afterAll(() => service.close());

  it('counts a 2-minute Retry-After into the time left, instead of a few seconds at the current rate', async () => {
    const app = createTestApp(ctx);
    await subscribe(ctx, app, service, [...Array<'ok'>(6).fill('ok'), 'always-429'], { tags: ['eta'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['eta'] }, options: { concurrency: 1 } });
    const seen: CampaignProgress[] = [];
    let waiting!: (p: CampaignProgress) => void;
    const backingOff = new Promise<CampaignProgress>((resolve) => (waiting = resolve));
    const run = startSend(ctx, id, {
      onProgress: (p) => {
        seen.push(p);
        if (p.retrying > 0 && p.delivered === 6) waiting(p);
      },
    });
    const progress = await backingOff;
    stopCampaign(ctx, id, 'pause');
    await run.done;
    expect(progress.rate).toBeGreaterThan(0);
    // Retry-After: 120 (RFC 9110 §10.2.3), capped by retryAfterCapMs (120 s by default).
    expect(progress.etaSeconds).toBeGreaterThanOrEqual(110);
    expect(progress.etaSeconds).toBeLessThanOrEqual(121);
    expect(seen.length).toBeGreaterThan(0);
  });
});
