// `pushdeck subs …` through the real CLI process and a real database file.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { csvOf, realKey, subscription } from '../core/subscriptions/subscription-fixtures.ts';

describe('pushdeck subs', () => {
  const dir = tempDir();
  const db = path.join(dir, 'subs.db');
  const env = { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: 'cli test passphrase' };
  const run = (args: string[]) => runPushdeck(args, { env });
  const subs = [subscription(1), subscription(2, 'https://web.push.apple.com/'), subscription(3)];

  beforeAll(async () => {
    expect((await run(['app', 'create', 'shop.example', '--subject', 'mailto:ops@shop.example'])).code).toBe(
      0,
    );
  });

  it('imports a file with tags, prints the summary as JSON, writes the rejects file and shows progress on stderr', async () => {
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, csvOf([...subs, { ...subscription(4), auth: 'AAAA' }, subs[0]!]));
    const rejects = path.join(dir, 'rejects.csv');
    const result = await run([
      'subs',
      'import',
      file,
      '--app',
      'shop.example',
      '--tag',
      'spring',
      '--tag',
      'cli',
      '--rejects',
      rejects,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      inserted: 3,
      updated: 0,
      duplicates: 1,
      rejected: 1,
      rejects: [{ row: 5, reason: 'AUTH_WRONG_LENGTH' }],
    });
    expect(result.stderr).toMatch(/^importing: 100% · 5 rows/m);
    expect(fs.readFileSync(rejects, 'utf8')).toContain('5,AUTH_WRONG_LENGTH,');
  });

  it('lists and counts with the JSON shapes of the issue', async () => {
    const list = await run([
      'subs',
      'list',
      '--app',
      'shop.example',
      '--tag',
      'spring',
      '--limit',
      '2',
      '--json',
    ]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        endpoint: subs[2]!.endpoint,
        status: 'active',
        tags: ['cli', 'spring'],
        pushService: 'fcm',
        label: null,
        timeZone: null,
      },
      {
        endpoint: subs[1]!.endpoint,
        status: 'active',
        tags: ['cli', 'spring'],
        pushService: 'apple',
        label: null,
        timeZone: null,
      },
    ]);
    const count = await run([
      'subs',
      'count',
      '--app',
      'shop.example',
      '--tag',
      'spring',
      '--status',
      'active',
      '--json',
    ]);
    expect(JSON.parse(count.stdout)).toEqual({ count: 3 });
    expect((await run(['subs', 'count', '--app', 'shop.example', '--status', 'expired'])).stdout.trim()).toBe(
      '0',
    );
  });

  it('exports to each format and the export imports back as duplicates only', async () => {
    for (const format of ['json', 'ndjson', 'csv']) {
      const file = path.join(dir, `export.${format}`);
      const result = await run([
        'subs',
        'export',
        file,
        '--app',
        'shop.example',
        '--format',
        format,
        '--json',
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ count: 3, format });
      const again = await run(['subs', 'import', file, '--app', 'shop.example', '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, duplicates: 3, rejected: 0 });
    }
  });

  it('updates a subscription whose keys changed', async () => {
    const file = path.join(dir, 'changed.json');
    fs.writeFileSync(file, JSON.stringify([{ endpoint: subs[0]!.endpoint, keys: realKey() }]));
    const result = await run(['subs', 'import', file, '--app', 'shop.example', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 0, updated: 1 });
  });

  it('fails with one clear line and exit code 1 on a bad file, an unknown app or a missing file', async () => {
    const object = path.join(dir, 'object.json');
    fs.writeFileSync(object, '{\n  "endpoint": "https://x"\n}\n');
    const cases = [
      [['subs', 'import', object, '--app', 'shop.example'], /one JSON object, not a list/],
      [['subs', 'import', object, '--app', 'nope.example'], /No app named nope.example/],
      [['subs', 'import', path.join(dir, 'missing.csv'), '--app', 'shop.example'], /Cannot read/],
    ] as const;
    for (const [args, message] of cases) {
      const result = await run([...args]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(JSON.parse((await run(['subs', 'count', '--app', 'shop.example', '--json'])).stdout)).toEqual({
      count: 3,
    });
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await run(['subs', 'list', '--app', 'shop.example', '--limit', 'lots'])).code).toBe(2);
    expect((await run(['subs', 'import', 'x.csv', '--app', 'shop.example', '--format', 'xml'])).code).toBe(2);
    expect((await run(['subs', 'count'])).code).toBe(2);
  });
});
