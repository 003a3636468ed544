// A ListMachines page reads a bounded number of machines: a filter matching few of them ends the
// page short with the token to go on from, and following the tokens still yields every match once.
import { describe, expect, it } from 'vitest';
import { collectPage, LIST_READ_BUDGET } from '../../coordinator/src/machines/list-page.js';

const fleet = (n: number): { id: string; zone: string }[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m-${String(i).padStart(6, '0')}`, zone: i % 2503 === 0 ? 'rare' : 'common' }));

/** Reads every page as a client following tokens does; counts the candidates each page read. */
function followAll(items: { id: string; zone: string }[], pageSize: number, budget: number) {
  const pages: { ids: string[]; read: number }[] = [];
  let after = '';
  for (;;) {
    let read = 0;
    const candidates = function* () {
      for (const item of items) {
        if (item.id <= after) continue;
        read += 1;
        yield item;
      }
    };
    const page = collectPage(candidates(), (m) => m.zone === 'rare', pageSize, budget);
    pages.push({ ids: page.items.map((m) => m.id), read });
    if (page.next === '') return pages;
    after = page.next;
  }
}

describe('a bounded ListMachines page', () => {
  it('reads at most the budget, ends short, and following the tokens finds every match once', () => {
    const items = fleet(20_000);
    const pages = followAll(items, 100, 1000);
    const expected = items.filter((m) => m.zone === 'rare').map((m) => m.id);
    expect(pages.flatMap((p) => p.ids)).toEqual(expected);
    // The candidate after the budget is pulled to learn there is more, never examined.
    for (const page of pages) expect(page.read).toBeLessThanOrEqual(1001);
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(pages.some((p) => p.ids.length === 0)).toBe(true);
  });

  it('gives full pages while matches are dense, and the last page ends with no token', () => {
    const items = fleet(250).map((m) => ({ ...m, zone: 'rare' }));
    const pages = followAll(items, 100, LIST_READ_BUDGET);
    expect(pages.map((p) => p.ids.length)).toEqual([100, 100, 50]);
  });
});
