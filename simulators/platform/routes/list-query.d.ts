/** `*` matches any run of characters, `?` one; case-insensitive, whole value (the platform's `filter`). */
export declare function globToRegExp(glob: string): RegExp;
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
/** Applies the platform's list query parameters: `filterField`/`filter`, `sortField`/`sortDirection`, `page`/`perPage`. */
export declare function listPage<T, V>(items: T[], query: URLSearchParams, options: ListOptions<T>, view: (item: T) => V): ListPage<V>;
/** Parses `tagFilter[0][key]=hwid&tagFilter[0][value]=X` into `[{key, value}]` (either may be absent). */
export declare function parseTagFilter(query: URLSearchParams): {
    key?: string;
    value?: string;
}[];
