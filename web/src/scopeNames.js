// Names for scopes ('org:5' → the organisation's name, 'talent:12' → the
// talent's name), fetched once each and kept for the page load. A station
// has no read API yet, so it stays its id. Failures (no permission, deleted
// record) resolve null and the raw scope is shown instead.
import { reactive } from 'vue';
import { api } from './api.js';
import { parseScope } from './grants.js';

export const scopeNames = reactive({});
const asked = new Set();

const PATHS = { org: (id) => `/api/v1/orgs/${id}`, talent: (id) => `/api/v1/talents/${id}` };

/** Remembers a name learned elsewhere (a search result), so it needs no fetch. */
export function rememberScopeName(scope, name) {
  if (scope && name) scopeNames[scope] = name;
}

/** Starts fetching the name of scope (once); the reactive scopeNames[scope] fills in. */
export function resolveScopeName(scope) {
  const p = parseScope(scope);
  if (!p || asked.has(scope) || scopeNames[scope] || !PATHS[p.kind]) return;
  asked.add(scope);
  api
    .get(PATHS[p.kind](p.id))
    .then((r) => {
      scopeNames[scope] = r.name;
    })
    .catch(() => {
      /* unknown or not visible: the scope itself is shown */
    });
}
