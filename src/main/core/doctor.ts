// The doctor report: a quick look at where the data is, what runs, and how keys are protected; and the
// database's backup.
import type { HandlersOf } from '../../shared/contract.ts';
import type { doctorChannels, DoctorReport } from '../../shared/doctor.ts';
import type { CoreContext } from './context.ts';
import { backupDatabase } from './db/backup.ts';
import { latestSchemaVersion, schemaVersion, sqliteVersion } from './db/database.ts';

export function doctorReport(ctx: CoreContext): DoctorReport {
  return {
    dbPath: ctx.dbPath,
    schemaVersion: schemaVersion(ctx.db),
    latestSchemaVersion,
    nodeVersion: process.versions.node,
    sqliteVersion: sqliteVersion(ctx.db),
    electronVersion: ctx.runtime.electronVersion,
    pushdeckVersion: ctx.runtime.pushdeckVersion,
    keyProtection: ctx.keyProtection(),
  };
}

export function doctorHandlers(ctx: CoreContext): HandlersOf<typeof doctorChannels> {
  return {
    'doctor.report': () => doctorReport(ctx),
    'db.backup': ({ path, force }) => backupDatabase(ctx, path, force),
  };
}
