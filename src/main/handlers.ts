// The main-process handler table: one function per contract channel, built from the core services.
// ipc.ts registers it with Electron; the end-to-end harness calls the very same table.
import type { Handlers } from '../shared/contract.ts';
import type { CoreContext } from './core/context.ts';
import { appsHandlers } from './core/apps/handlers.ts';
import { auditHandlers } from './core/audit-log/handlers.ts';
import { campaignExportHandlers } from './core/campaign-export/handlers.ts';
import { campaignsHandlers } from './core/campaigns/handlers.ts';
import { composeHandlers } from './core/compose/handlers.ts';
import { doctorReport } from './core/doctor.ts';
import { fileHandlers } from './core/file-handlers.ts';
import type { QueryThread } from './core/query-thread.ts';
import type { RunOptions } from './core/campaigns/runner.ts';
import { scheduleHandlers } from './core/schedule/handlers.ts';
import { settingsHandlers } from './core/settings/handlers.ts';
import { subscriptionsHandlers } from './core/subscriptions/handlers.ts';
import { testDevicesHandlers } from './core/test-devices/handlers.ts';

export interface HandlerOptions {
  /**
   * The query thread (startQueryThread): the composer's channels and the subscription list's reads answered
   * there, so that a count or a sorted page over a million subscriptions never holds up the main process.
   * The desktop app and the end-to-end harness pass one; without it (unit tests) everything runs in place.
   */
  queryThread?: QueryThread;
  /** How the window's sends run (e.g. `ca` for a push service with a private CA, as the tests have). */
  runOptions?: RunOptions;
}

export function createHandlers(ctx: CoreContext, options: HandlerOptions = {}): Handlers {
  return {
    'doctor.report': () => doctorReport(ctx),
    ...appsHandlers(ctx),
    ...subscriptionsHandlers(ctx),
    ...composeHandlers(ctx),
    ...campaignsHandlers(ctx, options.runOptions),
    ...auditHandlers(ctx),
    ...scheduleHandlers(ctx),
    ...campaignExportHandlers(ctx),
    ...settingsHandlers(ctx),
    ...testDevicesHandlers(ctx),
    ...fileHandlers(ctx),
    ...options.queryThread?.handlers,
  };
}
