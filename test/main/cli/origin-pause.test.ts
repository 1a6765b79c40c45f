import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main/core/apps/apps.ts';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { subscribe } from '../core/campaigns/fixtures.ts';

describe('pushdeck send when a push service refuses the VAPID token', () => {
  const ctx = testContext();
  let apple: PushService;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    apple = await startPushService({ appleSubjectRules: true });
    const app = createApp(ctx, { name: 'pause.example', subject: 'mailto:ops@pause.local' });
    await subscribe(ctx, app, apple, Array(7).fill('ok'), { pushService: 'apple' });
    env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  });
  afterAll(() => apple.close());

  it('says what the service answered and what to fix, and sends the waiting deliveries once resumed', async () => {
    const sent = await runPushdeck(['send', '--app', 'pause.example', '--all', '--title', 'Hi'], { env });
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain(
      'Apple refuses the VAPID token: BadJwtToken — the subject must be a mailto: or https: URL you own',
    );
    expect(sent.stderr).toMatch(/7 deliveries wait/);
    expect(sent.stderr).toMatch(/Resume with: pushdeck campaign resume (\d+)/);
    expect(apple.messages()).toHaveLength(0);
    const id = /campaign resume (\d+)/.exec(sent.stderr)![1]!;

    const shown = await runPushdeck(['campaign', 'show', id, '--json', '--limit', '0'], { env });
    expect(JSON.parse(shown.stdout)).toMatchObject({ state: 'paused', totals: { pending: 7, failed: 0 } });

    const fixed = await runPushdeck(
      ['app', 'update', 'pause.example', '--subject', 'mailto:ops@pause.example'],
      {
        env,
      },
    );
    expect(fixed.code).toBe(0);
    const resumed = await runPushdeck(['campaign', 'resume', id, '--json'], { env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'completed', totals: { delivered: 7 } });
    expect(apple.messages()).toHaveLength(7);
  });
});
