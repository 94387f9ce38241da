// Bad input, one test each: malformed JSON, wrong types, unknown fields,
// missing fields, an oversized body, invalid UTF-8, over-deep nesting, a
// wrong Content-Type, an unknown route, a wrong method, an expired session
// and a missing CSRF token. Each answers problem+json naming what was
// wrong, and afterwards the audit trail and the account list show that
// nothing was written. Last, the server survives a burst of garbage.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Client, PASSWORD, Server, listAll, nowSeconds, problemOf, rawExchange, setup,
} from './lib.mjs';

const T0 = nowSeconds();
const ENV = { GUANGGU_TEST_NOW: String(T0) };
const ARGS = ['--max-body-bytes', '2048'];
let inst;
let admin;

before(async () => {
  inst = await setup({ env: ENV, args: ARGS, users: [{ name: 'boss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  await admin.login('boss');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

/* What the database shows: the newest audit row and every account with its version. */
async function snapshot(c = admin) {
  const a = await c.get('/api/v1/audit?limit=1');
  assert.equal(a.status, 200, a.text);
  const users = await listAll(c, '/api/v1/users');
  return { audit: a.json.items.length ? a.json.items[0].id : 0, users: users.map((u) => `${u.id}:${u.username}:${u.version}`) };
}

/* Runs send(), checks its problem answer with check(), then that nothing was written. */
async function refusedWithoutWrite(send, check) {
  const before = await snapshot();
  const r = await send();
  check(r);
  assert.deepEqual(await snapshot(), before, 'a refused request wrote something');
  return r;
}

const ROLE = [{ role: 'expert' }];

test('malformed JSON: 400 malformed_json', async () => {
  await refusedWithoutWrite(
    () => admin.req('POST', '/api/v1/users', { body: '{"username": "mal", "roles": [', contentType: 'application/json' }),
    (r) => problemOf(assert, r, 400, 'malformed_json'),
  );
  await refusedWithoutWrite(
    () => admin.req('POST', '/api/v1/users', { body: '{"username": "mal"} trailing', contentType: 'application/json' }),
    (r) => problemOf(assert, r, 400, 'malformed_json'),
  );
  await refusedWithoutWrite(
    () => admin.req('POST', '/api/v1/users', { body: '', contentType: 'application/json' }),
    (r) => problemOf(assert, r, 400, 'malformed_json'),
  );
});

test('wrong types: 400 wrong_type naming the field', async () => {
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 42, roles: ROLE }),
    (r) => problemOf(assert, r, 400, 'wrong_type', 'username'));
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'wtype', roles: [{ role: 7 }] }),
    (r) => problemOf(assert, r, 400, 'wrong_type', 'roles.0.role'));
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'wtype', roles: 'expert' }),
    (r) => problemOf(assert, r, 400, 'wrong_type', 'roles'));
  await refusedWithoutWrite(() => admin.post('/api/v1/users', [1, 2]),
    (r) => problemOf(assert, r, 400, 'wrong_type'));
});

test('unknown fields: 400 unknown_field naming the field', async () => {
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'ufield', roles: ROLE, colour: 'red' }),
    (r) => problemOf(assert, r, 400, 'unknown_field', 'colour'));
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'ufield', roles: [{ role: 'expert', colour: 'red' }] }),
    (r) => problemOf(assert, r, 400, 'unknown_field', 'roles.0.colour'));
});

test('missing fields: 400 missing_field naming the field', async () => {
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { roles: ROLE }),
    (r) => problemOf(assert, r, 400, 'missing_field', 'username'));
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'mfield', roles: [{ scope: 'org:1' }] }),
    (r) => problemOf(assert, r, 400, 'missing_field', 'roles.0.role'));
  await refusedWithoutWrite(() => admin.post('/api/v1/auth/password', { current_password: PASSWORD }),
    (r) => problemOf(assert, r, 400, 'missing_field', 'new_password'));
});

test('an oversized body (4096 bytes, limit 2048): 413 body_too_large', async () => {
  const head = '{"username":"big","roles":[{"role":"expert"}],"display_name":"';
  const padded = `${head}${'x'.repeat(4096 - head.length - 2)}"}`;
  assert.equal(Buffer.byteLength(padded), 4096);
  JSON.parse(padded);
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body: padded, contentType: 'application/json' }),
    (r) => problemOf(assert, r, 413, 'body_too_large'));
  /* just under the limit is read (and then judged on its content) */
  const fits = JSON.stringify({ username: 'fits', roles: ROLE, password: PASSWORD, display_name: 'y'.repeat(1800) });
  const ok = await admin.req('POST', '/api/v1/users', { body: fits, contentType: 'application/json' });
  assert.notEqual(ok.status, 413, ok.text);
});

test('invalid UTF-8: 400 invalid_utf8', async () => {
  const body = Buffer.concat([Buffer.from('{"username":"bad'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","roles":[{"role":"expert"}]}')]);
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body, contentType: 'application/json' }),
    (r) => problemOf(assert, r, 400, 'invalid_utf8'));
});

test('over-deep nesting (40 levels, limit 32): 400 json_too_deep', async () => {
  const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
  const body = `{"username":"deep","roles":[{"role":"expert"}],"display_name":${deep}}`;
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body, contentType: 'application/json' }),
    (r) => problemOf(assert, r, 400, 'json_too_deep'));
  /* a very deep document does not hurt the server either */
  const huge = `${'['.repeat(1000)}${']'.repeat(1000)}`;
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body: huge.slice(0, 2000), contentType: 'application/json' }),
    (r) => assert.equal(r.status, 400, r.text));
});

test('a wrong Content-Type: 415 unsupported_media_type', async () => {
  const json = JSON.stringify({ username: 'ctype', roles: ROLE, password: PASSWORD });
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body: json, contentType: 'text/plain' }),
    (r) => problemOf(assert, r, 415, 'unsupported_media_type'));
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body: json, contentType: 'application/x-www-form-urlencoded' }),
    (r) => problemOf(assert, r, 415, 'unsupported_media_type'));
  await refusedWithoutWrite(() => admin.req('POST', '/api/v1/users', { body: Buffer.from(json), contentType: null }),
    (r) => problemOf(assert, r, 415, 'unsupported_media_type'));
  /* with a charset parameter it is JSON */
  const ok = await admin.req('POST', '/api/v1/users', { body: json, contentType: 'application/json; charset=utf-8' });
  assert.equal(ok.status, 201, ok.text);
});

test('an unknown route: 404 not_found', async () => {
  await refusedWithoutWrite(() => admin.get('/api/v1/no-such-thing'), (r) => {
    const p = problemOf(assert, r, 404, 'not_found');
    assert.equal(p.instance, '/api/v1/no-such-thing');
  });
  await refusedWithoutWrite(() => admin.post('/api/v1/no-such-thing', { a: 1 }), (r) => problemOf(assert, r, 404, 'not_found'));
  await refusedWithoutWrite(() => admin.get('/api/v1/users/1/nothing'), (r) => problemOf(assert, r, 404, 'not_found'));
});

test('a wrong method: 405 method_not_allowed with Allow', async () => {
  await refusedWithoutWrite(() => admin.del('/api/v1/users'), (r) => {
    problemOf(assert, r, 405, 'method_not_allowed');
    const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort();
    assert.deepEqual(allow, ['GET', 'POST']);
  });
  await refusedWithoutWrite(() => admin.req('PUT', '/api/v1/me', { json: {} }), (r) => {
    problemOf(assert, r, 405, 'method_not_allowed');
    assert.deepEqual((r.headers.get('allow') || '').split(',').map((s) => s.trim()), ['GET']);
  });
  await refusedWithoutWrite(() => admin.del('/api/v1/users/1'), (r) => {
    problemOf(assert, r, 405, 'method_not_allowed');
    assert.deepEqual((r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort(), ['GET', 'PATCH']);
  });
});

test('a missing CSRF token: 403 csrf_token_invalid', async () => {
  await refusedWithoutWrite(() => admin.post('/api/v1/users', { username: 'nocsrf', roles: ROLE, password: PASSWORD }, { csrf: false }),
    (r) => problemOf(assert, r, 403, 'csrf_token_invalid'));
  const etag = (await admin.get('/api/v1/users/1')).headers.get('etag');
  await refusedWithoutWrite(() => admin.patch('/api/v1/users/1', { display_name: 'x' }, { csrf: false, headers: { 'If-Match': etag } }),
    (r) => problemOf(assert, r, 403, 'csrf_token_invalid'));
});

test('an expired session: 401 session_expired (clock moved past session_idle_minutes)', async () => {
  const stale = new Client(inst.server.url);
  await stale.login('boss');
  const stop = await inst.server.stop();
  assert.equal(stop.code, 0);
  inst.server = await Server.start(inst.dir, { env: { GUANGGU_TEST_NOW: String(T0 + 31 * 60) }, args: ARGS });
  stale.base = inst.server.url;
  admin = inst.server.client();
  await admin.login('boss');
  await refusedWithoutWrite(() => stale.post('/api/v1/users', { username: 'expired', roles: ROLE, password: PASSWORD }),
    (r) => problemOf(assert, r, 401, 'session_expired'));
  await refusedWithoutWrite(() => stale.get('/api/v1/users'), (r) => problemOf(assert, r, 401, 'session_expired'));
});

test('the server still answers after a burst of garbage', async () => {
  const port = inst.server.port;
  const garbage = [
    [Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a])],
    ['NOT HTTP AT ALL\r\n\r\n'],
    ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: '],
    ['POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"user'],
    ['POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n'],
    ['POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n'],
    [`GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`],
    [`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`],
    ['GET /healthz HTTP/9.9\r\n\r\n'],
    ['\r\n\r\n\r\n'],
  ];
  for (let round = 0; round < 3; round++) {
    await Promise.all(garbage.map((chunks) => rawExchange(port, chunks, { timeoutMs: 400 })));
  }
  const h = await new Client(inst.server.url).get('/healthz');
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.status, 'ok');
  const me = await admin.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(inst.server.child.exitCode, null, 'the server died');
});
