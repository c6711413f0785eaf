import { useSyncExternalStore } from 'react';

/** A shared one-second clock for running timers; it ticks only while something watches it. */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of [...listeners]) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const read = () => now;
const idle = () => () => undefined;

/** Milliseconds now, refreshed each second while `live`. */
export function useNow(live: boolean): number {
  return useSyncExternalStore(live ? subscribe : idle, read, read);
}
