// An A/B campaign in the window, over the real handlers, a real SQLite file and the local push service:
// two variants composed with a held rest, sent, per-variant results, then "Send the rest with variant B";
// nobody receives the campaign twice. Screenshots: test-results/variants-*.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { createTestApp } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

const RECIPIENTS = 40;

function eventually<T>(fn: () => T | Promise<T>, timeout = 30_000) {
  return expect.poll(fn, { timeout });
}

describe('A/B variants in the window', () => {
  const browser = useChromium();
  let service: PushService;

  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('composes two variants with a held rest, shows per-variant results and sends the rest with the winner', async () => {
    const app = await openApp(browser(), {
      dbPath: path.join(tempDir(), 'variants.db'),
      viewport: { width: 1440, height: 1100 },
    });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'ab.example');
      const subs = [];
      for (let i = 0; i < RECIPIENTS; i++)
        subs.push(await service.subscribe({ applicationServerKey: shop.publicKey! }));
      insertSubscriptions(
        ctx.db,
        shop.id,
        subs.map((s) => ({ ...s, pushService: 'fcm' })),
      );
      const titles = (id: string) =>
        service.messages(id).map((m) => (JSON.parse(m.payload!.toString('utf8')) as { title: string }).title);

      await page.getByRole('link', { name: /^Compose/ }).click();
      await page.getByRole('heading', { name: 'Message' }).waitFor();
      await page.getByLabel('Title').fill('Spring A');
      await page.getByLabel('URL opened on click').fill('https://ab.example/sale');
      await page.getByLabel('A/B test: send variants').check();
      await page.getByLabel('Share of variant A (%)').fill('25');
      await page.getByLabel('Share of variant B (%)').fill('25');
      await eventually(() => page.getByTestId('variants-summary').textContent()).toBe(
        "50 % held: send them the winner from the campaign's results.",
      );
      await page.locator('.mantine-SegmentedControl-label', { hasText: 'Variant B' }).click();
      await page.getByRole('heading', { name: 'Message · variant B' }).waitFor();
      await page.getByLabel('Title').fill('Spring B');
      await eventually(() => page.getByTestId('preview-title').textContent()).toBe('Spring B');
      await page.locator('.mantine-SegmentedControl-label', { hasText: 'Variant A' }).click();
      await eventually(() => page.getByLabel('Title').inputValue()).toBe('Spring A');
      await page.locator('.mantine-SegmentedControl-label', { hasText: 'Variant B' }).click();
      await eventually(() => page.getByLabel('Title').inputValue()).toBe('Spring B');
      await eventually(() => page.getByRole('button', { name: 'Review and send' }).isEnabled()).toBe(true);
      await app.screenshot('variants-compose');

      await page.getByRole('button', { name: 'Review and send' }).click();
      await page.getByRole('button', { name: 'Send now…' }).click();
      await eventually(() => page.getByTestId('send-confirmation').textContent()).toContain(
        'An A/B test: variants A 25 %, B 25 % of them; the other 50 % are held for the winner.',
      );
      await page.getByRole('button', { name: /^Send to \d+/ }).click();
      await eventually(() => page.getByTestId('campaign-state').textContent(), 60_000).toBe('completed');
      const table = page.getByRole('table', { name: 'Results per variant' });
      await eventually(() => table.locator('tbody tr').count()).toBe(2);
      const firstPart = service.messages().length;
      expect(firstPart).toBeGreaterThan(0);
      expect(firstPart).toBeLessThan(RECIPIENTS);
      const rowA = await table.locator('tr[data-variant="A"]').textContent();
      const rowB = await table.locator('tr[data-variant="B"]').textContent();
      const countA = subs.filter((s) => titles(s.id)[0] === 'Spring A').length;
      const countB = subs.filter((s) => titles(s.id)[0] === 'Spring B').length;
      expect(countA + countB).toBe(firstPart);
      expect(rowA).toMatch(new RegExp(`^A · 25 %Spring A${countA}${countA} \\(`));
      expect(rowB).toMatch(new RegExp(`^B · 25 %Spring B${countB}${countB} \\(`));
      await eventually(() => page.getByTestId('variants-held').textContent()).toBe(
        `${RECIPIENTS - firstPart} subscribers held for the winner.`,
      );
      await app.screenshot('variants-results');

      await page.getByRole('button', { name: 'Send the rest with variant B' }).click();
      await page.getByRole('button', { name: `Send to ${RECIPIENTS - firstPart}` }).click();
      await eventually(() => table.locator('tr[data-variant="rest"]').textContent(), 60_000).toMatch(
        new RegExp(`^Rest \\(variant B\\)Spring B${RECIPIENTS - firstPart}${RECIPIENTS - firstPart} \\(`),
      );
      await eventually(() => page.getByTestId('campaign-state').textContent(), 60_000).toBe('completed');
      expect(await page.getByRole('button', { name: /Send the rest/ }).count()).toBe(0);
      await app.screenshot('variants-rest-sent');

      // Everyone got exactly one message of the campaign; the held ones got B.
      for (const s of subs) expect(titles(s.id)).toHaveLength(1);
      expect(subs.filter((s) => titles(s.id)[0] === 'Spring B')).toHaveLength(RECIPIENTS - countA);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
