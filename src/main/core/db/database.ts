// Opens the one SQLite file that the app and the CLI share: WAL, foreign keys on, migrations run at open.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  checkDatabase,
  damagedError,
  emptyFileError,
  needsCheck,
  recordOnClose,
  recordWhole,
} from './integrity.ts';
import { allowCheckpoints } from './checkpoint.ts';
import { latestSchemaVersion, migrate } from './migrate.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open an existing file only; never create one. */
  mustExist?: boolean;
  /** Run quick_check first if the file may have changed since its last clean close (integrity.ts). */
  check?: boolean;
  /** The connection's page cache in KiB, when not better-sqlite3's default (16 MB, THREAD_CACHE_KIB). */
  cacheKib?: number;
}

/**
 * The page cache of a thread's connection (query lanes, export, dry run). better-sqlite3 builds SQLite with
 * SQLITE_DEFAULT_CACHE_SIZE=-16000 (deps/defines.gypi), 16 MB per connection, and the app has one per
 * thread: six of them full after a million rows' reads took ~100 MB of the process. A negative cache_size
 * is KiB (https://www.sqlite.org/pragma.html#pragma_cache_size); 4 MB costs the bench's reads no CPU at
 * 1M (deep pages, filters, search, a whole export: the same ±10 %), the OS's file cache serves the rest.
 */
export const THREAD_CACHE_KIB = 4096;

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (options.mustExist && !fs.existsSync(file)) {
    throw new PushdeckError('DB_NOT_FOUND', `No Pushdeck database at ${file}. Check --db or PUSHDECK_DB.`);
  }
  try {
    // A folder made for the database is the owner's only: it holds subscribers and sealed keys.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new PushdeckError(
      'DB_UNWRITABLE',
      `Cannot create the folder for ${file}: ${(error as Error).message}. Choose another path with --db.`,
    );
  }
  const empty = emptyFileError(file);
  if (empty) throw empty;
  const check = options.check === true && fs.existsSync(file) && needsCheck(file);
  let db: Db;
  try {
    db = new Database(file);
    keepPrivate(file);
  } catch (error) {
    throw new PushdeckError('DB_OPEN_FAILED', `Cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL is durable against a crash of the process (not of the OS), at far less cost.
    db.pragma('synchronous = NORMAL');
    if (options.cacheKib !== undefined) db.pragma(`cache_size = ${-Math.round(options.cacheKib)}`);
    keepPrivate(file);
    if (check) {
      const problems = checkDatabase(db);
      if (problems.length > 0) throw damagedError(file, problems);
      recordWhole(file);
    }
    allowCheckpoints(db);
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof PushdeckError) throw error;
    const message = (error as Error).message;
    if (/malformed/i.test(message)) throw damagedError(file, [message]);
    if (/file is not a database/i.test(message)) {
      throw new PushdeckError(
        'DB_INVALID',
        `${file} is not a Pushdeck database (${message}). Choose another path.`,
      );
    }
    throw new PushdeckError('DB_OPEN_FAILED', `Cannot open ${file}: ${message}`);
  }
  recordOnClose(db, file);
  return db;
}

/**
 * The database, its WAL and its shared-memory file are the owner's only (0600), new or found wider (issue
 * 12: created 0644, subscriber data and sealed keys were readable by any local user). SQLite creates the WAL
 * and SHM with the database file's permissions, so they follow once it is private.
 */
function keepPrivate(file: string): void {
  for (const part of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(part).mode & 0o077) !== 0) fs.chmodSync(part, 0o600);
    } catch {
      // Not there (no WAL yet), or not ours to change (a read-only copy): nothing to tighten.
    }
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function sqliteVersion(db: Db): string {
  return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
}

export { latestSchemaVersion };
