// `pushdeck doctor`: where the database is, its schema, the versions that run, how keys are protected.
import { printData, table } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

export function registerDoctor(program: CliCommand, env: CommandEnv): void {
  program
    .command('doctor')
    .description('check the database, the runtime and how keys are protected')
    .coreAction(env, async (call) => {
      const report = await call('doctor.report', {});
      printData(env.output(), report, () =>
        table([
          ['Database', report.dbPath],
          ['Schema version', `${report.schemaVersion} (latest ${report.latestSchemaVersion})`],
          ['Pushdeck', report.pushdeckVersion],
          ['Node.js', report.nodeVersion],
          ['SQLite', report.sqliteVersion],
          ['Key protection', `${report.keyProtection.mode}: ${report.keyProtection.description}`],
          ...(report.keyProtection.warning ? [['Warning', report.keyProtection.warning] as const] : []),
        ]),
      );
    });
}
