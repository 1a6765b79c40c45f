// The shell in a real browser: every area reachable by mouse and keyboard, empty states, light and dark.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

describe('app shell', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('visits every area and shows what to do first, with a screenshot of each', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'shell.db') });
    const { page } = app;
    try {
      for (const [area, heading] of [
        ['Campaigns', 'No campaigns yet'],
        ['Compose', null],
        ['Subscriptions', null],
        ['Keys', null],
        ['Settings', null],
      ] as const) {
        await page.getByRole('link', { name: new RegExp(`^${area}`) }).click();
        await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe(area);
        if (heading) await page.getByText(heading).waitFor();
        await app.screenshot(`shell-${area.toLowerCase()}`);
      }
      // Settings shows the real doctor report from the handler table.
      await page.getByText(path.join(dir, 'shell.db')).waitFor();
      await page.getByText('Schema version').waitFor();
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('moves between areas with the keyboard', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'keys.db') });
    const { page } = app;
    try {
      await page.keyboard.press('Control+5');
      await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/settings');
      await page.keyboard.press('Control+3');
      await expect
        .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
        .toBe('Subscriptions');
      // Tab reaches the navigation links, Enter follows one.
      await page.locator('body').focus();
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate(() => document.activeElement?.textContent ?? '')).startsWith('Keys');
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/keys');
    } finally {
      await app.close();
    }
  });

  it('follows the OS dark theme', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'dark.db'), colorScheme: 'dark' });
    try {
      await expect
        .poll(() =>
          app.page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')),
        )
        .toBe('dark');
      await app.screenshot('shell-campaigns-dark');
    } finally {
      await app.close();
    }
  });
});
