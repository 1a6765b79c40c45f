// A damaged or emptied database is noticed before anything writes into it, and told with the way back
// (issue 12, item 5); `pushdeck db backup` makes that way back and `pushdeck db check` finds the damage.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPushdeck } from '../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../support/context.ts';
import { createTestApp } from '../../support/fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { insertSubscriptions } from '../../support/push-service/subscribers.ts';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const create = (db: string, name: string) =>
  runPushdeck(['app', 'create', name, '--subject', 'mailto:ops@shop.example'], {
    env: { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE },
  });
const pushdeck = (db: string, args: string[]) =>
  runPushdeck(args, { env: { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE } });

describe('a damaged database', () => {
  const dir = tempDir();

  it('is refused when it is 0 bytes, instead of becoming a new, empty database', async () => {
    const file = path.join(dir, 'empty.db');
    fs.writeFileSync(file, '');
    const result = await create(file, 'shop.example');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /empty\.db is empty \(0 bytes\).*copy your last backup \(made with `pushdeck db backup FILE`\) in its place/,
    );
    expect(fs.statSync(file).size).toBe(0);
  });

  it('is noticed when damaged mid-file, left as it is, and comes back from a backup', async () => {
    const file = path.join(dir, 'shop.db');
    const ctx = testContext({ dbPath: file });
    const app = createTestApp(ctx, 'shop.example');
    const subs = Array.from({ length: 3000 }, (_, i) => ({
      endpoint: `https://push.example/send/${i}-${'x'.repeat(100)}`,
      keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
    }));
    insertSubscriptions(ctx.db, app.id, subs);
    ctx.db.close();

    const backup = path.join(dir, 'backup.db');
    const backedUp = await pushdeck(file, ['db', 'backup', backup, '--json']);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(JSON.parse(backedUp.stdout)).toMatchObject({ path: backup, bytes: fs.statSync(backup).size });
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toStrictEqual([]);
    // Never over an existing file without --force.
    expect((await pushdeck(file, ['db', 'backup', backup])).stderr).toMatch(/exists: .*--force/);
    expect((await pushdeck(file, ['db', 'check', '--json'])).stdout).toContain('"ok": true');

    // Random bytes over one page in the middle of the file (the subscriptions' table).
    const pageSize = 4096;
    const pages = fs.statSync(file).size / pageSize;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, crypto.randomBytes(pageSize), 0, pageSize, Math.floor(pages / 2) * pageSize);
    fs.closeSync(fd);
    const damaged = sha(file);

    const refused = await create(file, 'other.example');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /shop\.db is damaged \(.+\)\. Pushdeck has not written to it\. Move it aside/,
    );
    expect(sha(file)).toBe(damaged);
    const check = await pushdeck(file, ['db', 'check', '--json']);
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as { ok: boolean; problems: string[] };
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);

    fs.renameSync(file, `${file}.damaged`);
    fs.copyFileSync(backup, file);
    expect((await pushdeck(file, ['db', 'check'])).stdout).toMatch(/no damage found/);
    const restored = await create(file, 'other.example');
    expect(restored.code, restored.stderr).toBe(0);
    const count = await pushdeck(file, ['subs', 'count', '--app', 'shop.example', '--json']);
    expect(count.stdout).toContain('3000');
  });
});
