// `pushdeck db backup FILE` (SQLite's online backup API: a consistent copy while the app may be writing)
// and `pushdeck db check` (quick_check, or integrity_check with --full), for a database that may be damaged.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import { checkDatabase, damagedError } from '../../core/db/integrity.ts';
import { printData, table } from '../output.ts';
import type { CommandEnv } from '../program.ts';

export function registerDbCommands(program: Command, env: CommandEnv): void {
  const db = program.command('db').description('back up and check the database file');

  db.command('backup')
    .description('write a consistent copy of the database to FILE (safe while the app is running)')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, flags: { force?: boolean }) => {
      const target = path.resolve(file);
      if (fs.existsSync(target) && !flags.force) {
        throw new PushdeckError(
          'BACKUP_EXISTS',
          `${target} exists: choose another name, or add --force to replace it.`,
        );
      }
      await env.withContext(async (ctx) => {
        if (target === path.resolve(ctx.dbPath)) {
          throw new PushdeckError(
            'BACKUP_SAME_FILE',
            'A backup must go to another file than the database itself.',
          );
        }
        // Into a temporary file beside the target, checked, then renamed: a failed backup replaces nothing.
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
          const bytes = fs.statSync(target).size;
          printData(
            env.output(),
            { path: target, bytes, pages: totalPages },
            () =>
              `Backed up ${ctx.dbPath} to ${target} (${bytes} bytes). Restore it by copying it in place of the database while Pushdeck is closed.`,
          );
        } finally {
          fs.rmSync(temporary, { force: true });
        }
      });
    });

  db.command('check')
    .description('check the database file for damage (exit 1 if damaged)')
    .option('--full', 'the full integrity_check (slower): also checks that indexes match their tables')
    .action((flags: { full?: boolean }) => {
      const file = env.dbPath();
      if (!fs.existsSync(file)) {
        throw new PushdeckError(
          'DB_NOT_FOUND',
          `No Pushdeck database at ${file}. Check --db or PUSHDECK_DB.`,
        );
      }
      let problems: string[];
      try {
        const raw = new Database(file, { readonly: true, fileMustExist: true });
        try {
          problems = checkDatabase(raw, flags.full);
        } finally {
          raw.close();
        }
      } catch (error) {
        problems = [(error as Error).message];
      }
      if (fs.statSync(file).size === 0) problems = ['the file is empty (0 bytes)'];
      const ok = problems.length === 0;
      printData(env.output(), { path: file, ok, problems }, () =>
        ok
          ? `${file}: no damage found (${flags.full ? 'integrity_check' : 'quick_check'}).`
          : table([['Damaged', file], ...problems.map((p) => ['Problem', p] as [string, string])]),
      );
      if (!ok) throw damagedError(file, problems);
    });
}
