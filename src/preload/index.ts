// The preload: exposes `window.api`, derived from the contract's channel and event names. It never
// exposes ipcRenderer itself; main validates every request again.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { PushdeckApi } from '../shared/api.ts';
import { IPC_EVENT, IPC_INVOKE, isChannelName, isEventName } from '../shared/contract.ts';

const api: PushdeckApi = {
  invoke(channel, input) {
    if (!isChannelName(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'IPC_UNKNOWN_CHANNEL', message: `Unknown request: ${String(channel)}` },
      });
    }
    return ipcRenderer.invoke(IPC_INVOKE, channel, input);
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file) || null;
  },
  on(eventName, listener) {
    if (!isEventName(eventName)) throw new Error(`Unknown event: ${String(eventName)}`);
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === eventName) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
