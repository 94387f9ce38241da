// Cursor pages of the API ({items, next_cursor}) as Previous / Next pages:
// the cursors of the pages already seen are kept on a stack, so Previous
// goes back without the server keeping any state. A new filter starts at
// the first page. Loading, error and empty states are part of the list.
import { reactive } from 'vue';

/**
 * fetchPage(cursor) must resolve {items, next_cursor}. Returns a reactive
 * list: items, loading, error, page (1-based), hasPrev, hasNext, and the
 * actions reload() (first page), next(), prev(), refresh() (same page).
 */
export function usePagedList(fetchPage) {
  const state = reactive({
    items: [],
    loading: false,
    error: null,
    page: 1,
    hasPrev: false,
    hasNext: false,
    loaded: false,
  });
  const cursors = [null]; // cursors[i] fetches page i + 1
  let nextCursor = null;
  let serial = 0;

  async function load(index) {
    const mine = ++serial;
    state.loading = true;
    state.error = null;
    try {
      const r = await fetchPage(cursors[index]);
      if (mine !== serial) return;
      state.items = r.items || [];
      nextCursor = r.next_cursor || null;
      cursors.length = index + 1;
      state.page = index + 1;
      state.hasPrev = index > 0;
      state.hasNext = !!nextCursor;
      state.loaded = true;
    } catch (e) {
      if (mine !== serial) return;
      state.error = e;
    } finally {
      if (mine === serial) state.loading = false;
    }
  }

  state.reload = () => {
    cursors.length = 1;
    return load(0);
  };
  state.refresh = () => load(state.page - 1);
  state.next = () => {
    if (!nextCursor) return Promise.resolve();
    cursors[state.page] = nextCursor;
    return load(state.page);
  };
  state.prev = () => (state.page > 1 ? load(state.page - 2) : Promise.resolve());
  return state;
}
