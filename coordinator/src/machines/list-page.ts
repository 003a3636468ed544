// One page of a filtered listing, read with a bound: a filter that matches few of the candidates
// (a zone, tags or a reservation no index narrows) must not make one call read the whole fleet.
// Once `readBudget` candidates are read, the page ends short (perhaps empty) with the token to go
// on from, and the caller asks again; a client follows page tokens until one is empty.

/** How many machines one ListMachines page reads at most. */
export const LIST_READ_BUDGET = 5000;

export interface ListPage<T> {
  readonly items: T[];
  /** The id to continue after ('' at the end). */
  readonly next: string;
}

/** Takes up to `pageSize` accepted candidates, in order, reading at most `readBudget` of them. */
export function collectPage<T extends { readonly id: string }>(
  candidates: Iterable<T>,
  accept: (candidate: T) => boolean,
  pageSize: number,
  readBudget: number = LIST_READ_BUDGET,
): ListPage<T> {
  const items: T[] = [];
  let read = 0;
  let lastRead = '';
  for (const candidate of candidates) {
    if (read === readBudget) return { items, next: lastRead };
    read += 1;
    lastRead = candidate.id;
    if (!accept(candidate)) continue;
    items.push(candidate);
    if (items.length === pageSize) return { items, next: candidate.id };
  }
  return { items, next: '' };
}
