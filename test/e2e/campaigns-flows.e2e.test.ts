// The flows around sending, in a real browser with the real handler table, a real SQLite file and the local
// push service: history search and filters, dry run, a test to the test devices, duplicate and delete a
// draft, the one-off alert with the push service's raw answer, and the audit view's filters.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEVICE_TAG } from '../../src/shared/compose.ts';
import { startPushService, type PushService } from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { createTestApp, createTestCampaign } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

/** expect.poll with room for a loaded machine: sends start worker threads, which take a moment. */
function eventually<T>(fn: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(fn, { timeout });
}

const historyRows = (page: Page) => page.getByRole('table', { name: 'Campaign history' }).locator('tbody tr');

async function dialogSettled(page: Page): Promise<void> {
  await eventually(() =>
    page.evaluate(() => {
      const content = document.querySelector('.mantine-Modal-content, .mantine-Drawer-content');
      return content ? getComputedStyle(content).opacity : null;
    }),
  ).toBe('1');
}

describe('campaign flows', () => {
  const browser = useChromium();
  let service: PushService;
  const dir = tempDir();

  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('searches and filters history, dry-runs, tests on the test devices, duplicates and deletes a draft', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'flows.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'flows.example');
      const key = { applicationServerKey: shop.publicKey! };
      const device = await service.subscribe(key);
      const others = [await service.subscribe(key), await service.subscribe(key)];
      insertSubscriptions(ctx.db, shop.id, [
        { ...device, label: 'My phone', tags: [TEST_DEVICE_TAG], pushService: 'fcm' },
        ...others.map((s) => ({ ...s, pushService: 'mozilla' })),
      ]);
      const message = { format: 'notification' as const, notification: { title: 'Sale', body: 'Now on' } };
      const autumn = createTestCampaign(ctx, { appId: shop.id, name: 'Autumn sale', message, audience: {} })
        .campaign.id;
      createTestCampaign(ctx, { appId: shop.id, name: 'Winter sale', message, audience: {} });

      await page.getByRole('link', { name: /^Campaigns/ }).click();
      await eventually(() => historyRows(page).count()).toBe(2);
      await page.getByLabel('Search').fill('wint');
      await eventually(() => historyRows(page).allTextContents()).toEqual([
        expect.stringMatching(/^Winter sale/),
      ]);
      await page.getByLabel('Search').fill('');
      await page.getByLabel('State', { exact: true }).first().click();
      await page.getByRole('option', { name: 'completed' }).click();
      await page.getByText('No campaign matches these filters.').waitFor();
      await page.getByLabel('State', { exact: true }).first().click();
      await page.getByRole('option', { name: 'draft' }).click();
      await eventually(() => historyRows(page).count()).toBe(2);

      // Dry run: encrypts for everyone, sends nothing.
      await historyRows(page).filter({ hasText: 'Autumn sale' }).click();
      await page.getByRole('button', { name: 'Dry run' }).click();
      const report = page.getByTestId('dry-run-report');
      await report.waitFor();
      expect(await report.textContent()).toMatch(/Would send to 3 subscriptions; nothing was sent/);
      await dialogSettled(page);
      await app.screenshot('campaigns-dry-run');
      expect(service.messages()).toHaveLength(0);
      await page.keyboard.press('Escape');

      // A test to the test devices only.
      await page.getByRole('button', { name: 'Send test to test devices' }).click();
      await page.getByText('To 1 test device.').waitFor();
      await eventually(() => service.messages().map((m) => m.subscriptionId)).toEqual([device.id]);
      await page.getByRole('link', { name: 'See its results' }).click();
      await eventually(() => page.getByTestId('campaign-state').textContent(), 30_000).toBe('completed');
      await eventually(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe(
        'Test: Autumn sale',
      );

      // Duplicate as a new draft, then delete that draft.
      await page.evaluate((id) => (window.location.hash = `#/campaigns/${id}`), autumn);
      await page.getByRole('heading', { name: 'Autumn sale', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Duplicate as draft' }).click();
      await page.getByRole('heading', { name: 'Autumn sale (copy)' }).waitFor();
      expect(await page.getByTestId('campaign-state').textContent()).toBe('draft');
      await page.getByRole('button', { name: 'Delete draft' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete draft' }).click();
      await page.getByRole('heading', { name: 'Campaigns', level: 2 }).waitFor();
      await page.getByLabel('Search').fill('copy');
      await page.getByText('No campaign matches these filters.').waitFor();
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('sends a one-off alert to one subscriber and shows the push service’s raw answer', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'support.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'support.example');
      const key = { applicationServerKey: shop.publicKey! };
      const alice = await service.subscribe(key);
      const bob = await service.subscribe({ ...key, behaviour: '410' });
      insertSubscriptions(ctx.db, shop.id, [
        { ...alice, label: 'Alice Martin' },
        { ...bob, label: 'Bob Stone' },
      ]);
      await page.getByRole('link', { name: /^Campaigns/ }).click();
      await page.getByRole('button', { name: 'One-off alert' }).click();
      await page.getByLabel('Find the subscriber').fill('Alice');
      await page.getByRole('radio', { name: /Alice Martin/ }).check();
      await page.getByLabel('Title', { exact: false }).first().fill('Your order has shipped');
      await page.getByLabel('Message').fill('It arrives on Tuesday.');
      await page.getByRole('button', { name: 'Send to Alice Martin' }).click();
      const answer = page.getByTestId('one-off-answer');
      await answer.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('one-off-status').textContent()).toBe('201');
      const received = service.messages(alice.id);
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.payload!.toString())).toMatchObject({ title: 'Your order has shipped' });
      await dialogSettled(page);
      await app.screenshot('support-one-off-delivered');

      // A gone subscription: the service's own status and body are shown as they came.
      await page.getByRole('button', { name: 'New alert' }).click();
      await page.getByLabel('Find the subscriber').fill('stone');
      await page.getByRole('radio', { name: /Bob Stone/ }).check();
      await page.getByLabel('Title', { exact: false }).first().fill('Your order has shipped');
      await page.getByRole('button', { name: 'Send to Bob Stone' }).click();
      await eventually(() => page.getByTestId('one-off-status').textContent(), 30_000).toBe('410');
      expect(await answer.textContent()).toMatch(/Not delivered: expired/);
      await app.screenshot('support-one-off-gone');

      // The audit view: the one-off sends are there, and filtering by family keeps only campaign actions.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+6');
      const log = page.getByRole('table', { name: 'Audit log' });
      await log.getByText('key.create').waitFor();
      await page.getByLabel('Action', { exact: true }).first().click();
      await page.getByRole('option', { name: 'campaign.* (all)' }).click();
      await eventually(async () =>
        (await log.locator('tbody tr td:nth-child(3)').allTextContents()).every((a) =>
          a.startsWith('campaign.'),
        ),
      ).toBe(true);
      expect(await log.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
      await app.screenshot('audit-filtered');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
