import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  latestSchemaVersion,
  openDatabase,
  schemaVersion,
  THREAD_CACHE_KIB,
} from '../../../../src/main/core/db/database.ts';
import { databaseAtSchema } from '../../../support/old-schema.ts';
import { tempDir } from '../../../support/temp-dir.ts';

describe('openDatabase', () => {
  const dir = tempDir();

  it('creates the file and its folder, in WAL mode with foreign keys, at the latest schema', () => {
    const file = path.join(dir, 'nested', 'a.db');
    const db = openDatabase(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(latestSchemaVersion).toBeGreaterThanOrEqual(1);
    db.close();
  });

  it("gives a thread's connection a smaller page cache, and others better-sqlite3's 16 MB", () => {
    const file = path.join(dir, 'cache.db');
    const plain = openDatabase(file);
    const thread = openDatabase(file, { cacheKib: THREAD_CACHE_KIB });
    // Negative: KiB, not pages (https://www.sqlite.org/pragma.html#pragma_cache_size).
    expect(plain.pragma('cache_size', { simple: true })).toBe(-16000);
    expect(thread.pragma('cache_size', { simple: true })).toBe(-THREAD_CACHE_KIB);
    expect(THREAD_CACHE_KIB).toBeLessThan(16000);
    thread.close();
    plain.close();
  });

  it('keeps data across reopen and does not run migrations twice', () => {
    const file = path.join(dir, 'b.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
    second.close();
  });

  it('refuses a database from a newer Pushdeck with DB_TOO_NEW and leaves it untouched', () => {
    const file = path.join(dir, 'c.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(latestSchemaVersion + 5);
    check.close();
  });

  it('refuses a file that is not SQLite with DB_INVALID', () => {
    const file = path.join(dir, 'not-a-db.db');
    fs.writeFileSync(file, 'hello, this is a text file and not a database at all'.repeat(100));
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_INVALID' }));
  });

  it('keeps the audit log append-only', () => {
    const db = openDatabase(path.join(dir, 'd.db'));
    db.prepare("INSERT INTO audit_log (at, actor, action) VALUES (1, 'cli', 'test')").run();
    expect(() => db.prepare('UPDATE audit_log SET action = ?').run('changed')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('upgrades a schema-5 file in place: campaigns keep their rows and gain a stored summary that deliveries clear', () => {
    const file = path.join(dir, 'v5.db');
    const raw = databaseAtSchema(file, 5);
    raw.exec(`
      INSERT INTO apps (id, name, subject, created_at, updated_at) VALUES (1, 'a.example', 'mailto:a@a.example', 1, 1);
      INSERT INTO campaigns (id, app_id, name, state, message, audience, options, created_at, updated_at)
        VALUES (7, 1, 'Spring', 'completed', '{}', '{}', '{}', 1, 1);
    `);
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare('SELECT name, results_summary FROM campaigns WHERE id = 7').get()).toEqual({
      name: 'Spring',
      results_summary: null,
    });
    db.prepare("UPDATE campaigns SET results_summary = '{}' WHERE id = 7").run();
    db.prepare(
      `INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
       VALUES (1, 1, 'https://push.example/1', 1, 'k', 'a', 'other', 1, 1)`,
    ).run();
    db.prepare(
      "INSERT INTO deliveries (campaign_id, subscription_id, state, updated_at) VALUES (7, 1, 'pending', 1)",
    ).run();
    expect(db.prepare('SELECT results_summary FROM campaigns WHERE id = 7').pluck().get()).toBeNull();
    db.close();
  });
});
