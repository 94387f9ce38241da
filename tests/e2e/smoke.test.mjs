// The browser-test harness itself, independent of the real web UI: a small
// page of our own (a login form with the data-test attributes of the
// real one, and a module script, so the server's Content-Security-Policy
// applies) served by a demo installation through web_dir. It proves that
// startDemo, launchBrowser, newPage, login and step work: the page logs
// in as admin through the API, contexts do not share sessions, and a
// failing step leaves its full-page screenshot.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../api/lib.mjs';
import { launchBrowser, login, newPage, pageErrors, screenshotPath, startDemo, step } from './lib.mjs';

const INDEX = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>harness</title><link rel="icon" href="data:,"><script type="module" src="/assets/app-e2e0001.js"></script></head>
<body><div id="app">loading</div></body>
</html>
`;

/* /login shows the form; any other path says who is signed in (GET /api/v1/me). */
const APP_JS = `
const app = document.getElementById('app');
function el(tag, attrs = {}, text = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}
app.textContent = '';
if (location.pathname === '/login') {
  const form = el('form');
  const user = el('input', { id: 'u', 'data-test': 'login-username', autocomplete: 'username' });
  const pass = el('input', { id: 'p', type: 'password', 'data-test': 'login-password' });
  const error = el('p', { 'data-test': 'login-error' });
  form.append(el('label', { for: 'u' }, '用户名'), user, el('label', { for: 'p' }, '密码'), pass,
    el('button', { type: 'submit', 'data-test': 'login-submit' }, '登录'), error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await fetch('/api/v1/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.value, password: pass.value }),
    });
    if (r.ok) location.assign('/home');
    else error.textContent = (await r.json()).code;
  });
  app.append(form);
} else {
  const r = await fetch('/api/v1/me');
  const me = r.ok ? await r.json() : null;
  app.append(el('h1', { 'data-test': 'home' }, me ? 'signed in as ' + me.user.username : 'not signed in'),
    el('p', { 'data-test': 'lang' }, navigator.language));
  const tall = el('div', { style: 'height: 3000px' }, 'tall');
  app.append(tall);
}
`;

let web;
let demo;
let browser;

before(async () => {
  web = await tempDir('guanggu-e2e-web-');
  await mkdir(path.join(web, 'assets'));
  await writeFile(path.join(web, 'index.html'), INDEX);
  await writeFile(path.join(web, 'assets', 'app-e2e0001.js'), APP_JS);
  demo = await startDemo({ webDir: web });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (demo) {
    const r = await demo.stop();
    assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
  }
  if (web) await rm(web, { recursive: true, force: true });
});

test('startDemo: an installation with its admin password and the demo accounts file as written', async () => {
  assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(demo.adminPassword, /^\S{10,}$/);
  assert.equal(typeof demo.accounts, 'object');
  /* accounts come only from demo-accounts.txt: {} without it, every line's password with it */
  const file = path.join(demo.dir, 'demo-accounts.txt');
  if (existsSync(file)) {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(Object.keys(demo.accounts).length, lines.length);
    for (const l of lines) assert.equal(demo.accounts[l.split('\t')[0]], l.split('\t')[1]);
  } else {
    assert.deepEqual(demo.accounts, {});
  }
});

test('newPage + login: the page logs in through its form and lands on /home', async (t) => {
  const page = await newPage(browser, { url: demo.url });
  assert.deepEqual(page.viewportSize(), { width: 1280, height: 800 });
  await step(t, page, 'login', () => login(page, 'admin', demo.adminPassword));
  assert.equal(new URL(page.url()).pathname, '/home');
  await step(t, page, 'home', async () => {
    await page.locator('[data-test=home]').waitFor();
    assert.equal(await page.locator('[data-test=home]').textContent(), 'signed in as admin');
    assert.equal(await page.locator('[data-test=lang]').textContent(), 'zh-CN');
  });
  /* the module script ran under the server's CSP without a refusal */
  assert.deepEqual(pageErrors(page), []);

  /* another context is another browser profile: no session there */
  const other = await newPage(browser, { url: demo.url, viewport: { width: 390, height: 844 }, locale: 'en-US' });
  await other.goto('/home');
  await other.locator('[data-test=home]').waitFor();
  assert.equal(await other.locator('[data-test=home]').textContent(), 'not signed in');
  assert.equal(await other.locator('[data-test=lang]').textContent(), 'en-US');
  await page.context().close();
  await other.context().close();
});

test('login with a wrong password fails within its bound, naming the page', async () => {
  const page = await newPage(browser, { url: demo.url });
  const started = Date.now();
  await assert.rejects(login(page, 'admin', 'Wrong-Password-0', { timeout: 3000 }),
    /login of 'admin' stayed on .*\/login.*invalid_credentials/s);
  assert.ok(Date.now() - started < 15000);
  await page.context().close();
});

test('step: a passing step returns its value and leaves no file; a failing one leaves a full-page PNG', async (t) => {
  const page = await newPage(browser, { url: demo.url });
  await page.goto('/home');
  await page.locator('[data-test=home]').waitFor();

  const okFile = screenshotPath(t, 'passes');
  await rm(okFile, { force: true });
  assert.equal(await step(t, page, 'passes', async () => 42), 42);
  assert.equal(existsSync(okFile), false);

  const file = screenshotPath(t, 'fails on purpose');
  await rm(file, { force: true });
  assert.match(file, /build\/test-logs\/e2e\/smoke-step_a_passing_step.*-fails_on_purpose\.png$/);
  await assert.rejects(
    step(t, page, 'fails on purpose', async () => {
      await page.locator('[data-test=no-such-thing]').click({ timeout: 500 });
    }),
    (e) => e.message.includes("step 'fails on purpose'") && e.message.includes(`screenshot: ${file}`),
  );
  const png = await readFile(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  /* full page: taller than the 800 px viewport (the page is over 3000 px tall) */
  const height = png.readUInt32BE(20);
  assert.ok(height > 3000, `screenshot height ${height}`);
  assert.ok((await stat(file)).size > 1000);
  await rm(file, { force: true });
  await page.context().close();
});
