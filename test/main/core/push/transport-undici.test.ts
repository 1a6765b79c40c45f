import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('push transport start-up', () => {
  it('loads undici only once a service speaks HTTP/1.1, not for HTTP/2 alone', () => {
    // In a process of its own, where nothing else has loaded undici.
    const probe = spawnSync(process.execPath, [path.resolve('test/support/undici-load-probe.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout.trim())).toEqual({
      before: false,
      overH2: 201,
      afterH2: false,
      overH1: 201,
      afterH1: true,
    });
  });
});
