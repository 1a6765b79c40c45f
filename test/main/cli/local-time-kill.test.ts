// A local-time campaign whose CLI sender is killed with SIGKILL mid-release: `campaign run-due` resumes it,
// sends nobody twice, releases the zones due by then and leaves the later ones for their time.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../src/shared/apps.ts';
import { cliEntry, runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { subscribe, type Subscriber } from '../core/campaigns/fixtures.ts';
import { until } from '../../support/until.ts';

const CONCURRENCY = 2;
// 09:00 on 2026-12-24 (winter everywhere here): Tokyo +9 → 00:00Z, Berlin +1 → 08:00Z, New York -5 → 14:00Z.
const TOKYO = '2026-12-24T00:00:00Z';
const BERLIN = '2026-12-24T08:00:00Z';
const NEW_YORK = '2026-12-24T14:00:00Z';

describe('a local-time campaign killed with SIGKILL mid-release', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;
  const zones: Record<string, Subscriber[]> = {};
  let env: NodeJS.ProcessEnv;
  // PUSHDECK_TEST_NOW (test only, cli/program.ts) starts each CLI process's clock at that instant.
  const at = (iso: string) => ({ env: { ...env, PUSHDECK_TEST_NOW: iso } });

  beforeAll(async () => {
    // Every answer takes 20 ms: Tokyo's 120 messages two at a time last ~1.2 s, long enough to kill.
    service = await startPushService({ delayMs: 20 });
    app = createTestApp(ctx, 'zones.example');
    for (const [zone, count] of [
      ['Asia/Tokyo', 120],
      ['Europe/Berlin', 30],
      ['America/New_York', 20],
    ] as const) {
      zones[zone] = await subscribe(ctx, app, service, Array(count).fill('ok'));
      for (const s of zones[zone]!)
        ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?').run(zone, s.dbId);
    }
    env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  });
  afterAll(() => service.close());

  const received = (subs: Subscriber[]) => subs.map((s) => service.messages(s.id).length);
  const campaign = (id: number) =>
    ctx.db.prepare('SELECT state, scheduled_at FROM campaigns WHERE id = ?').get(id) as {
      state: string;
      scheduled_at: number | null;
    };

  it(
    'resumes on run-due: each due subscriber at most once, later zones at their time',
    { timeout: 90_000 },
    async () => {
      const child = spawn(
        process.execPath,
        [
          cliEntry,
          'send',
          '--app',
          'zones.example',
          '--all',
          '--title',
          'Season’s greetings',
          '--local-time',
          '09:00',
          '--date',
          '2026-12-24',
          // The clock starts at Tokyo's 09:00 and ticks on: Tokyo is already past, send it now.
          '--past-zones',
          'now',
          '--concurrency',
          String(CONCURRENCY),
        ],
        { env: { ...process.env, ...at(TOKYO).env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await until(() => service.messages().length >= 30, 'the first 30 of Tokyo', 20_000).catch(() => {
        throw new Error(`the send did not get going: ${output}`);
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const tokyoAtKill = received(zones['Asia/Tokyo']!).filter((n) => n > 0).length;
      expect(tokyoAtKill).toBeLessThan(120);
      expect(received(zones['Europe/Berlin']!).every((n) => n === 0)).toBe(true);

      const id = ctx.db.prepare('SELECT MAX(id) FROM campaigns').pluck().get() as number;
      expect(campaign(id).state).toBe('sending');
      const inFlight = ctx.db
        .prepare("SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'in_flight'")
        .pluck()
        .get(id) as number;
      expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);

      // Before Berlin's 09:00 nothing new is due, but the interrupted Tokyo release is: run-due resumes it.
      const resumed = await runPushdeck(['campaign', 'run-due', '--json'], at('2026-12-24T07:59:00Z'));
      expect(resumed.stderr).toContain(`Resumed campaign ${id}`);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: [id], started: [], failed: [] });
      const tokyo = received(zones['Asia/Tokyo']!);
      expect(Math.max(...tokyo)).toBe(1);
      // Only the requests in flight at the kill are uncertain (sent once or not at all), never sent again.
      const uncertain = ctx.db
        .prepare("SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'uncertain'")
        .pluck()
        .get(id) as number;
      expect(uncertain).toBe(inFlight);
      expect(tokyo.filter((n) => n === 1).length).toBeGreaterThanOrEqual(120 - uncertain);
      expect(received(zones['Europe/Berlin']!).every((n) => n === 0)).toBe(true);
      expect(campaign(id)).toEqual({ state: 'scheduled', scheduled_at: Date.parse(BERLIN) });

      // Berlin's time: its zone goes out, New York still waits.
      const berlin = await runPushdeck(['campaign', 'run-due'], at(BERLIN));
      expect(berlin.code).toBe(0);
      expect(berlin.stderr).toContain(`Started campaign ${id}`);
      expect(received(zones['Europe/Berlin']!).every((n) => n === 1)).toBe(true);
      expect(received(zones['America/New_York']!).every((n) => n === 0)).toBe(true);
      expect(campaign(id)).toEqual({ state: 'scheduled', scheduled_at: Date.parse(NEW_YORK) });

      // A minute before New York's 09:00: nothing is due.
      const early = await runPushdeck(['campaign', 'run-due'], at('2026-12-24T13:59:00Z'));
      expect(early.stdout).toContain('No campaign is due.');
      expect(received(zones['America/New_York']!).every((n) => n === 0)).toBe(true);

      const last = await runPushdeck(['campaign', 'run-due', '--json'], at(NEW_YORK));
      expect(last.code).toBe(0);
      expect(JSON.parse(last.stdout).outcomes[0]).toMatchObject({ campaignId: id, state: 'completed' });
      expect(received(zones['America/New_York']!).every((n) => n === 1)).toBe(true);
      // Nobody twice over the whole campaign.
      expect(Math.max(...Object.values(zones).flatMap(received))).toBe(1);
      expect(campaign(id).state).toBe('completed');
    },
  );
});
