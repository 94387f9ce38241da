// Operations: /healthz, /metrics, request ids, the JSON access log (and no
// secrets in it), backup while serving and restore (refused under a
// running server), migrate twice, config show's origins, a bad config
// file, and graceful shutdown finishing a request in flight.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, readdir, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  Client, PASSWORD, Server, addUser, cliToken, initDir, listAll, removeDir, run, runOk, setup, sleep, tempDir,
} from './lib.mjs';

const exec = promisify(execFile);
let inst;
let admin;
const secrets = [PASSWORD];
const dirs = [];
const servers = [];

before(async () => {
  inst = await setup({ users: [{ name: 'opsboss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  await admin.login('opsboss');
  secrets.push(admin.cookie, admin.csrf, inst.adminPassword);
});

after(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) await removeDir(d);
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

async function newDir() {
  const d = await tempDir();
  dirs.push(d);
  return d;
}

/* Parses Prometheus text into [{name, labels, value}]. */
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = {};
    for (const l of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/* Decodes an HTTP/1.1 chunked body. */
function dechunk(s) {
  let out = '';
  let rest = s;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, nl), 16);
    if (!(size > 0)) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}

function sample(ms, name, want) {
  return ms.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
}

test('/healthz answers 200 with status ok', async () => {
  const r = await new Client(inst.server.url).get('/healthz');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.db, 'ok');
  assert.equal(typeof r.json.version, 'string');
});

test('/metrics counts requests by route and has latency histograms', async () => {
  const anon = new Client(inst.server.url);
  const before = parseMetrics((await anon.get('/metrics')).text);
  const count = (ms) => sample(ms, 'guanggu_http_requests_total', { route: '/api/v1/me', method: 'GET', status: '200' })
    .reduce((a, s) => a + s.value, 0);
  for (let i = 0; i < 3; i++) assert.equal((await admin.get('/api/v1/me')).status, 200);
  await anon.get('/api/v1/nothing-here');
  const r = await anon.get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; ?version=0\.0\.4/);
  const ms = parseMetrics(r.text);
  assert.equal(count(ms) - count(before), 3, 'guanggu_http_requests_total for GET /api/v1/me did not grow by 3');
  assert.ok(sample(ms, 'guanggu_http_requests_total', { route: 'unmatched', status: '404' }).length >= 1, 'no unmatched route label');
  assert.ok(ms.some((s) => s.name === 'guanggu_http_requests_in_flight'));

  const buckets = sample(ms, 'guanggu_http_request_duration_seconds_bucket', { route: '/api/v1/me', method: 'GET' });
  assert.ok(buckets.length >= 3, `too few buckets: ${buckets.length}`);
  const le = (s) => (s.labels.le === '+Inf' ? Infinity : Number(s.labels.le));
  buckets.sort((a, b) => le(a) - le(b));
  assert.equal(le(buckets[buckets.length - 1]), Infinity, 'no le="+Inf" bucket');
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value, 'buckets are not cumulative');
  const cnt = sample(ms, 'guanggu_http_request_duration_seconds_count', { route: '/api/v1/me', method: 'GET' });
  const sum = sample(ms, 'guanggu_http_request_duration_seconds_sum', { route: '/api/v1/me', method: 'GET' });
  assert.equal(cnt.length, 1);
  assert.equal(sum.length, 1);
  assert.equal(cnt[0].value, buckets[buckets.length - 1].value);
  assert.ok(cnt[0].value >= 3);
  assert.ok(sum[0].value > 0 && sum[0].value < 60);
});

test('every response has an X-Request-Id; a valid client one is echoed', async () => {
  const c = new Client(inst.server.url);
  const answers = [await c.get('/healthz'), await c.get('/api/v1/me'), await c.get('/nope'), await c.req('DELETE', '/healthz'),
    await admin.get('/api/v1/me'), await c.tryLogin('opsboss', 'wrong-password-here')];
  const ids = answers.map((r) => r.headers.get('x-request-id'));
  for (const id of ids) assert.match(id || '', /^[A-Za-z0-9._-]{1,64}$/);
  assert.equal(new Set(ids).size, ids.length, `request ids repeat: ${ids}`);

  const mine = 'ops-check.ID_1';
  const e = await c.get('/healthz', { headers: { 'X-Request-Id': mine } });
  assert.equal(e.headers.get('x-request-id'), mine);
  const p = await c.get('/api/v1/me', { headers: { 'X-Request-Id': mine } });
  assert.equal(p.headers.get('x-request-id'), mine);
  assert.equal(p.problem.request_id, mine);
  for (const bad of ['has space', 'x'.repeat(65), 'semi;colon', 'ümlaut']) {
    const r = await c.get('/healthz', { headers: { 'X-Request-Id': bad } }).catch(() => null);
    if (r === null) continue; /* fetch refuses to send some header values at all */
    const id = r.headers.get('x-request-id');
    assert.notEqual(id, bad);
    assert.match(id, /^[A-Za-z0-9._-]{1,64}$/);
  }
});

test('access log lines are JSON with request_id, status and route, and hold no secret', async () => {
  const token = await cliToken(inst.dir, 'opsboss', 'ops-log');
  secrets.push(token);
  const b = new Client(inst.server.url);
  b.bearer = token;
  assert.equal((await b.get('/api/v1/me', { headers: { 'X-Request-Id': 'ops-log-bearer' } })).status, 200);
  assert.equal((await admin.get('/api/v1/me', { headers: { 'X-Request-Id': 'ops-log-session' } })).status, 200);
  const failed = await new Client(inst.server.url).tryLogin('opsboss', 'Wrong-Password-In-Log-1');
  assert.equal(failed.status, 401);
  secrets.push('Wrong-Password-In-Log-1');
  const created = await admin.post('/api/v1/users', { username: 'logged', roles: [{ role: 'expert' }] });
  assert.equal(created.status, 201);
  secrets.push(created.json.generated_password);

  let line;
  for (let i = 0; i < 40 && !line; i++) {
    line = inst.server.logLines().find((l) => l.request_id === 'ops-log-session');
    if (!line) await sleep(50);
  }
  assert.ok(line, `no access log line with request_id ops-log-session in:\n${inst.server.stderr.slice(-2000)}`);
  assert.equal(line.status, 200);
  assert.equal(line.route, '/api/v1/me');
  const bl = inst.server.logLines().find((l) => l.request_id === 'ops-log-bearer');
  assert.ok(bl);
  assert.equal(bl.status, 200);

  const nonJson = inst.server.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
  assert.deepEqual(nonJson, [], 'stderr lines that are not JSON');
  for (const s of secrets) {
    assert.ok(typeof s === 'string' && s.length >= 8);
    assert.ok(!inst.server.stderr.includes(s), `a secret appears in the log: ${s.slice(0, 6)}...`);
  }
});

test('backup while serving and writing; restore refuses a running server, then serves the users', async () => {
  for (let i = 0; i < 3; i++) {
    assert.equal((await admin.post('/api/v1/users', { username: `pre${i}`, roles: [{ role: 'leader' }], password: PASSWORD })).status, 201);
  }
  const preUsers = (await listAll(admin, '/api/v1/users')).map((u) => u.username);
  const file = path.join(await newDir(), 'backup.db');
  let writes = 0;
  let stopWriting = false;
  const writer = (async () => {
    while (!stopWriting && writes < 40) {
      const r = await admin.post('/api/v1/users', { username: `during${writes}`, roles: [{ role: 'expert' }], password: PASSWORD });
      assert.equal(r.status, 201, r.text);
      writes++;
    }
  })();
  await sleep(30);
  const bk = await run(['backup', file, '--dir', inst.dir]);
  stopWriting = true;
  await writer;
  assert.equal(bk.code, 0, `backup: ${bk.stdout}${bk.stderr}`);
  assert.ok(writes >= 1, 'no write ran alongside the backup');
  assert.ok((await stat(file)).size > 0);
  const ic = await exec('sqlite3', [file, 'PRAGMA integrity_check']);
  assert.equal(ic.stdout.trim(), 'ok');
  /* a second backup to the same file is refused rather than overwriting it */
  assert.notEqual((await run(['backup', file, '--dir', inst.dir])).code, 0);

  const dir2 = await newDir();
  await initDir(dir2);
  const s2 = await Server.start(dir2);
  servers.push(s2);
  const refused = await run(['restore', file, '--dir', dir2]);
  assert.equal(refused.code, 1, `restore under a running server: ${refused.stdout}${refused.stderr}`);
  assert.equal((await new Client(s2.url).get('/healthz')).status, 200, 'the refused restore hurt the running server');
  assert.equal((await s2.stop()).code, 0);
  servers.pop();

  /* the documented procedure: restore the database, put the keys of its installation back */
  await runOk(['restore', file, '--dir', dir2]);
  for (const k of await readdir(path.join(inst.dir, 'keys'))) {
    await copyFile(path.join(inst.dir, 'keys', k), path.join(dir2, 'keys', k));
  }
  const s3 = await Server.start(dir2);
  servers.push(s3);
  const c = new Client(s3.url);
  await c.login('opsboss');
  const restored = (await listAll(c, '/api/v1/users')).map((u) => u.username);
  for (const u of preUsers) assert.ok(restored.includes(u), `user '${u}' of DIR is not in the restored DIR2`);
  assert.equal((await s3.stop()).code, 0);
  servers.pop();
});

test('migrate twice: the second run applies nothing', async () => {
  const d = await newDir();
  await initDir(d);
  const first = await runOk(['migrate', '--dir', d]);
  assert.match(first.stdout, /\d+ applied/);
  const second = await runOk(['migrate', '--dir', d]);
  assert.match(second.stdout, /\b0 applied\b/);
});

test('config show says where each value came from: flag, env, file, default', async () => {
  const d = await newDir();
  await initDir(d);
  await writeFile(path.join(d, 'guanggu.conf'), '# test settings\nsession_idle_minutes = 45\n');
  const r = await runOk(['config', 'show', '--dir', d, '--max-body-bytes', '4096'], { env: { GUANGGU_THREADS: '3' } });
  const rows = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+)\s+= (.*?)\s+# (.+)$/.exec(line);
    if (m) rows[m[1]] = { value: m[2].replace(/^"|"$/g, ''), origin: m[3] };
  }
  assert.equal(rows.max_body_bytes.value, '4096');
  assert.match(rows.max_body_bytes.origin, /^flag --max-body-bytes/);
  assert.equal(rows.threads.value, '3');
  assert.match(rows.threads.origin, /^env GUANGGU_THREADS/);
  assert.equal(rows.session_idle_minutes.value, '45');
  assert.match(rows.session_idle_minutes.origin, /guanggu\.conf:2$/);
  assert.equal(rows.timezone.value, 'Asia/Shanghai');
  assert.equal(rows.timezone.origin, 'default');
  assert.match(rows.dir.origin, /^flag --dir/);
  /* a flag beats the environment, which beats the file */
  const r2 = await runOk(['config', 'show', '--dir', d, '--session-idle-minutes', '50'], { env: { GUANGGU_SESSION_IDLE_MINUTES: '40' } });
  assert.match(r2.stdout, /^session_idle_minutes\s+= "?50"?\s+# flag --session-idle-minutes/m);
  const r3 = await runOk(['config', 'show', '--dir', d], { env: { GUANGGU_SESSION_IDLE_MINUTES: '40' } });
  assert.match(r3.stdout, /^session_idle_minutes\s+= "?40"?\s+# env GUANGGU_SESSION_IDLE_MINUTES/m);
});

test('a bad value in guanggu.conf stops serve with the file and line', async () => {
  const d = await newDir();
  await initDir(d);
  await writeFile(path.join(d, 'guanggu.conf'), '# ok so far\nlisten = 127.0.0.1:0\nthreads = 999\n');
  const r = await run(['serve', '--dir', d], { timeoutMs: 10000 });
  assert.equal(r.code, 1, `serve with a bad config: ${r.code ?? r.signal}\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /guanggu\.conf:3/);
  assert.match(r.stderr, /threads/);
  assert.doesNotMatch(r.stdout, /listening on/);
});

test('SIGTERM finishes the request in flight, refuses new connections, exits 0', async () => {
  const port = inst.server.port;
  const body = JSON.stringify({ username: 'opsboss', password: PASSWORD });
  const half = Math.floor(body.length / 2);
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  const chunks = [];
  sock.on('data', (d) => chunks.push(d));
  const closed = new Promise((resolve) => sock.on('close', resolve));
  sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`);
  await sleep(200);
  inst.server.terminate();

  /* new connections are refused once the server stops accepting (bounded wait) */
  let refusedNew = false;
  for (let i = 0; i < 40 && !refusedNew; i++) {
    await sleep(50);
    refusedNew = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', (e) => resolve(e.code === 'ECONNREFUSED'));
    });
  }
  assert.ok(refusedNew, 'new connections are still accepted 2 s after SIGTERM');
  assert.equal(inst.server.child.exitCode, null, 'the server exited with a request in flight');

  sock.write(body.slice(half));
  await Promise.race([closed, sleep(10000)]);
  sock.destroy();
  const text = Buffer.concat(chunks).toString('utf8');
  assert.match(text, /^HTTP\/1\.1 200 /, `no complete answer: ${text}`);
  const sep = text.indexOf('\r\n\r\n');
  assert.ok(sep > 0);
  let payload = text.slice(sep + 4);
  if (/^transfer-encoding:\s*chunked/im.test(text.slice(0, sep))) payload = dechunk(payload);
  const json = JSON.parse(payload);
  assert.equal(json.user.username, 'opsboss');
  assert.equal(typeof json.csrf_token, 'string');

  const r = await inst.server.stop();
  assert.equal(r.code, 0, `exit after SIGTERM: ${JSON.stringify(r)}`);
});
