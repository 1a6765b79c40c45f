// The Electron entry: one instance, the security policy, the database in userData, the IPC table, the window.
import path from 'node:path';
import { app, BrowserWindow, dialog, Notification, safeStorage, shell } from 'electron';
import type { CampaignProgress } from '../shared/campaigns.ts';
import type { EventName, EventPayload } from '../shared/contract.ts';
import { restoreKeyProtection } from './core/keys/key-protection.ts';
import { campaignSummary } from './core/campaigns/campaigns.ts';
import { isUrlInMessages } from './core/compose/message-urls.ts';
import type { CoreContext, EventSink, SaveFileChooser } from './core/context.ts';
import { resolveDbPath } from './core/db/paths.ts';
import {
  desktopSealer,
  PLAINTEXT_KEYCHAIN_BACKEND,
  type SystemKeychain,
} from './core/keys/desktop-sealer.ts';
import { createHandlers } from './core/dispatch/handler-table.ts';
import { openContext } from './core/open-context.ts';
import { startQueryThread } from './core/query-thread.ts';
import { offMainStarter, startDueRunner } from './core/schedule/due-runner.ts';
import { CampaignRunTracker, type RunNotice } from './core/schedule/run-notice.ts';
import { registerIpc, windowEvents } from './ipc.ts';
import { applySecurityPolicy } from './security.ts';
import { startupFailure } from './startup-failure.ts';
import { isTrustedRendererUrl } from './web-policy.ts';
import { createMainWindow, rendererUrl } from './window.ts';

app.setName('Pushdeck');

function isTrustedUrl(url: string): boolean {
  return isTrustedRendererUrl(url, rendererUrl());
}

// Electron safeStorage as the key sealer's system keychain. On Linux without a keyring it falls back to
// 'basic_text' (a fixed key: effectively plaintext); the sealer then warns and counts keys as unprotected.
const systemKeychain: SystemKeychain = {
  isAvailable: () => safeStorage.isEncryptionAvailable(),
  backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null),
  encrypt: (text) => safeStorage.encryptString(text),
  decrypt: (sealed) => safeStorage.decryptString(sealed),
};

const chooseSaveFile: SaveFileChooser = async ({ title, defaultName }) => {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const options = { title, defaultPath: path.join(app.getPath('documents'), defaultName) };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
};

// A campaign sending in the background shows its progress on the taskbar/dock icon, and a notification
// when a long one ends while no Pushdeck window has the focus.
function showRunNotice(notice: RunNotice): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.setProgressBar(notice.progress ?? -1);
  }
  if (notice.notify && !BrowserWindow.getFocusedWindow() && Notification.isSupported()) {
    new Notification({ title: notice.notify.title, body: notice.notify.body }).show();
  }
}

function withRunNotices(sink: EventSink, tracker: CampaignRunTracker): EventSink {
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      sink.emit(event, payload);
      if (event === 'campaigns.progress') {
        showRunNotice(tracker.update(payload as CampaignProgress, Date.now()));
      }
    },
  };
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  let dbPath = '';
  let opened: CoreContext | null = null;
  void app
    .whenReady()
    .then(() => {
      applySecurityPolicy(isTrustedUrl, (url) => opened !== null && isUrlInMessages(opened.db, url));
      dbPath = path.resolve(resolveDbPath({ dataDir: app.getPath('userData') }));
      const tracker = new CampaignRunTracker((id) => {
        try {
          return campaignSummary(ctx, id).name;
        } catch {
          return `#${id}`;
        }
      });
      const ctx = openContext({
        dbPath,
        events: withRunNotices(windowEvents, tracker),
        runtime: { pushdeckVersion: app.getVersion(), electronVersion: process.versions.electron ?? null },
        keySealer: desktopSealer(systemKeychain),
        chooseSaveFile,
        // Only the core's own one-time pages (test-device registration) on this machine.
        openExternal: (url) =>
          url.startsWith('http://127.0.0.1:') ? shell.openExternal(url) : Promise.reject(new Error(url)),
      });
      opened = ctx;
      restoreKeyProtection(ctx);
      if (systemKeychain.backend() === PLAINTEXT_KEYCHAIN_BACKEND) {
        console.warn(
          'Pushdeck: safeStorage uses basic_text (no system keyring): keys sealed with it are effectively plaintext. Choose passphrase protection in Keys.',
        );
      }
      registerIpc(createHandlers(ctx, { queryThread: startQueryThread(ctx) }), ctx.files, isTrustedUrl);
      createMainWindow();
      // Scheduled campaigns start while the app runs (`pushdeck campaign run-due` does it from cron).
      const dueRunner = startDueRunner(ctx, offMainStarter(ctx), {
        onError: (error) => console.error('Pushdeck: the scheduled-campaign check failed', error),
      });
      dueRunner.tick();

      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
      });
      app.on('will-quit', () => {
        dueRunner.stop();
        ctx.db.close();
      });
    })
    // A start that fails (a damaged database, a folder it may not write) says so and quits, releasing the
    // single-instance lock: left unhandled it showed nothing and kept the lock, so every later launch quit too.
    .catch((error: unknown) => {
      console.error('Pushdeck: could not start', error);
      const failure = startupFailure(error, dbPath);
      dialog.showErrorBox(failure.title, failure.message);
      app.releaseSingleInstanceLock();
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
