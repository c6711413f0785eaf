import { useSyncExternalStore } from 'react';

/**
 * The smallest external store: a value, a way to change it, and subscribers. Screens keep what
 * they learn from the contract (results and events) in one of these and read it with `useStore`,
 * so components stay free of fetching and event plumbing.
 */
export class Store<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  readonly get = (): T => this.#value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(next: T | ((current: T) => T)): void {
    const value = typeof next === 'function' ? (next as (current: T) => T)(this.#value) : next;
    if (Object.is(value, this.#value)) return;
    this.#value = value;
    for (const listener of [...this.#listeners]) listener();
  }

  /** Shallow-merges a patch into an object value. */
  patch(patch: Partial<T>): void {
    this.set((current) => ({ ...current, ...patch }));
  }
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
