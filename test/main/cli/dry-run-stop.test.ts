// `pushdeck send --dry-run` through the door: its progress on stderr comes from the core's events, and Ctrl+C
// stops it through campaigns.dryRun.cancel; the report then covers the recipients checked so far.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointHash } from '../../../src/main/core/subscriptions/endpoint-hash.ts';
import { cliEntry } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { until } from '../../support/until.ts';
import { realKey } from '../core/subscriptions/subscription-fixtures.ts';

// Every message encrypted: several seconds on a shared two-core machine, long enough to be stopped midway.
const RECIPIENTS = 20_000;

describe('pushdeck send --dry-run', () => {
  const ctx = testContext();

  beforeAll(() => {
    const app = createTestApp(ctx, 'dry.example');
    const keys = realKey();
    const insert = ctx.db.prepare(
      `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, status, created_at,
         updated_at) VALUES (?, ?, ?, ?, ?, 'mozilla', 'active', 0, 0)`,
    );
    ctx.db.transaction(() => {
      for (let i = 1; i <= RECIPIENTS; i++) {
        const endpoint = `https://updates.push.services.mozilla.com/wpush/v2/dry-${i}`;
        insert.run(app.id, endpoint, endpointHash(endpoint), keys.p256dh, keys.auth);
      }
    })();
    ctx.db.close();
  });

  it('shows its progress and stops on Ctrl+C with the report of what it checked so far', async () => {
    const child = spawn(
      process.execPath,
      [
        cliEntry,
        'send',
        '--app',
        'dry.example',
        '--all',
        '--title',
        'Hi',
        '--dry-run',
        '--encrypt-all',
        '--json',
      ],
      {
        env: { ...process.env, PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await until(() => /dry run: \d+\/20000 checked/.test(stderr), 'the first progress line', 60_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Stopping the dry run…/);
    const report = JSON.parse(stdout) as { cancelled: boolean; recipients: number };
    expect(report.cancelled).toBe(true);
    expect(report.recipients).toBeGreaterThan(0);
    expect(report.recipients).toBeLessThan(RECIPIENTS);
  }, 90_000);
});
