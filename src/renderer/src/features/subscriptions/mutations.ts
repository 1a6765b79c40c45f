// Mutations of the subscriptions area: import (with live progress), bulk tag/untag, delete with undo,
// restore, empty the trash (each started in the background, answered at once, with its progress when it
// takes seconds), export to a file that main asks for. Main tells the window what each changed
// (data.changed): the import when its thread ends, a bulk action at its end, the rest as their channels
// declare.
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { createElement, useEffect, useState, type ReactNode } from 'react';
import type { BulkRun } from '../../../../shared/bulk-runs.ts';
import type { EventName, EventPayload } from '../../../../shared/contract.ts';
import type {
  BulkAction,
  WindowImportSource,
  ColumnMapping,
  ImportFormat,
  ImportProgress,
  Selection,
  SubscriptionFilter,
} from '../../../../shared/subscriptions.ts';
import { call, subscribe } from '../../api/client.ts';
import { BulkProgress } from './components/BulkProgress.tsx';
import { ExportProgress } from './components/ExportProgress.tsx';
import { UndoButton } from './components/UndoButton.tsx';
import { showError } from '../../components/show-error.ts';

function subscriptions(count: number): string {
  return `${count.toLocaleString()} subscription${count === 1 ? '' : 's'}`;
}

const bulkTitles: Record<BulkAction, string> = {
  tag: 'Changing tags…',
  delete: 'Moving to the trash…',
  restore: 'Restoring…',
  emptyTrash: 'Emptying the trash…',
};

/**
 * Follows a long task in one notification: shown from its first report on (`view` gives its title and
 * message, or null for another task's report), gone when the task ends. Returns that stop.
 */
function followInNotification<E extends EventName>(
  id: string,
  event: E,
  view: (progress: EventPayload<E>) => { title: string; message: ReactNode } | null,
): () => void {
  let shown = false;
  const off = subscribe(event, (progress) => {
    const content = view(progress);
    if (!content) return;
    const update = { id, loading: true, autoClose: false as const, withCloseButton: false, ...content };
    if (shown) notifications.update(update);
    else notifications.show(update);
    shown = true;
  });
  return () => {
    off();
    if (shown) notifications.hide(id);
  };
}

/** A bulk action's progress while it runs (an action over more than one chunk of the list takes seconds). */
function followBulk(appId: number, action: BulkAction): () => void {
  return followInNotification(`bulk-${action}-${Date.now()}`, 'subscriptions.bulk.progress', (progress) =>
    progress.appId === appId && progress.action === action
      ? {
          title: bulkTitles[action],
          // Stops after the chunk under way; the action then fails with BULK_STOPPED, its error shown.
          message: createElement(BulkProgress, {
            ...progress,
            onStop: () => void call('subscriptions.bulk.cancel', { appId }).catch(() => undefined),
          }),
        }
      : null,
  );
}

/** The mutation options that follow a bulk action's progress (followBulk). */
function followed(appId: number, action: BulkAction) {
  return {
    onMutate: () => followBulk(appId, action),
    onSettled: (_data: unknown, _error: unknown, _input: unknown, stop: (() => void) | undefined) => stop?.(),
  };
}

/**
 * Starts a bulk action in the background (the request answers at once, before its first chunk) and
 * settles at its end: what it did, or its error (a Stop's says how far it got).
 */
function runInBackground(appId: number, run: BulkRun): Promise<{ count: number; deletedAt: number | null }> {
  const runId = `bulk-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  return new Promise((resolve, reject) => {
    // Listening before the start: a small action may end before its answer arrives.
    const off = subscribe('subscriptions.bulk.ended', (end) => {
      if (end.runId !== runId) return;
      off();
      if (end.count === null) reject(new Error(end.error?.message ?? 'The action did not finish.'));
      else resolve({ count: end.count, deletedAt: end.deletedAt });
    });
    call('subscriptions.bulk.start', { appId, runId, run }).catch((error: unknown) => {
      off();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

const bulkNames: Record<BulkAction, string> = {
  tag: 'Changing tags',
  delete: 'Moving to the trash',
  restore: 'Restoring',
  emptyTrash: 'Emptying the trash',
};

/**
 * Tells once, as the list opens, of the app's bulk action that an earlier run of Pushdeck left unfinished
 * (it crashed or was quit meanwhile): how far its committed chunks got.
 */
export function useInterruptedBulkNotice(appId: number): void {
  useEffect(() => {
    call('subscriptions.bulk.interrupted', { appId })
      .then((run) => {
        if (!run) return;
        const got =
          run.total === null
            ? 'before its first part was written'
            : `after ${run.done.toLocaleString()} of ${subscriptions(run.total)}; those keep the change`;
        notifications.show({
          color: 'yellow',
          autoClose: false,
          title: `${bulkNames[run.action]} did not finish`,
          message: `Pushdeck closed ${got}. Run it again to finish the rest.`,
        });
      })
      .catch(() => undefined);
  }, [appId]);
}

export interface ImportInput {
  appId: number;
  source: WindowImportSource;
  format?: ImportFormat;
  tags?: string[];
  mapping?: ColumnMapping;
}

/** Runs one import; `progress` follows it while it runs, `cancel` stops it between batches. */
export function useImport() {
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    if (!importId) return undefined;
    return subscribe('subscriptions.import.progress', (event) => {
      if (event.importId === importId) setProgress(event);
    });
  }, [importId]);
  const mutation = useMutation({
    mutationFn: (input: ImportInput) => {
      const id = `import-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      setImportId(id);
      setProgress(null);
      return call('subscriptions.import', {
        importId: id,
        appId: input.appId,
        source: input.source,
        format: input.format,
        tags: input.tags?.length ? input.tags : undefined,
        mapping: input.mapping,
      });
    },
  });
  return {
    ...mutation,
    progress,
    cancel: () => (importId ? call('subscriptions.import.cancel', { importId }) : undefined),
  };
}

export function useTagSubscriptions(appId: number) {
  return useMutation({
    mutationFn: (input: { selection: Selection; add?: string[]; remove?: string[] }) =>
      runInBackground(appId, { action: 'tag', ...input }),
    ...followed(appId, 'tag'),
    onSuccess: ({ count }, input) =>
      notifications.show({
        message: `${input.add?.length ? 'Tagged' : 'Untagged'} ${subscriptions(count)}.`,
      }),
    onError: showError('Could not change the tags'),
  });
}

export function useRestoreSubscriptions(appId: number) {
  return useMutation({
    mutationFn: (input: { selection?: Selection; deletedAt?: number }) =>
      runInBackground(appId, { action: 'restore', ...input }),
    ...followed(appId, 'restore'),
    onSuccess: ({ count }) => notifications.show({ message: `Restored ${subscriptions(count)}.` }),
    onError: showError('Could not restore'),
  });
}

export function useDeleteSubscriptions(appId: number) {
  const restore = useRestoreSubscriptions(appId);
  return useMutation({
    mutationFn: (selection: Selection) => runInBackground(appId, { action: 'delete', selection }),
    ...followed(appId, 'delete'),
    onSuccess: ({ count, deletedAt }) => {
      if (deletedAt === null) return;
      const id = `deleted-${deletedAt}`;
      notifications.show({
        id,
        autoClose: 10_000,
        title: `Moved ${subscriptions(count)} to the trash`,
        message: createElement(UndoButton, {
          onClick: () => {
            notifications.hide(id);
            restore.mutate({ deletedAt });
          },
        }),
      });
    },
    onError: showError('Could not delete'),
  });
}

export function useEmptyTrash(appId: number) {
  return useMutation({
    mutationFn: () => runInBackground(appId, { action: 'emptyTrash' }),
    ...followed(appId, 'emptyTrash'),
    onSuccess: ({ count }) => notifications.show({ message: `Deleted ${subscriptions(count)} for good.` }),
    onError: showError('Could not empty the trash'),
  });
}

/**
 * Exports what the filter shows: main asks where to save and writes the file on a thread of its own. While
 * it runs, a notification shows its progress with a Stop button; nothing of the list passes through here.
 */
export function useExportSubscriptions(appId: number) {
  return useMutation({
    mutationFn: (input: { filter: SubscriptionFilter; format: ImportFormat }) => {
      const exportId = `export-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      return call('subscriptions.export', { appId, exportId, ...input });
    },
    onMutate: () => followExport(appId),
    onSettled: (_data, _error, _input, stop) => stop?.(),
    onSuccess: (result) => {
      if (result.saved) {
        notifications.show({ message: `Exported ${subscriptions(result.count)} to ${result.path}.` });
      } else if (result.cancelled) {
        notifications.show({
          message: `Export stopped after ${subscriptions(result.count)}; no file was left.`,
        });
      }
    },
    onError: showError('Could not export'),
  });
}

/** The export's progress notification, from its first report on (a list of more than a few thousand). */
function followExport(appId: number): () => void {
  return followInNotification(`export-${appId}-${Date.now()}`, 'subscriptions.export.progress', (progress) =>
    progress.appId === appId
      ? {
          title: 'Exporting…',
          message: createElement(ExportProgress, {
            progress,
            onStop: () =>
              progress.exportId && void call('subscriptions.export.cancel', { exportId: progress.exportId }),
          }),
        }
      : null,
  );
}

/** Saves a small text (an import's rejects) as a file through the browser's download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One subscription's time zone (an IANA name, or null: the app's default applies). */
export function useSetTimeZone(appId: number) {
  return useMutation({
    mutationFn: (input: { id: number; timeZone: string | null }) =>
      call('subscriptions.setTimeZone', { appId, ...input }),
  });
}
