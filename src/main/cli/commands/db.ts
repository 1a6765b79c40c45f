// `pushdeck db backup FILE` (SQLite's online backup API: a consistent copy while the app may be writing)
// and `pushdeck db check` (quick_check, or integrity_check with --full), for a database that may be damaged.
import path from 'node:path';
import { checkDatabaseFile, damagedError } from '../../core/dispatch/in-process.ts';
import { printData, table } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

export function registerDbCommands(program: CliCommand, env: CommandEnv): void {
  const db = program.command('db').description('back up and check the database file');

  db.command('backup')
    .description('write a consistent copy of the database to FILE (safe while the app is running)')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'replace FILE if it exists')
    .coreAction(env, async (call, file: string, flags: { force?: boolean }) => {
      const target = path.resolve(file);
      const backup = await call('db.backup', { path: target, force: Boolean(flags.force) });
      const { path: written, bytes, pages } = backup;
      printData(
        env.output(),
        { path: written, bytes, pages },
        () =>
          `Backed up ${env.dbPath()} to ${written} (${bytes} bytes). Restore it by copying it in place of the database while Pushdeck is closed.`,
      );
    });

  db.command('check')
    .description('check the database file for damage (exit 1 if damaged)')
    .option('--full', 'the full integrity_check (slower): also checks that indexes match their tables')
    .action((flags: { full?: boolean }) => {
      const file = env.dbPath();
      // Not through the door: opening it refuses a damaged file, and this command is there to list the damage.
      const problems = checkDatabaseFile(file, flags.full);
      const ok = problems.length === 0;
      printData(env.output(), { path: file, ok, problems }, () =>
        ok
          ? `${file}: no damage found (${flags.full ? 'integrity_check' : 'quick_check'}).`
          : table([['Damaged', file], ...problems.map((p) => ['Problem', p] as [string, string])]),
      );
      if (!ok) throw damagedError(file, problems);
    });
}
