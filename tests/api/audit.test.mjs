// The audit trail: a user's creation and update are listed with the actor,
// the request id and old/new values; no secret shows anywhere in it;
// `guanggu audit verify` says intact, and after one row is edited behind
// the server's back (triggers dropped with the sqlite3 tool) it names it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { PASSWORD, cliToken, listAll, run, setup } from './lib.mjs';

const exec = promisify(execFile);
let inst;
let admin;
let bossId;
let frankId;
let createRid;
let updateRid;
const secrets = [PASSWORD];

before(async () => {
  inst = await setup({ users: [{ name: 'boss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  const li = await admin.login('boss');
  bossId = li.user.id;
  secrets.push(admin.cookie, admin.csrf, inst.adminPassword);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

test('creating and updating a user lists user.create and user.update with old/new values', async () => {
  const c = await admin.post('/api/v1/users', { username: 'frank', display_name: 'Frank Old', roles: [{ role: 'expert' }] },
    { headers: { 'X-Request-Id': 'audit-create-0001' } });
  assert.equal(c.status, 201, c.text);
  createRid = c.headers.get('x-request-id');
  assert.equal(createRid, 'audit-create-0001');
  frankId = c.json.user.id;
  secrets.push(c.json.generated_password);

  const etag = (await admin.get(`/api/v1/users/${frankId}`)).headers.get('etag');
  const u = await admin.patch(`/api/v1/users/${frankId}`, { display_name: 'Frank New', roles: [{ role: 'leader' }] },
    { headers: { 'If-Match': etag } });
  assert.equal(u.status, 200, u.text);
  updateRid = u.headers.get('x-request-id');
  assert.ok(updateRid);

  const r = await admin.get(`/api/v1/audit?entity=user&entity_id=${frankId}`);
  assert.equal(r.status, 200, r.text);
  const items = r.json.items;
  assert.ok(items.every((e) => e.entity === 'user' && e.entity_id === frankId), 'the filter let other rows through');
  const ids = items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'not newest first');

  const create = items.find((e) => e.action === 'user.create');
  const update = items.find((e) => e.action === 'user.update');
  assert.ok(create, `no user.create: ${r.text}`);
  assert.ok(update, `no user.update: ${r.text}`);
  assert.ok(update.id > create.id);
  for (const e of [create, update]) {
    assert.equal(e.actor, 'boss');
    assert.equal(e.actor_id, bossId);
    assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  assert.equal(create.request_id, createRid);
  assert.equal(update.request_id, updateRid);
  const cu = create.changes.find((ch) => ch.field === 'username');
  assert.ok(cu, `user.create does not record the username: ${JSON.stringify(create.changes)}`);
  assert.equal(cu.old, null);
  assert.equal(cu.new, 'frank');
  const dn = update.changes.find((ch) => ch.field === 'display_name');
  assert.deepEqual(dn, { field: 'display_name', old: 'Frank Old', new: 'Frank New' });
  const roles = update.changes.find((ch) => ch.field === 'roles');
  assert.ok(roles, `user.update does not record the roles: ${JSON.stringify(update.changes)}`);
  assert.match(String(roles.old), /expert/);
  assert.match(String(roles.new), /leader/);
  assert.ok(!update.changes.some((ch) => ch.field === 'username'), 'an unchanged field is listed as changed');

  const only = await admin.get(`/api/v1/audit?entity=user&entity_id=${frankId}&action=user.update`);
  assert.deepEqual(only.json.items.map((e) => e.action), ['user.update']);
  const byActor = await admin.get(`/api/v1/audit?actor_id=${bossId}&limit=200`);
  assert.ok(byActor.json.items.every((e) => e.actor_id === bossId));
  assert.ok(byActor.json.items.some((e) => e.id === update.id));
});

test('no password, hash or token text anywhere in the audit trail', async () => {
  const reset = await admin.post(`/api/v1/users/${frankId}/password-reset`);
  assert.equal(reset.status, 200, reset.text);
  secrets.push(reset.json.generated_password);
  const tok = await admin.post(`/api/v1/users/${frankId}/tokens`, { label: 'frank-api' });
  assert.equal(tok.status, 201, tok.text);
  secrets.push(tok.json.token);
  secrets.push(await cliToken(inst.dir, 'boss', 'cli-made'));
  const ch = await admin.post('/api/v1/auth/password', { current_password: PASSWORD, new_password: 'Boss-Second-Password-3' });
  assert.equal(ch.status, 204, ch.text);
  secrets.push('Boss-Second-Password-3');
  const inv = await admin.post('/api/v1/invitations', { username: 'gina', role: 'expert' });
  assert.equal(inv.status, 201, inv.text);
  secrets.push(inv.json.token);

  const items = await listAll(admin, '/api/v1/audit');
  const actions = new Set(items.map((e) => e.action));
  for (const a of ['user.create', 'user.update', 'user.password_reset', 'user.password_change', 'token.create',
    'auth.login', 'invitation.create']) {
    assert.ok(actions.has(a), `no ${a} in the audit trail: ${[...actions]}`);
  }
  const text = JSON.stringify(items);
  for (const s of secrets) {
    assert.ok(typeof s === 'string' && s.length >= 8, `bad secret sample ${s}`);
    assert.ok(!text.includes(s), `a secret appears in the audit trail: ${s.slice(0, 6)}...`);
  }
  assert.ok(!/\$argon2/.test(text), 'a password hash appears in the audit trail');
  assert.ok(!/gg_[A-Za-z0-9_-]{16}/.test(text), 'a token appears in the audit trail');
});

test('`audit verify` says intact, and names row 2 once it has been edited', async () => {
  const ok = await run(['audit', 'verify', '--dir', inst.dir]);
  assert.equal(ok.code, 0, `audit verify: ${ok.stdout}${ok.stderr}`);
  assert.match(ok.stdout + ok.stderr, /intact/i);

  const stop = await inst.server.stop();
  assert.equal(stop.code, 0);
  const db = path.join(inst.dir, 'guanggu.db');
  const trig = await exec('sqlite3', [db, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"]);
  const triggers = trig.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  assert.ok(triggers.length >= 1, 'no triggers guard audit_log');
  /* the triggers refuse an edit while they stand */
  await assert.rejects(exec('sqlite3', [db, "UPDATE audit_log SET actor='mallory' WHERE id=2"]), /append-only|abort|constraint/i);
  const before = await run(['audit', 'verify', '--dir', inst.dir]);
  assert.equal(before.code, 0, 'the refused edit broke the chain');

  const drops = triggers.map((t) => `DROP TRIGGER "${t}";`).join(' ');
  await exec('sqlite3', [db, `${drops} UPDATE audit_log SET actor='mallory' WHERE id=2;`]);
  const edited = await exec('sqlite3', [db, 'SELECT actor FROM audit_log WHERE id=2']);
  assert.equal(edited.stdout.trim(), 'mallory');

  const bad = await run(['audit', 'verify', '--dir', inst.dir]);
  assert.equal(bad.code, 1, `audit verify after the edit: ${bad.stdout}${bad.stderr}`);
  assert.match(bad.stdout + bad.stderr, /row 2\b/);
  assert.doesNotMatch(bad.stdout + bad.stderr, /intact/i);
});
