import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcChannel, ipcEventChannel, methodNames } from '../../common/contract';
import { fail } from '../../common/result';
import type { Dispatch } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';
import { isAppUrl } from './harden';

type IpcRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

/**
 * A call is trusted only from the top frame of our window showing our own scheme: a subframe, a
 * page that navigated away, or a second window gets a typed refusal, never a handler.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

/** Registers one handler per contract method; returns a function that removes them all. */
export function bindContract(ipc: IpcRegistry, dispatch: Dispatch): () => void {
  for (const method of methodNames) {
    ipc.handle(ipcChannel(method), (event, args: unknown) => {
      if (!isTrustedSender(event)) {
        return fail('CONTRACT_UNTRUSTED_SENDER', 'Calls are accepted only from the Keyline window');
      }
      return dispatch(method, args, { host: 'electron' });
    });
  }
  return () => {
    for (const method of methodNames) ipc.removeHandler(ipcChannel(method));
  };
}

/** Forwards contract events to the window; returns the unsubscribe. */
export function forwardEvents(events: EventHub, contents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEventChannel, { event, payload });
  });
}
