import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../../src/main/core/campaigns/campaigns.ts';
import { createJournal } from '../../../src/main/core/campaigns/journal.ts';
import { cliEntry, runPushdeck } from '../../support/cli.ts';
import { subscribe } from '../core/campaigns/fixtures.ts';
import { until } from '../../support/until.ts';
import { slowSend } from './slow-send.ts';

const RECIPIENTS = 300;
const CONCURRENCY = 8;

// Each test starts two or three CLI processes (Node with the whole core each): on a busy machine that alone
// takes most of the default 30 s.
describe('a send killed with SIGKILL mid-campaign, then resumed', { timeout: 90_000 }, () => {
  const world = slowSend('kill.example', RECIPIENTS);
  const { ctx, app, env } = world;

  it('sends nobody the campaign twice; only requests in flight at the kill are uncertain, at most the concurrency', async () => {
    const child = spawn(
      process.execPath,
      [
        cliEntry,
        'send',
        '--app',
        'kill.example',
        '--all',
        '--title',
        'Once',
        '--concurrency',
        String(CONCURRENCY),
      ],
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await until(() => world.service.messages().length >= RECIPIENTS / 3, 'a third of the messages');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const receivedAtKill = world.service.messages().length;
    expect(receivedAtKill).toBeLessThan(RECIPIENTS);

    const campaignId = ctx.db.prepare('SELECT MAX(id) FROM campaigns').pluck().get() as number;
    const inFlight = ctx.db
      .prepare("SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'in_flight'")
      .pluck()
      .get(campaignId) as number;
    expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);

    const before = JSON.parse(
      (await runPushdeck(['campaign', 'show', String(campaignId), '--json', '--limit', '0'], { env })).stdout,
    );
    expect(before).toMatchObject({ state: 'sending', interrupted: true });

    const resumed = await runPushdeck(['campaign', 'resume', String(campaignId), '--json'], { env });
    expect(resumed.stderr).toMatch(/completed/);
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.state).toBe('completed');
    expect(result.totals.uncertain).toBe(inFlight);
    expect(result.totals.delivered + result.totals.uncertain).toBe(RECIPIENTS);

    // Count at the push service: nobody twice, everybody once, except the uncertain (0 or 1).
    const perSubscriber = new Map<string, number>();
    for (const message of world.service.messages()) {
      perSubscriber.set(message.subscriptionId, (perSubscriber.get(message.subscriptionId) ?? 0) + 1);
    }
    expect(Math.max(...perSubscriber.values())).toBe(1);
    const states = new Map(
      (
        ctx.db
          .prepare('SELECT subscription_id, state FROM deliveries WHERE campaign_id = ?')
          .all(campaignId) as Array<{
          subscription_id: number;
          state: string;
        }>
      ).map((row) => [row.subscription_id, row.state]),
    );
    for (const sub of world.subs) {
      const state = states.get(sub.dbId);
      if (state === 'sent') expect(perSubscriber.get(sub.id), sub.id).toBe(1);
      else expect(state).toBe('uncertain');
    }

    const shown = await runPushdeck(['campaign', 'show', String(campaignId), '--limit', '0'], { env });
    expect(shown.stdout).toMatch(new RegExp(`Uncertain\\s+${inFlight}`));
  });

  it('lets only one of two processes resuming the same campaign at once send it', async () => {
    const subs = await subscribe(ctx, app, world.service, Array(60).fill('ok'), { tags: ['race'] });
    const id = createCampaign(ctx, {
      appId: app.id,
      message: { format: 'raw', raw: 'once' },
      audience: { tagsAny: ['race'] },
      // Slow enough (60 × 20 ms / 2) that the two processes overlap.
      options: { concurrency: 2 },
    }).campaign.id;
    createJournal(ctx.db, id, app.id, { tagsAny: ['race'] }, Date.now());
    ctx.db.prepare("UPDATE campaigns SET state = 'paused' WHERE id = ?").run(id);

    const [a, b] = await Promise.all([
      runPushdeck(['campaign', 'resume', String(id)], { env }),
      runPushdeck(['campaign', 'resume', String(id)], { env }),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect(subs.every((s) => world.service.messages(s.id).length === 1)).toBe(true);
  });

  /** `pushdeck send --tag TAG` in a child process, two requests at a time. */
  function sendInBackground(tag: string) {
    const child = spawn(
      process.execPath,
      [cliEntry, 'send', '--app', 'kill.example', '--tag', tag, '--title', 'Hi', '--concurrency', '2'],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  it('pauses on Ctrl+C (SIGINT) and says how to resume', async () => {
    // About 4 s of sending at two requests of 20 ms: with 100 (1 s) a loaded CI machine once delivered every one
    // between the test seeing the fifth and the CLI handling its Ctrl+C.
    const INT = 400;
    const more = await subscribe(ctx, app, world.service, Array(INT).fill('ok'), { tags: ['int'] });
    const { child, exited, stderr } = sendInBackground('int');
    const received = () => more.filter((s) => world.service.messages(s.id).length > 0).length;
    await until(() => received() >= 5, 'the first messages');
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const campaignId = ctx.db.prepare('SELECT MAX(id) FROM campaigns').pluck().get() as number;
    expect(stderr()).toMatch(new RegExp(`paused.*Resume with: pushdeck campaign resume ${campaignId}`, 's'));
    expect(received()).toBeLessThan(INT);
    const resumed = await runPushdeck(['campaign', 'resume', String(campaignId), '--json'], { env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).totals).toMatchObject({ delivered: INT, uncertain: 0 });
    expect(more.every((s) => world.service.messages(s.id).length === 1)).toBe(true);
  });

  it('stops a running CLI send when another process cancels it', async () => {
    // About 10 s of sending at two requests of 20 ms: a CLI process takes 4-6 s to start on a machine at load
    // 20, and the cancel must find the send still running.
    const LATE = 1000;
    const more = await subscribe(ctx, app, world.service, Array(LATE).fill('ok'), { tags: ['late'] });
    const { exited, stderr } = sendInBackground('late');
    const received = () => more.filter((s) => world.service.messages(s.id).length > 0).length;
    await until(() => received() >= 5, 'the first messages');
    const campaignId = ctx.db.prepare('SELECT MAX(id) FROM campaigns').pluck().get() as number;
    const cancel = await runPushdeck(['campaign', 'cancel', String(campaignId)], { env });
    expect(cancel.code).toBe(0);
    expect(await exited).toBe(1);
    expect(stderr()).toMatch(/cancelled/);
    expect(received()).toBeLessThan(LATE);
    const state = ctx.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck().get(campaignId);
    expect(state).toBe('cancelled');
    const resume = await runPushdeck(['campaign', 'resume', String(campaignId)], { env });
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(/cannot be resumed/);
  });
});
