import { describe, expect, it } from 'vitest';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { createDispatcher, dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import {
  readSendingSettings,
  updateSendingSettings,
} from '../../../../src/main/core/settings/sending-settings.ts';
import { startPushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { startForwardProxy } from '../../../support/forward-proxy.ts';
import { draft, subscribe } from '../campaigns/fixtures.ts';

describe('sending settings', () => {
  it('start with no proxy and a 30 s timeout, and keep what is saved', async () => {
    const ctx = testContext();
    expect(readSendingSettings(ctx.db)).toEqual({ proxyUrl: null, timeoutSeconds: 30 });
    updateSendingSettings(ctx, { proxyUrl: 'http://proxy.example:3128', timeoutSeconds: 12 });
    expect(readSendingSettings(ctx.db)).toEqual({
      proxyUrl: 'http://proxy.example:3128/',
      timeoutSeconds: 12,
    });
    // Through the door, which tells the window what the channel declares it changes.
    await dispatch(createHandlers(ctx), 'settings.updateSending', { proxyUrl: '' });
    expect(readSendingSettings(ctx.db)).toEqual({ proxyUrl: null, timeoutSeconds: 12 });
    expect(ctx.recorded).toContainEqual({ event: 'data.changed', payload: { scopes: ['settings'] } });
  });

  it('refuse a proxy that is not an http(s) URL, and keep the old one', async () => {
    const ctx = testContext();
    const handlers = createHandlers(ctx);
    await dispatch(handlers, 'settings.updateSending', { proxyUrl: 'http://good.example:8080' });
    for (const bad of ['socks5://127.0.0.1:1080', 'not a url']) {
      expect(await dispatch(handlers, 'settings.updateSending', { proxyUrl: bad })).toMatchObject({
        ok: false,
        error: { code: 'SETTINGS_PROXY_INVALID' },
      });
    }
    expect(await dispatch(handlers, 'settings.updateSending', { timeoutSeconds: 0 })).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_INPUT' },
    });
    expect(readSendingSettings(ctx.db)).toEqual({
      proxyUrl: 'http://good.example:8080/',
      timeoutSeconds: 30,
    });
  });

  it('give new campaigns the saved timeout unless they name their own', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    updateSendingSettings(ctx, { timeoutSeconds: 7 });
    const options = (id: number) =>
      JSON.parse(ctx.db.prepare('SELECT options FROM campaigns WHERE id = ?').pluck().get(id) as string) as {
        timeoutMs: number;
      };
    expect(options(draft(ctx, app, { options: { timeoutMs: undefined } })).timeoutMs).toBe(7000);
    expect(options(draft(ctx, app, { options: { timeoutMs: 2500 } })).timeoutMs).toBe(2500);
    // Through the door too, where the request's other options are given (and their defaults filled).
    const { call } = createDispatcher({ context: ctx, actor: 'app' });
    const created = await call('campaigns.create', {
      appId: app.id,
      message: { format: 'none' },
      audience: {},
      options: { ttl: 60 },
    });
    expect(created.options).toMatchObject({ ttl: 60, timeoutMs: 7000 });
  });

  it('send through the proxy saved in Settings', async () => {
    const ctx = testContext();
    const service = await startPushService();
    const proxy = await startForwardProxy();
    try {
      const app = createTestApp(ctx);
      const subs = await subscribe(ctx, app, service, ['ok', 'ok']);
      updateSendingSettings(ctx, { proxyUrl: proxy.url });
      const outcome = await sendCampaign(ctx, draft(ctx, app));
      expect(outcome.totals.delivered).toBe(2);
      expect(proxy.forwarded).toHaveLength(2);
      expect(proxy.forwarded.every((target) => target.startsWith(service.origin))).toBe(true);
      expect(subs.every((sub) => service.messages(sub.id).length === 1)).toBe(true);
    } finally {
      proxy.close();
      await service.close();
    }
  });
});
