// The one application window, locked down: isolated, sandboxed, no Node in the renderer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, nativeTheme } from 'electron';
import { rendererUrlFor } from './web-policy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export const rendererFile = path.join(here, '../renderer/index.html');

export function rendererUrl(): string {
  return rendererUrlFor({
    packaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    rendererFile,
  });
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Pushdeck',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    icon: path.join(here, '../../resources/icon.png'),
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}
