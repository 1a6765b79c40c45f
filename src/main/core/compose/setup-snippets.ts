// Setup help for an app's website: a service worker that shows Pushdeck's payload (both the service-worker
// JSON and Declarative Web Push), and the subscribe code with the app's public key, ready to copy.
import type { SetupSnippets } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../apps/apps.ts';
import type { CoreContext } from '../context.ts';

export const SERVICE_WORKER_SNIPPET = `// sw.js: shows the notifications Pushdeck sends. Serve it from your site's root.
self.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = { title: event.data.text() };
  }
  // Declarative Web Push (Safari shows those itself) keeps the notification under "notification".
  const n =
    payload.web_push === 8030
      ? {
          ...payload.notification,
          url: payload.notification.navigate,
          actions: (payload.notification.actions || []).map((a) => ({ ...a, url: a.navigate })),
        }
      : payload;
  const { title = 'New notification', url, actions = [], data = {}, ...options } = n;
  const actionUrls = Object.fromEntries(actions.filter((a) => a.url).map((a) => [a.action, a.url]));
  event.waitUntil(
    self.registration.showNotification(title, {
      ...options,
      actions: actions.map(({ action, title }) => ({ action, title })),
      data: { ...data, url, actionUrls },
    }),
  );
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
`;

export function subscribeSnippet(publicKey: string): string {
  return `// Subscribe a visitor. Call subscribeToPush() from a click handler: Safari asks for permission only then.
const VAPID_PUBLIC_KEY = '${publicKey}';

function base64UrlToBytes(text) {
  const base64 = (text + '='.repeat((4 - (text.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function subscribeToPush() {
  const registration = await navigator.serviceWorker.register('/sw.js');
  if ((await Notification.requestPermission()) !== 'granted') return null;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(VAPID_PUBLIC_KEY),
  });
  // Store subscription.toJSON() ({ endpoint, keys: { p256dh, auth } }) on your server, then import
  // those into Pushdeck (Subscriptions → Import).
  await fetch('/api/push-subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(subscription),
  });
  return subscription;
}
`;
}

export function setupSnippets(ctx: CoreContext, appId: number): SetupSnippets {
  const app = getApp(ctx, appId);
  if (!app.publicKey) {
    throw new PushdeckError('KEY_NOT_FOUND', `${app.name} has no current key. Create one under Keys.`);
  }
  return { serviceWorker: SERVICE_WORKER_SNIPPET, subscribe: subscribeSnippet(app.publicKey) };
}
