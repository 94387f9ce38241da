// A list page's filter bound to the address: the filter is read from the
// route query on arrival and on back/forward, and apply() writes it there
// (a new history entry), after which onChange runs (the list reloads).
import { reactive, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { filterFromQuery, queryFromFilter, sameQuery } from './query.js';

/** spec: {key: default}; onChange() runs after every change of the filter in the address. */
export function useUrlFilter(spec, onChange) {
  const route = useRoute();
  const router = useRouter();
  const name = route.name;
  const filter = reactive(filterFromQuery(route.query, spec));

  watch(
    () => route.query,
    (q) => {
      if (route.name !== name) return; /* leaving the page: not a filter change */
      Object.assign(filter, filterFromQuery(q, spec));
      onChange();
    },
  );

  /** Puts the filter in the address (the watcher reloads); an unchanged filter reloads at once. */
  function apply() {
    const query = queryFromFilter(filter, spec);
    if (sameQuery(query, route.query)) onChange();
    else router.push({ name, query });
  }

  /** Back to the defaults. */
  function reset() {
    Object.assign(filter, { ...spec });
    apply();
  }

  /** The filter as API query parameters (defaults and empty values left out). */
  function params() {
    return queryFromFilter(filter, spec);
  }

  return { filter, apply, reset, params };
}
