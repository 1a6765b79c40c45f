// Bulk actions in the background (subscriptions.bulk.start): the request is answered before the first
// chunk, and the action then runs on the same thread, in the chunks of bulk-actions.ts (each committed on
// its own, so a crash or a Stop keeps what was done), its end told as subscriptions.bulk.ended. How far it
// got is written after each chunk (bulk_runs, migration 16): a run that a crash cut short is told later.
import type { BulkEnded, BulkInterrupted, BulkRun, bulkRunsChannels } from '../../../shared/bulk-runs.ts';
import { channels, type HandlersOf } from '../../../shared/contract.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import type { BulkAction, BulkProgress } from '../../../shared/subscriptions.ts';
import { getApp } from '../apps/apps.ts';
import type { CoreContext } from '../context.ts';
import {
  deleteStamp,
  deleteSubscriptions,
  emptyTrash,
  restoreSubscriptions,
  tagSubscriptions,
} from './bulk-actions.ts';

/** The channel that runs the same action to its end: its declared changes are the run's. */
const channelOf = {
  tag: 'subscriptions.tag',
  delete: 'subscriptions.delete',
  restore: 'subscriptions.restore',
  emptyTrash: 'subscriptions.trash.empty',
} as const;

function runNow(ctx: CoreContext, appId: number, run: BulkRun, deletedAt: number | null): number {
  switch (run.action) {
    case 'tag':
      return tagSubscriptions(ctx, appId, run.selection, run.add, run.remove);
    case 'delete':
      return deleteSubscriptions(ctx, appId, run.selection, deletedAt!).count;
    case 'restore':
      return restoreSubscriptions(ctx, appId, { selection: run.selection, deletedAt: run.deletedAt });
    case 'emptyTrash':
      return emptyTrash(ctx, appId);
  }
}

/** An error as the window hears it, with how far the action got when it was not a Stop (which says so). */
function endError(error: unknown, channel: string, progress: BulkProgress | null): BulkEnded['error'] {
  if (isPushdeckError(error)) {
    const got =
      error.code !== 'BULK_STOPPED' && progress
        ? ` ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} subscriptions had been done; they keep the change.`
        : '';
    return { code: error.code, message: `${error.message}${got}` };
  }
  console.error(`Unexpected error in ${channel} (in the background)`, error);
  return { code: 'INTERNAL', message: `Something went wrong in ${channel}. See the log for details.` };
}

/**
 * The run's row in bulk_runs: written at its start, after each chunk's commit (the progress report comes
 * outside the chunk's transaction), and at its end.
 */
function recorder(ctx: CoreContext, appId: number, action: BulkAction) {
  const startedAt = Date.now();
  ctx.db
    .prepare(
      `INSERT INTO bulk_runs (app_id, action, done, total, started_at, updated_at, ended_at)
       VALUES (?, ?, 0, NULL, ?, ?, NULL)
       ON CONFLICT (app_id) DO UPDATE SET action = excluded.action, done = 0, total = NULL,
         started_at = excluded.started_at, updated_at = excluded.updated_at, ended_at = NULL`,
    )
    .run(appId, action, startedAt, startedAt);
  const mine = 'app_id = ? AND started_at = ?';
  return {
    progress: ({ done, total }: BulkProgress) =>
      ctx.db
        .prepare(`UPDATE bulk_runs SET done = ?, total = ?, updated_at = ? WHERE ${mine}`)
        .run(done, total, Date.now(), appId, startedAt),
    ended: () =>
      ctx.db.prepare(`UPDATE bulk_runs SET ended_at = ? WHERE ${mine}`).run(Date.now(), appId, startedAt),
  };
}

/** When this process loaded the module: a run not updated since began in an earlier one. */
export const processStartedAt = Date.now();

/** The app's last window run not updated since `before` and never ended (bulk_runs); marked told. */
export function interruptedRun(
  ctx: CoreContext,
  appId: number,
  before = processStartedAt,
): BulkInterrupted | null {
  return ctx.db.transaction(() => {
    const row = ctx.db
      .prepare(
        `SELECT action, done, total, started_at AS startedAt FROM bulk_runs
         WHERE app_id = ? AND ended_at IS NULL AND updated_at < ?`,
      )
      .get(appId, before) as BulkInterrupted | undefined;
    if (!row) return null;
    ctx.db.prepare('UPDATE bulk_runs SET ended_at = ? WHERE app_id = ?').run(Date.now(), appId);
    return row;
  })();
}

/**
 * Checks the app, names a delete, and runs the action after this call has answered (setImmediate: the
 * answer is posted first, on a query thread as in place). At the end: the lists' change (what the channel
 * answering at the end declares, told here since this call answered long before) and the end event.
 */
export function startBulkRun(
  ctx: CoreContext,
  request: { appId: number; runId: string; run: BulkRun },
): { deletedAt: number | null } {
  const appId = getApp(ctx, request.appId).id;
  const { run, runId } = request;
  const deletedAt = run.action === 'delete' ? deleteStamp(ctx) : null;
  const channel = channelOf[run.action];
  let progress: BulkProgress | null = null;
  let recorded: ReturnType<typeof recorder> | null = null;
  const tapped: CoreContext = {
    ...ctx,
    events: {
      emit(event, payload) {
        if (event === 'subscriptions.bulk.progress') {
          progress = payload as BulkProgress;
          try {
            recorded?.progress(progress);
          } catch {
            // Bookkeeping only: the action goes on (a crash then tells an earlier count).
          }
        }
        ctx.events.emit(event, payload);
      },
    },
  };
  setImmediate(() => {
    let count: number | null = null;
    let error: BulkEnded['error'] = null;
    try {
      recorded = recorder(ctx, appId, run.action);
      count = runNow(tapped, appId, run, deletedAt);
    } catch (thrown) {
      error = endError(thrown, channel, progress);
    }
    try {
      recorded?.ended();
    } catch {
      // Left open, it is told as cut short at a later start: the end below still reaches the window.
    }
    ctx.events.emit('data.changed', { scopes: [...channels[channel].changes] });
    ctx.events.emit('subscriptions.bulk.ended', {
      runId,
      appId,
      action: run.action,
      count,
      deletedAt,
      error,
    });
  });
  return { deletedAt };
}

export function bulkRunsHandlers(ctx: CoreContext): HandlersOf<typeof bulkRunsChannels> {
  return {
    'subscriptions.bulk.start': (request) => startBulkRun(ctx, request),
    'subscriptions.bulk.interrupted': ({ appId }) => interruptedRun(ctx, getApp(ctx, appId).id),
  };
}
