// Notices a damaged database before Pushdeck writes into it. A clean close (the last connection gone, its
// WAL folded in and removed) records the file's size and time beside it; a file that changed since, or
// that has a WAL left (a crash, or another process using it), gets PRAGMA quick_check at open: ~0.65 s
// per 200 MB here, so it runs only then. A 0-byte file is never taken for a new database.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { PushdeckError } from '../../../shared/errors.ts';

interface Stamp {
  size: number;
  mtimeMs: number;
}

const stampFile = (file: string) => `${file}.closed`;
const walSize = (file: string) => {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return -1;
  }
};

function stampOf(file: string): Stamp | null {
  try {
    const { size, mtimeMs } = fs.statSync(file);
    return { size, mtimeMs };
  } catch {
    return null;
  }
}

/** Whether an existing file may have changed since Pushdeck last closed it cleanly (or checked it). */
export function needsCheck(file: string): boolean {
  if (walSize(file) > 0) return true;
  const now = stampOf(file);
  try {
    const stored = JSON.parse(fs.readFileSync(stampFile(file), 'utf8')) as Stamp;
    return !now || stored.size !== now.size || stored.mtimeMs !== now.mtimeMs;
  } catch {
    return true;
  }
}

/** Records the file as it is now as known to be whole (after a clean close or a passed check). */
export function recordWhole(file: string): void {
  const now = stampOf(file);
  if (!now) return;
  try {
    fs.writeFileSync(stampFile(file), JSON.stringify(now), { mode: 0o600 });
  } catch {
    // Without the record the next open checks the file again: slower, never wrong.
  }
}

/** The records the close of `db` leaves: whole, if it was the last connection (no WAL left). */
export function recordOnClose(db: Database.Database, file: string): void {
  const close = db.close.bind(db);
  db.close = () => {
    close();
    if (walSize(file) < 0) recordWhole(file);
    return db;
  };
}

/** PRAGMA quick_check (or integrity_check): [] when whole, else the first problems SQLite names. */
export function checkDatabase(db: Database.Database, full = false): string[] {
  const rows = db.pragma(`${full ? 'integrity_check' : 'quick_check'}(20)`, { simple: false }) as Array<
    Record<string, string>
  >;
  // SQLite's report spans lines ("*** in database main ***\nPage 5: …"): one line each, for an error line.
  const problems = rows.map((row) => Object.values(row)[0]!.replace(/\s+/g, ' ').trim());
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

const RECOVER =
  'Pushdeck has not written to it. Move it aside (keep it), then copy your last backup (made with `pushdeck db backup FILE`) in its place; `pushdeck db check` lists the damage.';

export function damagedError(file: string, problems: string[]): PushdeckError {
  return new PushdeckError(
    'DB_DAMAGED',
    `${file} is damaged (${problems.slice(0, 3).join('; ')}). ${RECOVER}`,
  );
}

/** A 0-byte existing file: SQLite would silently make a new, empty database of it. */
export function emptyFileError(file: string): PushdeckError | null {
  try {
    if (fs.statSync(file).size !== 0 || walSize(file) > 0) return null;
  } catch {
    return null;
  }
  return new PushdeckError(
    'DB_EMPTY',
    `${file} is empty (0 bytes): whatever it held is gone (a failed copy or disk?). ${RECOVER.replace('Pushdeck has not written to it. ', '')} To start afresh instead, delete it.`,
  );
}

/**
 * `pushdeck db check`: opens the file read-only without Pushdeck's own opening (which refuses a damaged
 * file), and lists its problems; [] when whole.
 */
export function checkDatabaseFile(file: string, full = false): string[] {
  if (!fs.existsSync(file)) {
    throw new PushdeckError('DB_NOT_FOUND', `No Pushdeck database at ${file}. Check --db or PUSHDECK_DB.`);
  }
  let problems: string[];
  try {
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    try {
      problems = checkDatabase(raw, full);
    } finally {
      raw.close();
    }
  } catch (error) {
    problems = [(error as Error).message];
  }
  return fs.statSync(file).size === 0 ? ['the file is empty (0 bytes)'] : problems;
}
