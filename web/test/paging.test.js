import { describe, expect, it } from 'vitest';
import { usePagedList } from '../src/paging.js';

/* A fake API of 5 items in pages of 2: cursors are the next index. */
function pages(failAt = null) {
  const all = ['a', 'b', 'c', 'd', 'e'];
  const calls = [];
  const fetch = async (cursor) => {
    calls.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    if (failAt !== null && from === failAt) throw new Error('boom');
    const items = all.slice(from, from + 2);
    return { items, next_cursor: from + 2 < all.length ? String(from + 2) : null };
  };
  return { fetch, calls };
}

describe('usePagedList', () => {
  it('walks forward and back with the cursors it was given', async () => {
    const p = pages();
    const list = usePagedList(p.fetch);
    await list.reload();
    expect(list.items).toEqual(['a', 'b']);
    expect(list.hasPrev).toBe(false);
    expect(list.hasNext).toBe(true);
    await list.next();
    await list.next();
    expect(list.items).toEqual(['e']);
    expect(list.page).toBe(3);
    expect(list.hasNext).toBe(false);
    await list.prev();
    expect(list.items).toEqual(['c', 'd']);
    expect(p.calls).toEqual([null, '2', '4', '2']);
    await list.reload();
    expect(list.page).toBe(1);
  });
  it('keeps the error and the page it was on', async () => {
    const p = pages(2);
    const list = usePagedList(p.fetch);
    await list.reload();
    await list.next();
    expect(list.error).toBeTruthy();
    expect(list.page).toBe(1);
    expect(list.items).toEqual(['a', 'b']);
    expect(list.loading).toBe(false);
  });
});
