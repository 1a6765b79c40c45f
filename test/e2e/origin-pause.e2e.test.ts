// A push service that refuses the sender, seen in the window: the campaign stops for that service only,
// the alert says what the service answered and what to fix, and Resume sends the waiting deliveries.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, setSubject } from '../../src/main/core/apps/apps.ts';
import { sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { startPushService } from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { createTestCampaign, told } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

describe('a push service refusing the VAPID token, in the window', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('shows the pause with what Apple answered and what to fix, and Resume delivers once the subject is fixed', async () => {
    // Refuses a subject on a .local domain with 403 BadJwtToken, as web.push.apple.com does.
    const apple = await startPushService({ appleSubjectRules: true });
    const other = await startPushService();
    const app = await openApp(browser(), { dbPath: path.join(dir, 'pause.db') });
    const { page, ctx } = app;
    try {
      const shop = told(
        ctx,
        ['apps'],
        createApp(ctx, { name: 'shop.example', subject: 'mailto:ops@shop.local' }),
      );
      const subscribeAt = async (service: typeof apple, n: number, pushService: string) => {
        const subs = [];
        for (let i = 0; i < n; i++)
          subs.push(await service.subscribe({ applicationServerKey: shop.publicKey! }));
        insertSubscriptions(
          ctx.db,
          shop.id,
          subs.map((sub) => ({ ...sub, pushService })),
        );
      };
      await subscribeAt(apple, 8, 'apple');
      await subscribeAt(other, 3, 'fcm');
      const id = createTestCampaign(ctx, {
        appId: shop.id,
        name: 'Flash sale',
        message: { format: 'notification', notification: { title: 'Flash sale', body: 'Now' } },
        audience: {},
        options: { perOriginConcurrency: 1 },
      }).campaign.id;
      expect((await sendCampaign(ctx, id)).state).toBe('paused');

      await page.evaluate((hash) => (window.location.hash = hash), `#/campaigns/${id}`);
      const alert = page.getByRole('alert').filter({ hasText: 'sending to it is paused' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain(
        'A push service refused this campaign: sending to it is paused' +
          `Paused sending to ${apple.origin} (8 deliveries wait): Apple refuses the VAPID token: BadJwtToken — ` +
          'the subject must be a mailto: or https: URL you own',
      );
      expect(await page.getByTestId('count-delivered').first().textContent()).toBe('3');
      await app.screenshot('campaigns-origin-paused');

      told(ctx, ['apps'], setSubject(ctx, shop.id, 'mailto:ops@shop.example'));
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect
        .poll(() => page.getByTestId('campaign-state').textContent(), { timeout: 30_000 })
        .toBe('completed');
      expect(await page.getByTestId('count-delivered').first().textContent()).toBe('11');
      expect(apple.messages()).toHaveLength(8);
      expect(await alert.count()).toBe(0);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await Promise.all([apple.close(), other.close()]);
    }
  });
});
