// The browser code Pushdeck hands to a website, defined once: the service worker that shows every payload
// format Pushdeck sends, and the subscribe code with an app's public key. Setup help, the Keys page, the
// README, `pushdeck app snippet` and the test-device page all show exactly these texts.

/** Where the subscribe code sends a subscription, and where the worker sends a renewed one. */
export const SUBSCRIPTIONS_PATH = 'api/push-subscriptions';

export const SERVICE_WORKER_SNIPPET = `// sw.js: shows the notifications Pushdeck sends. Serve it from your site's root (/sw.js).
// It reads Pushdeck's notification JSON, Declarative Web Push (web_push: 8030), other JSON, plain text and
// pushes without payload; a click opens the notification's URL or the clicked button's URL.
const DEFAULT_TITLE = 'New notification';
// A renewed subscription is posted here, relative to the worker's scope: /${SUBSCRIPTIONS_PATH} for /sw.js.
const SUBSCRIPTIONS_URL = new URL('${SUBSCRIPTIONS_PATH}', self.registration.scope).href;
const OPTIONS = ['body', 'icon', 'image', 'badge', 'tag', 'renotify', 'requireInteraction', 'silent', 'dir', 'lang', 'timestamp', 'vibrate'];

function readPush(data) {
  if (!data) return { title: DEFAULT_TITLE };
  const text = data.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { title: text || DEFAULT_TITLE };
  }
  if (json && json.web_push === 8030 && json.notification) {
    const n = json.notification;
    const actions = (n.actions || []).map((a) => ({ action: a.action, title: a.title, url: a.navigate }));
    return { ...n, url: n.navigate, actions, declarative: true };
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && ('title' in json || 'body' in json)) return json;
  return { title: DEFAULT_TITLE, data: { payload: json } };
}

self.addEventListener('push', (event) => {
  const message = readPush(event.data);
  // Browsers with Declarative Web Push (Safari 18.4+) show such a message themselves.
  if (message.declarative && event.notification) return;
  const actions = message.actions || [];
  const options = {};
  for (const name of OPTIONS) if (message[name] !== undefined) options[name] = message[name];
  options.actions = actions.map((a) => ({ action: a.action, title: a.title }));
  // Browsers keep only action and title of a button, so the URLs travel in data.
  const actionUrls = {};
  for (const a of actions) if (a.url) actionUrls[a.action] = a.url;
  options.data = { ...(message.data || {}), url: message.url, actionUrls };
  event.waitUntil(self.registration.showNotification(message.title || DEFAULT_TITLE, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const target = (event.action && data.actionUrls && data.actionUrls[event.action]) || data.url;
  if (!target) return;
  const url = new URL(target, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : clients.openWindow(url);
    })(),
  );
});

// The push service replaced or dropped the subscription (Chrome 138+ and Firefox 137+ give the old and the
// new one): subscribe again with the same key and post the new subscription, with the endpoint it replaces.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const old = event.oldSubscription;
      const subscription =
        event.newSubscription ||
        (old && (await self.registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: old.options.applicationServerKey,
        })));
      if (!subscription) return;
      await fetch(SUBSCRIPTIONS_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...subscription.toJSON(), replaces: old ? old.endpoint : null }),
      });
    })(),
  );
});
`;

export interface SubscribeSnippetOptions {
  /** Where the service worker is served; its folder is its scope, which must cover the page. */
  serviceWorkerUrl?: string;
  /** Where the subscription is posted. */
  subscriptionsUrl?: string;
}

/** The subscribe code with the app's key: a classic script, run from a user gesture. */
export function subscribeSnippet(publicKey: string, options: SubscribeSnippetOptions = {}): string {
  const serviceWorkerUrl = options.serviceWorkerUrl ?? '/sw.js';
  const subscriptionsUrl = options.subscriptionsUrl ?? `/${SUBSCRIPTIONS_PATH}`;
  return `// Subscribes this browser to your site's push notifications. Paste it into a <script> (classic or module).
// Call subscribeToPush() from a click handler: browsers ask for permission only during a user gesture, and
// refuse it otherwise (NotAllowedError).
//   button.addEventListener('click', () => subscribeToPush().catch((error) => alert(error.message)));
const VAPID_PUBLIC_KEY = '${publicKey}';
const SERVICE_WORKER_URL = '${serviceWorkerUrl}';
const SUBSCRIPTIONS_URL = '${subscriptionsUrl}';

function base64UrlToBytes(text) {
  const base64 = (text + '='.repeat((4 - (text.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function subscribeToPush() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    throw new Error('This browser cannot receive push notifications.');
  }
  if ((await Notification.requestPermission()) !== 'granted') return null;
  await navigator.serviceWorker.register(SERVICE_WORKER_URL);
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(VAPID_PUBLIC_KEY),
  });
  // The server stores subscription.toJSON() ({ endpoint, keys: { p256dh, auth } }) and the browser's time
  // zone (for sending at a local time); import those into Pushdeck (Subscriptions → Import, or pushdeck
  // subs import: the timeZone key fills the subscription's zone).
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const response = await fetch(SUBSCRIPTIONS_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...subscription.toJSON(), timeZone }),
  });
  if (!response.ok) throw new Error('Saving the subscription failed: HTTP ' + response.status);
  return subscription;
}
`;
}
