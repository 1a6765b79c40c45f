import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { insertSubscriptions } from '../core/compose/subscription-rows.ts';

describe('pushdeck template and segment', () => {
  const dir = tempDir();

  function database(name: string): { db: string; app: string } {
    const db = path.join(dir, name);
    const ctx = testContext({ dbPath: db });
    const app = createTestApp(ctx, 'shop.example');
    insertSubscriptions(ctx, app.id, [
      { tags: ['vip'], pushService: 'apple' },
      { tags: ['vip'], pushService: 'fcm' },
      { tags: ['vip'], pushService: 'apple', status: 'expired' },
      { tags: ['test-device'], pushService: 'fcm' },
    ]);
    ctx.db.close();
    return { db, app: 'shop.example' };
  }

  it('saves, lists, shows and deletes templates, and round-trips a message file', async () => {
    const { db, app } = database('templates.db');
    const pd = (...args: string[]) => runPushdeck(['--db', db, ...args]);

    const saved = await pd(
      'template',
      'save',
      'Weekly',
      '--app',
      app,
      '--title',
      'Hi {{first_name|there}}',
      '--body',
      'News',
      '--url',
      'https://shop.example/news',
      '--var',
      'first_name=friend',
    );
    expect(saved).toMatchObject({ code: 0, stdout: 'Saved template Weekly (notification).\n' });
    const again = await pd('template', 'save', 'Weekly', '--app', app, '--no-payload');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists/);

    const shown = await pd('template', 'show', 'Weekly', '--app', app);
    expect(JSON.parse(shown.stdout)).toEqual({
      format: 'notification',
      notification: { title: 'Hi {{first_name|there}}', body: 'News', url: 'https://shop.example/news' },
      vars: { first_name: 'friend' },
    });
    const file = path.join(dir, 'weekly.json');
    (await import('node:fs')).writeFileSync(file, shown.stdout);
    expect((await pd('template', 'save', 'Copy', '--app', app, '--message-file', file)).code).toBe(0);
    expect((await pd('template', 'save', 'Raw', '--app', app, '--payload', '{"k":1}')).code).toBe(0);

    const list = await pd('--json', 'template', 'list', '--app', app);
    expect(
      JSON.parse(list.stdout).map((t: { name: string; format: string }) => `${t.name}:${t.format}`),
    ).toEqual(['Copy:notification', 'Raw:raw', 'Weekly:notification']);
    expect((await pd('template', 'delete', 'Weekly', '--app', app)).code).toBe(0);
    const gone = await pd('template', 'show', 'Weekly', '--app', app);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No template named "Weekly"/);
  });

  it('saves segments from filter flags and lists them with live counts', async () => {
    const { db, app } = database('segments.db');
    const pd = (...args: string[]) => runPushdeck(['--db', db, ...args]);

    const vip = await pd('segment', 'save', 'VIP Apple', '--app', app, '--tag', 'vip', '--service', 'apple');
    expect(vip).toMatchObject({ code: 0 });
    expect(vip.stdout).toMatch(/1 recipients now \(any of vip; services apple\)/);
    expect((await pd('segment', 'save', 'Testers', '--app', app, '--test-devices')).code).toBe(0);

    const list = JSON.parse((await pd('--json', 'segment', 'list', '--app', app)).stdout) as Array<{
      name: string;
      recipients: number;
      filter: unknown;
    }>;
    expect(list.map((s) => [s.name, s.recipients, s.filter])).toEqual([
      ['Testers', 1, { testDevices: true }],
      ['VIP Apple', 1, { tagsAny: ['vip'], pushServices: ['apple'] }],
    ]);
    expect((await pd('segment', 'delete', 'Testers', '--app', app)).code).toBe(0);
    expect((await pd('segment', 'delete', 'Testers', '--app', app)).code).toBe(1);
  });

  it('rejects bad flags with exit 2 and unknown apps with exit 1', async () => {
    const { db, app } = database('usage.db');
    expect(
      (await runPushdeck(['--db', db, 'segment', 'save', 'X', '--app', app, '--service', 'pigeon'])).code,
    ).toBe(2);
    expect(
      (await runPushdeck(['--db', db, 'segment', 'save', 'X', '--app', app, '--created-from', 'soon'])).code,
    ).toBe(2);
    expect((await runPushdeck(['--db', db, 'template', 'save', 'X', '--app', app])).code).toBe(2);
    const noApp = await runPushdeck(['--db', db, 'template', 'list', '--app', 'nope.example']);
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toMatch(/No app named nope.example/);
  });
});
