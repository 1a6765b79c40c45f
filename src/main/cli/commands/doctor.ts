// `pushdeck doctor`: where the database is, its schema, the versions that run, how keys are protected.
import type { Command } from 'commander';
import { printData, table } from '../output.ts';
import type { CommandEnv } from '../program.ts';

export function registerDoctor(program: Command, env: CommandEnv): void {
  program
    .command('doctor')
    .description('check the database, the runtime and how keys are protected')
    .action(async () => {
      await env.withCore(async (call) => {
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
    });
}
