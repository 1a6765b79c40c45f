// Campaign links in the composer, in a real browser over the real handlers: the UTM switch tags the URLs
// the preview shows, and the byte budget counts them.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { seedShop } from './compose-seed.ts';
import { openApp, useChromium } from './harness.ts';

const bytes = async (page: Page) => Number(await page.getByTestId('budget').getAttribute('data-bytes'));
const links = (page: Page) => page.getByTestId('preview-links').textContent();

describe('composer: campaign links', () => {
  const browser = useChromium();

  it('tags the click URL when the switch is on, shows it in the preview and counts it in the budget', async () => {
    const dbPath = path.join(tempDir(), 'links.db');
    seedShop(dbPath, [{ label: 'Ada', fields: {}, tags: ['news'], pushService: 'fcm' }]);
    const app = await openApp(browser(), { dbPath, viewport: { width: 1440, height: 1000 } });
    const { page } = app;
    try {
      await page.getByRole('link', { name: /^Compose/ }).click();
      await page.getByRole('heading', { name: 'Message' }).waitFor();
      await page.getByLabel('Title').fill('Spring sale');
      await page.getByLabel('URL opened on click').fill('https://shop.example/sale?ref=home#deals');
      await expect.poll(() => links(page)).toBe('Click opens https://shop.example/sale?ref=home#deals');
      const plain = await bytes(page);

      await page.getByLabel('Campaign links (UTM)').check();
      const tags = '&utm_source=pushdeck&utm_medium=push&utm_campaign=spring-sale';
      await expect
        .poll(() => links(page))
        .toBe(`Click opens https://shop.example/sale?ref=home${tags}#deals`);
      await expect.poll(() => bytes(page)).toBe(plain + tags.length);

      await page.getByLabel('UTM source', { exact: true }).fill('newsletter');
      await expect.poll(() => links(page)).toContain('utm_source=newsletter&utm_medium=push');
      await app.screenshot('compose-campaign-links');

      await page.getByLabel('Campaign links (UTM)').uncheck();
      await expect.poll(() => bytes(page)).toBe(plain);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
