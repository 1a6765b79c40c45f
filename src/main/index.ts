// The Electron entry: one instance, the security policy, the database in userData, the IPC table, the window.
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { resolveDbPath } from './core/db/paths.ts';
import { openContext } from './core/open-context.ts';
import { createHandlers } from './handlers.ts';
import { registerIpc, windowEvents } from './ipc.ts';
import { applySecurityPolicy } from './security.ts';
import { isTrustedRendererUrl } from './web-policy.ts';
import { createMainWindow, rendererUrl } from './window.ts';

app.setName('Pushdeck');

function isTrustedUrl(url: string): boolean {
  return isTrustedRendererUrl(url, rendererUrl());
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

  void app.whenReady().then(() => {
    applySecurityPolicy(isTrustedUrl);
    const dbPath = resolveDbPath({ dataDir: app.getPath('userData') });
    const ctx = openContext({
      dbPath: path.resolve(dbPath),
      events: windowEvents,
      runtime: { pushdeckVersion: app.getVersion(), electronVersion: process.versions.electron ?? null },
    });
    registerIpc(createHandlers(ctx), isTrustedUrl);
    createMainWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
    app.on('will-quit', () => ctx.db.close());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
