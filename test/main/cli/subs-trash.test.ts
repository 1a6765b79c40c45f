// `pushdeck subs delete|restore|trash empty` through the real CLI process and a real database file.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { insertSubscriptions } from '../core/compose/subscription-rows.ts';

describe('pushdeck subs delete / restore / trash empty', () => {
  const ctx = testContext({ dbPath: path.join(tempDir(), 'trash.db') });
  const env = { PUSHDECK_DB: ctx.dbPath, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
  const run = (...args: string[]) => runPushdeck(args, { env });
  const app = ['--app', 'shop.example'];
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    return { code: result.code, stderr: result.stderr, data: JSON.parse(result.stdout) as unknown };
  };
  const state = () =>
    ctx.db
      .prepare(
        'SELECT sum(deleted_at IS NULL) AS listed, sum(deleted_at IS NOT NULL) AS trash, count(*) AS total FROM subscriptions',
      )
      .get() as { listed: number; trash: number; total: number };
  const endpoints = [
    'https://fcm.googleapis.com/fcm/send/trash-1',
    'https://fcm.googleapis.com/fcm/send/trash-2',
  ];

  beforeAll(() => {
    const shop = createTestApp(ctx, 'shop.example');
    insertSubscriptions(ctx, shop.id, [
      { tags: ['vip'], endpoint: endpoints[0] },
      { tags: ['vip'], endpoint: endpoints[1] },
      { tags: ['news'] },
      { tags: ['news'], status: 'expired' },
      { tags: [], status: 'expired' },
    ]);
    // Another app's list is never touched.
    insertSubscriptions(ctx, createTestApp(ctx, 'other.example').id, [{ tags: ['vip'] }]);
  });

  it('only counts without --yes, exits 1 and changes nothing', async () => {
    const dry = await json('subs', 'delete', ...app, '--tag', 'vip');
    expect(dry).toMatchObject({ code: 1, data: { deleted: 0, matching: 2 } });
    expect(dry.stderr).toMatch(/Nothing was changed: add --yes/);
    const text = await run('subs', 'delete', ...app, '--all');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^5 subscriptions of shop\.example would go to the trash\.$/m);
    expect(state()).toEqual({ listed: 6, trash: 0, total: 6 });
  });

  it('moves a tag, a status or endpoints to the trash with --yes and says how many', async () => {
    expect(await json('subs', 'delete', ...app, '--tag', 'vip', '--yes')).toMatchObject({
      code: 0,
      data: { deleted: 2 },
    });
    expect(await json('subs', 'delete', ...app, '--status', 'expired', '--yes')).toMatchObject({
      code: 0,
      data: { deleted: 2 },
    });
    expect(state()).toEqual({ listed: 2, trash: 4, total: 6 });
    const count = await run('subs', 'count', ...app);
    expect(count.stdout.trim()).toBe('1');
  });

  it('restores by endpoint and by --all, and names an endpoint it cannot find', async () => {
    const one = await json(
      'subs',
      'restore',
      ...app,
      '--endpoint',
      endpoints[0]!,
      '--endpoint',
      'https://x.example/none',
    );
    expect(one).toMatchObject({ code: 0, data: { restored: 1 } });
    expect(one.stderr).toMatch(/no subscription in the trash has the endpoint https:\/\/x\.example\/none/);
    expect(state()).toEqual({ listed: 3, trash: 3, total: 6 });
    const text = await run('subs', 'restore', ...app, '--all');
    expect(text.stdout.trim()).toBe('Restored 3 subscriptions of shop.example.');
    expect(state()).toEqual({ listed: 6, trash: 0, total: 6 });
  });

  it('empties the trash for good only with --yes', async () => {
    expect(await json('subs', 'delete', ...app, '--endpoint', endpoints[1]!, '--yes')).toMatchObject({
      data: { deleted: 1 },
    });
    expect(await json('subs', 'trash', 'empty', ...app)).toMatchObject({
      code: 1,
      data: { purged: 0, matching: 1 },
    });
    expect(state()).toEqual({ listed: 5, trash: 1, total: 6 });
    expect(await json('subs', 'trash', 'empty', ...app, '--yes')).toMatchObject({
      code: 0,
      data: { purged: 1 },
    });
    expect(state()).toEqual({ listed: 5, trash: 0, total: 5 });
  });

  it('refuses no selector, or two kinds of selector, with exit 2', async () => {
    for (const args of [[], ['--all', '--tag', 'vip'], ['--all', '--endpoint', endpoints[0]!]]) {
      const result = await run('subs', 'delete', ...app, ...args, '--yes');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/name what to select: --all, --tag/);
    }
    expect(state().total).toBe(5);
  });
});
