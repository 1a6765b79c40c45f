// Registers the handler table on one IPC channel, checks who is calling, and forwards core events to the
// window. Everything else (validation, error envelopes) is in dispatch.ts, shared with the tests.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  IPC_EVENT,
  IPC_INVOKE,
  type EventName,
  type EventPayload,
  type Handlers,
} from '../shared/contract.ts';
import type { EventSink } from './core/context.ts';
import { dispatch } from './dispatch.ts';

export function registerIpc(handlers: Handlers, isTrustedUrl: (url: string) => boolean): void {
  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
    // The sender must be our own top-level page, never a subframe or a navigated-away page.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return {
        ok: false,
        error: { code: 'IPC_FORBIDDEN', message: 'Request from an untrusted page refused.' },
      };
    }
    return dispatch(handlers, channel, input);
  });
}

export const windowEvents: EventSink = {
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event, payload);
    }
  },
};
