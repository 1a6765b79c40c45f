// `pushdeck send` with saved templates and segments, --var defaults and the pre-send --check.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runPushdeck, type CliResult } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { startPushService } from '../../support/push-service/server.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { subscribe } from '../core/campaigns/fixtures.ts';
import { insertSubscriptions } from '../core/compose/subscription-rows.ts';

// Both suites save a template Greeting and send it to the saved segment VIPs, with a default for first_name.
const greetingToVips = ['--template', 'Greeting', '--segment', 'VIPs', '--var', 'first_name=friend'];
const saveGreeting = (pd: (...args: string[]) => Promise<CliResult>, ...flags: string[]) =>
  pd('template', 'save', 'Greeting', '--app', 'shop.example', ...flags);

describe('pushdeck send --template --segment --var --check', () => {
  const dir = tempDir();

  async function setup(name: string) {
    const db = path.join(dir, name);
    const ctx = testContext({ dbPath: db });
    const shop = createTestApp(ctx, 'shop.example');
    insertSubscriptions(ctx, shop.id, [
      { tags: ['vip'], pushService: 'apple', label: 'Ada' },
      { tags: ['vip'], pushService: 'fcm', label: 'Bob' },
      { tags: ['news'], pushService: 'fcm' },
    ]);
    ctx.db.close();
    const pd = (...args: string[]) => runPushdeck(['--db', db, ...args]);
    const app = ['--app', 'shop.example'];
    expect(
      (await saveGreeting(pd, '--title', 'Hi {{first_name}}', '--icon', 'https://shop.example/i.png')).code,
    ).toBe(0);
    expect((await pd('segment', 'save', 'VIPs', ...app, '--tag', 'vip')).code).toBe(0);
    const campaigns = () => {
      const handle = new Database(db, { readonly: true });
      try {
        return (handle.prepare('SELECT COUNT(*) AS n FROM campaigns').get() as { n: number }).n;
      } finally {
        handle.close();
      }
    };
    return { pd, app, campaigns };
  }

  it('blocks an unknown placeholder, and passes once --var gives it a default; nothing is sent', async () => {
    const { pd, app, campaigns } = await setup('check.db');
    const blocked = await pd('send', ...app, '--template', 'Greeting', '--segment', 'VIPs', '--check');
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/BLOCK\s+PLACEHOLDER_UNKNOWN: \{\{first_name\}\} is unknown/);
    expect(blocked.stdout).toMatch(/fix: Add a default, e\.g\. \{\{first_name\|there\}\}/);
    expect(blocked.stderr).toMatch(/1 problem\(s\) block sending; nothing was sent/);

    const ok = await pd('send', ...app, ...greetingToVips, '--check');
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toMatch(/Checks passed/);
    expect(campaigns()).toBe(0);
  });

  it('treats {{constructor}} as an unknown placeholder, not as Object.prototype, in a notification and in raw JSON', async () => {
    const { pd, app } = await setup('prototype.db');
    const audience = ['--segment', 'VIPs', '--var', 'first_name=x', '--check'];
    const title = await pd('send', ...app, '--title', 'Hello {{constructor}}', ...audience);
    expect(title.code).toBe(1);
    expect(title.stdout).toMatch(/BLOCK\s+PLACEHOLDER_UNKNOWN: \{\{constructor\}\} is unknown/);
    const raw = await pd('send', ...app, '--payload', '{"t":"Hi {{toString}}"}', ...audience);
    expect(raw.stderr).not.toMatch(/unexpected error|Cannot read properties/);
    expect(raw.code).toBe(1);
    expect(raw.stdout).toMatch(/BLOCK\s+PLACEHOLDER_UNKNOWN: \{\{toString\}\} is unknown/);
  });

  it('reports the checker as JSON, with the topic rule, the TTL and the byte budget', async () => {
    const { pd, app } = await setup('json.db');
    const result = await pd(
      '--json',
      'send',
      ...app,
      '--segment',
      'VIPs',
      '--title',
      'x'.repeat(4000),
      '--topic',
      'news1',
      '--check',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      blocked: boolean;
      findings: Array<{ code: string; severity: string }>;
    };
    expect(report.blocked).toBe(true);
    expect(report.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(
      expect.arrayContaining(['block:TOPIC_APPLE_LENGTH', 'block:PAYLOAD_TOO_LARGE', 'warn:ICON_MISSING']),
    );
  });

  it('refuses a segment together with another audience flag, and a template with message flags', async () => {
    const { pd, app } = await setup('usage.db');
    expect((await pd('send', ...app, '--segment', 'VIPs', '--all', '--title', 'x', '--check')).code).toBe(2);
    expect(
      (await pd('send', ...app, '--all', '--template', 'Greeting', '--title', 'x', '--check')).code,
    ).toBe(2);
    const missing = await pd('send', ...app, '--all', '--template', 'Nope', '--check');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No template named "Nope"/);
  });

  it('sends a saved template to a saved segment, personalised per subscriber, through a real push service', async () => {
    const service = await startPushService({ https: true });
    try {
      const db = path.join(dir, 'real.db');
      const ctx = testContext({ dbPath: db });
      const shop = createTestApp(ctx, 'shop.example');
      const vips = await subscribe(ctx, shop, service, ['ok', 'ok'], { tags: ['vip'] });
      const [other] = await subscribe(ctx, shop, service, ['ok'], { tags: ['news'] });
      ctx.db
        .prepare('UPDATE subscriptions SET label = ?, fields = ? WHERE id = ?')
        .run('Ada', JSON.stringify({ first_name: 'A"da' }), vips[0]!.dbId);
      ctx.db.close();
      const caFile = path.join(dir, 'ca.pem');
      fs.writeFileSync(caFile, service.ca!);
      const env = { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE, NODE_EXTRA_CA_CERTS: caFile };
      const pd = (...args: string[]) => runPushdeck(args, { env });
      const app = ['--app', 'shop.example'];
      await saveGreeting(pd, '--title', 'Hi {{first_name|there}}', '--body', 'For {{label|you}}');
      await pd('segment', 'save', 'VIPs', ...app, '--tag', 'vip');

      const sent = await pd('--json', 'send', ...app, ...greetingToVips);
      expect(sent.code).toBe(0);
      expect(JSON.parse(sent.stdout)).toMatchObject({
        state: 'completed',
        totals: { recipients: 2, delivered: 2 },
      });
      const shown = vips.map(
        (v) => JSON.parse(service.messages(v.id)[0]!.payload!.toString('utf8')) as unknown,
      );
      expect(shown).toEqual([
        { title: 'Hi A"da', body: 'For Ada' },
        { title: 'Hi friend', body: 'For you' },
      ]);
      expect(service.messages(other!.id)).toHaveLength(0);
    } finally {
      await service.close();
    }
  });
});
