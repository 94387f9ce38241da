// Login, the first password change, logout, wrong credentials, throttling,
// the cookie's attributes, session expiry (by moving the test clock), the
// CSRF token on writes, and bearer API tokens with revocation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Client, PASSWORD, Server, cliToken, listAll, nowSeconds, problemOf, setup,
} from './lib.mjs';

const T0 = nowSeconds();
const ENV = { GUANGGU_LOGIN_MAX_FAILURES: '3', GUANGGU_TEST_NOW: String(T0) };
let inst;
const clients = [];

/* Restarts the server on the same directory with the clock at `now`; clients follow. */
async function restartAt(now) {
  const r = await inst.server.stop();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}\n${inst.server.stderr}`);
  inst.server = await Server.start(inst.dir, { env: { ...ENV, GUANGGU_TEST_NOW: String(now) } });
  for (const c of clients) c.base = inst.server.url;
}

function client() {
  const c = inst.server.client();
  clients.push(c);
  return c;
}

before(async () => {
  inst = await setup({
    env: ENV,
    users: [
      { name: 'alice', roles: ['bureau_admin'] },
      { name: 'bob', roles: ['leader'] },
      { name: 'victim', roles: ['expert'] },
    ],
  });
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

test('admin logs in with the init password and must change it first', async () => {
  const c = client();
  const r = await c.tryLogin('admin', inst.adminPassword);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.must_change_password, true);
  assert.equal(r.json.user.username, 'admin');
  assert.equal(r.json.user.must_change_password, true);
  assert.deepEqual(r.json.user.roles, [{ role: 'bureau_admin', scope: null }]);
  assert.equal(typeof r.json.csrf_token, 'string');
  assert.ok(r.json.csrf_token.length >= 16, 'csrf token too short');
  assert.ok(c.cookie, 'no gg_session cookie set');

  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.username, 'admin');
  assert.equal(me.json.auth, 'session');
  assert.equal(me.json.csrf_token, r.json.csrf_token);
  assert.ok(me.json.permissions.includes('authenticated'));
  assert.ok(me.json.permissions.includes('users_write'));

  problemOf(assert, await c.get('/api/v1/users'), 403, 'password_change_required');
  problemOf(assert, await c.get('/api/v1/audit'), 403, 'password_change_required');
  const roles = await c.get('/api/v1/roles');
  assert.equal(roles.status, 200, 'roles is an `authenticated` route, open before the change');
  assert.equal(roles.json.items.length, 11);

  const newPassword = 'Admin-New-Password-42';
  problemOf(assert, await c.post('/api/v1/auth/password', { current_password: 'not-it-at-all', new_password: newPassword }),
    400, 'invalid_input', 'current_password');
  problemOf(assert, await c.post('/api/v1/auth/password', { current_password: inst.adminPassword, new_password: 'short' }),
    422, 'weak_password', 'new_password');
  problemOf(assert, await c.post('/api/v1/auth/password',
    { current_password: inst.adminPassword, new_password: inst.adminPassword }), 422, 'weak_password', 'new_password');
  const ch = await c.post('/api/v1/auth/password', { current_password: inst.adminPassword, new_password: newPassword });
  assert.equal(ch.status, 204, ch.text);

  const users = await c.get('/api/v1/users');
  assert.equal(users.status, 200, users.text);
  assert.ok(users.json.items.some((u) => u.username === 'admin'));
  const me2 = await c.get('/api/v1/me');
  assert.equal(me2.json.user.must_change_password, false);

  problemOf(assert, await new Client(inst.server.url).tryLogin('admin', inst.adminPassword), 401, 'invalid_credentials');
  const again = await new Client(inst.server.url).tryLogin('admin', newPassword);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.must_change_password, false);
});

test('the session cookie is HttpOnly and SameSite=Strict, not Secure by default', async () => {
  const c = client();
  await c.login('bob');
  const sc = c.lastSetCookie;
  assert.match(sc, /^gg_session=[^;]{16,}/);
  assert.match(sc, /;\s*HttpOnly/i);
  assert.match(sc, /;\s*SameSite=Strict/i);
  assert.match(sc, /;\s*Path=\//i);
  assert.doesNotMatch(sc, /;\s*Secure/i);
});

test('logout ends the session: the same cookie then answers 401', async () => {
  const c = client();
  await c.login('bob');
  const cookie = c.cookie;
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const out = await c.post('/api/v1/auth/logout');
  assert.equal(out.status, 204, out.text);
  assert.match(c.lastSetCookie, /^gg_session=/);
  assert.equal(c.cookie, null, `logout did not clear the cookie: ${c.lastSetCookie}`);
  const old = client();
  old.cookie = cookie;
  problemOf(assert, await old.get('/api/v1/me'), 401, 'session_expired');
  problemOf(assert, await client().get('/api/v1/me'), 401, 'unauthenticated');
});

test('a wrong password and an unknown user get the same 401', async () => {
  const c = client();
  const wrong = await c.tryLogin('bob', 'not-bobs-password');
  const unknown = await c.tryLogin('nobody-by-that-name', 'not-bobs-password');
  const p1 = problemOf(assert, wrong, 401, 'invalid_credentials');
  const p2 = problemOf(assert, unknown, 401, 'invalid_credentials');
  assert.equal(p1.title, p2.title);
  assert.equal(p1.detail, p2.detail);
  assert.deepEqual(p1.errors, p2.errors);
  assert.equal(c.cookie, null, 'a failed login set a cookie');
  assert.equal(wrong.headers.get('set-cookie'), null);
});

test('after login_max_failures (3) failures the right password gets 429 with Retry-After', async () => {
  const c = client();
  for (let i = 0; i < 3; i++) problemOf(assert, await c.tryLogin('victim', `wrong-${i}-password`), 401, 'invalid_credentials');
  const r = await c.tryLogin('victim', PASSWORD);
  problemOf(assert, r, 429, 'too_many_requests');
  const ra = r.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/, `Retry-After: ${ra}`);
  assert.ok(Number(ra) >= 1 && Number(ra) <= 15 * 60, `Retry-After out of the window: ${ra}`);
  assert.equal(c.cookie, null);
  problemOf(assert, await c.tryLogin('victim', 'wrong-again-password'), 429, 'too_many_requests');
  /* another account is not throttled by victim's failures */
  assert.equal((await client().tryLogin('bob', PASSWORD)).status, 200);
});

test('a session write without the CSRF token is refused and writes nothing', async () => {
  const c = client();
  await c.login('alice');
  const before = await listAll(c, '/api/v1/users');
  const auditBefore = (await c.get('/api/v1/audit?limit=1')).json.items[0].id;
  const body = { username: 'csrf-victim', roles: [{ role: 'expert' }], password: PASSWORD };

  problemOf(assert, await c.post('/api/v1/users', body, { csrf: false }), 403, 'csrf_token_invalid');
  problemOf(assert, await c.post('/api/v1/users', body, { csrf: 'not-the-session-token' }), 403, 'csrf_token_invalid');
  problemOf(assert, await c.del('/api/v1/tokens/1', { csrf: false }), 403, 'csrf_token_invalid');

  const afterList = await listAll(c, '/api/v1/users');
  assert.deepEqual(afterList.map((u) => u.username), before.map((u) => u.username));
  assert.equal((await c.get('/api/v1/audit?limit=1')).json.items[0].id, auditBefore, 'the audit trail grew');

  /* the same request with the token goes through: the refusal was the token's */
  const ok = await c.post('/api/v1/users', body);
  assert.equal(ok.status, 201, ok.text);
});

test('a bearer token from `guanggu user token` works without CSRF until revoked', async () => {
  const token = await cliToken(inst.dir, 'alice', 'x');
  assert.match(token, /^gg_[A-Za-z0-9_-]{20,}$/);
  const b = client();
  b.bearer = token;
  const me = await b.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.username, 'alice');
  assert.equal(me.json.auth, 'token');
  assert.equal(me.json.csrf_token, null);
  assert.equal(b.cookie, null, 'a bearer request set a session cookie');

  const made = await b.post('/api/v1/users', { username: 'made-by-token', roles: [{ role: 'leader' }], password: PASSWORD });
  assert.equal(made.status, 201, `a bearer write needs no CSRF token: ${made.text}`);

  const bad = client();
  bad.bearer = 'gg_this-is-not-a-real-token-000000';
  problemOf(assert, await bad.get('/api/v1/me'), 401, 'invalid_token');

  const s = client();
  await s.login('alice');
  const aliceId = (await s.get('/api/v1/me')).json.user.id;
  const list = await s.get(`/api/v1/users/${aliceId}/tokens`);
  assert.equal(list.status, 200, list.text);
  const tok = list.json.items.find((t) => t.label === 'x');
  assert.ok(tok, `token 'x' not listed: ${list.text}`);
  assert.equal(tok.revoked_at, null);
  assert.ok(!list.text.includes(token), 'the token list shows the token itself');

  const del = await s.del(`/api/v1/tokens/${tok.id}`);
  assert.equal(del.status, 204, del.text);
  problemOf(assert, await b.get('/api/v1/me'), 401, 'invalid_token');
  problemOf(assert, await s.del(`/api/v1/tokens/${tok.id}`), 409, 'conflict');
  problemOf(assert, await s.del('/api/v1/tokens/999999'), 404, 'not_found');
  const listed = (await s.get(`/api/v1/users/${aliceId}/tokens`)).json.items.find((t) => t.id === tok.id);
  assert.notEqual(listed.revoked_at, null);
});

test('a session ends after session_idle_minutes without a request (clock moved)', async () => {
  const c = client();
  await c.login('alice');
  /* a restart alone keeps the session */
  await restartAt(T0 + 60);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200, `session lost by a restart: ${me.text}`);
  /* 31 minutes after that last request: idle for longer than 30 */
  await restartAt(T0 + 60 + 31 * 60);
  problemOf(assert, await c.get('/api/v1/me'), 401, 'session_expired');
  problemOf(assert, await c.post('/api/v1/users', { username: 'late', roles: [{ role: 'expert' }] }), 401, 'session_expired');
  /* public routes still answer with the dead cookie */
  assert.equal((await c.get('/healthz')).status, 200);
  problemOf(assert, await c.get('/api/v1/invitations/lookup?token=unknown-token'), 404, 'not_found');
  /* the throttling window (15 minutes) has passed too */
  const v = await client().tryLogin('victim', PASSWORD);
  assert.equal(v.status, 200, `victim still throttled after the window: ${v.text}`);
});
