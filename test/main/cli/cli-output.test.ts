// What the CLI prints is safe for a terminal and a pipe: control characters from outside are escaped,
// retrying deliveries are counted apart from pending ones, and `| head` ends it quietly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJournal } from '../../../src/main/core/campaigns/journal.ts';
import { cliEntry, runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { draft } from '../core/campaigns/fixtures.ts';
import { insertSubscriptions } from '../core/compose/subscription-rows.ts';

// A hostile push service's reason: colour, an OSC window title with BEL, a C1 CSI and a bidi override.
const HOSTILE = 'Gone\u001b[31m red\u001b]0;pwned\u0007 \u009b2J \u202eevil';
// eslint-disable-next-line no-control-regex -- the point of the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('CLI output', () => {
  const dir = tempDir();
  const ctx = testContext({ dbPath: path.join(dir, 'out.db') });
  const env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  const run = (args: string[]) => runPushdeck(args, { env });
  let campaignId: number;

  beforeAll(() => {
    const app = createTestApp(ctx, 'shop.example');
    insertSubscriptions(
      ctx,
      app.id,
      Array.from({ length: 3000 }, (_, i) => ({ tags: ['all'], label: i === 0 ? 'Ada\u001b[2J' : null })),
    );
    campaignId = draft(ctx, app, { audience: { tagsAny: ['all'] } });
    createJournal(ctx.db, campaignId, app.id, { tagsAny: ['all'] }, ctx.now());
    // As a send stopped by kill -9 leaves it: one failure with a reason, two waiting for a retry.
    ctx.db.prepare("UPDATE campaigns SET state = 'paused' WHERE id = ?").run(campaignId);
    const ids = ctx.db
      .prepare(
        'SELECT subscription_id FROM deliveries WHERE campaign_id = ? ORDER BY subscription_id LIMIT 3',
      )
      .pluck()
      .all(campaignId) as number[];
    ctx.db
      .prepare(
        "UPDATE deliveries SET state = 'failed', outcome = 'permanent', http_status = 400, reason = ? WHERE campaign_id = ? AND subscription_id = ?",
      )
      .run(HOSTILE, campaignId, ids[0]);
    ctx.db
      .prepare(
        "UPDATE deliveries SET state = 'retrying', outcome = 'throttled', http_status = 429 WHERE campaign_id = ? AND subscription_id IN (?, ?)",
      )
      .run(campaignId, ids[1], ids[2]);
    ctx.db.prepare('UPDATE campaigns SET results_summary = NULL WHERE id = ?').run(campaignId);
  });

  it('campaign show prints a reason’s terminal escapes as \\uXXXX, in text and in JSON', async () => {
    const text = await run(['campaign', 'show', String(campaignId), '--state', 'failed']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(text.stdout).toContain('Gone\\u001b[31m red\\u001b]0;pwned\\u0007 \\u009b2J \\u202eevil');
    const json = await run(['campaign', 'show', String(campaignId), '--state', 'failed', '--json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const parsed = JSON.parse(json.stdout) as { deliveries: { reason: string }[]; byReason: object };
    expect(parsed.deliveries[0]!.reason).toBe(HOSTILE);
  });

  it('subs list escapes a label’s control characters', async () => {
    const list = await run(['subs', 'list', '--app', 'shop.example', '--limit', '3000']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Ada\\u001b[2J');
    expect(list.stdout).not.toMatch(RAW_CONTROL);
  });

  it('campaign export writes the reason to CSV without raw control characters', async () => {
    const out = path.join(dir, 'results.csv');
    const result = await run(['campaign', 'export', String(campaignId), '--out', out]);
    expect(result.code).toBe(0);
    // RFC 4180 ends records with CRLF: those are the only CRs.
    const csv = fs.readFileSync(out, 'utf8').replace(/\r\n/g, '\n');
    expect(csv).not.toMatch(RAW_CONTROL);
    expect(csv).toContain('Gone\\u001b[31m red');
  });

  it('campaign show counts retrying deliveries apart from pending ones', async () => {
    const show = await run(['campaign', 'show', String(campaignId), '--limit', '0']);
    expect(show.stdout).toMatch(/^Pending\s+2997$/m);
    expect(show.stdout).toMatch(/^Retrying\s+2$/m);
  });

  it('ends quietly with exit 0 when the reader of its output goes away (| head)', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [cliEntry, 'subs', 'list', '--app', 'shop.example', '--limit', '3000'],
        {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // `head -1`: read the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('audits the draft it deletes after a failed start as the CLI’s', async () => {
    const result = await run(['send', '--app', 'shop.example', '--tag', 'nobody', '--title', 'Hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No active subscription matches/);
    const actors = ctx.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'campaign.delete'")
      .pluck()
      .all() as string[];
    expect(actors).toEqual(['cli']);
  });
});
