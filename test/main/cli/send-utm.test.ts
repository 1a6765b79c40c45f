import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../src/shared/apps.ts';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { subscribe, type Subscriber } from '../core/campaigns/fixtures.ts';

describe('pushdeck send --utm', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;
  let env: NodeJS.ProcessEnv;
  let subs: Subscriber[];

  beforeAll(async () => {
    service = await startPushService();
    env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
    app = createTestApp(ctx, 'shop.example');
    subs = await subscribe(ctx, app, service, ['ok', 'ok'], { tags: ['news'] });
  });
  afterAll(() => service.close());

  it('delivers the notification with its links tagged: the source given, the campaign’s slug, the query and fragment kept', async () => {
    const result = await runPushdeck(
      [
        'send',
        '--app',
        'shop.example',
        '--tag',
        'news',
        '--title',
        'Spring',
        '--url',
        'https://shop.example/sale?ref=home#deals',
        '--name',
        'Spring sale 2026',
        '--utm',
        'newsletter',
        '--json',
      ],
      { env },
    );
    expect(result.stderr).toMatch(/completed: 2\/2/);
    expect(result.code).toBe(0);
    for (const sub of subs) {
      const [received] = service.messages(sub.id);
      expect(JSON.parse(received!.payload!.toString('utf8'))).toEqual({
        title: 'Spring',
        url: 'https://shop.example/sale?ref=home&utm_source=newsletter&utm_medium=push&utm_campaign=spring-sale-2026#deals',
      });
    }
  });

  it('defaults the source to pushdeck, and a dry run counts the tags in the largest payload', async () => {
    const url = 'https://shop.example/';
    const plain = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--title', 'Spring', '--url', url, '--dry-run', '--json'],
      { env },
    );
    const tagged = await runPushdeck(
      [
        'send',
        '--app',
        'shop.example',
        '--all',
        '--title',
        'Spring',
        '--url',
        url,
        '--utm',
        '--dry-run',
        '--json',
      ],
      { env },
    );
    expect(tagged.code, tagged.stderr).toBe(0);
    const bytes = (out: string) => (JSON.parse(out) as { largestPayloadBytes: number }).largestPayloadBytes;
    expect(bytes(tagged.stdout) - bytes(plain.stdout)).toBe(
      '?utm_source=pushdeck&utm_medium=push&utm_campaign=spring'.length,
    );
  });

  it('refuses --utm for a raw payload, which is sent as written', async () => {
    const result = await runPushdeck(
      ['send', '--app', 'shop.example', '--all', '--payload', '{"url":"/x"}', '--utm'],
      { env },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--utm tags a notification’s links/);
  });
});
