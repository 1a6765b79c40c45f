// The composer in a real browser over the real handlers: compose with an image and buttons, watch the
// preview and the byte budget, save and reload a template, build a segment and watch the count, and
// screenshots in light and dark.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Row } from '../main/core/compose/subscription-rows.ts';
import { tempDir } from '../support/temp-dir.ts';
import { seedShop } from './compose-seed.ts';
import { openApp, useChromium } from './harness.ts';

const svg = (from: string, to: string, w: number, h: number) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/><circle cx="${w / 2}" cy="${h / 2}" r="${h / 4}" fill="#fff" opacity=".6"/></svg>`,
  )}`;
const ICON = svg('#4f46e5', '#06b6d4', 96, 96);
const IMAGE = svg('#f59e0b', '#ef4444', 720, 360);

/** A database with one app and a mixed audience: labelled, tagged, on several push services. */
function seed(dbPath: string): void {
  const rows: Row[] = [];
  for (let i = 0; i < 40; i++) {
    rows.push({
      label: i === 0 ? 'Ada Lovelace' : `Customer ${i}`,
      fields: { first_name: i === 0 ? 'Ada' : `C${i}` },
      tags: i % 4 === 0 ? ['vip'] : ['newsletter'],
      pushService: ['fcm', 'apple', 'mozilla'][i % 3],
    });
  }
  rows.push({ label: 'My phone', fields: { first_name: 'Me' }, tags: ['test-device'], pushService: 'apple' });
  rows.push({
    label: 'Gone',
    fields: { first_name: 'X' },
    tags: ['vip'],
    pushService: 'fcm',
    status: 'expired' as const,
  });
  seedShop(dbPath, rows);
}

const count = async (page: Page) =>
  Number((await page.getByTestId('recipient-count').textContent())!.replace(/\D/g, ''));
const bytes = async (page: Page) => Number(await page.getByTestId('budget').getAttribute('data-bytes'));
const findingCodes = (page: Page) =>
  page.locator('[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));

/** Clicks an option of a segmented control by its visible label. */
const choose = (page: Page, label: string) =>
  page.locator('.mantine-SegmentedControl-label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();

/** Waits until the open dialog has finished its entrance transition, for a clean screenshot. */
const dialogSettled = (page: Page) =>
  expect.poll(() => page.getByRole('dialog').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
const sendEnabled = (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: 'Review and send' }).isEnabled()).toBe(true);

async function openCompose(page: Page): Promise<void> {
  await page.getByRole('link', { name: /^Compose/ }).click();
  await page.getByRole('heading', { name: 'Message' }).waitFor();
}

describe('composer', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('composes with an image and buttons, previews it, and moves the byte budget', async () => {
    const dbPath = path.join(dir, 'compose.db');
    seed(dbPath);
    const app = await openApp(browser(), { dbPath, viewport: { width: 1440, height: 1100 } });
    const { page } = app;
    try {
      await openCompose(page);
      await expect.poll(() => count(page)).toBe(41);
      await expect.poll(() => findingCodes(page)).toContain('TITLE_MISSING');
      await app.screenshot('compose-empty');

      await page.getByLabel('Title').fill('Hi {{first_name|there}}, spring sale!');
      await page.getByLabel('Body').fill('30% off everything until Sunday.');
      await page.getByLabel('URL opened on click').fill('https://shop.example/sale');
      await expect.poll(() => page.getByTestId('preview-title').textContent()).toBe('Hi Ada, spring sale!');
      await expect.poll(() => findingCodes(page)).not.toContain('TITLE_MISSING');
      const textOnly = await bytes(page);
      expect(textOnly).toBeGreaterThan(40);

      await page.getByLabel('Icon').fill(ICON);
      await page.getByLabel('Image').fill(IMAGE);
      await expect.poll(() => page.getByTestId('actions-firefox-note').count()).toBe(0);
      await page.getByRole('button', { name: 'Add button' }).click();
      // Where buttons do not show: Firefox before 152 (MessageForm.tsx).
      await page
        .getByTestId('actions-firefox-note')
        .getByText('Firefox shows buttons from version 152')
        .waitFor();
      await page.getByLabel('Button 1 title').fill('Shop now');
      await page.getByLabel('URL', { exact: true }).first().fill('https://shop.example/shop');
      await page.getByRole('button', { name: 'Add button' }).click();
      await page.getByLabel('Button 2 title').fill('Later');
      await expect
        .poll(() => page.getByTestId('preview-action').allTextContents())
        .toEqual(['Shop now', 'Later']);
      await expect.poll(() => bytes(page)).toBeGreaterThan(textOnly + 500);
      const preview = page.getByTestId('preview-desktop');
      await expect
        .poll(() =>
          preview.getByRole('img', { name: 'Image' }).evaluate((img: HTMLImageElement) => img.naturalWidth),
        )
        .toBe(720);
      await expect.poll(() => findingCodes(page)).toEqual([]);
      await page.getByTestId('checker-ok').waitFor();
      await sendEnabled(page);
      await app.screenshot('compose-light-desktop');

      // The checker speaks up as options change: Apple's topic length rule.
      await page.getByLabel('Topic').fill('news1');
      await expect.poll(() => findingCodes(page)).toEqual(['TOPIC_APPLE_LENGTH']);
      await page.getByText('Apple rejects a topic of 5 characters').first().waitFor();
      await page.getByLabel('Topic').fill('news12');
      await expect.poll(() => findingCodes(page)).toEqual([]);

      // A huge body pushes the budget past the limit and blocks sending.
      await page.getByLabel('Body').fill('x'.repeat(4000));
      await expect.poll(() => findingCodes(page)).toContain('PAYLOAD_TOO_LARGE');
      expect(await bytes(page)).toBeGreaterThan(3993);
      await expect.poll(() => page.getByRole('button', { name: 'Review and send' }).isDisabled()).toBe(true);
      await app.screenshot('compose-over-budget');
      await page.getByLabel('Body').fill('30% off everything until Sunday.');
      await expect.poll(() => bytes(page)).toBeLessThan(3070);

      await choose(page, 'Mobile');
      await page.getByTestId('preview-mobile').waitFor();
      await app.screenshot('compose-light-mobile');
      await choose(page, 'Dark');
      await expect.poll(() => page.getByTestId('preview-frame').getAttribute('data-scheme')).toBe('dark');
      await app.screenshot('compose-light-mobile-dark-preview');

      // "Review and send" hands the message, audience and options to the campaigns area as a draft.
      await sendEnabled(page);
      await page.getByRole('button', { name: 'Review and send' }).click();
      await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/campaigns\/\d+$/);
      const campaignId = Number((await page.evaluate(() => window.location.hash)).split('/').pop());
      const stored = app.ctx.db
        .prepare('SELECT state, message, audience, options FROM campaigns WHERE id = ?')
        .get(campaignId) as {
        state: string;
        message: string;
        audience: string;
        options: string;
      };
      expect(stored.state).toBe('draft');
      expect(JSON.parse(stored.message).notification).toMatchObject({
        title: 'Hi {{first_name|there}}, spring sale!',
        actions: [{ title: 'Shop now', url: 'https://shop.example/shop' }, { title: 'Later' }],
      });
      expect(JSON.parse(stored.options)).toMatchObject({ ttl: 86400, topic: 'news12' });
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('saves and reloads a template, and keeps the draft across a reload', async () => {
    const dbPath = path.join(dir, 'templates.db');
    seed(dbPath);
    const app = await openApp(browser(), { dbPath, viewport: { width: 1440, height: 1000 } });
    const { page } = app;
    try {
      await openCompose(page);
      await page.getByLabel('Title').fill('Weekly news for {{first_name|you}}');
      await page.getByLabel('Icon').fill(ICON);
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.getByRole('menuitem', { name: 'Save as template…' }).click();
      await page.getByLabel('Template name').fill('Weekly');
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.getByText('Template saved').waitFor();

      await page.getByLabel('Title').fill('Something else');
      await expect.poll(() => page.getByTestId('preview-title').textContent()).toBe('Something else');
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.getByRole('menuitem', { name: /Weekly/ }).click();
      await expect
        .poll(() => page.getByLabel('Title').inputValue())
        .toBe('Weekly news for {{first_name|you}}');
      await expect.poll(() => page.getByTestId('preview-title').textContent()).toBe('Weekly news for Ada');

      // Duplicate and rename through the manager.
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.getByRole('menuitem', { name: 'Manage templates…' }).click();
      await page.getByRole('button', { name: 'Duplicate Weekly' }).click();
      await page.getByText('Weekly copy').waitFor();
      await page.getByRole('button', { name: 'Rename Weekly copy' }).click();
      await page.getByLabel('New name').fill('Monthly');
      await page.keyboard.press('Enter');
      await page.getByText('Template renamed').waitFor();
      await expect
        .poll(() =>
          page
            .getByRole('dialog')
            .getByText(/^(Weekly|Monthly)/)
            .allTextContents(),
        )
        .toEqual(['Monthly', 'Weekly']);
      await dialogSettled(page);
      await app.screenshot('compose-templates');
      await page.keyboard.press('Escape');

      // The draft saves itself: after a restart the message is back.
      await page.getByText(/Draft saved at/).waitFor();
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
    const again = await openApp(browser(), { dbPath, viewport: { width: 1440, height: 1000 } });
    try {
      await openCompose(again.page);
      await expect
        .poll(() => again.page.getByLabel('Title').inputValue())
        .toBe('Weekly news for {{first_name|you}}');
      expect(again.pageErrors).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('builds a segment and watches the count, in the dark theme', async () => {
    const dbPath = path.join(dir, 'segments.db');
    seed(dbPath);
    const app = await openApp(browser(), {
      dbPath,
      colorScheme: 'dark',
      viewport: { width: 1440, height: 1100 },
    });
    const { page } = app;
    try {
      await openCompose(page);
      await page.getByLabel('Title').fill('Hi {{first_name|there}}, VIP preview');
      await page.getByLabel('Body').fill('Early access to the spring collection starts now.');
      await page.getByLabel('Icon').fill(ICON);
      await page.getByLabel('Image').fill(IMAGE);
      await expect.poll(() => count(page)).toBe(41);

      await choose(page, 'Test devices');
      await expect.poll(() => count(page)).toBe(1);
      await choose(page, 'Filter / segment');
      await page.getByRole('combobox', { name: 'Any of these tags' }).fill('vip');
      await page.keyboard.press('Enter');
      // 10 of the 40 customers are VIPs; the expired one never counts.
      await expect.poll(() => count(page)).toBe(10);
      await page.locator('label.mantine-Chip-label', { hasText: 'Safari / Apple' }).click();
      await expect.poll(() => count(page)).toBe(3);
      await page.getByRole('button', { name: 'Save as segment' }).click();
      await page.getByLabel('Segment name').fill('VIP on Safari');
      await page.getByRole('button', { name: 'Save segment' }).click();
      await page.getByText('Segment saved').waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await app.screenshot('compose-dark-segment');

      await choose(page, 'Everyone');
      await expect.poll(() => count(page)).toBe(41);
      await choose(page, 'Filter / segment');
      await page.getByRole('combobox', { name: 'Saved segment' }).click();
      await page.getByRole('option', { name: 'VIP on Safari' }).click();
      await expect.poll(() => count(page)).toBe(3);

      // One subscriber, found by label.
      await choose(page, 'One subscriber');
      await page.getByLabel('Find a subscriber').fill('Ada');
      await page.getByRole('button', { name: /Ada Lovelace/ }).click();
      await expect.poll(() => count(page)).toBe(1);
      await expect.poll(() => page.getByTestId('preview-title').textContent()).toBe('Hi Ada, VIP preview');
      await choose(page, 'Everyone');
      await expect.poll(() => count(page)).toBe(41);
      await page.evaluate(() => window.scrollTo(0, 0));
      await sendEnabled(page);
      await expect.poll(() => page.getByTestId('preview-frame').getAttribute('data-scheme')).toBe('dark');
      await app.screenshot('compose-dark');

      // Declarative Web Push needs an absolute https URL to navigate to; raw JSON is sent as written.
      await choose(page, 'Declarative \\(Safari\\)');
      await expect.poll(() => findingCodes(page)).toEqual(['DECLARATIVE_NAVIGATE']);
      await page.getByLabel('URL opened on click').fill('https://shop.example/vip');
      await expect.poll(() => findingCodes(page)).toEqual([]);
      await choose(page, 'Raw text/JSON');
      await page
        .getByRole('textbox', { name: 'Payload', exact: true })
        .fill('{"kind": "vip", "hello": "{{label}}"}');
      await expect
        .poll(() => page.getByTestId('preview-payload').textContent())
        .toContain('{"kind": "vip", "hello": "Ada Lovelace"}');
      await app.screenshot('compose-dark-raw');
      await choose(page, 'Notification');

      await page.getByRole('button', { name: 'Setup help' }).click();
      await page.getByText("const VAPID_PUBLIC_KEY = '").waitFor();
      await dialogSettled(page);
      await app.screenshot('compose-setup-help');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
