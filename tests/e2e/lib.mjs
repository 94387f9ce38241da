// The browser-test harness: a real `guanggu serve` with the demo data and
// the built web UI, driven by Debian's chromium through playwright-core
// (which downloads no browser). Test files are tests/e2e/<area>.test.mjs,
// run with node's test runner one file at a time (tests/run.sh), e.g.:
//
//   import { test } from 'node:test';
//   import { noUncaught, step, useDemo } from './lib.mjs';
//   const run = useDemo();       /* before(): server + browser; after(): both gone */
//   test('the officer finds 王金桥', async (t) => {
//     const page = await run.signedIn(t, 'bureau_officer');
//     await step(t, page, 'search', async () => { ... });
//     noUncaught(page);
//     await page.context().close();
//   });
//
// The server, the installation and the accounts come from tests/api/lib.mjs
// (the same binary, build/test/guanggu, and the same log capture). Every
// wait is bounded: playwright's timeouts are set on each page, the server
// start and every command have their own. A failing step leaves a
// full-page screenshot in build/test-logs/e2e/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { REPO, Server, initDir, removeDir, runOk, tempDir } from '../api/lib.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const WEB_DIST = path.join(REPO, 'web', 'dist');
export const SHOTS_DIR = path.join(REPO, 'build', 'test-logs', 'e2e');

/* Bounds of every wait (ms). */
export const TIMEOUTS = { action: 10000, navigation: 15000, launch: 30000, demo: 180000 };

/**
 * Parses DIR/demo-accounts.txt (`username<TAB>password<TAB>roles`, '#'
 * comment lines) into {username: password}.
 */
export function parseDemoAccounts(text) {
  const accounts = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [username, password] = line.split('\t');
    if (!username || !password) throw new Error(`demo-accounts.txt: cannot read the line '${line}'`);
    accounts[username] = password;
  }
  return accounts;
}

/**
 * A fresh installation with the demo data, served with the web UI:
 * `guanggu init`, `guanggu demo`, then `guanggu serve` on 127.0.0.1 with
 * web_dir = webDir (default <repo>/web/dist, which must hold index.html:
 * build it with make). Resolves {url, dir, accounts, adminPassword,
 * server, stop()}: accounts maps each demo account's username to its
 * password as `guanggu demo` wrote them to DIR/demo-accounts.txt ({} when
 * it wrote none); adminPassword is the one `init` printed (the account
 * `admin` must change it at its first login). stop() stops the server and
 * removes the directory, and resolves the server's exit status.
 */
export async function startDemo({ env = {}, webDir = WEB_DIST } = {}) {
  const web = path.resolve(webDir);
  if (!existsSync(path.join(web, 'index.html'))) {
    throw new Error(`${web}/index.html is missing: build the web UI first (make)`);
  }
  const dir = await tempDir('guanggu-e2e-');
  let server = null;
  try {
    const adminPassword = await initDir(dir, env);
    await runOk(['demo', '--dir', dir], { env, timeoutMs: TIMEOUTS.demo });
    const file = path.join(dir, 'demo-accounts.txt');
    const accounts = existsSync(file) ? parseDemoAccounts(await readFile(file, 'utf8')) : {};
    server = await Server.start(dir, { env: { ...env, GUANGGU_WEB_DIR: web } });
    return {
      url: server.url,
      dir,
      accounts,
      adminPassword,
      server,
      async stop() {
        const r = await server.stop();
        await removeDir(dir);
        return r;
      },
    };
  } catch (e) {
    if (server) await server.stop();
    await removeDir(dir);
    throw e;
  }
}

/**
 * The set-up of a test file against the demo data: registers a before()
 * hook that starts the demo installation (startDemo(options)) and the
 * browser, and an after() hook that closes both. Returns the run: its
 * demo and browser are set once before() has run, and
 * run.signedIn(t, username, viewport) opens a page (default 1280 × 900)
 * logged in as that demo account, the login being the step 'login'.
 */
export function useDemo(options = {}) {
  const run = {
    demo: null,
    browser: null,
    async signedIn(t, username, { width = 1280, height = 900 } = {}) {
      const page = await newPage(run.browser, { url: run.demo.url, viewport: { width, height } });
      await step(t, page, 'login', () => login(page, username, run.demo.accounts[username]));
      return page;
    },
  };
  before(async () => {
    run.demo = await startDemo(options);
    run.browser = await launchBrowser();
  });
  after(async () => {
    if (run.browser) await run.browser.close();
    if (run.demo) await run.demo.stop();
  });
  return run;
}

/**
 * Debian's chromium, headless, through playwright-core. launch() gives
 * the browser a fresh temporary profile (--user-data-dir) of its own and
 * removes it on close(). Close it in an after() hook.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: sh tools/deps.sh --browser installs it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: TIMEOUTS.launch,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

const errorsOf = new WeakMap();

/**
 * A page in a fresh browser context (its own cookies and storage) whose
 * relative URLs go to url: page.goto('/login'). Actions wait at most
 * TIMEOUTS.action ms, navigations TIMEOUTS.navigation ms.
 */
export async function newPage(browser, { url, viewport = { width: 1280, height: 800 }, locale = 'zh-CN' } = {}) {
  if (!url) throw new Error('newPage: url is required (the demo server\'s url)');
  const context = await browser.newContext({ baseURL: url, viewport, locale });
  context.setDefaultTimeout(TIMEOUTS.action);
  context.setDefaultNavigationTimeout(TIMEOUTS.navigation);
  const page = await context.newPage();
  const errors = [];
  errorsOf.set(page, errors);
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return page;
}

/** What went wrong in the page so far: uncaught exceptions and console errors (CSP refusals among them). */
export function pageErrors(page) {
  return errorsOf.get(page) || [];
}

/** Asserts that page had no uncaught exception (console errors of refused requests are expected). */
export function noUncaught(page) {
  assert.deepEqual(pageErrors(page).filter((e) => e.startsWith('uncaught')), []);
}

/* The <input> of a field marked data-test=ID: the element itself, or the input inside it (a component's wrapper). */
async function field(page, id) {
  const el = page.locator(`[data-test="${id}"]`).first();
  await el.waitFor({ state: 'visible' });
  const tag = await el.evaluate((n) => n.tagName);
  return tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input').first();
}

/**
 * Logs in through the login page: /login, fills [data-test=login-username]
 * and [data-test=login-password], clicks [data-test=login-submit], and
 * waits until the page has left /login, at most timeout ms (default
 * TIMEOUTS.navigation); then it throws with what the page says.
 */
export async function login(page, username, password, { timeout = TIMEOUTS.navigation } = {}) {
  if (!username || !password) throw new Error(`login: no password for '${username}' (is it a demo account?)`);
  await page.goto('/login');
  await (await field(page, 'login-username')).fill(username);
  await (await field(page, 'login-password')).fill(password);
  await page.locator('[data-test="login-submit"]').first().click();
  try {
    await page.waitForURL((u) => !new URL(u).pathname.startsWith('/login'), { timeout });
  } catch (e) {
    const text = (await page.locator('body').innerText().catch(() => '')).slice(0, 500);
    throw new Error(`login of '${username}' stayed on ${page.url()}; the page says: ${text}\n${e.message}`);
  }
}

/** Picks the option of an Element Plus select (selector select) whose whole text is text. */
export async function pickOption(page, select, text) {
  await page.locator(select).click();
  const exact = new RegExp(`^\\s*${text}\\s*$`);
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: exact }).first().click();
}

/** A remote-search select (selector select): types q and picks the first option containing text. */
export async function searchAndPick(page, select, q, text) {
  await page.locator(select).click();
  await page.keyboard.type(q);
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  await option.waitFor({ timeout: TIMEOUTS.action });
  await option.click();
}

function slug(s) {
  return String(s).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'x';
}

/** Where step() puts the screenshot of test t's step name: build/test-logs/e2e/<file>-<test>-<step>.png. */
export function screenshotPath(t, name) {
  const file = path.basename(t.filePath || process.argv[1] || 'e2e').replace(/\.test\.m?js$|\.m?js$/, '');
  return path.join(SHOTS_DIR, `${slug(file)}-${slug(t.name)}-${slug(name)}.png`);
}

/**
 * Runs fn (resolving its value). When it throws, saves a full-page
 * screenshot of page to screenshotPath(t, name), names it in the error's
 * message, and rethrows.
 */
export async function step(t, page, name, fn) {
  try {
    return await fn();
  } catch (e) {
    const file = screenshotPath(t, name);
    let note;
    try {
      mkdirSync(SHOTS_DIR, { recursive: true });
      await page.screenshot({ path: file, fullPage: true, timeout: TIMEOUTS.action });
      note = `screenshot: ${file}`;
    } catch (se) {
      note = `no screenshot (${se.message})`;
    }
    if (e instanceof Error) {
      e.message = `step '${name}': ${e.message}\n${note}`;
      throw e;
    }
    throw new Error(`step '${name}': ${String(e)}\n${note}`);
  }
}
