// The shell in a real browser: every area reachable by mouse and keyboard, empty states, light and dark.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp, createTestCampaign } from '../support/fixtures.ts';
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

  it("opens the new-app dialog from the navbar's first-app button, also while Keys is open", async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'first-app.db') });
    const { page } = app;
    try {
      const dialog = page.getByRole('dialog', { name: 'New app' });
      await page.getByRole('button', { name: 'Create your first app' }).click();
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.evaluate(() => window.location.hash)).toBe('#/keys');
      // Keys is open now: the same button opens the dialog by the hash change alone.
      await page.getByRole('button', { name: 'Create your first app' }).click();
      await dialog.waitFor();
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

  it('shows a change made while the first load of a page was still on its way', async () => {
    // The window's first question for the history is answered from the database at once, but the answer is
    // held back (as a slow query thread would) until a draft has been created meanwhile.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const firstAsked = new Promise<void>((resolve) => (asked = resolve));
    let held = false;
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'late.db'),
      intercept: async (channel, answer) => {
        if (channel !== 'campaigns.list' || held) return answer();
        held = true;
        const early = await answer();
        asked();
        await released;
        return early;
      },
    });
    const { page, ctx } = app;
    try {
      await firstAsked;
      const shop = createTestApp(ctx, 'shop.example');
      createTestCampaign(ctx, {
        appId: shop.id,
        name: 'Created meanwhile',
        message: { format: 'notification', notification: { title: 'Hello' } },
        audience: {},
      });
      // The change event reaches the window before the held answer does: the page runs evaluations in
      // order, so this one starts after the event's, and gives its handler a moment to settle.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
      release();
      await page.getByRole('table', { name: 'Campaign history' }).getByText('Created meanwhile').waitFor();
      expect(app.pageErrors).toEqual([]);
    } finally {
      release();
      await app.close();
    }
  });
});
