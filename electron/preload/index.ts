// The whole preload: the contract's API over ipcRenderer, exposed as `window.amps`. Nothing
// else reaches the page (no ipcRenderer, no Node). Bundled to CommonJS: sandboxed preloads
// cannot load modules.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { Envelope } from '../../common/src/dto/errors.js';
import { createApi } from '../../common/src/ipc/createApi.js';

const api = createApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
  subscribe(channel, callback) {
    const listener = (_event: IpcRendererEvent, payload: unknown): void => callback(payload);
    ipcRenderer.on(channel, listener);
    return () => {
      ipcRenderer.removeListener(channel, listener);
    };
  },
});

contextBridge.exposeInMainWorld('amps', api);
