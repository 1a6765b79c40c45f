// The one service worker and subscribe code Pushdeck ships, run in a VM against the payloads Pushdeck builds:
// every format is shown as composed, clicks open the right URL, a renewed subscription is posted, and the
// subscribe code runs as a classic script. The README shows the same texts (checked here too).
import fs from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildPayload } from '../../../../src/main/core/payload/build.ts';
import {
  SERVICE_WORKER_SNIPPET,
  subscribeSnippet,
} from '../../../../src/main/core/snippets/web-push-snippets.ts';
import type { MessageSpec } from '../../../../src/shared/compose.ts';

type Listener = (event: Record<string, unknown>) => void;
interface Shown {
  title: string;
  options: Record<string, unknown>;
}

/** Loads sw.js into a fresh context with a recording registration, clients and fetch. */
function loadWorker() {
  const listeners: Record<string, Listener> = {};
  const shown: Shown[] = [];
  const opened: string[] = [];
  const posted: Array<{ url: string; body: unknown }> = [];
  const subscribedWith: unknown[] = [];
  const self = {
    addEventListener: (name: string, listener: Listener) => (listeners[name] = listener),
    registration: {
      scope: 'https://shop.example/',
      showNotification: async (title: string, options: Record<string, unknown>) => {
        shown.push({ title, options });
      },
      pushManager: {
        subscribe: async (options: unknown) => {
          subscribedWith.push(options);
          return { toJSON: () => ({ endpoint: 'https://push.example/renewed', keys: {} }) };
        },
      },
    },
    location: { origin: 'https://shop.example' },
  };
  const clients = {
    matchAll: async () => [],
    openWindow: async (url: string) => opened.push(url),
  };
  const fetch = async (url: string, init: { body: string }) => {
    posted.push({ url, body: JSON.parse(init.body) });
    return { ok: true, status: 201 };
  };
  vm.runInNewContext(SERVICE_WORKER_SNIPPET, { self, clients, URL, fetch });
  const waits: Array<Promise<unknown>> = [];
  const waitUntil = (promise: Promise<unknown>) => waits.push(promise);
  return {
    async push(bytes: Buffer | null, extra: Record<string, unknown> = {}) {
      const data = bytes && { text: () => bytes.toString('utf8') };
      listeners.push!({ data, waitUntil, ...extra });
      await Promise.all(waits);
    },
    async click(notification: { data: unknown }, action = '') {
      listeners.notificationclick!({ notification: { ...notification, close() {} }, action, waitUntil });
      await Promise.all(waits);
    },
    async subscriptionChange(event: Record<string, unknown>) {
      listeners.pushsubscriptionchange!({ ...event, waitUntil });
      await Promise.all(waits);
    },
    shown,
    opened,
    posted,
    subscribedWith,
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
const composed = {
  body: 'Sale',
  icon: 'https://shop.example/i.png',
  tag: 'sale',
  actions: [
    { action: 'buy', title: 'Buy' },
    { action: 'later', title: 'Later' },
  ],
  data: { campaign: 7, url: '/sale', actionUrls: { buy: 'https://shop.example/buy' } },
};

describe('the service worker', () => {
  it('shows Pushdeck’s notification JSON and opens the click and button URLs', async () => {
    const sw = loadWorker();
    await sw.push(buildPayload(message, recipient));
    expect(sw.shown).toEqual([{ title: 'Hi Ada', options: composed }]);
    const data = sw.shown[0]!.options.data;
    await sw.click({ data });
    await sw.click({ data }, 'buy');
    await sw.click({ data }, 'later');
    expect(sw.opened).toEqual([
      'https://shop.example/sale',
      'https://shop.example/buy',
      'https://shop.example/sale',
    ]);
  });

  it('shows a Declarative Web Push message where the browser does not, and leaves it to one that does', async () => {
    const sw = loadWorker();
    const declarative = buildPayload({ ...message, format: 'declarative' }, recipient);
    await sw.push(declarative);
    expect(sw.shown).toEqual([{ title: 'Hi Ada', options: composed }]);
    // Safari hands the worker the notification it will show itself (event.notification).
    await sw.push(declarative, { notification: { title: 'Hi Ada' } });
    expect(sw.shown).toHaveLength(1);
  });

  it('shows raw JSON, plain text and a push without payload', async () => {
    const sw = loadWorker();
    await sw.push(buildPayload({ format: 'raw', raw: '{"kind":"sync","n":[1,2]}' }, recipient));
    await sw.push(buildPayload({ format: 'raw', raw: 'Your order shipped, {{first_name}}' }, recipient));
    await sw.push(null);
    expect(sw.shown).toEqual([
      {
        title: 'New notification',
        options: { actions: [], data: { payload: { kind: 'sync', n: [1, 2] }, actionUrls: {} } },
      },
      { title: 'Your order shipped, Ada', options: { actions: [], data: { actionUrls: {} } } },
      { title: 'New notification', options: { actions: [], data: { actionUrls: {} } } },
    ]);
  });

  it('posts the new subscription when the browser renews it, subscribing again with the same key if needed', async () => {
    const sw = loadWorker();
    const key = new Uint8Array([4, 1, 2, 3]).buffer;
    const old = { endpoint: 'https://push.example/old', options: { applicationServerKey: key } };
    const renewed = { toJSON: () => ({ endpoint: 'https://push.example/new', keys: { auth: 'a' } }) };
    await sw.subscriptionChange({ oldSubscription: old, newSubscription: renewed });
    await sw.subscriptionChange({ oldSubscription: old, newSubscription: null });
    expect(sw.subscribedWith).toEqual([{ userVisibleOnly: true, applicationServerKey: key }]);
    expect(sw.posted).toEqual([
      {
        url: 'https://shop.example/api/push-subscriptions',
        body: { endpoint: 'https://push.example/new', keys: { auth: 'a' }, replaces: old.endpoint },
      },
      {
        url: 'https://shop.example/api/push-subscriptions',
        body: { endpoint: 'https://push.example/renewed', keys: {}, replaces: old.endpoint },
      },
    ]);
  });
});

describe('the subscribe code', () => {
  const key = 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4';

  it('runs pasted into a classic script and subscribes only after permission, posting the subscription', async () => {
    const text = subscribeSnippet(key);
    expect(text).toContain('from a click handler');
    // A classic script: no top-level await, which would be a SyntaxError there.
    expect(() => new vm.Script(text)).not.toThrow();
    const calls: string[] = [];
    let permission = 'denied';
    const subscription = { endpoint: 'https://push.example/1', toJSON: () => ({ endpoint: 'x' }) };
    const context = vm.createContext({
      atob,
      Uint8Array,
      Error,
      JSON,
      // The browser's zone, as resolvedOptions() answers there.
      Intl: { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: 'Asia/Kathmandu' }) }) },
      window: { PushManager: class {} },
      Notification: { requestPermission: async () => (calls.push('permission'), permission) },
      navigator: {
        serviceWorker: {
          register: async (url: string) => calls.push(`register ${url}`),
          ready: Promise.resolve({
            pushManager: {
              subscribe: async (options: { applicationServerKey: Uint8Array }) => {
                calls.push(`subscribe ${Buffer.from(options.applicationServerKey).toString('base64url')}`);
                return subscription;
              },
            },
          }),
        },
      },
      fetch: async (url: string, init: { body: string }) => {
        calls.push(`post ${url} ${init.body}`);
        return { ok: true, status: 201 };
      },
    });
    new vm.Script(text).runInContext(context);
    expect(await vm.runInContext('subscribeToPush()', context)).toBeNull();
    permission = 'granted';
    expect(await vm.runInContext('subscribeToPush()', context)).toBe(subscription);
    expect(calls).toEqual([
      'permission',
      'permission',
      'register /sw.js',
      `subscribe ${key}`,
      'post /api/push-subscriptions {"endpoint":"x","timeZone":"Asia/Kathmandu"}',
    ]);
  });
});

describe('the README', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  /** The ```js block that follows `<!-- snippet: NAME -->` (and Prettier's ignore mark, which keeps it as is). */
  const block = (name: string) => {
    const start = `<!-- snippet: ${name} -->\n<!-- prettier-ignore -->\n\`\`\`js\n`;
    const match = new RegExp(`${start}([\\s\\S]*?)\`\`\`\\n`).exec(readme);
    if (!match) throw new Error(`README.md has no <!-- snippet: ${name} --> followed by a js block`);
    return match[1];
  };

  it('shows exactly the core’s service worker and subscribe code (print them with `pushdeck app snippet`)', () => {
    expect(block('service-worker')).toBe(SERVICE_WORKER_SNIPPET);
    expect(block('subscribe')).toBe(subscribeSnippet('YOUR_APP_PUBLIC_KEY'));
  });
});
