// A website on its own 127.0.0.1 origin for the Firefox suite: its page runs exactly the core's subscribe
// code (a classic script, called from a button's click) and serves exactly the core's service worker; the
// subscriptions the page posts are kept for the test to import.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { until } from '../until.ts';
import {
  SERVICE_WORKER_SNIPPET,
  SUBSCRIPTIONS_PATH,
  subscribeSnippet,
} from '../../../src/main/core/snippets/web-push-snippets.ts';

export interface PostedSubscription {
  endpoint: string;
  expirationTime: number | null;
  keys: { p256dh: string; auth: string };
  /** Set by the worker's pushsubscriptionchange: the endpoint this one replaces. */
  replaces?: string | null;
}

export interface TestSite {
  url: string;
  posted: PostedSubscription[];
  close(): Promise<void>;
}

export function sitePage(publicKey: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Test site</title></head>
<body>
<button id="subscribe">Subscribe</button>
<pre id="result"></pre>
<script>
${subscribeSnippet(publicKey)}
document.getElementById('subscribe').addEventListener('click', () => {
  subscribeToPush().then(
    (s) => (document.getElementById('result').textContent = s ? 'subscribed' : 'denied'),
    (e) => (document.getElementById('result').textContent = 'error: ' + e.name + ': ' + e.message),
  );
});
</script>
</body></html>`;
}

export async function startTestSite(publicKey: string): Promise<TestSite> {
  const posted: PostedSubscription[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(sitePage(publicKey));
      } else if (req.method === 'GET' && req.url === '/icon.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(fs.readFileSync('resources/icon.png'));
      } else if (req.method === 'GET' && req.url === '/sw.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(SERVICE_WORKER_SNIPPET);
      } else if (req.method === 'POST' && req.url === `/${SUBSCRIPTIONS_PATH}`) {
        posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PostedSubscription);
        res.writeHead(201).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What registration.getNotifications() lists: the notifications the worker showed and the browser keeps. */
export interface ShownNotification {
  title: string;
  body: string;
  icon: string;
  tag: string;
  actions: Array<{ action: string; title: string }> | undefined;
  data: Record<string, unknown> | null;
}

/**
 * Waits until `predicate` holds in the page, asking it every 100 ms, for at most `timeoutMs`. Not
 * puppeteer's waitForFunction: its poller builds the predicate with Function() inside the page, and Firefox
 * 140.12 ESR refuses that on a page whose CSP has no 'unsafe-eval' (the window's one-time page: "EvalError:
 * call to Function() blocked by CSP"), while page.evaluate (WebDriver BiDi's script.callFunction) still runs there.
 */
export function waitInPage(page: Page, predicate: () => boolean, timeoutMs: number): Promise<void> {
  return until(() => page.evaluate(predicate), `${predicate} in the page`, timeoutMs, 100);
}

/** Opens the site in Firefox and clicks its Subscribe button (a user gesture, as the snippet asks). */
export async function subscribeInBrowser(browser: Browser, site: TestSite): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(site.url);
  await page.click('#subscribe');
  await waitInPage(page, () => document.getElementById('result')!.textContent !== '', 20_000);
  const result = await page.$eval('#result', (element) => element.textContent);
  if (result !== 'subscribed') throw new Error(`The subscribe snippet failed in Firefox: ${result}`);
  return page;
}

export function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications();
    return shown.map((n) => ({
      title: n.title,
      body: n.body,
      icon: n.icon,
      tag: n.tag,
      actions: (n as unknown as { actions?: Array<{ action: string; title: string }> }).actions?.map((a) => ({
        action: a.action,
        title: a.title,
      })),
      data: n.data as Record<string, unknown> | null,
    }));
  });
}

export function closeNotifications(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    for (const n of await registration.getNotifications()) n.close();
  });
}

/** The visitor unsubscribes in the browser: Firefox tells its push service (unregister). */
export function unsubscribeInBrowser(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    return subscription ? subscription.unsubscribe() : false;
  });
}
