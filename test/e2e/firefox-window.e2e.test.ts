// The window's side of the loop with a real Firefox: "Add this browser as a test device" on the Keys page
// gives the one-time address, Firefox opens it and clicks "Subscribe this browser", the window shows the
// device arriving, and "Send test to test devices" reaches Firefox in every payload format.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSpec } from '../../src/shared/compose.ts';
import type { AppSummary } from '../../src/shared/apps.ts';
import { firefoxOrSkip, launchFirefox } from '../support/browser-push/firefox.ts';
import {
  closeNotifications,
  shownNotifications,
  unsubscribeInBrowser,
  waitInPage,
} from '../support/browser-push/test-site.ts';
import {
  startBrowserPushService,
  type BrowserPushService,
} from '../support/browser-push/websocket-push-service.ts';
import { runPushdeck } from '../support/cli.ts';
import { createTestApp, createTestCampaign } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, screenshotDir, useChromium, type AppSession } from './harness.ts';

const firefox = firefoxOrSkip();

function eventually<T>(fn: () => T | Promise<T>, timeout = 20_000) {
  return expect.poll(fn, { timeout });
}

// Skipped only outside CI when no Firefox is installed (firefoxOrSkip prints how to install it); under CI=true a
// missing Firefox fails instead.
describe.skipIf(firefox.skip)('Firefox as a test device of the window', () => {
  const chromium = useChromium();
  const dir = tempDir('pushdeck-firefox-window-');
  let service: BrowserPushService;
  let browser: Firefox;
  let session: AppSession;
  let shop: AppSummary;
  /** The Firefox tabs that registered, each its own origin and worker. */
  const devices: FirefoxPage[] = [];

  beforeAll(async () => {
    service = await startBrowserPushService();
    browser = await launchFirefox(firefox.executable, service.serverUrl);
    session = await openApp(chromium(), {
      dbPath: path.join(dir, 'window.db'),
      handlers: { runOptions: { ca: [service.ca] } },
    });
    shop = createTestApp(session.ctx, 'shop.example');
  }, 90_000);

  afterAll(async () => {
    await session?.close();
    await browser?.close();
    await service?.close();
  });

  /** Keys page → "Add this browser as a test device…" → the address opened in Firefox, subscribed there. */
  async function addFirefox(shots: boolean): Promise<FirefoxPage> {
    const { page } = session;
    await page.getByRole('link', { name: /^Keys/ }).click();
    await page.getByRole('button', { name: 'Add this browser as a test device…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a browser as a test device' });
    const address = dialog.getByLabel('Registration address');
    await eventually(() => address.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{43}\/$/);
    const url = await address.inputValue();
    if (shots) await session.screenshot('test-device-1-window-address');
    const tab = await browser.newPage();
    await tab.goto(url);
    await tab.click('#subscribe');
    await waitInPage(
      tab,
      () => document.getElementById('status')!.textContent!.startsWith('This browser is now'),
      20_000,
    );
    if (shots) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await tab.screenshot({ path: path.join(screenshotDir, 'test-device-2-firefox-page.png') });
    }
    await dialog.getByText(/^Firefox \d+ on Linux is now a test device of shop\.example/).waitFor();
    if (shots) await session.screenshot('test-device-3-window-added');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The page is served once: its server is gone.
    await expect(fetch(url)).rejects.toThrow();
    return tab;
  }

  /** A draft with this message, opened in the window, sent to the test devices; Firefox's acks. */
  async function sendTest(message: MessageSpec, name: string) {
    for (const tab of devices) await closeNotifications(tab);
    const before = service.deliveries().length;
    const draft = createTestCampaign(session.ctx, { appId: shop.id, name, message, audience: {} }).campaign;
    const { page } = session;
    await page.evaluate((id) => (window.location.hash = `#/campaigns/${id}`), draft.id);
    await page.getByRole('heading', { name, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send test to test devices' }).click();
    // The window made the test campaign (its toast may wait behind earlier ones: Mantine shows five).
    const tests = session.ctx.db.prepare('SELECT count(*) FROM campaigns WHERE name = ?').pluck();
    await eventually(() => tests.get(`Test: ${name}`)).toBe(1);
    await eventually(
      () =>
        service
          .deliveries()
          .slice(before)
          .filter((d) => d.ack ?? d.nack).length,
    ).toBe(devices.length);
    return service.deliveries().slice(before);
  }

  /** Each device's latest notification, once its worker has shown one. */
  async function shown() {
    const lists = () => Promise.all(devices.map(shownNotifications));
    await eventually(async () => (await lists()).every((list) => list.length > 0)).toBe(true);
    return (await lists()).map((list) => list.at(-1)!);
  }

  it('adds Firefox through the one-time page and reaches it with "Send test"', async () => {
    devices.push(await addFirefox(true));
    devices.push(await addFirefox(false));
    const rows = session.ctx.db
      .prepare(
        `SELECT s.endpoint, s.p256dh, s.auth, s.label FROM subscriptions s JOIN subscription_tags st ON
           st.subscription_id = s.id JOIN tags t ON t.id = st.tag_id AND t.name = 'test-device' ORDER BY s.id`,
      )
      .all() as Array<{ endpoint: string; p256dh: string; auth: string; label: string }>;
    expect(rows.map((r) => r.label)).toEqual([
      expect.stringMatching(/^Firefox \d+ on Linux$/),
      rows[0]!.label,
    ]);
    expect(rows.map((r) => r.endpoint)).toEqual(service.channels().map((c) => c.endpoint));
    // Give each device a first name, as an import of the site's list would (same endpoints, updated rows).
    const csv = ['endpoint,p256dh,auth,label,first_name,tags'].concat(
      rows.map(
        (r, i) => `${r.endpoint},${r.p256dh},${r.auth},${r.label},${['Zoë', 'Ødegaard'][i]},test-device`,
      ),
    );
    fs.writeFileSync(path.join(dir, 'devices.csv'), csv.join('\n'));
    const imported = await runPushdeck(
      ['subs', 'import', path.join(dir, 'devices.csv'), '--app', 'shop.example', '--json'],
      { env: { PUSHDECK_DB: path.join(dir, 'window.db') } },
    );
    expect(JSON.parse(imported.stdout)).toMatchObject({ updated: 2, rejected: 0 });

    const message: MessageSpec = {
      format: 'notification',
      notification: {
        title: 'Hi {{first_name}}',
        body: 'Your test of the spring sale',
        icon: 'https://shop.example/icon.png',
        url: 'https://shop.example/sale',
        tag: 'sale',
        actions: [{ action: 'buy', title: 'Buy', url: 'https://shop.example/buy' }],
        data: { campaign: 'spring' },
      },
    };
    const deliveries = await sendTest(message, 'Spring sale');
    expect(deliveries.map((d) => d.ack)).toEqual([100, 100]);
    await session.screenshot('test-device-4-window-test-sent');
    expect(await shown()).toEqual(
      ['Zoë', 'Ødegaard'].map((first) => ({
        title: `Hi ${first}`,
        body: 'Your test of the spring sale',
        icon: 'https://shop.example/icon.png',
        tag: 'sale',
        actions: [{ action: 'buy', title: 'Buy' }],
        data: {
          campaign: 'spring',
          url: 'https://shop.example/sale',
          actionUrls: { buy: 'https://shop.example/buy' },
        },
      })),
    );
  });

  it('shows every other format sent from the window', async () => {
    const declarative = await sendTest(
      { format: 'declarative', notification: { title: 'DWP {{first_name}}', url: 'https://shop.example/d' } },
      'Declarative',
    );
    expect(declarative.map((d) => d.ack)).toEqual([100, 100]);
    expect((await shown()).map((n) => [n.title, n.data?.url])).toEqual([
      ['DWP Zoë', 'https://shop.example/d'],
      ['DWP Ødegaard', 'https://shop.example/d'],
    ]);

    const text = await sendTest({ format: 'raw', raw: 'Grüße {{first_name}} ✓' }, 'Plain text');
    expect(text.map((d) => d.ack)).toEqual([100, 100]);
    expect((await shown()).map((n) => n.title)).toEqual(['Grüße Zoë ✓', 'Grüße Ødegaard ✓']);

    const json = await sendTest({ format: 'raw', raw: '{"kind":"sync","for":"{{first_name}}"}' }, 'Raw JSON');
    expect(json.map((d) => d.ack)).toEqual([100, 100]);
    expect((await shown()).map((n) => n.data?.payload)).toEqual([
      { kind: 'sync', for: 'Zoë' },
      { kind: 'sync', for: 'Ødegaard' },
    ]);

    const none = await sendTest({ format: 'none' }, 'No payload');
    expect(none.map((d) => [d.body, d.ack])).toEqual([
      [null, 100],
      [null, 100],
    ]);
    expect((await shown()).map((n) => n.title)).toEqual(['New notification', 'New notification']);

    const largest = 'é'.repeat(1996) + 'x';
    const large = await sendTest({ format: 'raw', raw: largest }, 'Largest');
    expect(large.map((d) => [d.body!.length, d.ack])).toEqual([
      [4096, 100],
      [4096, 100],
    ]);
    expect((await shown()).map((n) => n.title)).toEqual([largest, largest]);
  });

  it('refuses 3994 bytes before sending, and marks a device that unsubscribed expired', async () => {
    const { page } = session;
    const answers = service.answers().length;
    // The window's own channel refuses the message before any draft or request exists.
    const refused = await page.evaluate((input) => window.api.invoke('campaigns.create', input), {
      appId: shop.id,
      name: 'Too large',
      message: { format: 'raw' as const, raw: 'é'.repeat(1997) },
      audience: { testDevices: true },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(service.answers().length).toBe(answers);

    expect(await unsubscribeInBrowser(devices[1]!)).toBe(true);
    await eventually(() => service.channels()[1]!.unregistered).toBe(true);
    const gone = service.channels()[1]!.endpoint;
    const after = createTestCampaign(session.ctx, {
      appId: shop.id,
      name: 'After unsubscribe',
      message: { format: 'notification', notification: { title: 'Still there?' } },
      audience: {},
    }).campaign;
    await page.evaluate((id) => (window.location.hash = `#/campaigns/${id}`), after.id);
    await page.getByRole('heading', { name: 'After unsubscribe', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send test to test devices' }).click();
    await eventually(() => service.answers().filter((a) => a.status === 410).length).toBe(1);
    await eventually(() =>
      session.ctx.db.prepare('SELECT status FROM subscriptions WHERE endpoint = ?').pluck().get(gone),
    ).toBe('expired');
    expect(session.pageErrors).toEqual([]);
  });
});
