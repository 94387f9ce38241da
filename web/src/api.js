// The one door to the server: every call to /api/v1 goes through request().
// It sends the session cookie (same origin) and, on writes, the CSRF token
// the login or /me handed out; it turns RFC 9457 problem documents into
// ApiError (with the stable `code` the UI translates and the field errors
// keyed by their dotted names); and on a 401 outside the login call it tells
// the router (setUnauthenticatedHandler) so the user goes to the login page
// and comes back to where they were.

export class ApiError extends Error {
  constructor(status, problem = {}, headers = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.problem = problem; /* the whole problem document: some carry more (an import's report) */
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'unknown');
    this.detail = problem.detail || '';
    this.requestId = problem.request_id || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.fieldErrors = {};
    for (const e of this.errors) {
      if (e && e.field && !(e.field in this.fieldErrors)) this.fieldErrors[e.field] = e.message || '';
    }
    this.retryAfter = headers ? Number(headers.get('Retry-After')) || null : null;
  }
}

let csrfToken = null;
let unauthenticated = null;

/** The CSRF token of the current session (null after logout). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** fn(error) is called when any request (other than a login) answers 401. */
export function setUnauthenticatedHandler(fn) {
  unauthenticated = fn;
}

/** '/api/v1/talents' + {q: '金桥', limit: 50} → '/api/v1/talents?q=%E9%87%91...'; empty values are left out. */
export function buildUrl(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => params.append(k, String(x)));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** Filename from a Content-Disposition header (RFC 6266 filename* first), or fallback. */
export function dispositionFilename(header, fallback) {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* a malformed escape: use the plain name below */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : fallback;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One request. opts: query, body (JSON), form (FormData), ifMatch (ETag),
 * idempotencyKey (the Idempotency-Key header of a money-moving POST: one
 * per user action, the same when that action is retried), headers, blob
 * (answer as a Blob), signal. Resolves {status, data, etag,
 * headers}; rejects with ApiError (status 0 and code 'network' when the
 * server cannot be reached).
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  let body;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (WRITES.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', detail: String(e && e.message ? e.message : e) });
  }
  if (!res.ok) {
    let problem = {};
    try {
      problem = await res.json();
    } catch {
      problem = { title: res.statusText };
    }
    const err = new ApiError(res.status, problem, res.headers);
    if (res.status === 401 && !opts.noAuthRedirect && unauthenticated) unauthenticated(err);
    throw err;
  }
  let data = null;
  if (opts.blob) data = await res.blob();
  else if (res.status !== 204) {
    const type = res.headers.get('Content-Type') || '';
    data = type.includes('json') ? await res.json() : await res.text();
  }
  return { status: res.status, data, etag: res.headers.get('ETag'), headers: res.headers };
}

export const api = {
  get: async (path, query, opts) => (await request('GET', path, { ...opts, query })).data,
  post: async (path, body, opts) => (await request('POST', path, { ...opts, body })).data,
  patch: async (path, body, ifMatch, opts) => (await request('PATCH', path, { ...opts, body, ifMatch })).data,
  del: async (path, opts) => (await request('DELETE', path, opts)).data,
  upload: async (path, form, opts) => (await request('POST', path, { ...opts, form })).data,
  /** GET a file (an export, a report) and hand it to the browser as a download; resolves the file name. */
  async download(path, query, fallbackName = 'download') {
    const r = await request('GET', path, { query, blob: true, headers: { Accept: '*/*' } });
    const name = dispositionFilename(r.headers.get('Content-Disposition'), fallbackName);
    const url = URL.createObjectURL(r.data);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return name;
  },
};

/**
 * A GET asked once per page load and shared: the returned load() resolves
 * store[key] (pick(answer), kept in the reactive store) and asks the
 * server only the first time; callers at the same moment share one
 * request; a failure is not kept, so the next call asks again.
 */
export function sharedGet(path, store, key, pick = (answer) => answer) {
  let pending = null;
  return function load() {
    if (store[key]) return Promise.resolve(store[key]);
    if (!pending) {
      pending = api
        .get(path)
        .then((answer) => (store[key] = pick(answer)))
        .finally(() => {
          pending = null;
        });
    }
    return pending;
  };
}
