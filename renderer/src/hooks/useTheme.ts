import { useCallback, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'keyline.theme';

function readChoice(): ThemeChoice {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyStoredTheme(): void {
  document.documentElement.dataset['theme'] = readChoice();
}

/** The theme lives on <html data-theme>; the CSS tokens do the rest. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(readChoice);
  const update = useCallback((next: ThemeChoice) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.dataset['theme'] = next;
    setChoice(next);
  }, []);
  return [choice, update];
}
