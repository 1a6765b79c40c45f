import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('pushdeck settings', () => {
  const dir = tempDir();

  it('shows, sets and clears the proxy and timeout that sends use', async () => {
    const db = path.join(dir, 'settings.db');
    const show = async () =>
      JSON.parse((await runPushdeck(['settings', 'show', '--db', db, '--json'])).stdout);
    expect(await show()).toEqual({ proxyUrl: null, timeoutSeconds: 30 });
    const set = await runPushdeck([
      'settings',
      'set',
      '--db',
      db,
      '--proxy',
      'http://proxy.example:3128',
      '--timeout',
      '9',
    ]);
    expect(set.code).toBe(0);
    expect(await show()).toEqual({ proxyUrl: 'http://proxy.example:3128/', timeoutSeconds: 9 });
    expect((await runPushdeck(['settings', 'set', '--db', db, '--no-proxy'])).code).toBe(0);
    expect(await show()).toEqual({ proxyUrl: null, timeoutSeconds: 9 });
  });

  it('refuses a bad proxy with exit 1 and bad usage with exit 2, each with one line saying why', async () => {
    const db = path.join(dir, 'bad.db');
    const bad = await runPushdeck(['settings', 'set', '--db', db, '--proxy', 'ftp://x.example']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('pushdeck: The proxy must be an http:// or https:// URL.');
    const nothing = await runPushdeck(['settings', 'set', '--db', db]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr.trim()).toBe('pushdeck: give --proxy URL, --no-proxy or --timeout S');
    expect((await runPushdeck(['settings', 'set', '--db', db, '--timeout', '0'])).code).toBe(2);
  });
});
