// Bulk actions in the background (subscriptions.bulk.start): the request is answered before the first
// chunk, and the action then runs on the same thread, in the chunks of bulk-actions.ts (each committed on
// its own, so a crash or a Stop keeps what was done), its end told as subscriptions.bulk.ended.
import type { BulkEnded, BulkRun, bulkRunsChannels } from '../../../shared/bulk-runs.ts';
import { channels, type HandlersOf } from '../../../shared/contract.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import type { BulkProgress } from '../../../shared/subscriptions.ts';
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
  const tapped: CoreContext = {
    ...ctx,
    events: {
      emit(event, payload) {
        if (event === 'subscriptions.bulk.progress') progress = payload as BulkProgress;
        ctx.events.emit(event, payload);
      },
    },
  };
  setImmediate(() => {
    let count: number | null = null;
    let error: BulkEnded['error'] = null;
    try {
      count = runNow(tapped, appId, run, deletedAt);
    } catch (thrown) {
      error = endError(thrown, channel, progress);
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
  return { 'subscriptions.bulk.start': (request) => startBulkRun(ctx, request) };
}
