// Accounts through the API: creation (generated password shown once,
// duplicates, scopes), reading, paging, updates with If-Match, disabling,
// password resets, and the admin's protection against locking itself out.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, PASSWORD, listAll, problemOf, setup } from './lib.mjs';

let inst;
let admin;
const ids = {};
/* the organisations the scopes below name (a scope must name an existing record) */
const orgs = {};

before(async () => {
  inst = await setup({ users: [{ name: 'boss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  await admin.login('boss');
  for (const [key, body] of [['firm', { name: '账户测试示例公司', kind: 'leading_enterprise' }],
    ['bank', { name: '账户测试示例银行', kind: 'bank' }]]) {
    const r = await admin.post('/api/v1/orgs', body);
    assert.equal(r.status, 201, r.text);
    orgs[key] = r.json.id;
  }
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

function fresh() { return new Client(inst.server.url); }

async function etagOf(id) {
  const r = await admin.get(`/api/v1/users/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.headers.get('etag');
}

test('create an account with a generated password, shown once, that must be changed', async () => {
  const r = await admin.post('/api/v1/users', { username: 'carol', display_name: 'Carol Chen', roles: [{ role: 'bureau_officer' }] });
  assert.equal(r.status, 201, r.text);
  const gen = r.json.generated_password;
  assert.equal(typeof gen, 'string');
  assert.ok(gen.length >= 10, `generated password too short: ${gen.length}`);
  const u = r.json.user;
  assert.equal(u.username, 'carol');
  assert.equal(u.display_name, 'Carol Chen');
  assert.deepEqual(u.roles, [{ role: 'bureau_officer', scope: null }]);
  assert.equal(u.must_change_password, true);
  assert.equal(u.disabled, false);
  assert.equal(u.last_login_at, null);
  assert.ok(Number.isInteger(u.id) && u.id > 0);
  assert.ok(Number.isInteger(u.version));
  assert.match(u.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  ids.carol = u.id;

  const got = await admin.get(`/api/v1/users/${u.id}`);
  assert.equal(got.status, 200);
  assert.ok(!got.text.includes(gen), 'the generated password is shown again');
  assert.ok(!(await admin.get('/api/v1/users')).text.includes(gen), 'the generated password is listed');

  const c = fresh();
  const li = await c.login('carol', gen);
  assert.equal(li.must_change_password, true);
  problemOf(assert, await c.get('/api/v1/users'), 403, 'password_change_required');
});

test('create with a given password and a scoped role; duplicates and bad roles are refused', async () => {
  const r = await admin.post('/api/v1/users',
    { username: 'dave', roles: [{ role: 'employer', scope: `org:${orgs.firm}` }], password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.generated_password, null);
  assert.equal(r.json.user.must_change_password, false);
  assert.deepEqual(r.json.user.roles, [{ role: 'employer', scope: `org:${orgs.firm}` }]);
  ids.dave = r.json.user.id;

  problemOf(assert, await admin.post('/api/v1/users', { username: 'dave', roles: [{ role: 'leader' }] }),
    409, 'duplicate', 'username');
  problemOf(assert, await admin.post('/api/v1/users', { username: 'erin', roles: [{ role: 'employer' }] }),
    400, null, 'roles.0.scope');
  problemOf(assert, await admin.post('/api/v1/users', { username: 'erin', roles: [{ role: 'leader' }, { role: 'bank', scope: 'station:1' }] }),
    400, null, 'roles.1.scope');
  problemOf(assert, await admin.post('/api/v1/users', { username: 'erin', roles: [{ role: 'emperor' }] }),
    400, null, 'roles.0.role');
  problemOf(assert, await admin.post('/api/v1/users', { username: 'erin', roles: [{ role: 'leader', scope: 'org:1' }] }),
    400, null, 'roles.0.scope');
  /* a scope must name a record that exists */
  const none = problemOf(assert, await admin.post('/api/v1/users',
    { username: 'erin', roles: [{ role: 'leader' }, { role: 'employer', scope: 'org:99999' }], password: PASSWORD }),
  400, 'invalid_input', 'roles.1.scope');
  assert.equal(none.errors.find((e) => e.field === 'roles.1.scope').message,
    'scope org:99999 names no organisation: there is no organisation 99999');
  for (const scope of ['station:99999', 'talent:99999']) {
    const role = scope.startsWith('station') ? 'station_operator' : 'talent';
    problemOf(assert, await admin.post('/api/v1/users', { username: 'erin', roles: [{ role, scope }], password: PASSWORD }),
      400, 'invalid_input', 'roles.0.scope');
  }
  const erins = await admin.get('/api/v1/users?q=erin');
  assert.equal(erins.status, 200, erins.text);
  assert.deepEqual(erins.json.items.filter((u) => u.username === 'erin'), [], 'a refused create wrote an account');
});

test('read one account with its ETag; unknown id is 404', async () => {
  const r = await admin.get(`/api/v1/users/${ids.dave}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.username, 'dave');
  assert.equal(r.headers.get('etag'), `"${r.json.version}"`);
  problemOf(assert, await admin.get('/api/v1/users/999999'), 404, 'not_found');
});

test('pages with limit and cursor show every account exactly once', async () => {
  for (let i = 1; i <= 5; i++) {
    const r = await admin.post('/api/v1/users', { username: `page${i}`, roles: [{ role: 'expert' }], password: PASSWORD });
    assert.equal(r.status, 201, r.text);
  }
  const all = await listAll(admin, '/api/v1/users');
  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const r = await admin.get(`/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2, `page of ${r.json.items.length} with limit 2`);
    seen.push(...r.json.items.map((u) => u.id));
    cursor = r.json.next_cursor;
    assert.ok(cursor === null || typeof cursor === 'string');
    pages++;
  } while (cursor !== null && pages < 50);
  assert.equal(cursor, null, 'next_cursor is not null at the end');
  assert.equal(new Set(seen).size, seen.length, `an account shown twice: ${seen}`);
  assert.deepEqual(seen, all.map((u) => u.id));
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'not in id order');
  for (let i = 1; i <= 5; i++) assert.ok(all.some((u) => u.username === `page${i}`), `page${i} missing`);
  assert.ok(all.length >= 9, `only ${all.length} accounts`);
  assert.equal(pages, Math.ceil(all.length / 2));

  problemOf(assert, await admin.get('/api/v1/users?limit=0'), 400, 'invalid_input', 'limit');
  problemOf(assert, await admin.get('/api/v1/users?limit=201'), 400, 'invalid_input', 'limit');
  problemOf(assert, await admin.get('/api/v1/users?limit=ten'), 400, 'invalid_input', 'limit');
  assert.equal((await admin.get('/api/v1/users?limit=200')).status, 200);

  const employers = await admin.get('/api/v1/users?role=employer');
  assert.equal(employers.status, 200, employers.text);
  assert.deepEqual(employers.json.items.map((u) => u.username), ['dave']);
});

test('PATCH needs If-Match: missing 428, stale 412, right 200 with a new ETag', async () => {
  const etag = await etagOf(ids.carol);
  assert.match(etag, /^"\d+"$/);
  problemOf(assert, await admin.patch(`/api/v1/users/${ids.carol}`, { display_name: 'Carol C.' }), 428, 'if_match_required');
  problemOf(assert, await admin.patch(`/api/v1/users/${ids.carol}`, { display_name: 'Carol C.' }, { headers: { 'If-Match': '"999"' } }),
    412, 'stale_etag');
  assert.equal((await admin.get(`/api/v1/users/${ids.carol}`)).json.display_name, 'Carol Chen', 'a refused PATCH wrote');

  const ok = await admin.patch(`/api/v1/users/${ids.carol}`, { display_name: 'Carol C.' }, { headers: { 'If-Match': etag } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.display_name, 'Carol C.');
  const etag2 = ok.headers.get('etag');
  assert.notEqual(etag2, etag);
  assert.equal(etag2, `"${ok.json.version}"`);
  assert.equal(await etagOf(ids.carol), etag2);
  problemOf(assert, await admin.patch(`/api/v1/users/${ids.carol}`, { display_name: 'Lost update' }, { headers: { 'If-Match': etag } }),
    412, 'stale_etag');
});

test('disabling an account ends its session and its tokens; it cannot log in', async () => {
  const d = fresh();
  await d.login('dave');
  assert.equal((await d.get('/api/v1/me')).status, 200);
  const tok = await admin.post(`/api/v1/users/${ids.dave}/tokens`, { label: 'dave-sync' });
  assert.equal(tok.status, 201, tok.text);
  assert.match(tok.json.token, /^gg_/);
  const b = fresh();
  b.bearer = tok.json.token;
  assert.equal((await b.get('/api/v1/me')).status, 200);

  const r = await admin.patch(`/api/v1/users/${ids.dave}`, { disabled: true }, { headers: { 'If-Match': await etagOf(ids.dave) } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  const after1 = await d.get('/api/v1/me');
  assert.equal(after1.status, 401, `disabled account's session still works: ${after1.text}`);
  problemOf(assert, await b.get('/api/v1/me'), 401, 'invalid_token');
  problemOf(assert, await fresh().tryLogin('dave', PASSWORD), 403, 'account_disabled');
  problemOf(assert, await fresh().tryLogin('dave', 'wrong-password-dave'), 401, 'invalid_credentials');

  const disabled = await admin.get('/api/v1/users?disabled=true');
  assert.deepEqual(disabled.json.items.map((u) => u.username), ['dave']);

  const back = await admin.patch(`/api/v1/users/${ids.dave}`, { disabled: false }, { headers: { 'If-Match': await etagOf(ids.dave) } });
  assert.equal(back.status, 200, back.text);
  assert.equal((await fresh().tryLogin('dave', PASSWORD)).status, 200);
});

test('a password reset ends sessions and forces a change at the next login', async () => {
  const c = await admin.post('/api/v1/users', { username: 'eve', roles: [{ role: 'bureau_officer' }], password: PASSWORD });
  assert.equal(c.status, 201, c.text);
  const e = fresh();
  await e.login('eve');
  assert.equal((await e.get('/api/v1/users')).status, 200);

  const r = await admin.post(`/api/v1/users/${c.json.user.id}/password-reset`);
  assert.equal(r.status, 200, r.text);
  const gen = r.json.generated_password;
  assert.equal(typeof gen, 'string');
  assert.ok(gen.length >= 10);
  assert.equal((await e.get('/api/v1/me')).status, 401, 'the old session outlived the reset');
  problemOf(assert, await fresh().tryLogin('eve', PASSWORD), 401, 'invalid_credentials');
  const e2 = fresh();
  const li = await e2.login('eve', gen);
  assert.equal(li.must_change_password, true);
  problemOf(assert, await e2.get('/api/v1/users'), 403, 'password_change_required');
  const ch = await e2.post('/api/v1/auth/password', { current_password: gen, new_password: 'Eve-Chose-This-One-7' });
  assert.equal(ch.status, 204, ch.text);
  assert.equal((await e2.get('/api/v1/users')).status, 200);
});

test('an admin cannot disable itself nor drop its own bureau_admin role', async () => {
  const me = (await admin.get('/api/v1/me')).json.user;
  problemOf(assert, await admin.patch(`/api/v1/users/${me.id}`, { disabled: true }, { headers: { 'If-Match': await etagOf(me.id) } }),
    409, 'conflict');
  problemOf(assert, await admin.patch(`/api/v1/users/${me.id}`, { roles: [{ role: 'leader' }] }, { headers: { 'If-Match': await etagOf(me.id) } }),
    409, 'conflict');
  const still = await admin.get('/api/v1/me');
  assert.equal(still.status, 200);
  assert.equal(still.json.user.disabled, false);
  assert.deepEqual(still.json.user.roles, [{ role: 'bureau_admin', scope: null }]);
  /* an admin may change another account's roles */
  const etag = await etagOf(ids.carol);
  problemOf(assert, await admin.patch(`/api/v1/users/${ids.carol}`, { roles: [{ role: 'bank', scope: 'org:99998' }] },
    { headers: { 'If-Match': etag } }), 400, 'invalid_input', 'roles.0.scope');
  const r = await admin.patch(`/api/v1/users/${ids.carol}`, { roles: [{ role: 'finance' }, { role: 'bank', scope: `org:${orgs.bank}` }] },
    { headers: { 'If-Match': etag } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.roles, [{ role: 'finance', scope: null }, { role: 'bank', scope: `org:${orgs.bank}` }]);
});
