// The doctor report: a quick look at where the data is, what runs, and how keys are protected.
import type { DoctorReport } from '../../shared/doctor.ts';
import type { CoreContext } from './context.ts';
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
