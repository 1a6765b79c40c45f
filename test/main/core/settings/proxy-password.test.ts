// A proxy password is sealed like the private keys, never stored or shown in clear: the window and
// `settings show` see it masked, a send gets it opened.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSend } from '../../../../src/main/core/campaigns/campaigns.ts';
import { passphraseSealer } from '../../../../src/main/core/keys/sealer.ts';
import {
  proxyForSending,
  readSendingSettings,
  updateSendingSettings,
} from '../../../../src/main/core/settings/sending-settings.ts';
import { runPushdeck } from '../../../support/cli.ts';
import { TEST_PASSPHRASE, testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { draft } from '../campaigns/fixtures.ts';

const SECRET = 'pr0xy-s3cret';

describe('proxy password', () => {
  const dir = tempDir();

  it('stores it sealed, shows it masked, and opens it for a send', () => {
    const ctx = testContext({ dbPath: path.join(dir, 'sealed.db') });
    const saved = updateSendingSettings(ctx, { proxyUrl: `http://ops:${SECRET}@proxy.example:3128` });
    expect(saved.proxyUrl).toBe('http://ops:********@proxy.example:3128/');
    expect(readSendingSettings(ctx.db).proxyUrl).toBe('http://ops:********@proxy.example:3128/');
    expect(proxyForSending(ctx)).toBe(`http://ops:${SECRET}@proxy.example:3128/`);
    const stored = JSON.stringify(ctx.db.prepare('SELECT * FROM settings').all());
    expect(stored).not.toContain(SECRET);
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(ctx.dbPath).includes(SECRET)).toBe(false);

    // The masked URL saved back (the window's form with another timeout) keeps the password.
    updateSendingSettings(ctx, { proxyUrl: saved.proxyUrl, timeoutSeconds: 45 });
    expect(proxyForSending(ctx)).toBe(`http://ops:${SECRET}@proxy.example:3128/`);
    updateSendingSettings(ctx, { proxyUrl: 'http://proxy.example:3128' });
    expect(proxyForSending(ctx)).toBe('http://proxy.example:3128/');
    ctx.db.close();
  });

  it('says what to do when the password cannot be opened here', () => {
    const file = path.join(dir, 'other.db');
    const ctx = testContext({ dbPath: file });
    updateSendingSettings(ctx, { proxyUrl: `http://ops:${SECRET}@proxy.example:3128` });
    ctx.db.close();
    const other = testContext({ dbPath: file, keySealer: passphraseSealer('another passphrase') });
    expect(() => proxyForSending(other)).toThrow(/PUSHDECK_PROXY|settings set --proxy/);
    other.db.close();
    // A send refuses before it starts: the campaign stays a draft, nothing is claimed.
    const same = testContext({ dbPath: file });
    const app = createTestApp(same);
    const id = draft(same, app);
    same.db.prepare("DELETE FROM settings WHERE key = 'sending.proxyPassword'").run();
    same.db
      .prepare("INSERT INTO settings (key, value) VALUES ('sending.proxyPassword', ?)")
      .run(JSON.stringify({ protection: 'safe-storage', sealed: 'AAAA' }));
    expect(() => startSend(same, id)).toThrow(/proxy password cannot be opened/);
    expect(same.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck().get(id)).toBe('draft');
    same.db.close();
  });

  it('pushdeck settings show and set print it masked, and refuse to store it unsealed', async () => {
    const db = path.join(dir, 'cli.db');
    const env = { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: TEST_PASSPHRASE };
    const set = await runPushdeck(['settings', 'set', '--proxy', `http://ops:${SECRET}@proxy.example:3128`], {
      env,
    });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('http://ops:********@proxy.example:3128/');
    const show = await runPushdeck(['settings', 'show', '--json'], { env });
    expect(show.stdout).not.toContain(SECRET);
    expect(JSON.parse(show.stdout)).toMatchObject({ proxyUrl: 'http://ops:********@proxy.example:3128/' });
    const locked = await runPushdeck(['settings', 'set', '--proxy', `http://ops:${SECRET}@other.example`], {
      env: { PUSHDECK_DB: db },
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/PUSHDECK_PASSPHRASE/);
  });
});
