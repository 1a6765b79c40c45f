// The handler table: one function per contract channel, merged from the features' handler maps (a channel
// two of them define is refused), the channels placed on the query thread passed to it where the app runs
// one, and each channel's declared effects applied. The dispatcher serves it to the window, the CLI and tests.
import { mergeUnique } from '../../../shared/channel.ts';
import type { Handlers } from '../../../shared/contract.ts';
import { appsHandlers } from '../apps/handlers.ts';
import { auditHandlers } from '../audit-log/handlers.ts';
import { campaignExportHandlers } from '../results-export/handlers.ts';
import { campaignsHandlers } from '../campaigns/handlers.ts';
import type { RunOptions } from '../campaigns/runner.ts';
import { composeHandlers } from '../compose/handlers.ts';
import type { CoreContext } from '../context.ts';
import { doctorHandlers } from '../doctor.ts';
import { withEffects } from './effects.ts';
import type { QueryThread } from '../query-thread.ts';
import { scheduleHandlers } from '../schedule/handlers.ts';
import { settingsHandlers } from '../settings/handlers.ts';
import { bulkRunsHandlers } from '../subscriptions/bulk-runs.ts';
import { subscriptionsHandlers } from '../subscriptions/handlers.ts';
import { testDevicesHandlers } from '../test-devices/handlers.ts';

export interface HandlerOptions {
  /**
   * The query thread (startQueryThread): the composer's channels and the subscription list's reads answered
   * there, so that a count or a sorted page over a million subscriptions never holds up the main process.
   * The desktop app and the end-to-end harness pass one; without it (CLI, unit tests) everything runs in place.
   */
  queryThread?: QueryThread;
  /** How the window's sends run (e.g. `ca` for a push service with a private CA, as the tests have). */
  runOptions?: RunOptions;
  /**
   * Told when a run started by a call fails after the answer (main's log by default). Its follower hears it
   * as campaigns.ended too: the CLI, which says it itself, passes a sink that prints nothing.
   */
  onRunError?: (error: unknown) => void;
}

/** Each channel's handler as its feature wrote it, run here: what a query thread serves, and main wraps. */
export function featureHandlers(
  ctx: CoreContext,
  runOptions?: RunOptions,
  onRunError?: (error: unknown) => void,
): Handlers {
  return mergeUnique(
    doctorHandlers(ctx),
    appsHandlers(ctx),
    subscriptionsHandlers(ctx),
    bulkRunsHandlers(ctx),
    composeHandlers(ctx),
    campaignsHandlers(ctx, runOptions, onRunError),
    auditHandlers(ctx),
    scheduleHandlers(ctx, runOptions),
    campaignExportHandlers(ctx),
    settingsHandlers(ctx),
    testDevicesHandlers(ctx),
  );
}

export function createHandlers(ctx: CoreContext, options: HandlerOptions = {}): Handlers {
  const inPlace = featureHandlers(ctx, options.runOptions, options.onRunError);
  // The thread's channels are answered there instead: a replacement on purpose, not a second definition.
  return withEffects(ctx, options.queryThread ? { ...inPlace, ...options.queryThread.handlers } : inPlace);
}
