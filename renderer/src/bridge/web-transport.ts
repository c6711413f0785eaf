import type { ContractTransport } from '../../../common/contract/client';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, WireServerMessage } from '../../../common/contract/wire';
import type { Result } from '../../../common/result';

const TOKEN_KEY = 'keyline.webHostToken';

/**
 * The launch token arrives in the URL fragment (never sent to a server). Keep it for this tab only
 * and take it out of the address bar, so a screenshot or a copied URL does not carry it.
 */
export function takeLaunchToken(location: Location, history: History, storage: Storage): string | undefined {
  const match = /(?:^#|&)token=([0-9a-f]{16,128})/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

type Pending = (result: Result<unknown>) => void;

/** The web host's transport: one WebSocket, calls matched to results by id, events fanned out. */
export function createWebSocketTransport(url: string, token: string): ContractTransport & { ready: Promise<void> } {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const socket = new WebSocket(url, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${token}`]);

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Could not reach the Keyline web host')), { once: true });
  });

  socket.addEventListener('message', (event) => {
    let parsed;
    try {
      parsed = WireServerMessage.safeParse(JSON.parse(String(event.data)));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result as Result<unknown>);
      pending.delete(message.id);
    } else if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  });

  socket.addEventListener('close', () => {
    for (const settle of pending.values()) {
      settle({
        ok: false,
        error: { code: 'CONTRACT_DISCONNECTED', message: 'The station stopped answering; reload the page' },
      });
    }
    pending.clear();
  });

  return {
    ready,
    async invoke(method, args) {
      try {
        await ready;
      } catch {
        return { ok: false, error: { code: 'CONTRACT_DISCONNECTED', message: 'Could not reach the Keyline web host' } };
      }
      if (socket.readyState !== WebSocket.OPEN) {
        return {
          ok: false,
          error: { code: 'CONTRACT_DISCONNECTED', message: 'The station stopped answering; reload the page' },
        };
      }
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, method, args: args ?? {} }));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
