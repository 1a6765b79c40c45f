// The preload: exposes `window.api`, derived from the contract's channel and event names. It never
// exposes ipcRenderer itself; main validates every request again.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { PushdeckApi } from '../shared/api.ts';
import { IPC_EVENT, IPC_INVOKE, IPC_REGISTER_FILE, isChannelName, isEventName } from '../shared/contract.ts';
import type { Envelope } from '../shared/errors.ts';
import type { ChosenFile } from '../shared/files.ts';

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
  // The path comes from the File object itself (a drop or the file input), never from the page: main
  // registers it and the page gets a token. A File the page made up has no path.
  async registerFile(file) {
    const path = webUtils.getPathForFile(file);
    if (!path) return null;
    const answer = (await ipcRenderer.invoke(IPC_REGISTER_FILE, path)) as Envelope<ChosenFile>;
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.result;
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
