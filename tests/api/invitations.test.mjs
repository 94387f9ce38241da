// Invitations: an officer invites an employer's HR person, who looks the
// link up, activates the account once and logs in; officers may invite only
// employers and talents; an invitation expires after invitation_hours
// (the test clock is moved to see it).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, PASSWORD, Server, nowSeconds, problemOf, setup } from './lib.mjs';

const T0 = nowSeconds();
const ENV = { GUANGGU_TEST_NOW: String(T0) };
let inst;
let officer;
let admin;
let talentId;

before(async () => {
  inst = await setup({
    env: ENV,
    users: [{ name: 'olga', roles: ['bureau_officer'] }, { name: 'boss', roles: ['bureau_admin'] }],
  });
  officer = inst.server.client();
  await officer.login('olga');
  admin = inst.server.client();
  await admin.login('boss');
  /* the records the invitations' scopes name: organisations 1 and 2 and a talent */
  for (const name of ['邀请示例单位甲', '邀请示例单位乙']) {
    const o = await admin.post('/api/v1/orgs', { name, kind: 'leading_enterprise' });
    assert.equal(o.status, 201, o.text);
  }
  const t = await admin.post('/api/v1/talents', { name: '邀请示例人' });
  assert.equal(t.status, 201, t.text);
  talentId = t.json.id;
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

function anon() { return new Client(inst.server.url); }

let hr1;

test('an officer invites an employer with a scope and gets an activation link', async () => {
  const r = await officer.post('/api/v1/invitations', { username: 'hr1', display_name: 'Wang HR', role: 'employer', scope: 'org:1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.username, 'hr1');
  assert.equal(r.json.role, 'employer');
  assert.equal(r.json.scope, 'org:1');
  assert.equal(typeof r.json.token, 'string');
  assert.ok(r.json.token.length >= 16);
  const m = /^http:\/\/127\.0\.0\.1:8080\/activate\?token=([^&]+)$/.exec(r.json.activation_url);
  assert.ok(m, `activation_url: ${r.json.activation_url}`);
  assert.equal(decodeURIComponent(m[1]), r.json.token);
  const expires = Date.parse(r.json.expires_at) / 1000;
  assert.ok(Math.abs(expires - (T0 + 72 * 3600)) <= 5, `expires_at ${r.json.expires_at} is not 72 h after the test clock`);
  hr1 = r.json;
});

test('the public lookup shows the invitation; missing and unknown tokens are refused', async () => {
  const r = await anon().get(`/api/v1/invitations/lookup?token=${encodeURIComponent(hr1.token)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.username, 'hr1');
  assert.equal(r.json.display_name, 'Wang HR');
  assert.equal(r.json.role, 'employer');
  assert.equal(r.json.scope, 'org:1');
  problemOf(assert, await anon().get('/api/v1/invitations/lookup'), 400, null, 'token');
  problemOf(assert, await anon().get('/api/v1/invitations/lookup?token=no-such-token-at-all'), 404, 'not_found');
});

test('activation sets the password once; the new account logs in', async () => {
  problemOf(assert, await anon().post('/api/v1/invitations/activate', { token: hr1.token, password: 'short' }),
    422, 'weak_password', 'password');
  const r = await anon().post('/api/v1/invitations/activate', { token: hr1.token, password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.user.username, 'hr1');
  assert.equal(r.json.user.must_change_password, false);
  assert.deepEqual(r.json.user.roles, [{ role: 'employer', scope: 'org:1' }]);

  const c = anon();
  const li = await c.login('hr1');
  assert.equal(li.must_change_password, false);
  const me = await c.get('/api/v1/me');
  assert.equal(me.json.user.display_name, 'Wang HR');
  problemOf(assert, await c.get('/api/v1/users'), 403, 'forbidden');

  problemOf(assert, await anon().post('/api/v1/invitations/activate', { token: hr1.token, password: 'Another-Password-9' }),
    410, 'gone');
  problemOf(assert, await anon().get(`/api/v1/invitations/lookup?token=${encodeURIComponent(hr1.token)}`), 410, 'gone');
  problemOf(assert, await anon().post('/api/v1/invitations/activate', { token: 'no-such-token-at-all', password: PASSWORD }),
    404, 'not_found');
  /* the second activation did not change the password */
  assert.equal((await anon().tryLogin('hr1', PASSWORD)).status, 200);

  const list = await officer.get('/api/v1/invitations');
  assert.equal(list.status, 200, list.text);
  const inv = list.json.items.find((i) => i.username === 'hr1');
  assert.ok(inv, list.text);
  assert.notEqual(inv.accepted_at, null);
  assert.ok(!list.text.includes(hr1.token), 'the invitation list shows the token');
});

test('officers invite only employers and talents; taken usernames are refused', async () => {
  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'sneaky', role: 'bureau_admin' }), 403, 'forbidden');
  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'sneaky', role: 'finance' }), 403, 'forbidden');
  const t = await officer.post('/api/v1/invitations', { username: 'tal1', role: 'talent', scope: `talent:${talentId}` });
  assert.equal(t.status, 201, t.text);
  /* a scope names a record that exists */
  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'tal2', role: 'talent', scope: 'talent:99999' }),
    400, 'invalid_input', 'scope');
  const a = await admin.post('/api/v1/invitations', { username: 'fin1', role: 'finance' });
  assert.equal(a.status, 201, `an admin may invite any role: ${a.text}`);

  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'hr1', role: 'employer', scope: 'org:1' }),
    409, 'duplicate', 'username');
  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'tal1', role: 'talent', scope: 'talent:6' }),
    409, 'duplicate', 'username');
  problemOf(assert, await officer.post('/api/v1/invitations', { username: 'olga', role: 'talent', scope: 'talent:6' }),
    409, 'duplicate', 'username');

  const mine = await officer.get('/api/v1/invitations');
  const names = mine.json.items.map((i) => i.username);
  assert.ok(names.includes('tal1') && names.includes('hr1'));
  assert.ok(!names.includes('fin1'), 'an officer sees an invitation it did not send');
  const all = await admin.get('/api/v1/invitations');
  assert.ok(all.json.items.map((i) => i.username).includes('tal1'), 'the admin does not see all invitations');
  assert.ok(all.json.items.map((i) => i.username).includes('fin1'));
});

test('an invitation expires after invitation_hours (clock moved)', async () => {
  const r = await officer.post('/api/v1/invitations', { username: 'late1', role: 'employer', scope: 'org:2' });
  assert.equal(r.status, 201, r.text);
  const early = await anon().get(`/api/v1/invitations/lookup?token=${encodeURIComponent(r.json.token)}`);
  assert.equal(early.status, 200, early.text);

  const stop = await inst.server.stop();
  assert.equal(stop.code, 0);
  inst.server = await Server.start(inst.dir, { env: { GUANGGU_TEST_NOW: String(T0 + 73 * 3600) } });

  problemOf(assert, await anon().get(`/api/v1/invitations/lookup?token=${encodeURIComponent(r.json.token)}`), 410, 'gone');
  problemOf(assert, await anon().post('/api/v1/invitations/activate', { token: r.json.token, password: PASSWORD }), 410, 'gone');
  problemOf(assert, await anon().tryLogin('late1', PASSWORD), 401, 'invalid_credentials');
  const a = anon();
  await a.login('boss');
  const users = await a.get('/api/v1/users?q=late1');
  assert.deepEqual(users.json.items.filter((u) => u.username === 'late1'), []);
});
