import { useRef, type KeyboardEvent } from 'react';

export const LOOKUPS = [
  { id: 'keys', label: 'Access keys' },
  { id: 'apiTokens', label: 'API tokens' },
  { id: 'oauthTokens', label: 'OAuth tokens' },
  { id: 'devices', label: 'Devices' },
] as const;
export type LookupId = (typeof LOOKUPS)[number]['id'];

/** The lookups as a tab list (arrow keys move between tabs, as screen-reader users expect). */
export function LookupTabs({ current, onSelect }: { current: LookupId; onSelect: (id: LookupId) => void }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + LOOKUPS.length) % LOOKUPS.length;
    onSelect(LOOKUPS[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="inspect-tabs" role="tablist" aria-label="Platform lookups">
      {LOOKUPS.map((lookup, index) => (
        <button
          key={lookup.id}
          ref={(element) => {
            refs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`lookup-tab-${lookup.id}`}
          aria-selected={current === lookup.id}
          aria-controls="lookup-panel"
          tabIndex={current === lookup.id ? 0 : -1}
          className="inspect-tab"
          onClick={() => onSelect(lookup.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {lookup.label}
        </button>
      ))}
    </div>
  );
}
