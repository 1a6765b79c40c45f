// A database file left at an older schema version, as an earlier Pushdeck wrote it, for upgrade tests.
import Database from 'better-sqlite3';
import { migrations } from '../../src/main/core/db/migrations/index.ts';

/** Opens `file` and runs the first `version` migrations only, setting user_version as openDatabase does. */
export function databaseAtSchema(file: string, version: number): Database.Database {
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  for (const [i, migration] of migrations.slice(0, version).entries()) {
    migration.up(raw);
    raw.pragma(`user_version = ${i + 1}`);
  }
  return raw;
}
