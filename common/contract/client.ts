import type { Result } from '../result';
import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from './index';

/** How contract calls travel: Electron IPC in the app, a WebSocket in the web host. */
export interface ContractTransport {
  invoke(method: string, args: unknown): Promise<Result<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** What the renderer sees as `window.keyline`. It knows nothing of how calls are carried. */
export interface KeylineApi {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Result<MethodResult<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createKeylineApi(
  transport: ContractTransport,
  isMethod: (name: unknown) => boolean,
  isEvent: (name: unknown) => boolean,
): KeylineApi {
  return {
    invoke(method, args) {
      if (!isMethod(method)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'CONTRACT_UNKNOWN_METHOD', message: `No such method: ${String(method)}` },
        });
      }
      return transport.invoke(method, args) as never;
    },
    on(event, listener) {
      if (!isEvent(event)) throw new TypeError(`No such event: ${String(event)}`);
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  };
}
