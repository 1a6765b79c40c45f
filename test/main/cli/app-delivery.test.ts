// `pushdeck app update` delivery rules and `pushdeck subs update --timezone` through the real CLI process: set,
// then turned off again with `off` / `none` (a flag parser's null became '' in commander, refused as a zone).
import { afterAll, describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { insertSubscriptions } from '../../support/push-service/subscribers.ts';

describe('pushdeck app update and subs update, rules on and off', () => {
  const ctx = testContext();
  const app = createTestApp(ctx, 'rules.example');
  const [subId] = insertSubscriptions(ctx.db, app.id, [
    { endpoint: 'https://push.example/rules', keys: { p256dh: 'p', auth: 'a' } },
  ]);
  const env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  afterAll(() => ctx.db.close());

  const delivery = async (...flags: string[]) => {
    const run = await runPushdeck(['app', 'update', 'rules.example', ...flags, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { delivery: Record<string, unknown> }).delivery;
  };

  it('sets quiet hours, a cap and a default zone, then turns each off', async () => {
    expect(
      await delivery(
        '--quiet-hours',
        '21:00-08:00',
        '--frequency-cap',
        '3/24h',
        '--default-timezone',
        'Europe/Berlin',
      ),
    ).toMatchObject({
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { per24h: 3, per7d: null },
      defaultTimeZone: 'Europe/Berlin',
    });
    expect(
      await delivery('--quiet-hours', 'off', '--frequency-cap', 'off', '--default-timezone', 'none'),
    ).toMatchObject({
      quietHours: null,
      frequencyCap: { per24h: null, per7d: null },
      defaultTimeZone: null,
    });
    const bad = await runPushdeck(['app', 'update', 'rules.example', '--default-timezone', 'Mars/Olympus'], {
      env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
  });

  it("sets a subscription's zone, then gives it back to the app's default with none", async () => {
    const update = (zone: string) =>
      runPushdeck(['subs', 'update', '--app', 'rules.example', '--id', String(subId), '--timezone', zone], {
        env,
      });
    const zoneOf = () => ctx.db.prepare('SELECT timezone FROM subscriptions WHERE id = ?').pluck().get(subId);
    expect((await update('America/New_York')).code).toBe(0);
    expect(zoneOf()).toBe('America/New_York');
    const none = await update('none');
    expect(none.stderr).toBe('');
    expect(none.code).toBe(0);
    expect(zoneOf()).toBeNull();
  });
});
