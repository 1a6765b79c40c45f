// A round trip through a second, independent push service: the `web-push-testing` package (plain http).
import { createRequire } from 'node:module';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { deliveryStates, draft } from './fixtures.ts';

interface ApiModel {
  notifyUrl: string;
  subscribe(
    options: Record<string, string>,
  ): Promise<{ endpoint: string; keys: { p256dh: string; auth: string }; clientHash: string }>;
  getNotifications(body: { clientHash: string }): { messages: string[] };
  expireSubscription(clientHash: string): void;
}

const require = createRequire(import.meta.url);
const { PushApiModel } = require('web-push-testing/src/PushApiModel.js') as {
  PushApiModel: new () => ApiModel;
};
const WebPushTestingServer = require('web-push-testing/src/server.js') as new (
  model: ApiModel,
  port: number,
) => { startServer(): void; _server: net.Server };

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('round trip through web-push-testing', () => {
  const ctx = testContext();
  const model = new PushApiModel();
  let server: InstanceType<typeof WebPushTestingServer>;

  beforeAll(async () => {
    const port = await freePort();
    const log = console.log;
    console.log = () => {};
    server = new WebPushTestingServer(model, port);
    server.startServer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.log = log;
    // It names itself `localhost`; tests stay on 127.0.0.1.
    model.notifyUrl = `http://127.0.0.1:${port}/notify/`;
  });
  afterAll(() => new Promise((resolve) => server._server.close(resolve)));

  it('delivers a payload it decrypts and a VAPID JWT it verifies, and reports 410 once it expires the subscription', async () => {
    const app = createTestApp(ctx, 'wpt.example');
    const subscription = await model.subscribe({
      applicationServerKey: app.publicKey!,
      userVisibleOnly: 'true',
    });
    const [id] = insertSubscriptions(ctx.db, app.id, [subscription]);

    const first = draft(ctx, app, { message: { format: 'raw', raw: 'hello from pushdeck' } });
    expect((await sendCampaign(ctx, first)).totals).toMatchObject({ delivered: 1, failed: 0 });
    expect(model.getNotifications({ clientHash: subscription.clientHash }).messages).toEqual([
      'hello from pushdeck',
    ]);

    model.expireSubscription(subscription.clientHash);
    const second = draft(ctx, app, { message: { format: 'raw', raw: 'again' } });
    expect((await sendCampaign(ctx, second)).totals).toMatchObject({ expired: 1 });
    expect(deliveryStates(ctx, second).get(id!)).toMatchObject({ state: 'expired', http_status: 410 });
    expect(ctx.db.prepare('SELECT status FROM subscriptions WHERE id = ?').pluck().get(id)).toBe('expired');
  });
});
