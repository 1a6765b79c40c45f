// A larger campaign watched in the browser: the counts reach the end and add up, progress events stay within
// 10 a second, and the page keeps painting while it sends (the longest gap between frames is printed as a
// figure, not asserted: speed belongs in benchmarks).
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { createTestApp, createTestCampaign } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

const RECIPIENTS = 5000;

/** A valid P-256 public key and auth secret: the service answers 201 without decrypting. */
function userAgentKeys(): { p256dh: string; auth: string } {
  const ecdh = crypto.createECDH('prime256v1');
  return {
    p256dh: ecdh.generateKeys().toString('base64url'),
    auth: crypto.randomBytes(16).toString('base64url'),
  };
}

describe('a larger campaign in the browser', () => {
  const browser = useChromium();
  let service: PushService;
  const dir = tempDir();

  beforeAll(async () => {
    service = await startPushService({ acceptAll: true });
  });
  afterAll(async () => {
    await service?.close();
  });

  it(`sends to ${RECIPIENTS} with live progress, and the window keeps painting`, async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'load.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'load.example');
      insertSubscriptions(
        ctx.db,
        shop.id,
        Array.from({ length: RECIPIENTS }, (_, i) => ({
          endpoint: `${service.origin}/push/load-${i}`,
          keys: userAgentKeys(),
          pushService: i % 3 === 0 ? 'mozilla' : 'fcm',
        })),
      );
      const { campaign } = createTestCampaign(ctx, {
        appId: shop.id,
        name: 'Big one',
        message: { format: 'notification', notification: { title: 'Hello' } },
        audience: {},
      });
      await page.evaluate((id) => (window.location.hash = `#/campaigns/${id}`), campaign.id);
      // Count progress events and the longest gap between painted frames while it sends.
      await page.evaluate(() => {
        const w = window as unknown as {
          __frames: { maxGap: number; last: number; events: number[]; long: [number, number][] };
        };
        w.__frames = { maxGap: 0, last: performance.now(), events: [], long: [] };
        const tick = (now: number) => {
          const gap = now - w.__frames.last;
          if (gap > 50) w.__frames.long.push([now, gap]);
          w.__frames.maxGap = Math.max(w.__frames.maxGap, gap);
          w.__frames.last = now;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        window.api.on('campaigns.progress', () => w.__frames.events.push(performance.now()));
      });
      await page.getByRole('button', { name: 'Send now…' }).click();
      await page.getByRole('button', { name: `Send to ${RECIPIENTS.toLocaleString('en-US')}` }).click();
      await expect
        .poll(() => page.getByTestId('campaign-state').textContent(), { timeout: 120_000 })
        .toBe('completed');
      expect(await page.getByTestId('count-delivered').textContent()).toBe(
        RECIPIENTS.toLocaleString('en-US'),
      );
      expect(service.requests()).toBe(RECIPIENTS);
      const frames = await page.evaluate(
        () =>
          (window as unknown as { __frames: { maxGap: number; events: number[]; long: [number, number][] } })
            .__frames,
      );
      const spanS = (frames.events.at(-1)! - frames.events[0]!) / 1000;
      // Events at most 10 a second (plus the last one of the run).
      expect(frames.events.length).toBeLessThanOrEqual(Math.ceil(spanS * 10) + 2);
      await app.screenshot('campaigns-load-completed');
      const first = frames.events[0]!;
      const last = frames.events.at(-1)!;
      const duringSend = frames.long.filter(([at]) => at >= first && at <= last).map(([, gap]) => gap);
      console.log(
        `campaigns-load: frames over 50 ms while sending: ${duringSend.map((g) => g.toFixed(0)).join(', ') || 'none'}; after the last event: ${
          frames.long
            .filter(([at]) => at > last)
            .map(([, gap]) => gap.toFixed(0))
            .join(', ') || 'none'
        }`,
      );
      console.log(
        `campaigns-load: ${RECIPIENTS} sent in ~${spanS.toFixed(1)} s, ${frames.events.length} progress events, longest frame gap ${frames.maxGap.toFixed(0)} ms`,
      );
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
