// Numbered migrations, applied in order at open; the schema version lives in the file (PRAGMA user_version).
import type Database from 'better-sqlite3';
import { PushdeckError } from '../../../shared/errors.ts';
import { migrations } from './migrations/index.ts';

export const latestSchemaVersion = migrations.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestSchemaVersion) {
    throw new PushdeckError(
      'DB_TOO_NEW',
      `This database has schema version ${current}, newer than this Pushdeck understands (${latestSchemaVersion}). Update Pushdeck.`,
    );
  }
  for (let version = current + 1; version <= latestSchemaVersion; version++) {
    const migration = migrations[version - 1]!;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
