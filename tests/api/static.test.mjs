// The web UI's files served by `guanggu serve` from web_dir (here a small
// build made in a temporary directory, given as GUANGGU_WEB_DIR): content
// types, Cache-Control for hashed assets and everything else, the HTML
// security headers, a strong ETag and 304, the single-page fallback for
// application paths, gzip variants, HEAD, keep-alive, 404 for a missing
// file and problem+json for unknown API paths, no way out of the
// directory; and without a build: the warning at start and 503 on /; a
// web_dir that is a file or holds a too large file stops the start.

import assert from 'node:assert/strict';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Client, Server, initDir, problemOf, rawExchange, removeDir, run, tempDir } from './lib.mjs';

const INDEX = '<!doctype html><html lang="zh-CN"><head><title>光谷</title></head><body><div id="app"></div></body></html>\n';
const APP_JS = `console.log(${JSON.stringify('光谷'.repeat(200))});\n`;
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n';
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
  + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

let dir;
let web;
let server;
let c;
const dirs = [];

before(async () => {
  dir = await tempDir('guanggu-static-');
  dirs.push(dir);
  web = path.join(dir, 'dist');
  await mkdir(path.join(web, 'assets'), { recursive: true });
  await writeFile(path.join(web, 'index.html'), INDEX);
  await writeFile(path.join(web, 'assets', 'app-abc123.js'), APP_JS);
  await writeFile(path.join(web, 'assets', 'app-abc123.js.gz'), gzipSync(APP_JS));
  await writeFile(path.join(web, 'logo.svg'), LOGO);
  await writeFile(path.join(web, 'robots.txt'), 'User-agent: *\n');
  await writeFile(path.join(web, '.env'), 'NOT=served\n');
  await initDir(path.join(dir, 'var'));
  server = await Server.start(path.join(dir, 'var'), { env: { GUANGGU_WEB_DIR: web } });
  c = new Client(server.url);
});

after(async () => {
  if (server) {
    const r = await server.stop();
    assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
  }
  for (const d of dirs) await removeDir(d);
});

const plain = { 'Accept-Encoding': 'identity' };

test('the start is logged with the number of files', () => {
  const line = server.logLines().find((l) => l.event === 'web_ui');
  assert.ok(line, `no web_ui log line in:\n${server.stderr.slice(0, 2000)}`);
  assert.equal(line.level, 'info');
  assert.match(line.msg, /\(5 files, \d+ bytes\)/);
  assert.ok(line.msg.includes(web));
});

test('/ is index.html with the HTML security headers, revalidated every time', async () => {
  const r = await c.get('/', { headers: plain });
  assert.equal(r.status, 200);
  assert.equal(r.text, INDEX);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('content-security-policy'), CSP);
  assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('etag') || '', /^"[0-9a-f]{32}"$/);
  assert.match(r.headers.get('x-request-id') || '', /^[A-Za-z0-9._-]{1,64}$/);
  assert.equal(r.headers.get('connection'), null);
});

test('content types and caching by file', async () => {
  const cases = [
    ['/assets/app-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', APP_JS],
    ['/logo.svg', 'image/svg+xml', 'no-cache', LOGO],
    ['/robots.txt', 'text/plain; charset=utf-8', 'no-cache', 'User-agent: *\n'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache', INDEX],
  ];
  for (const [p, type, cache, body] of cases) {
    const r = await c.get(p, { headers: plain });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('content-type'), type, p);
    assert.equal(r.headers.get('cache-control'), cache, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.text, body, p);
    if (!type.startsWith('text/html')) {
      assert.equal(r.headers.get('content-security-policy'), null, p);
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
    }
  }
});

test('ETag: a matching If-None-Match answers 304 without a body; a stale one 200', async () => {
  const first = await c.get('/logo.svg', { headers: plain });
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await c.get('/logo.svg', { headers: { ...plain, 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  assert.equal(again.headers.get('etag'), etag);
  assert.equal(again.headers.get('cache-control'), 'no-cache');
  const weak = await c.get('/logo.svg', { headers: { ...plain, 'If-None-Match': `"x", W/${etag}` } });
  assert.equal(weak.status, 304);
  const stale = await c.get('/logo.svg', { headers: { ...plain, 'If-None-Match': '"00000000000000000000000000000000"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.text, LOGO);
  /* the ETag names the content: another file, another tag */
  assert.notEqual((await c.get('/robots.txt', { headers: plain })).headers.get('etag'), etag);
});

test('single-page application paths answer index.html; files that do not exist 404', async () => {
  const index = await c.get('/', { headers: plain });
  for (const p of ['/talents/12', '/talents/12?tab=history', '/login', '/talents/']) {
    const r = await c.get(p, { headers: plain });
    assert.equal(r.status, 200, p);
    assert.equal(r.text, INDEX, p);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', p);
    assert.equal(r.headers.get('cache-control'), 'no-cache', p);
    assert.equal(r.headers.get('content-security-policy'), CSP, p);
    assert.equal(r.headers.get('etag'), index.headers.get('etag'), p);
  }
  for (const p of ['/missing.js', '/assets/app-000000.js', '/talents/12.json', '/.env']) {
    const r = await c.get(p);
    problemOf(assert, r, 404, 'not_found');
    assert.equal(r.headers.get('cache-control'), 'no-store', p);
  }
});

test('API paths stay the API: unknown ones are problem+json 404, routes answer as before', async () => {
  for (const p of ['/api/v1/nope', '/api/v1/', '/api', '/api/v1/talents/12/nothing']) {
    const r = await c.get(p);
    problemOf(assert, r, 404, 'not_found');
  }
  problemOf(assert, await c.get('/api/v1/me'), 401, 'unauthenticated');
  assert.equal((await c.get('/healthz')).status, 200);
  assert.equal((await c.req('HEAD', '/healthz')).status, 405); /* a route's path: its 405, never a page */
  /* only GET and HEAD reach the files */
  problemOf(assert, await c.req('POST', '/talents/12', { json: {} }), 404, 'not_found');
  problemOf(assert, await c.req('DELETE', '/index.html'), 404, 'not_found');
});

test('HEAD answers the headers of GET without the body', async () => {
  const get = await c.get('/assets/app-abc123.js', { headers: plain });
  const head = await c.req('HEAD', '/assets/app-abc123.js', { headers: plain });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(APP_JS)));
  assert.equal(head.headers.get('etag'), get.headers.get('etag'));
  const page = await c.req('HEAD', '/talents/12', { headers: plain });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-length'), String(Buffer.byteLength(INDEX)));
});

test('NAME.gz is sent to clients that accept gzip, with Vary and its own ETag', async () => {
  const gz = await rawGet('/assets/app-abc123.js', 'Accept-Encoding: gzip, deflate\r\n');
  assert.match(gz.head, /^HTTP\/1\.1 200 /);
  assert.match(gz.head, /\r\nContent-Encoding: gzip\r\n/i);
  assert.match(gz.head, /\r\nVary: Accept-Encoding\r\n/i);
  assert.match(gz.head, /\r\nContent-Type: text\/javascript; charset=utf-8\r\n/i);
  assert.equal(Number(/\r\nContent-Length: (\d+)/i.exec(gz.head)[1]), gzipSync(APP_JS).length);
  const id = await c.get('/assets/app-abc123.js', { headers: plain });
  assert.equal(id.headers.get('content-encoding'), null);
  assert.equal(id.headers.get('vary'), 'Accept-Encoding');
  assert.notEqual(/\r\nETag: ("[0-9a-f]+")/i.exec(gz.head)[1], id.headers.get('etag'));
  /* fetch accepts gzip and decompresses: the same text */
  const auto = await c.get('/assets/app-abc123.js');
  assert.equal(auto.text, APP_JS);
  const refused = await rawGet('/assets/app-abc123.js', 'Accept-Encoding: gzip;q=0\r\n');
  assert.doesNotMatch(refused.head, /Content-Encoding/i);
});

/* One GET on a raw connection; {head, body} of the answer. */
async function rawGet(p, extra = '') {
  const r = await rawExchange(server.port, [`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`]);
  const cut = r.data.indexOf('\r\n\r\n');
  assert.ok(cut > 0, `no answer to GET ${p}: ${r.data.slice(0, 200)}`);
  return { head: r.data.slice(0, cut + 2), body: r.data.slice(cut + 4) };
}

test('requests stay on one keep-alive connection (no Connection: close)', async () => {
  const req = (p) => `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n`;
  const r = await rawExchange(server.port, [req('/'), req('/assets/app-abc123.js'), req('/talents/1')], { timeoutMs: 1000 });
  const answers = r.data.match(/HTTP\/1\.1 200 OK/g) || [];
  assert.equal(answers.length, 3, r.data.slice(0, 500));
  assert.doesNotMatch(r.data, /\r\nConnection: close\r\n/i);
});

test('no path leaves the directory', async () => {
  for (const p of ['/../../../../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2e%2e/index.html', '/..%2f..%2fetc%2fpasswd', '//etc/passwd']) {
    const r = await rawGet(p);
    assert.match(r.head, /^HTTP\/1\.1 (404|400) /, `${p}: ${r.head}`);
    assert.doesNotMatch(r.body, /root:/, p);
  }
  const long = await rawGet(`/${'a'.repeat(300)}.js`);
  assert.match(long.head, /^HTTP\/1\.1 404 /);
  const nul = await rawGet('/index.html%00.js');
  assert.match(nul.head, /^HTTP\/1\.1 400 /);
});

test('web UI counts under route "static" in /metrics', async () => {
  const m = (await c.get('/metrics')).text;
  assert.match(m, /guanggu_http_requests_total\{route="static",method="GET",status="200"\} [1-9]/);
  assert.match(m, /guanggu_http_requests_total\{route="static",method="GET",status="304"\} [1-9]/);
});

test('without a build: serve starts, warns how to build, and / answers 503', async () => {
  const d = await tempDir('guanggu-static-');
  dirs.push(d);
  await initDir(path.join(d, 'var'));
  const missing = path.join(d, 'web', 'dist');
  const s = await Server.start(path.join(d, 'var'), { env: { GUANGGU_WEB_DIR: missing } });
  try {
    const warn = s.logLines().filter((l) => l.event === 'web_ui_missing');
    assert.equal(warn.length, 1, s.stderr.slice(0, 2000));
    assert.equal(warn[0].level, 'warn');
    assert.ok(warn[0].msg.includes(missing), warn[0].msg);
    assert.match(warn[0].msg, /run make to build the web UI/);
    const anon = new Client(s.url);
    for (const p of ['/', '/talents/12']) {
      const r = await anon.get(p);
      assert.equal(r.status, 503, p);
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(r.text, /web UI is not built/);
      assert.match(r.text, /Run make to build the web UI/);
      assert.equal(r.headers.get('cache-control'), 'no-store');
    }
    problemOf(assert, await anon.get('/app.js'), 404, 'not_found');
    problemOf(assert, await anon.get('/api/v1/nope'), 404, 'not_found');
    assert.equal((await anon.get('/healthz')).status, 200);
  } finally {
    const r = await s.stop();
    assert.equal(r.code, 0);
  }
});

test('a web_dir that is a file, or holds a file over 16 MiB, stops the start with a clear error', async () => {
  const d = await tempDir('guanggu-static-');
  dirs.push(d);
  await initDir(path.join(d, 'var'));
  const serve = (webDir) => run(['serve', '--dir', path.join(d, 'var'), '--listen', '127.0.0.1:0'],
    { env: { GUANGGU_WEB_DIR: webDir }, timeoutMs: 10000 });

  const file = path.join(d, 'file');
  await writeFile(file, 'x');
  let r = await serve(file);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /web_dir '.*\/file' is not a directory/);
  assert.doesNotMatch(r.stdout, /listening on/);

  const big = path.join(d, 'big');
  await mkdir(path.join(big, 'assets'), { recursive: true });
  await writeFile(path.join(big, 'index.html'), INDEX);
  await writeFile(path.join(big, 'assets', 'huge.js'), '');
  await truncate(path.join(big, 'assets', 'huge.js'), 16 * 1024 * 1024 + 1); /* sparse: costs no disk */
  r = await serve(big);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /'\/assets\/huge\.js' has 16777217 bytes; a file may have at most 16777216/);
});
