import { validation } from '../http/api-error';

/** `*` matches any run of characters, `?` one; case-insensitive, whole value (the platform's `filter`). */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

export interface ListOptions<T> {
  sortFields: Record<string, (item: T) => string | number | null | undefined>;
  defaultSortField: string;
  filterFields: Record<string, (item: T) => string | undefined>;
  defaultFilterField: string;
}

export interface ListPage<T> {
  items: T[];
  count: number;
  totalCount: number;
  perPage: number;
  page: number;
  sortField: string;
  sortDirection: 'asc' | 'desc';
  filter?: string;
  filterField?: string;
}

function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(`${name} must be an integer from ${min} to ${max}`, [
      { type: 'Validation', name, id: name, message: `${name} must be an integer from ${min} to ${max}` },
    ]);
  }
  return value;
}

/** Applies the platform's list query parameters: `filterField`/`filter`, `sortField`/`sortDirection`, `page`/`perPage`. */
export function listPage<T, V>(
  items: T[],
  query: URLSearchParams,
  options: ListOptions<T>,
  view: (item: T) => V,
): ListPage<V> {
  const perPage = integer(query, 'perPage', 100, 1, 1000);
  const page = integer(query, 'page', 0, 0, 1_000_000);
  const sortField = query.get('sortField') || options.defaultSortField;
  const sortBy = options.sortFields[sortField];
  if (!sortBy) throw validation(`sortField must be one of ${Object.keys(options.sortFields).join(', ')}`);
  const sortDirection = parseSortDirection(query);
  const filter = query.get('filter') ?? '';
  const filterField = query.get('filterField') || options.defaultFilterField;
  const filterBy = options.filterFields[filterField];
  if (!filterBy) throw validation(`filterField must be one of ${Object.keys(options.filterFields).join(', ')}`);

  let selected = items;
  if (filter) {
    const pattern = globToRegExp(filter);
    selected = selected.filter((item) => pattern.test(filterBy(item) ?? ''));
  }
  const sign = sortDirection === 'asc' ? 1 : -1;
  selected = [...selected].sort((a, b) => sign * compare(sortBy(a), sortBy(b)));
  const pageItems = selected.slice(page * perPage, page * perPage + perPage).map(view);
  return {
    items: pageItems,
    count: pageItems.length,
    totalCount: selected.length,
    perPage,
    page,
    sortField,
    sortDirection,
    ...(filter ? { filter, filterField } : {}),
  };
}

/** `asc` or `desc`; the official schemas also allow `ASC`, `DESC` and blank (ascending). */
export function parseSortDirection(query: URLSearchParams): 'asc' | 'desc' {
  const raw = (query.get('sortDirection') ?? '').toLowerCase() || 'asc';
  if (raw !== 'asc' && raw !== 'desc') throw validation('sortDirection must be asc or desc');
  return raw;
}

/**
 * Every value of an array parameter in the forms clients send it: `name=a,b`, `name=a&name=b`, and
 * the bracketed forms the official client's `qs` serializer writes (`name[0]=a&name[1]=b`, `name[]=a`).
 */
export function arrayParam(query: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of query) {
    if (key === name || key === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(key)) {
      values.push(...value.split(','));
    }
  }
  return values.map((value) => value.trim()).filter(Boolean);
}

function compare(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' }) || (String(a) < String(b) ? -1 : 1);
}

/** Parses `tagFilter[0][key]=hwid&tagFilter[0][value]=X` into `[{key, value}]` (either may be absent). */
export function parseTagFilter(query: URLSearchParams): { key?: string; value?: string }[] {
  const filters = new Map<number, { key?: string; value?: string }>();
  for (const [name, value] of query) {
    const match = /^tagFilter\[(\d+)\]\[(key|value)\]$/.exec(name);
    if (!match) {
      if (name.startsWith('tagFilter')) throw validation(`${name} is not a valid tagFilter parameter`);
      continue;
    }
    const index = Number(match[1]);
    const entry = filters.get(index) ?? {};
    entry[match[2] as 'key' | 'value'] = value;
    filters.set(index, entry);
  }
  return [...filters.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}
