import { useEffect, type KeyboardEvent } from 'react';

export const SCREENS = [
  { id: 'station', label: 'Station', key: '1' },
  { id: 'devices', label: 'Devices', key: '5' },
  { id: 'ports', label: 'Port doctor', key: '6' },
  { id: 'inspect', label: 'Inspect', key: '2' },
  { id: 'history', label: 'History', key: '3' },
  { id: 'settings', label: 'Settings', key: '4' },
] as const;
export type ScreenId = (typeof SCREENS)[number]['id'];

/**
 * The side navigation: real buttons in a list, Up/Down to move between them, and Alt+1..6 from
 * anywhere, so a technician with gloves and a keyboard never needs the mouse.
 */
export function Navigation({ current, onSelect }: { current: ScreenId; onSelect: (id: ScreenId) => void }) {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = SCREENS.find((entry) => entry.key === event.key);
      if (target) {
        event.preventDefault();
        onSelect(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSelect]);

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...event.currentTarget.querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(index + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length];
    next?.focus();
    event.preventDefault();
  };

  return (
    <nav className="nav" aria-label="Screens">
      <div className="brand" aria-hidden="true">
        Keyline
      </div>
      <ul onKeyDown={onListKey}>
        {SCREENS.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={entry.id === current ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${entry.key}`}
              onClick={() => onSelect(entry.id)}
            >
              {entry.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
