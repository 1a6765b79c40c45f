// Registers the handler table on one IPC channel, checks who is calling, and forwards core events to the
// window. Everything else (validation, error envelopes) is the core's dispatcher, shared with the CLI and tests.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  IPC_EVENT,
  IPC_INVOKE,
  IPC_REGISTER_FILE,
  type EventName,
  type EventPayload,
  type Handlers,
} from '../shared/contract.ts';
import type { EventSink } from './core/context.ts';
import { registerDroppedFile, type FileTokens } from './core/file-tokens.ts';
import { isPushdeckError } from '../shared/errors.ts';
import { dispatch } from './core/dispatch/dispatcher.ts';

const forbidden = {
  ok: false,
  error: { code: 'IPC_FORBIDDEN', message: 'Request from an untrusted page refused.' },
} as const;

export function registerIpc(
  handlers: Handlers,
  files: FileTokens,
  isTrustedUrl: (url: string) => boolean,
): void {
  // The sender must be our own top-level page, never a subframe or a navigated-away page.
  const trusted = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return Boolean(frame && frame.parent === null && isTrustedUrl(frame.url));
  };
  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
    if (!trusted(event)) return forbidden;
    return dispatch(handlers, channel, input);
  });
  // The preload's registration of a dropped file's path (webUtils.getPathForFile): readable files only.
  ipcMain.handle(IPC_REGISTER_FILE, (event: IpcMainInvokeEvent, file: unknown) => {
    if (!trusted(event)) return forbidden;
    try {
      return { ok: true, result: registerDroppedFile(files, file) };
    } catch (error) {
      if (isPushdeckError(error)) return { ok: false, error: { code: error.code, message: error.message } };
      throw error;
    }
  });
}

export const windowEvents: EventSink = {
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event, payload);
    }
  },
};
