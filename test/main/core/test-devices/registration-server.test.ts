// The one-time test-device page over real HTTP on 127.0.0.1: only the token's page, worker and POST are
// served, the POST must come from the page itself, the first subscription is stored tagged test-device and
// labelled with its browser, and then (or when the time is up) the server is gone.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { SERVICE_WORKER_SNIPPET } from '../../../../src/main/core/snippets/web-push-snippets.ts';
import { browserLabel } from '../../../../src/main/core/test-devices/registration-page.ts';
import { startTestDeviceRegistration } from '../../../../src/main/core/test-devices/registration-server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { realKey } from '../subscriptions/subscription-fixtures.ts';

const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

/** A raw request, so the test controls Host and Origin exactly. */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function setUp() {
  const ctx = testContext();
  const app = createTestApp(ctx, 'shop.example');
  return { ctx, app };
}

describe('test-device registration', () => {
  it('serves only its page and the core’s worker under the token, with a strict CSP and no CORS', async () => {
    const { ctx, app } = setUp();
    const registration = await startTestDeviceRegistration(ctx, app.id);
    try {
      const url = new URL(registration.url);
      expect(url.hostname).toBe('127.0.0.1');
      const token = url.pathname.slice(1, -1);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      const page = await request(registration.url);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`'${app.publicKey}'`);
      expect(page.body).toContain('Subscribe this browser');
      expect(page.body).toContain(`show <strong>${url.host}</strong> as their`);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
      const worker = await request(`${registration.url}sw.js`);
      expect(worker).toMatchObject({ status: 200, body: SERVICE_WORKER_SNIPPET });

      const wrongToken = `${url.origin}/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}/`;
      for (const other of [
        `${url.origin}/`,
        wrongToken,
        `${registration.url}other`,
        `${url.origin}/${token}`,
      ]) {
        expect((await request(other)).status, other).toBe(404);
      }
      // Another host name pointing here (DNS rebinding) is refused too.
      const rebound = await request(registration.url, { headers: { host: `evil.example:${url.port}` } });
      expect(rebound.status).toBe(404);
      const preflight = await request(`${registration.url}api/push-subscriptions`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(404);
    } finally {
      await registration.cancel();
    }
    expect(await registration.ended).toEqual({ state: 'cancelled' });
  });

  it('stores the first subscription posted by its own page as a test device, then closes', async () => {
    const { ctx, app } = setUp();
    const registration = await startTestDeviceRegistration(ctx, app.id);
    const post = `${registration.url}api/push-subscriptions`;
    const origin = new URL(registration.url).origin;
    const endpoint = 'https://updates.push.services.mozilla.com/wpush/v2/gAAAAAtest';
    const body = JSON.stringify({ endpoint, keys: realKey() });
    const json = { 'content-type': 'application/json', 'user-agent': FIREFOX_UA };
    // Another site's page (or none) cannot post: no Origin, a foreign one, or a form's content type.
    expect((await request(post, { method: 'POST', headers: json, body })).status).toBe(403);
    const foreign = { ...json, origin: 'https://evil.example' };
    expect((await request(post, { method: 'POST', headers: foreign, body })).status).toBe(403);
    const form = { ...json, origin, 'content-type': 'text/plain' };
    expect((await request(post, { method: 'POST', headers: form, body })).status).toBe(415);
    const bad = JSON.stringify({ endpoint: 'ftp://x', keys: realKey() });
    expect((await request(post, { method: 'POST', headers: { ...json, origin }, body: bad })).status).toBe(
      400,
    );

    const stored = await request(post, { method: 'POST', headers: { ...json, origin }, body });
    expect(stored).toMatchObject({ status: 201, body: '{"label":"Firefox 153 on Linux"}' });
    const end = await registration.ended;
    expect(end).toEqual({
      state: 'registered',
      device: { id: expect.any(Number), appId: app.id, label: 'Firefox 153 on Linux', endpoint },
    });
    const row = ctx.db
      .prepare(
        `SELECT s.label, s.status, s.key_id, group_concat(t.name) AS tags FROM subscriptions s
           JOIN subscription_tags st ON st.subscription_id = s.id JOIN tags t ON t.id = st.tag_id
         WHERE s.endpoint = ? GROUP BY s.id`,
      )
      .get(endpoint);
    expect(row).toEqual({
      label: 'Firefox 153 on Linux',
      status: 'active',
      key_id: app.keyId,
      tags: 'test-device',
    });
    expect(ctx.recorded).toContainEqual({
      event: 'data.changed',
      payload: { scopes: ['subscriptions', 'compose'] },
    });
    // One registration: the server is closed.
    await expect(request(registration.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closes by itself when its time is up', async () => {
    const { ctx, app } = setUp();
    const registration = await startTestDeviceRegistration(ctx, app.id, { ttlMs: 100 });
    expect(registration.expiresAt - ctx.now()).toBeLessThanOrEqual(100);
    expect(await registration.ended).toEqual({ state: 'expired' });
    await expect(request(registration.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('labels a device with its browser and system', () => {
    expect(browserLabel(FIREFOX_UA)).toBe('Firefox 153 on Linux');
    expect(
      browserLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0',
      ),
    ).toBe('Edge 138 on Windows');
    expect(
      browserLabel(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 Safari/605.1.15',
      ),
    ).toBe('Safari 18 on macOS');
    expect(
      browserLabel(
        'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome 138 on Android');
    expect(browserLabel(undefined)).toBe('Browser');
  });
});
