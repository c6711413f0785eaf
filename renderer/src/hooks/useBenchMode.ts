import { useCallback, useState } from 'react';

const STORAGE_KEY = 'keyline.benchMode';

function readBenchMode(): boolean {
  return window.localStorage.getItem(STORAGE_KEY) === 'on';
}

export function applyStoredBenchMode(): void {
  document.documentElement.dataset['bench'] = readBenchMode() ? 'on' : 'off';
}

/**
 * Bench mode: everything larger (type, spacing, targets) for a screen read at arm's length with
 * gloves on. It lives on <html data-bench>; tokens.css scales from there.
 */
export function useBenchMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(readBenchMode);
  const update = useCallback((next: boolean) => {
    window.localStorage.setItem(STORAGE_KEY, next ? 'on' : 'off');
    document.documentElement.dataset['bench'] = next ? 'on' : 'off';
    setOn(next);
  }, []);
  return [on, update];
}
