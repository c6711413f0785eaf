/**
 * The preload exposes exactly the contract as `window.keyline` and nothing else: no ipcRenderer,
 * no channel names chosen by the page. It runs sandboxed and is bundled into one file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  createKeylineApi,
  ipcChannel,
  ipcEventChannel,
  isEventName,
  isMethodName,
  type MethodName,
} from '../common/contract';
import type { Result } from '../common/result';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(ipcEventChannel, (_event, message: { event?: unknown; payload?: unknown }) => {
  if (typeof message?.event !== 'string') return;
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

const api = createKeylineApi(
  {
    invoke: (method, args) => ipcRenderer.invoke(ipcChannel(method as MethodName), args) as Promise<Result<unknown>>,
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  },
  isMethodName,
  isEventName,
);

contextBridge.exposeInMainWorld('keyline', api);
