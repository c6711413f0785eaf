import { events, type EventName, type EventPayload } from '../../common/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * Main's side of the contract events: services emit here, hosts (IPC, WebSocket) subscribe and
 * forward. Payloads are checked against the contract so a service cannot send the window
 * something the contract does not allow (a secret-bearing field, for one).
 */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].payload.parse(payload);
    for (const listener of this.#listeners) {
      try {
        listener(event, checked);
      } catch {
        // A failing host (a closed window, a dropped socket) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
