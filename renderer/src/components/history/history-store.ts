import type { HistoryOutcome, HistoryRow, IntegrityView, KeylineApi } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';
import { Store } from '../../lib/store';

export const PAGE_SIZE = 50;

export interface HistoryFilter {
  search: string;
  outcome: HistoryOutcome | 'all';
  /** yyyy-mm-dd from a date input, local time; empty for no bound. */
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { search: '', outcome: 'all', from: '', to: '' };

export interface HistoryState {
  page?: { rows: HistoryRow[]; total: number; counts: Record<string, number> };
  error?: ErrorInfo;
  loading: boolean;
  integrity?: IntegrityView;
  checking: boolean;
}

function bound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The History screen's data: one page of rows for the current filter, and the journal's
 * integrity. A search waits until typing pauses; a finished lane (a new record) reloads both.
 */
export class HistoryStore extends Store<HistoryState> {
  readonly #keyline: KeylineApi;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last: { filter: HistoryFilter; offset: number } = { filter: NO_FILTER, offset: 0 };

  constructor(keyline: KeylineApi) {
    super({ loading: false, checking: false });
    this.#keyline = keyline;
  }

  /** Follows new journal records while the screen is open; returns the unsubscribe. */
  connect(): () => void {
    this.checkIntegrity();
    const off = this.#keyline.on('provisioning.laneFinished', () => {
      this.query(this.#last.filter, this.#last.offset, 0);
      this.checkIntegrity();
    });
    return () => {
      off();
      clearTimeout(this.#timer);
    };
  }

  query(filter: HistoryFilter, offset: number, delayMs = 200): void {
    this.#last = { filter, offset };
    const id = ++this.#request;
    this.patch({ loading: true });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const since = bound(filter.from, false);
      const until = bound(filter.to, true);
      void this.#keyline
        .invoke('history.list', {
          ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
          outcome: filter.outcome,
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          offset,
          limit: PAGE_SIZE,
        })
        .then((result) => {
          if (id !== this.#request) return;
          if (result.ok) this.patch({ page: result.value, error: undefined, loading: false });
          else this.patch({ error: result.error, loading: false });
        });
    }, delayMs);
  }

  checkIntegrity(): void {
    this.patch({ checking: true });
    void this.#keyline.invoke('history.integrity', {}).then((result) => {
      if (result.ok) this.patch({ integrity: result.value, checking: false });
      else this.patch({ error: result.error, checking: false });
    });
  }
}
