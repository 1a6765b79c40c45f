// Handlers of the subscriptions channels: imports run in a worker, everything else is a query or one
// transaction on the main connection.
import type { HandlersOf } from '../../../shared/contract.ts';
import type {
  ImportSource,
  subscriptionsChannels,
  WindowImportSource,
} from '../../../shared/subscriptions.ts';
import { getApp } from '../apps/apps.ts';
import { saveFileChooser, type CoreContext } from '../context.ts';
import {
  cancelBulk,
  deleteSubscriptions,
  emptyTrash,
  restoreSubscriptions,
  tagSubscriptions,
} from './bulk-actions.ts';
import { exportToFile } from './export/list.ts';
import { cancelExport, exportOnThread } from './export/thread.ts';
import { cancelImport, importSubscriptions, previewImport } from './import/service.ts';
import { ensureSubscriptionIndexes } from './import/writer.ts';
import { findByEndpoint } from './endpoint-hash.ts';
import {
  countSubscriptions,
  countSubscriptionsUpTo,
  listPage,
  subscriptionDetail,
  tagNames,
} from './list-query.ts';
import { listsChanged } from './page-anchors.ts';
import { setSubscriptionTimeZone, timeZoneFacets } from './time-zones.ts';

// The window names files by token only (file-tokens.ts): main turns a token into the path the user chose in
// its dialog or dropped, and never takes a path from the window. The CLI calls the core with paths itself.
function sourceFromWindow(ctx: CoreContext, source: WindowImportSource): ImportSource {
  return 'file' in source ? { path: ctx.files.resolve(source.file) } : source;
}

export function subscriptionsHandlers(ctx: CoreContext): HandlersOf<typeof subscriptionsChannels> {
  ensureSubscriptionIndexes(ctx.db);
  const appId = (id: number) => getApp(ctx, id).id;
  return {
    'subscriptions.import.preview': ({ source, format }) =>
      previewImport(sourceFromWindow(ctx, source), format),
    'subscriptions.import': async (request) => {
      const source = sourceFromWindow(ctx, request.source);
      try {
        return await importSubscriptions(ctx, { ...request, source });
      } finally {
        listsChanged();
      }
    },
    'subscriptions.import.cancel': ({ importId }) => ({ cancelled: cancelImport(importId) }),
    'subscriptions.page': (request) => ({
      rows: listPage(ctx.db, appId(request.appId), request.filter, request.sort, request.page, request.limit),
    }),
    'subscriptions.findByEndpoint': (request) => ({
      ids: findByEndpoint(ctx.db, appId(request.appId), request.endpoints, request.inTrash),
    }),
    'subscriptions.importPath': async ({ path, ...request }) => {
      try {
        return await importSubscriptions(ctx, { ...request, source: { path } });
      } finally {
        listsChanged();
      }
    },
    'subscriptions.exportPath': ({ appId: givenApp, filter, format, path }) => ({
      count: exportToFile(ctx.db, appId(givenApp), filter, format, path).count,
    }),
    'subscriptions.count': (request) =>
      request.upTo === undefined
        ? { count: countSubscriptions(ctx.db, appId(request.appId), request.filter) }
        : countSubscriptionsUpTo(ctx.db, appId(request.appId), request.filter, request.upTo),
    'subscriptions.facets': (request) => ({
      tags: tagNames(ctx.db, appId(request.appId)),
      trash: countSubscriptions(ctx.db, appId(request.appId), { deleted: true }),
      timeZones: timeZoneFacets(ctx.db, appId(request.appId)),
    }),
    'subscriptions.setTimeZone': (request) =>
      setSubscriptionTimeZone(ctx, appId(request.appId), request.id, request.timeZone),
    'subscriptions.detail': (request) => subscriptionDetail(ctx.db, appId(request.appId), request.id),
    'subscriptions.tag': (request) => ({
      count: tagSubscriptions(ctx, appId(request.appId), request.selection, request.add, request.remove),
    }),
    'subscriptions.delete': (request) => deleteSubscriptions(ctx, appId(request.appId), request.selection),
    'subscriptions.restore': (request) => ({
      count: restoreSubscriptions(ctx, appId(request.appId), {
        selection: request.selection,
        deletedAt: request.deletedAt,
      }),
    }),
    'subscriptions.trash.empty': (request) => ({ count: emptyTrash(ctx, appId(request.appId)) }),
    'subscriptions.bulk.cancel': (request) => cancelBulk(ctx, appId(request.appId)),
    'subscriptions.export': async ({ appId: givenApp, filter, format, exportId }) => {
      const app = getApp(ctx, givenApp);
      const chooseSaveFile = saveFileChooser(
        ctx,
        'EXPORT_UNAVAILABLE',
        'pushdeck subs export FILE --app NAME',
      );
      const file = await chooseSaveFile({
        title: `Export the subscriptions of ${app.name}`,
        defaultName: `${app.name}-subscriptions.${format}`,
      });
      if (!file) return { saved: false, cancelled: false, count: 0, path: null };
      const { count, cancelled } = await exportOnThread(ctx, {
        appId: app.id,
        filter,
        format,
        file,
        exportId,
      });
      return { saved: !cancelled, cancelled, count, path: cancelled ? null : file };
    },
    'subscriptions.export.cancel': ({ exportId }) => ({ cancelled: cancelExport(ctx, exportId) }),
  };
}
