import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../src/shared/apps.ts';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { subscribe, type Subscriber } from '../core/campaigns/fixtures.ts';

describe('pushdeck send (over https, trusting the local service through NODE_EXTRA_CA_CERTS)', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;
  let env: NodeJS.ProcessEnv;
  let news: Subscriber[];
  let others: Subscriber[];

  beforeAll(async () => {
    service = await startPushService({ https: true });
    const caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, service.ca!);
    env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE, NODE_EXTRA_CA_CERTS: caFile };
    app = createTestApp(ctx, 'shop.example');
    news = await subscribe(ctx, app, service, ['ok', 'ok', '410'], { tags: ['news'] });
    others = await subscribe(ctx, app, service, ['ok'], { tags: ['other'] });
  });
  afterAll(() => service.close());

  it('sends a notification to a tag with TTL, urgency and topic, and prints the totals as JSON', async () => {
    const result = await runPushdeck(
      [
        'send',
        '--app',
        'shop.example',
        '--tag',
        'news',
        '--title',
        'Sale',
        '--body',
        'Today only',
        '--url',
        'https://shop.example/sale',
        '--ttl',
        '600',
        '--urgency',
        'high',
        '--topic',
        'sale-2026a',
        '--json',
      ],
      { env },
    );
    expect(result.stderr).toMatch(/completed: 3\/3/);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data).toMatchObject({
      state: 'completed',
      totals: { recipients: 3, delivered: 2, expired: 1, failed: 0, pending: 0 },
      byStatus: { '201': 2, '410': 1 },
    });
    expect(typeof data.campaignId).toBe('number');
    const [message] = service.messages(news[0]!.id);
    expect(message).toMatchObject({
      ttl: '600',
      urgency: 'high',
      topic: 'sale-2026a',
      contentEncoding: 'aes128gcm',
    });
    expect(JSON.parse(message!.payload!.toString('utf8'))).toMatchObject({
      title: 'Sale',
      body: 'Today only',
      url: 'https://shop.example/sale',
    });
    expect(service.messages(others[0]!.id)).toHaveLength(0);

    const show = await runPushdeck(['campaign', 'show', String(data.campaignId), '--json'], { env });
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.stdout);
    expect(detail.deliveries).toHaveLength(3);
    expect(detail.deliveries.find((d: { state: string }) => d.state === 'expired')).toMatchObject({
      httpStatus: 410,
    });
    const list = await runPushdeck(['campaign', 'list'], { env });
    expect(list.stdout).toMatch(/completed\s+2\/3 delivered\s+shop\.example/);
  });

  it('sends a push without payload with no Content-Encoding, to one endpoint byte for byte', async () => {
    const result = await runPushdeck(
      ['send', '--app', 'shop.example', '--endpoint', others[0]!.endpoint, '--no-payload', '--json'],
      { env },
    );
    expect(result.code).toBe(0);
    const messages = service.messages(others[0]!.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ payload: null, contentEncoding: undefined, ttl: '86400' });
  });

  it('sends raw payloads from a string and from a file', async () => {
    const file = path.join(tempDir(), 'payload.json');
    fs.writeFileSync(file, '{"kind":"sync"}');
    expect(
      (
        await runPushdeck(
          ['send', '--app', 'shop.example', '--endpoint', others[0]!.endpoint, '--payload', 'ping'],
          { env },
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await runPushdeck(
          ['send', '--app', 'shop.example', '--endpoint', others[0]!.endpoint, '--payload-file', file],
          { env },
        )
      ).code,
    ).toBe(0);
    const payloads = service.messages(others[0]!.id).map((m) => m.payload?.toString('utf8'));
    expect(payloads.slice(-2)).toEqual(['ping', '{"kind":"sync"}']);
  });

  it('refuses a payload over 3993 bytes before sending anything', async () => {
    const before = service.requests();
    const result = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--payload', 'x'.repeat(3994)],
      { env },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/3994 bytes.*at most 3993/);
    expect(service.requests()).toBe(before);
  });

  it('warns above 3070 bytes but sends', async () => {
    const result = await runPushdeck(
      ['send', '--app', 'shop.example', '--endpoint', others[0]!.endpoint, '--payload', 'y'.repeat(3993)],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: .*Firefox on Android/);
    expect(service.messages(others[0]!.id).at(-1)!.payload!.length).toBe(3993);
  });

  it('dry-runs without sending', async () => {
    const before = service.requests();
    const result = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--title', 'T', '--dry-run', '--json'],
      { env },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ recipients: 3, rejects: [] });
    expect(service.requests()).toBe(before);
  });

  it('exits 2 on bad usage and 1 when it cannot run', async () => {
    expect((await runPushdeck(['send', '--app', 'shop.example', '--title', 'T'], { env })).code).toBe(2);
    expect(
      (
        await runPushdeck(['send', '--app', 'shop.example', '--all', '--title', 'T', '--payload', 'x'], {
          env,
        })
      ).code,
    ).toBe(2);
    expect(
      (
        await runPushdeck(['send', '--app', 'shop.example', '--all', '--title', 'T', '--ttl', '2419201'], {
          env,
        })
      ).code,
    ).toBe(2);
    const badTopic = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--title', 'T', '--topic', 'abcde'],
      { env },
    );
    expect(badTopic.code).toBe(1);
    expect(badTopic.stderr).toMatch(/Apple/);
    const longName = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--title', 'T', '--name', 'x'.repeat(201)],
      { env },
    );
    expect(longName.code).toBe(1);
    expect(longName.stderr).toMatch(/^pushdeck: name: Too big: expected string to have <=200 characters/);
    const noApp = await runPushdeck(['send', '--app', 'nope.example', '--all', '--title', 'T'], { env });
    expect(noApp.code).toBe(1);
    expect(
      (await runPushdeck(['send', '--app', 'shop.example', '--tag', 'nobody', '--title', 'T'], { env })).code,
    ).toBe(1);
    const locked = await runPushdeck(['send', '--app', 'shop.example', '--all', '--title', 'T'], {
      env: { ...env, PUSHDECK_PASSPHRASE: '' },
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/PUSHDECK_PASSPHRASE/);
    const states = ctx.db.prepare('SELECT state FROM campaigns').pluck().all();
    expect(states).not.toContain('sending');
    expect(states).not.toContain('draft');
  });
});
