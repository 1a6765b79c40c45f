// The set-up of the CLI tests that kill a send in the middle: an app with `recipients` subscribers at a
// push service that answers each request after 20 ms (so a send lasts long enough to be killed), and the
// env that points `pushdeck` at the test's database. The service and subscribers are there from beforeAll.
import { afterAll, beforeAll } from 'vitest';
import type { AppSummary } from '../../../src/shared/apps.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { subscribe, type Subscriber } from '../core/campaigns/fixtures.ts';

export class SlowSend {
  readonly ctx = testContext();
  readonly env: NodeJS.ProcessEnv = { PUSHDECK_DB: this.ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  readonly app: AppSummary;
  /** Set in beforeAll. */
  service!: PushService;
  subs: Subscriber[] = [];

  constructor(appName: string) {
    this.app = createTestApp(this.ctx, appName);
  }
}

/** Call at describe level. */
export function slowSend(appName: string, recipients: number): SlowSend {
  const world = new SlowSend(appName);
  beforeAll(async () => {
    world.service = await startPushService({ delayMs: 20 });
    world.subs = await subscribe(world.ctx, world.app, world.service, Array(recipients).fill('ok'));
  });
  afterAll(() => world.service.close());
  return world;
}
