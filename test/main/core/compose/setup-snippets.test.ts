// The setup help's service worker, run in a VM against the payloads Pushdeck builds: it shows what was
// composed, and a click (on the body or a button) opens the right URL.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SERVICE_WORKER_SNIPPET } from '../../../../src/main/core/compose/setup-snippets.ts';
import { buildPayload } from '../../../../src/main/core/payload/build.ts';
import type { MessageSpec } from '../../../../src/shared/compose.ts';

type Listener = (event: Record<string, unknown>) => void;

/** Loads sw.js into a fresh context with a recording registration and clients. */
function loadWorker() {
  const listeners: Record<string, Listener> = {};
  const shown: Array<{ title: string; options: Record<string, unknown> }> = [];
  const opened: string[] = [];
  const self = {
    addEventListener: (name: string, listener: Listener) => (listeners[name] = listener),
    registration: {
      showNotification: async (title: string, options: Record<string, unknown>) => {
        shown.push({ title, options });
      },
    },
    location: { origin: 'https://shop.example' },
  };
  const clients = {
    matchAll: async () => [],
    openWindow: async (url: string) => opened.push(url),
  };
  vm.runInNewContext(SERVICE_WORKER_SNIPPET, { self, clients, URL });
  const waits: Array<Promise<unknown>> = [];
  const waitUntil = (promise: Promise<unknown>) => waits.push(promise);
  return {
    async push(bytes: Buffer | null) {
      const data = bytes && {
        json: () => JSON.parse(bytes.toString('utf8')),
        text: () => bytes.toString('utf8'),
      };
      listeners.push!({ data, waitUntil });
      await Promise.all(waits);
    },
    async click(notification: { data: unknown }, action = '') {
      listeners.notificationclick!({ notification: { ...notification, close() {} }, action, waitUntil });
      await Promise.all(waits);
    },
    shown,
    opened,
  };
}

const recipient = { label: 'Ada', fields: { first_name: 'Ada' } };
const message: MessageSpec = {
  format: 'notification',
  notification: {
    title: 'Hi {{first_name}}',
    body: 'Sale',
    icon: 'https://shop.example/i.png',
    url: '/sale',
    tag: 'sale',
    actions: [
      { action: 'buy', title: 'Buy', url: 'https://shop.example/buy' },
      { action: 'later', title: 'Later' },
    ],
    data: { campaign: 7 },
  },
};

describe('the setup help service worker', () => {
  it('shows Pushdeck’s notification JSON and opens the click and button URLs', async () => {
    const sw = loadWorker();
    await sw.push(buildPayload(message, recipient));
    expect(sw.shown).toHaveLength(1);
    const [{ title, options }] = sw.shown as [{ title: string; options: Record<string, unknown> }];
    expect(title).toBe('Hi Ada');
    expect(options).toMatchObject({
      body: 'Sale',
      icon: 'https://shop.example/i.png',
      tag: 'sale',
      actions: [
        { action: 'buy', title: 'Buy' },
        { action: 'later', title: 'Later' },
      ],
      data: { campaign: 7, url: '/sale', actionUrls: { buy: 'https://shop.example/buy' } },
    });
    await sw.click({ data: options.data });
    await sw.click({ data: options.data }, 'buy');
    await sw.click({ data: options.data }, 'later');
    expect(sw.opened).toEqual([
      'https://shop.example/sale',
      'https://shop.example/buy',
      'https://shop.example/sale',
    ]);
  });

  it('shows a Declarative Web Push message the same way in browsers that hand it to the worker', async () => {
    const sw = loadWorker();
    await sw.push(buildPayload({ ...message, format: 'declarative' }, recipient));
    const [{ title, options }] = sw.shown as [{ title: string; options: Record<string, unknown> }];
    expect(title).toBe('Hi Ada');
    expect(options.data).toMatchObject({ url: '/sale', actionUrls: { buy: 'https://shop.example/buy' } });
  });

  it('shows raw text as the title, and something for a push without payload', async () => {
    const sw = loadWorker();
    await sw.push(buildPayload({ format: 'raw', raw: 'Your order shipped' }, recipient));
    await sw.push(null);
    expect(sw.shown.map((s) => s.title)).toEqual(['Your order shipped', 'New notification']);
  });
});
