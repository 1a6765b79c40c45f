import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushdeckError } from '../../../../src/shared/errors.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { withDoor, type DoorOptions } from '../../../../src/main/core/dispatch/in-process.ts';
import { TEST_PASSPHRASE, testContext } from '../../../support/context.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const runtime = { pushdeckVersion: 'test', electronVersion: null };

describe('the in-process door (withDoor)', () => {
  let dir: string;
  let door: DoorOptions;
  beforeEach(() => {
    vi.stubEnv('PUSHDECK_PASSPHRASE', TEST_PASSPHRASE);
    dir = tempDir();
    door = { dbPath: path.join(dir, 'pushdeck.db'), actor: 'cli', runtime };
  });
  afterEach(() => vi.unstubAllEnvs());

  it('serves the contract as the CLI, stamps its actor and closes the database afterwards', async () => {
    const created = await withDoor(door, async (d) => {
      const answer = await d.call('apps.create', {
        name: 'door.example',
        subject: 'mailto:ops@door.example',
      });
      expect(fs.existsSync(`${door.dbPath}-wal`)).toBe(true);
      return answer;
    });
    expect(created).toMatchObject({ name: 'door.example', protection: 'passphrase' });
    // Closed cleanly: the WAL folded in and removed, and the close recorded beside the file (integrity.ts).
    expect(fs.existsSync(`${door.dbPath}-wal`)).toBe(false);
    expect(fs.existsSync(`${door.dbPath}.closed`)).toBe(true);
    const audit = await withDoor(door, (d) => d.call('audit.list', {}));
    expect(audit.entries[0]).toMatchObject({ action: 'key.create', actor: 'cli' });
  });

  it('throws a PushdeckError with its code, and an error that is not Pushdeck’s as it is', async () => {
    await expect(withDoor(door, (d) => d.call('apps.get', { app: 'nope.example' }))).rejects.toMatchObject({
      code: 'APP_NOT_FOUND',
    });
    // A path the user typed that cannot be written: the fs error itself, not INTERNAL, for the CLI to say.
    const failure = withDoor(door, async (d) => {
      await d.call('apps.create', { name: 'a.example', subject: 'mailto:ops@a.example' });
      return d.call('keys.exportText', {
        app: 'a.example',
        part: 'public',
        format: 'env',
        out: path.join(dir, 'missing-folder', 'key.env'),
      });
    });
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(failure).rejects.not.toBeInstanceOf(PushdeckError);
  });

  it('says the disk is full, naming the database, when a command fails on a full disk', async () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    await expect(
      withDoor(door, () => {
        throw full;
      }),
    ).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining(door.dbPath) });
  });

  it('answers a command-line-only channel to the CLI only: the window gets IPC_FORBIDDEN', async () => {
    const ctx = testContext();
    await createDispatcher({ context: ctx, actor: 'cli' }).call('apps.create', {
      name: 'k.example',
      subject: 'mailto:ops@k.example',
    });
    const request = { app: 'k.example', part: 'private', format: 'env' } as const;
    const window = await createDispatcher({ context: ctx, actor: 'app' }).dispatch(
      'keys.exportText',
      request,
    );
    expect(window).toEqual({
      ok: false,
      error: { code: 'IPC_FORBIDDEN', message: 'keys.exportText is for the pushdeck command only.' },
    });
    const cli = await createDispatcher({ context: ctx, actor: 'cli' }).call('keys.exportText', request);
    expect(cli.text).toMatch(
      /^VAPID_PUBLIC_KEY=.*\nVAPID_PRIVATE_KEY=\S{40,}\nVAPID_SUBJECT=mailto:ops@k\.example\n$/,
    );
    // Only the CLI's export is in the audit log: the refused one did nothing.
    const exports = ctx.db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'key.export'")
      .pluck()
      .get();
    expect(exports).toBe(1);
    ctx.db.close();
  });

  it('writes the pair itself when the CLI names a file, mode 600, and hands back no key', async () => {
    const out = path.join(dir, 'pair.env');
    const answer = await withDoor(door, async (d) => {
      await d.call('apps.create', { name: 'f.example', subject: 'mailto:ops@f.example' });
      return d.call('keys.exportText', { app: 'f.example', part: 'private', format: 'env', out });
    });
    expect(answer).toEqual({ text: null, path: out });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/VAPID_PRIVATE_KEY=\S{40,}/);
    if (process.platform !== 'win32') expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });
});
