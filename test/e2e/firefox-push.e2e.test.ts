// The whole push loop in a real Firefox: two sites subscribe through the core's snippets (a click on each
// page), their subscriptions are imported, and `pushdeck send` reaches both through a local push service
// that speaks Firefox's WebSocket protocol. Each format is acked 100 and shown as composed.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload } from '../../src/main/core/payload/build.ts';
import type { MessageSpec } from '../../src/shared/compose.ts';
import { firefoxOrSkip, launchFirefox } from '../support/browser-push/firefox.ts';
import {
  closeNotifications,
  shownNotifications,
  startTestSite,
  subscribeInBrowser,
  unsubscribeInBrowser,
  type TestSite,
} from '../support/browser-push/test-site.ts';
import {
  startBrowserPushService,
  type BrowserDelivery,
  type BrowserPushService,
} from '../support/browser-push/websocket-push-service.ts';
import { runPushdeck } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const firefox = firefoxOrSkip();
const PASSPHRASE = 'firefox suite passphrase';
const people = [
  { first_name: 'Zoë', label: 'Zoë on site A' },
  { first_name: 'Ødegaard', label: 'Ødegaard on site B' },
];

// Skipped only outside CI when no Firefox is installed (firefoxOrSkip prints how to install it); under CI=true a
// missing Firefox fails instead.
describe.skipIf(firefox.skip)('Firefox receives what pushdeck send sends', () => {
  const dir = tempDir('pushdeck-firefox-');
  const db = path.join(dir, 'firefox.db');
  let service: BrowserPushService;
  let browser: Browser;
  const sites: TestSite[] = [];
  const pages: Page[] = [];
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) => runPushdeck(args, { env });

  beforeAll(async () => {
    service = await startBrowserPushService();
    browser = await launchFirefox(firefox.executable, service.serverUrl);
    const caFile = path.join(dir, 'push-service-ca.pem');
    fs.writeFileSync(caFile, service.ca);
    env = { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: PASSPHRASE, NODE_EXTRA_CA_CERTS: caFile };
    const created = await cli([
      'app',
      'create',
      'shop.example',
      '--subject',
      'mailto:ops@shop.example',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const { publicKey } = JSON.parse(created.stdout) as { publicKey: string };
    for (const _ of people) sites.push(await startTestSite(publicKey));
    for (const site of sites) pages.push(await subscribeInBrowser(browser, site));
    const rows = sites.map((site, i) => {
      const { endpoint, keys } = site.posted[0]!;
      return `${endpoint},${keys.p256dh},${keys.auth},${people[i]!.first_name},${people[i]!.label}`;
    });
    fs.writeFileSync(
      path.join(dir, 'firefox.csv'),
      ['endpoint,p256dh,auth,first_name,label', ...rows].join('\n'),
    );
    const imported = await cli([
      'subs',
      'import',
      path.join(dir, 'firefox.csv'),
      '--app',
      'shop.example',
      '--json',
    ]);
    expect(JSON.parse(imported.stdout)).toMatchObject({ inserted: 2, rejected: 0 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const site of sites) await site.close();
    await service?.close();
  });

  /** Sends with the CLI and waits until Firefox has acked (or nacked) one push per subscriber. */
  async function send(args: string[], expected = sites.length): Promise<BrowserDelivery[]> {
    for (const page of pages) await closeNotifications(page);
    const before = service.deliveries().length;
    const sent = await cli(['send', '--app', 'shop.example', '--all', '--ttl', '60', '--json', ...args]);
    expect(sent.stderr.split('\n').filter((line) => line.startsWith('pushdeck:'))).toEqual([]);
    expect(JSON.parse(sent.stdout)).toMatchObject({ state: 'completed', totals: { delivered: expected } });
    await expect
      .poll(
        () =>
          service
            .deliveries()
            .slice(before)
            .filter((d) => d.ack ?? d.nack).length,
        { timeout: 20_000 },
      )
      .toBe(expected);
    return service.deliveries().slice(before);
  }

  /** The notification each site's worker showed, in the order of `sites` (shown just after the ack). */
  async function shown() {
    const lists = () => Promise.all(pages.map(shownNotifications));
    await expect
      .poll(async () => (await lists()).every((list) => list.length > 0), { timeout: 10_000 })
      .toBe(true);
    return (await lists()).map((list) => list.at(-1));
  }

  const channelOf = (i: number) =>
    service.channels().find((c) => c.endpoint === sites[i]!.posted[0]!.endpoint)!;

  it('shows the composed notification JSON, personalised for each subscriber', async () => {
    const icon = `${sites[0]!.url}icon.png`;
    const message: MessageSpec = {
      format: 'notification',
      notification: {
        title: 'Hi {{first_name}}',
        body: 'Spring sale: 30 % off — today',
        icon,
        url: 'https://shop.example/sale',
        tag: 'sale',
        actions: [
          { action: 'buy', title: 'Buy', url: 'https://shop.example/buy' },
          { action: 'later', title: 'Later' },
        ],
        data: { campaign: 'spring', who: '{{first_name}}' },
      },
    };
    fs.writeFileSync(path.join(dir, 'message.json'), JSON.stringify(message));
    const saved = await cli([
      'template',
      'save',
      'spring',
      '--app',
      'shop.example',
      '--message-file',
      path.join(dir, 'message.json'),
    ]);
    expect(saved.code).toBe(0);
    const deliveries = await send(['--template', 'spring']);
    expect(deliveries.map((d) => d.ack)).toEqual([100, 100]);
    const notifications = await shown();
    notifications.forEach((n, i) => {
      const payload = JSON.parse(buildPayload(message, { label: null, fields: people[i]! })!.toString());
      expect(payload.title).toBe(`Hi ${people[i]!.first_name}`);
      // Exactly what showNotification was given: Firefox keeps the buttons too.
      expect(n).toEqual({
        title: payload.title,
        body: 'Spring sale: 30 % off — today',
        icon,
        tag: 'sale',
        actions: [
          { action: 'buy', title: 'Buy' },
          { action: 'later', title: 'Later' },
        ],
        data: {
          campaign: 'spring',
          who: people[i]!.first_name,
          url: 'https://shop.example/sale',
          actionUrls: { buy: 'https://shop.example/buy' },
        },
      });
    });
  });

  it('shows a Declarative Web Push message through the worker (Firefox does not show those itself)', async () => {
    const message: MessageSpec = {
      format: 'declarative',
      notification: { title: 'Declared for {{first_name}}', body: 'DWP', url: 'https://shop.example/d' },
    };
    fs.writeFileSync(path.join(dir, 'declarative.json'), JSON.stringify(message));
    const file = path.join(dir, 'declarative.json');
    expect(
      (await cli(['template', 'save', 'dwp', '--app', 'shop.example', '--message-file', file])).code,
    ).toBe(0);
    const deliveries = await send(['--template', 'dwp']);
    expect(deliveries.map((d) => d.ack)).toEqual([100, 100]);
    const notifications = await shown();
    notifications.forEach((n, i) =>
      expect(n).toMatchObject({
        title: `Declared for ${people[i]!.first_name}`,
        body: 'DWP',
        data: { url: 'https://shop.example/d', actionUrls: {} },
      }),
    );
  });

  it('shows plain text byte for byte and raw JSON as data, and something for a push without payload', async () => {
    const text = 'Grüße, {{first_name}} — ✓ 日本語';
    const plain = await send(['--payload', text]);
    expect(plain.map((d) => d.ack)).toEqual([100, 100]);
    expect((await shown()).map((n) => n!.title)).toEqual(
      people.map((p) => text.replace('{{first_name}}', p.first_name)),
    );

    const json = await send(['--payload', '{"kind":"sync","for":"{{first_name}}","n":[1,2.5,null]}']);
    expect(json.map((d) => d.ack)).toEqual([100, 100]);
    (await shown()).forEach((n, i) =>
      expect(n).toMatchObject({
        title: 'New notification',
        data: { payload: { kind: 'sync', for: people[i]!.first_name, n: [1, 2.5, null] } },
      }),
    );

    const empty = await send(['--no-payload']);
    expect(empty.map((d) => [d.body, d.ack])).toEqual([
      [null, 100],
      [null, 100],
    ]);
    expect((await shown()).map((n) => n!.title)).toEqual(['New notification', 'New notification']);
  });

  it('delivers a 3993-byte payload and refuses 3994 bytes before sending anything', async () => {
    const largest = 'é'.repeat(1996) + 'x';
    expect(Buffer.byteLength(largest)).toBe(3993);
    const deliveries = await send(['--payload', largest]);
    // RFC 8291: 3993 bytes of plaintext make the 4096-byte record the push service takes.
    expect(deliveries.map((d) => [d.body!.length, d.ack])).toEqual([
      [4096, 100],
      [4096, 100],
    ]);
    expect((await shown()).map((n) => n!.title)).toEqual([largest, largest]);

    const answers = service.answers().length;
    const tooLarge = await cli(['send', '--app', 'shop.example', '--all', '--payload', 'é'.repeat(1997)]);
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.stderr).toMatch(/3,?99[34]/);
    expect(service.answers().length).toBe(answers);
  });

  it('marks a subscription expired when the visitor unsubscribed in Firefox (410)', async () => {
    const gone = channelOf(1);
    expect(await unsubscribeInBrowser(pages[1]!)).toBe(true);
    await expect.poll(() => channelOf(1).unregistered, { timeout: 10_000 }).toBe(true);
    const sent = await cli(['send', '--app', 'shop.example', '--all', '--title', 'After', '--json']);
    expect(JSON.parse(sent.stdout)).toMatchObject({ totals: { delivered: 1, expired: 1 } });
    expect(
      service
        .answers()
        .filter((a) => a.channelID === gone.channelID)
        .at(-1)?.status,
    ).toBe(410);
    const expired = await cli(['subs', 'list', '--app', 'shop.example', '--status', 'expired', '--json']);
    expect(JSON.parse(expired.stdout)).toEqual([expect.objectContaining({ endpoint: gone.endpoint })]);
  });

  it('re-subscribes with the same key when Firefox renews the subscription, and posts the new one', async () => {
    const old = sites[0]!.posted[0]!.endpoint;
    service.rotateUaid();
    await expect.poll(() => sites[0]!.posted.length, { timeout: 20_000 }).toBe(2);
    const renewed = sites[0]!.posted[1]!;
    expect(renewed.endpoint).not.toBe(old);
    expect(renewed.replaces).toBe(old);
    const channel = service.channels().find((c) => c.endpoint === renewed.endpoint)!;
    expect(channel.key).toBe(service.channels().find((c) => c.endpoint === old)!.key);
  });
});
