// `pushdeck test-device add` in a real CLI process: it prints the page's address, waits, and stores the
// browser that registers there as a test device.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry, runPushdeck } from '../../support/cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { realKey } from '../core/subscriptions/subscription-fixtures.ts';

const PASSPHRASE = 'cli test passphrase';

describe('pushdeck test-device add', () => {
  const dir = tempDir();

  it('prints the address, waits for the browser and stores it tagged test-device', async () => {
    const env = {
      ...process.env,
      PUSHDECK_DB: path.join(dir, 'devices.db'),
      PUSHDECK_PASSPHRASE: PASSPHRASE,
    };
    const created = await runPushdeck(
      ['app', 'create', 'shop.example', '--subject', 'mailto:ops@shop.example'],
      {
        env,
      },
    );
    expect(created.code).toBe(0);
    const child = spawn(
      process.execPath,
      [cliEntry, 'test-device', 'add', '--app', 'shop.example', '--json'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const firstLine = new Promise<string>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      }),
    );
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const { url, expiresAt } = JSON.parse(await firstLine) as { url: string; expiresAt: number };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/$/);
    expect(expiresAt - Date.now()).toBeGreaterThan(9 * 60_000);
    const endpoint = 'https://fcm.googleapis.com/fcm/send/test-device-1';
    const posted = await fetch(`${url}api/push-subscriptions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: new URL(url).origin,
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
      },
      body: JSON.stringify({ endpoint, keys: realKey() }),
    });
    expect(posted.status).toBe(201);
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout.split('\n')[1]!)).toEqual({
      registered: {
        id: expect.any(Number),
        appId: expect.any(Number),
        label: 'Firefox 153 on Linux',
        endpoint,
      },
    });
    const listed = await runPushdeck(
      ['subs', 'list', '--app', 'shop.example', '--tag', 'test-device', '--json'],
      {
        env,
      },
    );
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ endpoint, label: 'Firefox 153 on Linux' }),
    ]);
  });
});
