import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL } from './channel';

/*
 * A dumb pipe between the page and the main process. It runs sandboxed (only
 * `require('electron')` exists), never hands Electron objects to the page, and lets it
 * use one channel only. Every message is validated in the core, and the main process
 * checks that it really comes from Berth's page.
 */

export interface BerthBridge {
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): () => void;
  platform: string;
}

const bridge: BerthBridge = {
  send(msg) {
    ipcRenderer.send(IPC_CHANNEL, msg);
  },
  onMessage(cb) {
    if (typeof cb !== 'function') throw new TypeError('berth.onMessage needs a function');
    // Only the message crosses over: the event (and its `sender`) stays here.
    const listener = (_event: IpcRendererEvent, msg: unknown) => cb(msg);
    ipcRenderer.on(IPC_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL, listener);
    };
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('berth', bridge);
