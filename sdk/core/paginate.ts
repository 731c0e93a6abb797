/**
 * Offset/limit pagination as an async generator: pages are fetched only as the caller iterates,
 * and iteration stops at the first short page or when `total` items have been seen.
 */
export async function* paginate<T>(
  fetchPage: (offset: number, limit: number) => Promise<{ items: T[]; total?: number }>,
  limit: number,
  start = 0,
): AsyncGenerator<T, void, undefined> {
  let offset = start;
  for (;;) {
    const { items, total } = await fetchPage(offset, limit);
    for (const item of items) yield item;
    offset += items.length;
    if (items.length === 0 || items.length < limit || (total !== undefined && offset >= total)) return;
  }
}

/** Collects an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
