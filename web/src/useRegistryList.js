// A registry list page (talents, organisations): the filter and the sort in
// the address (useUrlFilter), the list in cursor pages (usePagedList) from
// the API with that filter, the table's sort arrow following the address,
// the export query (the filter without the sort), and the start once the
// vocabulary is there. The page keeps its filter fields and its columns;
// PagedTable.vue draws the table, the pager and the states.
import { computed, nextTick, onMounted, ref } from 'vue';
import { api } from './api.js';
import { usePagedList } from './paging.js';
import { sortState, sortToken } from './query.js';
import { useUrlFilter } from './useUrlFilter.js';
import { loadVocabulary } from './vocabulary.js';

const PAGE_SIZE = 20;

/**
 * list: a usePagedList() list. Returns vocabError and start(): the
 * vocabulary first (its failure is the page's error), then the first page.
 * Starts on mount.
 */
export function useVocabularyFirst(list) {
  const vocabError = ref(null);
  async function start() {
    vocabError.value = null;
    try {
      await loadVocabulary();
    } catch (e) {
      vocabError.value = e;
      return;
    }
    list.reload();
  }
  onMounted(start);
  return { vocabError, start };
}

/**
 * opts:
 *   path          the collection ('/api/v1/orgs')
 *   spec          the filter: {key: default}, with `sort`
 *   sortColumns   table column prop → sort token ({name: 'pinyin', ...})
 *   defaultSort   the token of the server's default order (not put in the address)
 *   toApi(q)      optional: the filter as the API names it (q is a copy to change)
 * Returns filter, apply, reset (useUrlFilter), list, table (the ref of the
 * PagedTable), defaultSort (its initial arrow), onSort (its sort-change),
 * exportQuery, filtered, vocabError, start.
 */
export function useRegistryList(opts) {
  const table = ref(null);
  const { filter, apply, reset, params } = useUrlFilter(opts.spec, () => {
    syncTableSort();
    list.reload();
  });

  /* The filter as the API names it; `sort` only for the list. */
  function apiQuery(withSort = true) {
    let q = params();
    if (opts.toApi) q = opts.toApi(q);
    if (!withSort) delete q.sort;
    return q;
  }
  const list = usePagedList((cursor) => api.get(opts.path, { ...apiQuery(), cursor, limit: PAGE_SIZE }));
  const exportQuery = computed(() => apiQuery(false));
  const filtered = computed(() => Object.keys(apiQuery(false)).length > 0);
  const defaultSort = sortState(filter.sort || opts.defaultSort, opts.sortColumns);

  function onSort(e) {
    const token = sortToken(e, opts.sortColumns);
    const value = token === opts.defaultSort ? '' : token;
    if (value === filter.sort) return;
    filter.sort = value;
    apply();
  }

  /* After back/forward the table's arrow follows the address. */
  function syncTableSort() {
    nextTick(() => {
      if (!table.value) return;
      const s = sortState(filter.sort || opts.defaultSort, opts.sortColumns);
      table.value.sort(s.prop, s.order);
    });
  }

  const { vocabError, start } = useVocabularyFirst(list);
  return { filter, apply, reset, list, table, defaultSort, onSort, exportQuery, filtered, vocabError, start };
}
