/** The most items a lookup returns: the screen is for people, and scripts can page the API themselves. */
export const MAX_LISTED = 1000;

/** Takes up to `max` items of a paged collection and says whether more were left. */
export async function collect<T>(
  items: AsyncIterable<T>,
  max = MAX_LISTED,
): Promise<{ items: T[]; truncated: boolean }> {
  const taken: T[] = [];
  for await (const item of items) {
    if (taken.length === max) return { items: taken, truncated: true };
    taken.push(item);
  }
  return { items: taken, truncated: false };
}
