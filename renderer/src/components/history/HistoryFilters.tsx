import type { HistoryOutcome } from '../../../../common/contract';
import type { HistoryFilter } from './history-store';

const OUTCOMES: Array<{ value: HistoryOutcome | 'all'; label: string }> = [
  { value: 'all', label: 'All outcomes' },
  { value: 'passed', label: 'Passed' },
  { value: 'failed', label: 'Failed' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'unresolved', label: 'Unresolved (a person must settle)' },
  { value: 'reconciled', label: 'Reconciled at start-up' },
  { value: 'unfinished', label: 'Unfinished (interrupted)' },
];

/** Search box, outcome and date range: each a labelled control, all reachable by Tab. */
export function HistoryFilters({
  filter,
  counts,
  onChange,
}: {
  filter: HistoryFilter;
  counts: Record<string, number> | undefined;
  onChange: (next: HistoryFilter) => void;
}) {
  return (
    <form className="toolbar history-filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label className="field field-grow">
        Search
        <input
          type="search"
          value={filter.search}
          placeholder="hwid, device id, operator, work order, error…"
          onChange={(event) => onChange({ ...filter, search: event.target.value })}
        />
      </label>
      <label className="field">
        Outcome
        <select
          value={filter.outcome}
          onChange={(event) => onChange({ ...filter, outcome: event.target.value as HistoryFilter['outcome'] })}
        >
          {OUTCOMES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
              {counts ? ` (${counts[option.value] ?? 0})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        From
        <input
          type="date"
          value={filter.from}
          onChange={(event) => onChange({ ...filter, from: event.target.value })}
        />
      </label>
      <label className="field">
        To
        <input type="date" value={filter.to} onChange={(event) => onChange({ ...filter, to: event.target.value })} />
      </label>
    </form>
  );
}
