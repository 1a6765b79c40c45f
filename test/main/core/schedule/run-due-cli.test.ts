// `pushdeck campaign schedule` and `run-due` as cron would call them: real CLI process, real SQLite file,
// real pushes to the local push service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import {
  startPushService,
  type LocalSubscription,
  type PushService,
} from '../../../support/push-service/server.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { runPushdeck } from '../../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';

describe('pushdeck campaign run-due', () => {
  let service: PushService;
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service.close());

  it('starts a due campaign headless, sends it once, and finds nothing due the second time', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const subs: LocalSubscription[] = [];
    for (let i = 0; i < 3; i++) subs.push(await service.subscribe({ applicationServerKey: app.publicKey! }));
    insertSubscriptions(ctx.db, app.id, subs);
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      name: 'Cron sale',
      message: { format: 'notification', notification: { title: 'Sale' } },
      audience: {},
    });
    ctx.db.close();
    const env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };

    const notYet = await runPushdeck(
      ['campaign', 'schedule', String(campaign.id), '--at', new Date(Date.now() + 60 * 60_000).toISOString()],
      { env },
    );
    expect(notYet.code, notYet.stderr).toBe(0);
    const idle = await runPushdeck(['campaign', 'run-due'], { env });
    expect(idle).toMatchObject({ code: 0, stdout: 'No campaign is due.\n' });
    expect(service.messages().length).toBe(0);

    // Due now (a time within the last minute still counts as now).
    const soon = await runPushdeck(
      ['campaign', 'schedule', String(campaign.id), '--at', new Date(Date.now() - 1000).toISOString()],
      { env },
    );
    expect(soon.code, soon.stderr).toBe(0);
    const run = await runPushdeck(['--json', 'campaign', 'run-due'], { env });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      started: number[];
      outcomes: { state: string; totals: { delivered: number } }[];
    };
    expect(report.started).toEqual([campaign.id]);
    expect(report.outcomes[0]).toMatchObject({ state: 'completed', totals: { delivered: 3 } });
    expect(service.messages().filter((m) => subs.some((s) => s.id === m.subscriptionId))).toHaveLength(3);

    const again = await runPushdeck(['campaign', 'run-due'], { env });
    expect(again.stdout).toBe('No campaign is due.\n');
    expect(service.messages()).toHaveLength(3);
  });

  it('refuses a time that is not a time (exit 2) and a past one (exit 1)', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      message: { format: 'notification', notification: { title: 'x' } },
      audience: {},
    });
    ctx.db.close();
    const env = { PUSHDECK_DB: ctx.dbPath };
    const bad = await runPushdeck(['campaign', 'schedule', String(campaign.id), '--at', 'tomorrow-ish'], {
      env,
    });
    expect(bad.code).toBe(2);
    const past = await runPushdeck(
      ['campaign', 'schedule', String(campaign.id), '--at', '2001-01-01T00:00Z'],
      { env },
    );
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/already passed/);
  });
});
