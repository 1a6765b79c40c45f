// A backup of the open database with SQLite's online backup API (a consistent copy while the app may be
// writing), into a temporary file beside the target, checked, then renamed: a failed backup replaces nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DatabaseBackup } from '../../../shared/doctor.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';
import { checkDatabase, damagedError } from './integrity.ts';

export async function backupDatabase(
  ctx: CoreContext,
  file: string,
  force: boolean,
): Promise<DatabaseBackup> {
  const target = path.resolve(file);
  if (fs.existsSync(target) && !force) {
    throw new PushdeckError(
      'BACKUP_EXISTS',
      `${target} exists: choose another name, or add --force to replace it.`,
    );
  }
  if (target === path.resolve(ctx.dbPath)) {
    throw new PushdeckError('BACKUP_SAME_FILE', 'A backup must go to another file than the database itself.');
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    const { totalPages } = await ctx.db.backup(temporary);
    const copy = new Database(temporary, { readonly: true });
    let problems: string[];
    try {
      problems = checkDatabase(copy);
    } finally {
      copy.close();
    }
    if (problems.length > 0) throw damagedError(ctx.dbPath, problems);
    fs.renameSync(temporary, target);
    return { path: target, bytes: fs.statSync(target).size, pages: totalPages };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
