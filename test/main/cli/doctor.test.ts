import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../src/main/core/db/database.ts';
import { runPushdeck } from '../../support/cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('pushdeck CLI', () => {
  const dir = tempDir();

  it('doctor --json creates the database at the latest schema and reports it', async () => {
    const db = path.join(dir, 'doctor.db');
    const result = await runPushdeck(['doctor', '--db', db, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      dbPath: db,
      schemaVersion: latestSchemaVersion,
      nodeVersion: process.versions.node,
      sqliteVersion: expect.stringMatching(/^3\./),
      keyProtection: { mode: expect.any(String), description: expect.any(String) },
    });
    expect(fs.existsSync(db)).toBe(true);
  });

  it('takes the database from PUSHDECK_DB when --db is absent', async () => {
    const db = path.join(dir, 'env.db');
    const result = await runPushdeck(['doctor', '--json'], { env: { PUSHDECK_DB: db } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dbPath).toBe(db);
  });

  it('prints a readable report without --json', async () => {
    const result = await runPushdeck(['--db', path.join(dir, 'text.db'), 'doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Schema version\s+\d+/);
    expect(result.stdout).toMatch(/Key protection/);
  });

  it('prints --version and --help with exit 0', async () => {
    const version = await runPushdeck(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    const help = await runPushdeck(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
  });

  it('exits 2 on bad usage', async () => {
    expect((await runPushdeck(['--no-such-flag'])).code).toBe(2);
    expect((await runPushdeck(['no-such-command'])).code).toBe(2);
  });

  it('exits 1 with one line on stderr for a user error', async () => {
    const bogus = path.join(dir, 'garbage.db');
    fs.writeFileSync(bogus, 'x'.repeat(5000));
    const result = await runPushdeck(['doctor', '--db', bogus]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^pushdeck: .*not a Pushdeck database/);
  });
});
