// "Add this browser as a test device": a one-time server on 127.0.0.1 that serves the registration page,
// the core's service worker and the page's POST, all under an unguessable token, and nothing else. The
// first valid subscription is stored tagged test-device and labelled with its browser; then, or after 10
// minutes, the server closes.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_DEVICE_TAG } from '../../../shared/compose-rules.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { TestDevice } from '../../../shared/test-devices.ts';
import { getApp } from '../apps/apps.ts';
import type { CoreContext } from '../context.ts';
import { SERVICE_WORKER_SNIPPET, SUBSCRIPTIONS_PATH } from '../snippets/web-push-snippets.ts';
import { checkRow } from '../subscriptions/import/row.ts';
import { importWriter } from '../subscriptions/import/writer.ts';
import { listsChanged } from '../subscriptions/page-anchors.ts';
import { browserLabel, registrationPage } from './registration-page.ts';

export const REGISTRATION_TTL_MS = 10 * 60_000;
const MAX_BODY = 16 * 1024;

export type RegistrationEnd =
  { state: 'registered'; device: TestDevice } | { state: 'expired' } | { state: 'cancelled' };

export interface TestDeviceRegistration {
  url: string;
  expiresAt: number;
  /** Settles once: a device registered, the 10 minutes ran out, or cancel() was called. */
  ended: Promise<RegistrationEnd>;
  cancel(): Promise<void>;
}

const digest = (text: string) => crypto.createHash('sha256').update(text).digest();

/** Stores the browser's subscription as a test device of the app (an update if it was one already). */
function storeDevice(
  ctx: CoreContext,
  appId: number,
  body: unknown,
  userAgent: string | undefined,
): TestDevice {
  const app = getApp(ctx, appId);
  const json = (body ?? {}) as {
    endpoint?: unknown;
    keys?: { p256dh?: unknown; auth?: unknown };
    timeZone?: unknown;
  };
  const label = browserLabel(userAgent);
  const checked = checkRow(
    {
      endpoint: typeof json.endpoint === 'string' ? json.endpoint : undefined,
      p256dh: typeof json.keys?.p256dh === 'string' ? json.keys.p256dh : undefined,
      auth: typeof json.keys?.auth === 'string' ? json.keys.auth : undefined,
      label,
      tags: [TEST_DEVICE_TAG],
      // The subscribe snippet sends the browser's zone (a bad one is dropped, the device still added).
      timeZone: typeof json.timeZone === 'string' ? json.timeZone : undefined,
    },
    ctx.now(),
  );
  if (!checked.ok) throw new PushdeckError('SUBSCRIPTION_INVALID', `The browser sent ${checked.reason}.`);
  const writer = importWriter(ctx.db, app.id, app.keyId, []);
  try {
    writer.write([checked.value], ctx.now());
  } finally {
    writer.finish();
  }
  listsChanged();
  const id = ctx.db
    .prepare('SELECT id FROM subscriptions WHERE app_id = ? AND endpoint = ?')
    .pluck()
    .get(app.id, checked.value.endpoint) as number;
  ctx.events.emit('data.changed', { scopes: ['subscriptions', 'compose'] });
  return { id, appId: app.id, label, endpoint: checked.value.endpoint };
}

export async function startTestDeviceRegistration(
  ctx: CoreContext,
  appId: number,
  options: { ttlMs?: number } = {},
): Promise<TestDeviceRegistration> {
  const app = getApp(ctx, appId);
  if (!app.publicKey) {
    throw new PushdeckError('KEY_NOT_FOUND', `${app.name} has no current key. Create one under Keys.`);
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenDigest = digest(token);
  const basePath = `/${token}/`;
  let origin = '';
  let end: (result: RegistrationEnd) => void = () => {};
  const ended = new Promise<RegistrationEnd>((resolve) => (end = resolve));
  let done = false;

  const common = {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
  };
  const refuse = (res: http.ServerResponse, status: number) =>
    res.writeHead(status, { ...common, 'content-type': 'text/plain' }).end(http.STATUS_CODES[status]);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      // Only requests for this very server (no DNS rebinding through another host name) with the token.
      const [, given = '', rest = ''] = /^\/([^/]*)\/(.*)$/.exec(req.url ?? '') ?? [];
      if (req.headers.host !== origin.slice('http://'.length) || done) return refuse(res, 404);
      if (!crypto.timingSafeEqual(digest(given), tokenDigest)) return refuse(res, 404);
      if (req.method === 'GET' && rest === '') {
        const page = registrationPage({ appName: app.name, publicKey: app.publicKey!, origin, basePath });
        return res
          .writeHead(200, {
            ...common,
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': page.contentSecurityPolicy,
          })
          .end(page.html);
      }
      if (req.method === 'GET' && rest === 'sw.js') {
        return res
          .writeHead(200, {
            ...common,
            'content-type': 'text/javascript; charset=utf-8',
            'content-security-policy': "default-src 'none'; connect-src 'self'",
          })
          .end(SERVICE_WORKER_SNIPPET);
      }
      if (req.method !== 'POST' || rest !== SUBSCRIPTIONS_PATH) return refuse(res, 404);
      // The page's own fetch only: no CORS, so another site's page cannot post here.
      if (req.headers.origin !== origin) return refuse(res, 403);
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse(res, 415);
      if (size > MAX_BODY) return refuse(res, 413);
      let device: TestDevice;
      try {
        device = storeDevice(
          ctx,
          app.id,
          JSON.parse(Buffer.concat(chunks).toString('utf8')),
          req.headers['user-agent'],
        );
      } catch {
        return refuse(res, 400);
      }
      res.once('finish', () => void finish({ state: 'registered', device }));
      res
        .writeHead(201, { ...common, 'content-type': 'application/json' })
        .end(JSON.stringify({ label: device.label }));
    });
  });

  // Set once the server listens; no request or cancel() can come before that.
  let timer: NodeJS.Timeout | undefined = undefined;
  const finish = async (result: RegistrationEnd) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    end(result);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets would hold the server open; the last answer has been written by now.
      server.closeAllConnections();
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ttlMs = options.ttlMs ?? REGISTRATION_TTL_MS;
  timer = setTimeout(() => void finish({ state: 'expired' }), ttlMs);
  return {
    url: `${origin}${basePath}`,
    expiresAt: ctx.now() + ttlMs,
    ended,
    cancel: () => finish({ state: 'cancelled' }),
  };
}
