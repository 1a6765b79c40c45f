// The database folder and files are the owner's only: 0700 for a folder made for it, 0600 for the database,
// its WAL and SHM, and for the files Pushdeck writes (exports, rejects).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/db/database.ts';
import { recordWhole } from '../../../../src/main/core/db/integrity.ts';
import { replaceFile } from '../../../../src/main/core/file-replace.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

// POSIX permission bits: Windows has none to check (its ACLs are another mechanism), so only there it is skipped.
describe.skipIf(process.platform === 'win32')('file modes', () => {
  const dir = tempDir();

  it('creates the data folder 0700 and the database, WAL and SHM 0600', () => {
    const file = path.join(dir, 'Pushdeck', 'pushdeck.db');
    const db = openDatabase(file);
    db.prepare('CREATE TABLE IF NOT EXISTS t (x)').run();
    expect(mode(path.dirname(file))).toBe(0o700);
    for (const part of [file, `${file}-wal`, `${file}-shm`])
      expect([part, mode(part)]).toEqual([part, 0o600]);
    db.close();
    // The clean-close stamp beside it (integrity.ts).
    recordWhole(file);
    expect(mode(`${file}.closed`)).toBe(0o600);
  });

  it('tightens a database found readable by others', () => {
    const file = path.join(dir, 'old.db');
    openDatabase(file).close();
    fs.chmodSync(file, 0o644);
    const db = openDatabase(file);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    db.close();
  });

  it('writes exports 0600', () => {
    const file = path.join(dir, 'export.csv');
    const out = replaceFile(file);
    out.write('endpoint\n');
    out.commit();
    expect(mode(file)).toBe(0o600);
  });
});
