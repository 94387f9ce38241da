// The filter of a registry list kept in the page address, so back/forward
// and a reload show the same list: the URL query ↔ the filter object, and
// the table's sort column ↔ the server's `sort` token. Pure functions, so
// the list pages stay thin and the rules are tested (test/registry-query.test.js).

/**
 * The filter from a route query. spec: {key: default}, the keys the page
 * knows; a repeated parameter keeps its first value, unknown keys are
 * dropped, a missing one takes its default.
 */
export function filterFromQuery(query, spec) {
  const out = {};
  for (const [key, dflt] of Object.entries(spec)) {
    let v = query ? query[key] : undefined;
    if (Array.isArray(v)) v = v[0];
    out[key] = v === undefined || v === null ? dflt : String(v);
  }
  return out;
}

/**
 * The route query of a filter: values trimmed, empty ones and those equal
 * to their default left out (so the plain list has a plain address).
 */
export function queryFromFilter(filter, spec) {
  const out = {};
  for (const [key, dflt] of Object.entries(spec)) {
    const raw = filter[key];
    if (raw === undefined || raw === null) continue;
    const v = String(raw).trim();
    if (v === '' || v === dflt) continue;
    out[key] = v;
  }
  return out;
}

/** The two queries name the same filter (order of keys aside). */
export function sameQuery(a, b) {
  const ka = Object.keys(a || {}).filter((k) => a[k] !== undefined && a[k] !== '');
  const kb = Object.keys(b || {}).filter((k) => b[k] !== undefined && b[k] !== '');
  if (ka.length !== kb.length) return false;
  return ka.every((k) => String(a[k]) === String(b ? b[k] : undefined));
}

/**
 * el-table's sort-change ({prop, order: 'ascending'|'descending'|null}) →
 * the server's sort token. columns maps a column prop to its token
 * ({name: 'pinyin', updated_at: 'updated'}); no order or an unknown column
 * gives '' (the server's default order).
 */
export function sortToken({ prop, order } = {}, columns) {
  const token = columns[prop];
  if (!token || !order) return '';
  return order === 'descending' ? `-${token}` : token;
}

/** The server's sort token → el-table's default-sort {prop, order}, or {} for none. */
export function sortState(token, columns) {
  if (!token) return {};
  const desc = token.startsWith('-');
  const bare = desc ? token.slice(1) : token;
  const prop = Object.keys(columns).find((p) => columns[p] === bare);
  return prop ? { prop, order: desc ? 'descending' : 'ascending' } : {};
}
