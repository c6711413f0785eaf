import type { Page } from './schemas';

/** Safety net against a platform that keeps answering full pages forever. */
const MAX_PAGES = 10_000;

/**
 * Walks a paged collection from `firstPage` on, page by page, until a short or empty page or the
 * announced `totalCount`. Pages are fetched one at a time, as the caller consumes them.
 */
export async function* paginate<T>(
  fetchPage: (page: number, perPage: number) => Promise<Page<T>>,
  firstPage = 0,
  perPage = 100,
): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  for (let page = firstPage; page < firstPage + MAX_PAGES; page++) {
    const answer = await fetchPage(page, perPage);
    yield* answer.items;
    seen += answer.items.length;
    const pageSize = answer.perPage ?? perPage;
    if (answer.items.length === 0 || answer.items.length < pageSize) return;
    if (answer.totalCount !== undefined && seen + firstPage * perPage >= answer.totalCount) return;
  }
}
