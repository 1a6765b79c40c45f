import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseVariantFlag } from '../../../src/main/cli/commands/send-variants.ts';
import { cliEntry, runPushdeck } from '../../support/cli.ts';
import type { Subscriber } from '../core/campaigns/fixtures.ts';
import { until } from '../../support/until.ts';
import { slowSend } from './slow-send.ts';

const RECIPIENTS = 200;

describe('--variant flags', () => {
  it('reads NAME:SHARE and key=value pairs, commas inside a title kept', () => {
    expect(parseVariantFlag('A:10:template=spring-a')).toEqual({
      name: 'A',
      share: 10,
      settings: { template: 'spring-a' },
    });
    expect(parseVariantFlag('B:12.5%:title=Hi, you,url=https://x.example/a?b=1,ttl=60')).toEqual({
      name: 'B',
      share: 12.5,
      settings: { title: 'Hi, you', url: 'https://x.example/a?b=1', ttl: '60' },
    });
    expect(() => parseVariantFlag('A')).toThrow(/NAME:SHARE/);
    expect(() => parseVariantFlag('A:10:colour=red')).toThrow(/"colour=red" is not one of template=…/);
  });
});

describe('pushdeck send with two variants and a held rest, then campaign send-rest killed with SIGKILL', () => {
  const world = slowSend('ab.example', RECIPIENTS);
  const { env } = world;

  const titles = (sub: Subscriber) =>
    world.service
      .messages(sub.id)
      .map((m) => (JSON.parse(m.payload!.toString('utf8')) as { title: string }).title);

  it('checks every variant and warns that their TTLs differ', async () => {
    const result = await runPushdeck(
      [
        'send',
        '--app',
        'ab.example',
        '--all',
        '--variant',
        'A:20:title=Spring A,ttl=60',
        '--variant',
        `B:20:title=${'x'.repeat(4000)}`,
        '--hold-rest',
        '--check',
      ],
      { env },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BLOCK PAYLOAD_TOO_LARGE: Variant B: /);
    expect(result.stdout).toMatch(/WARN {2}VARIANTS_TTL_DIFFER: .*A 60 s, B 86400 s/);
    expect(world.service.messages()).toHaveLength(0);
  });

  it('sends each variant to its share, shows per-variant figures, and sends the rest with B once, across a kill -9', async () => {
    const saved = await runPushdeck(
      ['template', 'save', 'spring-b', '--app', 'ab.example', '--title', 'Spring B', '--url', '/b'],
      { env },
    );
    expect(saved.code, saved.stderr).toBe(0);
    const sent = await runPushdeck(
      [
        'send',
        '--app',
        'ab.example',
        '--all',
        '--name',
        'Spring AB',
        '--variant',
        'A:20:title=Spring A,url=/a',
        '--variant',
        'B:20:template=spring-b',
        '--hold-rest',
        '--utm',
        '--json',
      ],
      { env },
    );
    expect(sent.code, sent.stderr).toBe(0);
    const result = JSON.parse(sent.stdout) as {
      campaignId: number;
      totals: { recipients: number; delivered: number };
      variants: {
        held: number;
        results: Array<{ name: string; totals: { recipients: number; delivered: number } }>;
      };
    };
    const [a, b] = result.variants.results;
    expect(a!.name).toBe('A');
    expect(b!.name).toBe('B');
    expect(a!.totals.delivered + b!.totals.delivered).toBe(result.totals.delivered);
    expect(result.totals.recipients + result.variants.held).toBe(RECIPIENTS);
    expect(a!.totals.recipients).toBeGreaterThan(20);
    expect(b!.totals.recipients).toBeGreaterThan(20);
    const firstPart = world.service.messages().length;
    expect(firstPart).toBe(result.totals.recipients);
    const tested = new Set(world.subs.filter((s) => titles(s).length === 1).map((s) => s.id));
    for (const sub of world.subs.filter((s) => tested.has(s.id))) {
      const [message] = world.service.messages(sub.id);
      const url = (JSON.parse(message!.payload!.toString('utf8')) as { url: string }).url;
      const variant = titles(sub)[0] === 'Spring A' ? 'A' : 'B';
      expect(url).toBe(
        `/${variant.toLowerCase()}?utm_source=pushdeck&utm_medium=push&utm_campaign=spring-ab&utm_content=${variant}`,
      );
    }

    const show = await runPushdeck(['campaign', 'show', String(result.campaignId), '--limit', '0'], { env });
    expect(show.stdout).toMatch(/Variant A \(20 %\) +\d+\/\d+ delivered · 0 expired · 0 failed · p50 \d+ ms/);
    expect(show.stdout).toMatch(
      new RegExp(
        `Held +${result.variants.held} \\(send them the winner: pushdeck campaign send-rest ${result.campaignId} --variant NAME\\)`,
      ),
    );

    const child = spawn(
      process.execPath,
      [cliEntry, 'campaign', 'send-rest', String(result.campaignId), '--variant', 'B'],
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await until(() => world.service.messages().length >= firstPart + 20, 'twenty messages of the rest');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(world.service.messages().length).toBeLessThan(RECIPIENTS);

    // The rest was chosen once: another winner is refused, and a resume finishes it.
    const again = await runPushdeck(['campaign', 'send-rest', String(result.campaignId), '--variant', 'A'], {
      env,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already sent with variant B; it is sending: resume it to finish/);
    const resumed = await runPushdeck(['campaign', 'resume', String(result.campaignId), '--json'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = JSON.parse(resumed.stdout) as {
      totals: { recipients: number; delivered: number; uncertain: number };
      variants: {
        held: number;
        restVariant: string;
        results: Array<{ name: string; totals: { recipients: number } }>;
      };
    };
    expect(final.variants).toMatchObject({ held: 0, restVariant: 'B' });
    expect(final.totals.recipients).toBe(RECIPIENTS);
    expect(final.totals.delivered + final.totals.uncertain).toBe(RECIPIENTS);
    expect(final.variants.results.find((r) => r.name === 'rest')!.totals.recipients).toBe(
      result.variants.held,
    );

    // Nobody got the campaign twice; the held part got B only.
    for (const sub of world.subs) {
      const got = titles(sub);
      expect(got.length, `subscriber ${sub.dbId}`).toBeLessThanOrEqual(1);
      if (!tested.has(sub.id) && got.length) expect(got).toEqual(['Spring B']);
    }
    // Only requests in flight at the kill may be missing (uncertain: never sent twice).
    expect(world.service.messages().length).toBeGreaterThanOrEqual(RECIPIENTS - final.totals.uncertain);
  });
});
