// The window's files go by token only: a drop registers a file to read (as ipc.ts and the e2e harness do); a path
// the window makes up or a forged token is refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTokens, registerDroppedFile } from '../../../src/main/core/file-tokens.ts';
import { startQueryThread } from '../../../src/main/core/query-thread.ts';
import { dispatch } from '../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../src/main/core/dispatch/handler-table.ts';
import { testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { csvOf, subscription } from './subscriptions/subscription-fixtures.ts';

describe('file tokens', () => {
  const dir = tempDir();
  const secret = path.join(dir, 'secret.txt');
  fs.writeFileSync(secret, 'endpoint,p256dh,auth\nsecret line one\n');
  const victim = path.join(dir, 'victim.csv');
  const list = path.join(dir, 'list.csv');
  fs.writeFileSync(list, csvOf([subscription(1), subscription(2), { ...subscription(3), auth: 'AAAA' }]));
  const ctx = testContext({ dbPath: path.join(dir, 'files.db') });
  const app = createTestApp(ctx);
  const queryThread = startQueryThread(ctx);
  afterAll(() => queryThread.close());
  // As the desktop app has it, with the query thread.
  const handlers = createHandlers(ctx, { queryThread });
  const call = (channel: string, input: unknown) =>
    dispatch(handlers, channel, input, { log: () => undefined });

  it('refuses a path from the window: no reading, no overwriting', async () => {
    fs.writeFileSync(victim, 'precious\n');
    const preview = await call('subscriptions.import.preview', { source: { path: secret } });
    expect(preview).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(JSON.stringify(preview)).not.toContain('secret line');
    for (const [channel, input] of [
      ['subscriptions.import', { importId: 'p', appId: app.id, source: { path: list } }],
      ['subscriptions.import', { importId: 'r', appId: app.id, source: { text: '' }, rejectsPath: victim }],
      ['subscriptions.export', { appId: app.id, filter: {}, format: 'csv', path: victim }],
    ] as const) {
      expect(await call(channel, input)).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('refuses a token main never gave', async () => {
    const forged = await call('subscriptions.import.preview', { source: { file: crypto.randomUUID() } });
    expect(forged).toMatchObject({ ok: false, error: { code: 'FILE_TOKEN_UNKNOWN' } });
  });

  it('imports a dropped file by its token', async () => {
    const file = registerDroppedFile(ctx.files, list);
    expect(file).toMatchObject({ name: 'list.csv', size: fs.statSync(list).size });
    expect(file.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(file)).not.toContain(dir);
    const preview = await call('subscriptions.import.preview', { source: { file: file.token } });
    expect(preview).toMatchObject({ ok: true, result: { format: 'csv', missing: [] } });

    const imported = await call('subscriptions.import', {
      importId: 'tokens',
      appId: app.id,
      source: { file: file.token },
    });
    expect(imported).toMatchObject({ ok: true, result: { inserted: 2, rejected: 1 } });
  });

  it('registers a dropped file, and only an existing file by its full path', () => {
    const tokens = new FileTokens();
    const dropped = registerDroppedFile(tokens, list);
    expect(tokens.resolve(dropped.token)).toBe(list);
    for (const bad of [dir, 'list.csv', path.join(dir, 'missing.csv'), 42]) {
      expect(() => registerDroppedFile(tokens, bad)).toThrow(/Drop a file|not a file Pushdeck can read/);
    }
  });
});
