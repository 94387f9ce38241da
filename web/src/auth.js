// The signed-in account as the UI knows it: GET /api/v1/me (user, roles with
// scopes, permissions, CSRF token). Navigation and page guards ask can();
// the server decides anyway, this only hides what would be refused.
import { reactive } from 'vue';
import { api, setCsrfToken } from './api.js';

export const auth = reactive({
  me: null, // {user, permissions, csrf_token, auth}
  checked: false, // /me was asked at least once
});

let pending = null;

/** Asks the server who is signed in (once; again with force). Resolves me or null. */
export function loadMe(force = false) {
  if (auth.checked && !force) return Promise.resolve(auth.me);
  if (!pending) {
    pending = api
      .get('/api/v1/me', undefined, { noAuthRedirect: true })
      .then((me) => {
        auth.me = me;
        setCsrfToken(me.csrf_token);
        return me;
      })
      .catch((e) => {
        if (e.status !== 401) throw e;
        auth.me = null;
        setCsrfToken(null);
        return null;
      })
      .finally(() => {
        auth.checked = true;
        pending = null;
      });
  }
  return pending;
}

export async function login(username, password) {
  const r = await api.post('/api/v1/auth/login', { username, password }, { noAuthRedirect: true });
  setCsrfToken(r.csrf_token);
  return loadMe(true);
}

export async function logout() {
  try {
    await api.post('/api/v1/auth/logout', undefined, { noAuthRedirect: true });
  } finally {
    forget();
  }
}

/** Drops what the UI knows of the session (after logout or a 401). */
export function forget() {
  auth.me = null;
  auth.checked = true;
  setCsrfToken(null);
}

/** The caller holds the permission (token of src/domain/perm.tbl). */
export function can(perm) {
  return !!auth.me && auth.me.permissions.includes(perm);
}

/** perm: a token, an array (any of them), or empty (any signed-in account). */
export function allowed(perm) {
  if (!perm || (Array.isArray(perm) && perm.length === 0)) return !!auth.me;
  return Array.isArray(perm) ? perm.some(can) : can(perm);
}

export function hasRole(role) {
  return !!auth.me && auth.me.user.roles.some((g) => g.role === role);
}

/** The id in the caller's scope of kind ('org', 'station', 'talent'), or null. */
export function scopeId(kind) {
  if (!auth.me) return null;
  for (const g of auth.me.user.roles) {
    const m = /^([a-z]+):(\d+)$/.exec(g.scope || '');
    if (m && m[1] === kind) return Number(m[2]);
  }
  return null;
}
