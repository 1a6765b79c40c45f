// A full disk under the database (a real tmpfs): a send and an import say what happened and how to go
// on, never a bare "database or disk is full" nor a clean-up's error in place of the real one (issue 12,
// item 4); once there is space, doing what they say finishes the work.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../src/shared/apps.ts';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { smallDisk } from '../../support/full-disk.ts';
import { startPushService, type PushService } from '../../support/push-service/server.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { subscribe } from '../core/campaigns/fixtures.ts';

const FULL = /^pushdeck: The disk holding \S+ is full \(database or disk is full\)\. /;

describe('a full disk', () => {
  const disk = smallDisk(32 * 1024);
  const ctx = testContext({ dbPath: path.join(disk.dir, 'pushdeck.db') });
  const env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  let service: PushService;
  let app: AppSummary;
  const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx, 'full.example');
    await subscribe(ctx, app, service, Array(300).fill('ok'));
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterAll(async () => {
    ctx.db.close();
    await service.close();
  });

  it('during a send: says so, and what to run once there is space; that finishes the campaign', async () => {
    const seen = new Set<string>();
    // From no space at all to enough to start and stop mid-way: each stops the send at another step.
    for (const kb of [0, 48, 64, 96, 128]) {
      disk.fill(kb * 1024);
      const result = await runPushdeck(['send', '--app', 'full.example', '--all', '--title', 'Hi'], { env });
      disk.free();
      if (result.code === 0) continue;
      const line = lastLine(result.stderr);
      expect(line, `with ${kb} KB free`).toMatch(FULL);
      expect(line).not.toMatch(/only drafts/);
      seen.add(line.replace(FULL, '').replace(/\d+/g, 'N'));
    }
    // Both ends were reached: a send that could not start, and campaigns stopped after their start.
    expect(seen).toContain('Nothing was sent. Free some space and run the same command again.');
    expect([...seen].some((advice) => advice.includes('pushdeck campaign resume N'))).toBe(true);

    const stopped = ctx.db
      .prepare("SELECT id FROM campaigns WHERE state IN ('sending', 'paused')")
      .pluck()
      .all() as number[];
    expect(stopped.length).toBeGreaterThan(0);
    for (const id of stopped) {
      const resumed = await runPushdeck(['campaign', 'resume', String(id), '--json'], { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      const { state, totals } = JSON.parse(resumed.stdout) as {
        state: string;
        totals: Record<string, number>;
      };
      // Those in flight when the sender stopped stay uncertain (at most once); all others are delivered.
      expect(state).toBe('completed');
      expect(totals).toMatchObject({ recipients: 300, pending: 0, failed: 0 });
      expect(totals.delivered! + totals.uncertain!).toBe(300);
    }
    // A send that never started leaves no draft behind.
    expect(ctx.db.prepare("SELECT count(*) FROM campaigns WHERE state = 'draft'").pluck().get()).toBe(0);
  }, 180_000);

  it('during an import: says how many rows were kept, and running it again completes the list', async () => {
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const p256dh = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(-65)).toString(
      'base64url',
    );
    const auth = crypto.randomBytes(16).toString('base64url');
    const rows = 40_000;
    const file = path.join(tempDir(), 'list.csv');
    const lines = ['endpoint,p256dh,auth'];
    for (let i = 0; i < rows; i++)
      lines.push(`https://push.example/send/${i}-${'x'.repeat(80)},${p256dh},${auth}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const count = () =>
      ctx.db.prepare('SELECT count(*) FROM subscriptions WHERE app_id = ?').pluck().get(app.id) as number;
    const before = count();

    // Room for a batch or two of 10,000 rows (about 4 MB of WAL each), not for the 40,000.
    disk.fill(8 * 1024 * 1024);
    const stopped = await runPushdeck(['subs', 'import', file, '--app', 'full.example'], { env });
    disk.free();
    expect(stopped.code).toBe(1);
    const match = lastLine(stopped.stderr).match(
      /^pushdeck: The disk is full \(database or disk is full\): the import stopped after row (\d+)\. (\d+) new and 0 updated subscriptions were saved up to there\. Free some space and run the same import again/,
    );
    expect(match, stopped.stderr).not.toBeNull();
    const [kept, added] = [Number(match![1]), Number(match![2])];
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(rows);
    expect(added).toBe(kept);
    expect(count() - before).toBe(added);

    const again = await runPushdeck(['subs', 'import', file, '--app', 'full.example', '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: rows - added, rejected: 0 });
    expect(count() - before).toBe(rows);
  }, 120_000);
});
