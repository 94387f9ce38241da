// The API test harness: makes a throw-away installation with the real
// `guanggu` binary, starts `guanggu serve` on a free port of 127.0.0.1, and
// talks to it with fetch through a small client that keeps the session
// cookie and the CSRF token, as a browser page would.
//
// Each test file makes its own temporary directory and its own server, so
// files may run in parallel; but the machine has 2 cores and every argon2id
// hash takes 64 MiB and ~50 ms, so run them with --test-concurrency=1
// (tests/run.sh does) or 2 at most.
//
// Everything goes to 127.0.0.1 only; every wait is bounded.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(REPO, process.env.GUANGGU_BIN || 'build/test/guanggu');

/* The 11 roles, and the scope each scoped role gets in these tests. */
export const ROLES = [
  'bureau_admin', 'bureau_officer', 'finance', 'commissioner', 'station_operator',
  'employer', 'talent', 'bank', 'provider', 'expert', 'leader',
];
export const TEST_SCOPES = {
  station_operator: 'station:1', employer: 'org:1', talent: 'talent:1', bank: 'org:2', provider: 'org:3',
};

/*
 * Every server's stderr (its log) is also kept in SERVER_LOGS/<pid>-<n>.log,
 * so tests/spec/check-logs.mjs can grep the logs of a whole run for
 * personal data. tests/run.sh empties build/test-logs/ before a run.
 */
export const SERVER_LOGS = path.join(REPO, 'build', 'test-logs', 'server-logs');
let serverCount = 0;

function serverLogStream() {
  mkdirSync(SERVER_LOGS, { recursive: true });
  serverCount += 1;
  return createWriteStream(path.join(SERVER_LOGS, `${process.pid}-${serverCount}.log`));
}

/* A password strong enough for every rule (length >= 10, not the username). */
export const PASSWORD = 'Correct-Horse-Battery-9';

/* Reads src/http/routes.tbl: [{method, path, handler, perm, body}] in table order. */
export async function readRoutes() {
  const text = await readFile(path.join(REPO, 'src/http/routes.tbl'), 'utf8');
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '');
  const re = /^\s*GG_ROUTE\(\s*([A-Z]+)\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*([\w|\s]+?)\s*\)/gm;
  const routes = [];
  for (const m of noComments.matchAll(re)) {
    routes.push({ method: m[1], path: m[2], handler: m[3], perm: m[4], body: /GG_ROUTE_BODY/.test(m[5]) });
  }
  if (routes.length === 0) throw new Error('no GG_ROUTE rows found in src/http/routes.tbl');
  return routes;
}

/*
 * Environment for the binary: ours, without any GUANGGU_* of the caller's
 * shell, and the repository's policy packs (the binary runs in a temporary
 * directory, where the default relative policy_dir names nothing).
 */
export const POLICY_DIR = path.join(REPO, 'policy');
function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GUANGGU_')) env[k] = v;
  return { ...env, GUANGGU_POLICY_DIR: POLICY_DIR, ...extra };
}

/**
 * Runs `guanggu ARGS` to completion (bounded by timeoutMs); input goes to
 * stdin. Resolves {code, signal, stdout, stderr}; never rejects on a
 * non-zero exit.
 */
export function run(args, { input, env, timeoutMs = 30000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: childEnv(env), cwd: cwd || os.tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/* Runs and insists on exit 0, else throws with what the binary said. */
export async function runOk(args, opts) {
  const r = await run(args, opts);
  if (r.code !== 0) {
    throw new Error(`guanggu ${args.join(' ')} exited ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

/** A fresh temporary directory (not yet initialised). */
export async function tempDir(prefix = 'guanggu-api-') {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** `guanggu init --dir DIR`; returns the admin password it prints once. */
export async function initDir(dir, env) {
  const r = await runOk(['init', '--dir', dir], { env });
  const m = /admin password: (\S+)/.exec(r.stdout);
  if (!m) throw new Error(`no 'admin password:' line in the output of init:\n${r.stdout}`);
  return m[1];
}

/**
 * `guanggu user add NAME --role R [--scope S] ... --password-stdin --dir DIR`;
 * roles: ['bureau_admin'] or [{role, scope}]. Such accounts need no password
 * change at first login.
 */
export async function addUser(dir, name, roles, password = PASSWORD, env) {
  const args = ['user', 'add', name];
  for (const r of roles) {
    const g = typeof r === 'string' ? { role: r, scope: TEST_SCOPES[r] } : r;
    args.push('--role', g.role);
    if (g.scope) args.push('--scope', g.scope);
  }
  args.push('--password-stdin', '--dir', dir);
  return runOk(args, { input: `${password}\n`, env });
}

/**
 * `guanggu user token NAME --label LABEL --dir DIR`: the CLI prints the token
 * once as a line `token: gg_...`; returns that token.
 */
export async function cliToken(dir, name, label = 'x', env) {
  const r = await runOk(['user', 'token', name, '--label', label, '--dir', dir], { env });
  const m = /^token: (gg_[A-Za-z0-9_-]+)\s*$/m.exec(r.stdout);
  if (!m) throw new Error(`no 'token: gg_...' line in the output of user token:\n${r.stdout}`);
  return m[1];
}

/** A running `guanggu serve`. */
export class Server {
  constructor(child, url, dir) {
    this.child = child;
    this.url = url;
    this.dir = dir;
    this.stderr = '';
    this.stdout = '';
    this.exit = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts `guanggu serve --dir DIR --listen 127.0.0.1:0 [args]` with env
   * added, and waits (10 s at most) for `listening on http://127.0.0.1:PORT`.
   */
  static start(dir, { env, args = [], timeoutMs = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(BIN, ['serve', '--dir', dir, '--listen', '127.0.0.1:0', ...args], {
        env: childEnv(env), cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'],
      });
      let server = null;
      let out = '';
      let err = '';
      let done = false;
      const log = serverLogStream();
      child.on('close', () => log.end());
      const finish = (e, s) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (e) reject(e); else resolve(s);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(new Error(`guanggu serve did not say 'listening on' within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d) => {
        out += d;
        if (server) server.stdout += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && !server) {
          server = new Server(child, m[1], dir);
          server.stdout = out;
          server.stderr = err;
          finish(null, server);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (d) => {
        log.write(d);
        err += d;
        if (server) server.stderr += d;
      });
      child.on('error', (e) => finish(e));
      child.on('close', (code, signal) => {
        finish(new Error(`guanggu serve exited (${code ?? signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
      });
    });
  }

  get port() { return Number(new URL(this.url).port); }

  /** The JSON lines of stderr (the log), parsed; other lines are skipped. */
  logLines() {
    const lines = [];
    for (const line of this.stderr.split('\n')) {
      if (!line.startsWith('{')) continue;
      try { lines.push(JSON.parse(line)); } catch { /* a line cut short by a read: not yet complete */ }
    }
    return lines;
  }

  /** SIGTERM (once: a second one during the grace period may end the process by the signal), then the exit status. */
  async stop(timeoutMs = 15000) {
    if (this.child.exitCode === null && this.child.signalCode === null && !this.termSent) {
      this.termSent = true;
      this.child.kill('SIGTERM');
    }
    return this.waitExit(timeoutMs);
  }

  /** The exit status once the process ends ({code, signal}); SIGKILL after timeoutMs. */
  async waitExit(timeoutMs = 15000) {
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => { this.child.kill('SIGKILL'); resolve({ code: null, signal: 'SIGKILL' }); }, timeoutMs);
    });
    const r = await Promise.race([this.exit, killed]);
    clearTimeout(timer);
    return r;
  }

  /** Sends SIGTERM without waiting (stop() then only waits). */
  terminate() {
    this.termSent = true;
    this.child.kill('SIGTERM');
  }

  client() { return new Client(this.url); }

  /** A client logged in as username (a user made by setup, with PASSWORD). */
  async loggedIn(username, password = PASSWORD) {
    const c = this.client();
    await c.login(username, password);
    return c;
  }
}

/**
 * An HTTP client of one person: keeps the gg_session cookie and the CSRF
 * token, and sends X-CSRF-Token on writes (unless told not to).
 */
export class Client {
  constructor(baseUrl) {
    this.base = baseUrl;
    this.cookie = null; /* the gg_session value */
    this.csrf = null;
    this.bearer = null;
    this.lastSetCookie = null;
  }

  /**
   * method, path; options: json (sent as JSON), body (raw string/Buffer),
   * contentType, headers, csrf (false: leave X-CSRF-Token out; a string:
   * send that), anonymous (no credentials).
   * Resolves {status, headers, text, json, problem}.
   */
  async req(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] = opts.contentType || 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
      if (opts.contentType !== null) headers['Content-Type'] = opts.contentType || 'application/json';
    }
    if (!opts.anonymous) {
      if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`;
      if (this.cookie) headers.Cookie = `gg_session=${this.cookie}`;
      const writes = !['GET', 'HEAD', 'OPTIONS'].includes(method);
      if (this.cookie && writes && opts.csrf !== false) {
        const t = typeof opts.csrf === 'string' ? opts.csrf : this.csrf;
        if (t) headers['X-CSRF-Token'] = t;
      }
    }
    const res = await fetch(this.base + p, {
      method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs || 15000),
    });
    const text = await res.text();
    const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
    for (const c of setCookie) {
      const m = /^gg_session=([^;]*)/.exec(c);
      if (m) {
        this.lastSetCookie = c;
        this.cookie = m[1] === '' || /max-age=0/i.test(c) ? null : m[1];
      }
    }
    let json = null;
    const ct = res.headers.get('content-type') || '';
    if (/json/.test(ct) && text.length > 0) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json,
      problem: /^application\/problem\+json/.test(ct) ? json : null,
    };
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, json === undefined ? o : { ...o, json }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { ...o, json }); }
  del(p, o) { return this.req('DELETE', p, o); }

  /** Logs in; throws unless 200. Returns the answer's JSON. */
  async login(username, password = PASSWORD) {
    const r = await this.tryLogin(username, password);
    if (r.status !== 200) throw new Error(`login of '${username}' answered ${r.status}: ${r.text}`);
    return r.json;
  }

  async tryLogin(username, password) {
    const r = await this.req('POST', '/api/v1/auth/login', { json: { username, password }, anonymous: true });
    if (r.status === 200 && r.json) this.csrf = r.json.csrf_token;
    return r;
  }
}

/**
 * The special fund's ledger of the installation in dir, checked by
 * `guanggu ledger balance`: null when every entry balances and the total
 * debits equal the total credits, else what is wrong.
 */
export async function ledgerProblem(dir, env) {
  const r = await run(['ledger', 'balance', '--format', 'json', '--dir', dir], { env });
  if (r.code !== 0) return `guanggu ledger balance exited ${r.code}: ${r.stderr.trim()}`;
  const b = JSON.parse(r.stdout);
  if (b.total_debit_fen !== b.total_credit_fen) return `debits ${b.total_debit_fen} != credits ${b.total_credit_fen}`;
  return null;
}

/**
 * One installation for a test file: a temp dir, init'd, with a server.
 * Returns {dir, adminPassword, server, close()}; close() stops the server,
 * checks that the ledger balances (ledgerProblem) and removes the dir; the
 * returned value's code is 0 only when the server exited 0 and the ledger
 * balances (each test file asserts it), so every API test ends with
 * debits = credits.
 */
export async function setup({ env, args, users = [] } = {}) {
  const dir = await tempDir();
  const adminPassword = await initDir(dir, env);
  for (const u of users) await addUser(dir, u.name, u.roles, u.password || PASSWORD, env);
  const server = await Server.start(dir, { env, args });
  return {
    dir,
    adminPassword,
    server,
    async close() {
      const r = this.server ? await this.server.stop() : { code: 0 };
      const ledger = await ledgerProblem(dir, env);
      await rm(dir, { recursive: true, force: true });
      return r.code === 0 && ledger ? { ...r, code: 'ledger unbalanced', ledger } : r;
    },
  };
}

/** The bureau's unscoped accounts the workflow tests act as. */
export const BUREAU_USERS = [
  { name: 'officer1', roles: ['bureau_officer'] },
  { name: 'admin1', roles: ['bureau_admin'] },
  { name: 'leader1', roles: ['leader'] },
];

/**
 * setup() with the accounts of BUREAU_USERS, each logged in as c[name];
 * returns the installation. Scoped accounts come later, once the records
 * their scopes name exist.
 */
export async function setupBureau(c, { env, args } = {}) {
  const inst = await setup({ env, args, users: BUREAU_USERS });
  for (const u of BUREAU_USERS) c[u.name] = await inst.server.loggedIn(u.name);
  return inst;
}

/** Removes a directory made by tempDir. */
export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Asserts with node:assert that r is a problem+json answer of the given
 * status and code (null: any code) with title, detail and a request_id equal
 * to X-Request-Id; with field, that errors[] names it. Returns the problem.
 */
export function problemOf(assert, r, status, code, field) {
  const where = `${r.status} ${r.text}`;
  assert.equal(r.status, status, `status: ${where}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `content-type: ${where}`);
  assert.ok(r.problem, `problem body: ${where}`);
  assert.equal(r.problem.status, status, `problem.status: ${where}`);
  if (code !== null) assert.equal(r.problem.code, code, `problem.code: ${where}`);
  assert.match(String(r.problem.code), /^[a-z][a-z0-9_]*$/, `problem.code: ${where}`);
  assert.equal(typeof r.problem.title, 'string', `problem.title: ${where}`);
  assert.ok(r.problem.title.length > 0, `problem.title empty: ${where}`);
  assert.equal(typeof r.problem.detail, 'string', `problem.detail: ${where}`);
  assert.ok(r.problem.detail.length > 0, `problem.detail empty: ${where}`);
  assert.equal(typeof r.problem.request_id, 'string', `problem.request_id: ${where}`);
  assert.equal(r.problem.request_id, r.headers.get('x-request-id'), `problem.request_id vs X-Request-Id: ${where}`);
  if (field !== undefined) {
    assert.ok(Array.isArray(r.problem.errors), `problem.errors: ${where}`);
    assert.ok(r.problem.errors.some((e) => e.field === field && typeof e.message === 'string' && e.message.length > 0),
      `no errors[].field '${field}': ${where}`);
  }
  return r.problem;
}

/** Every page of a list route, following next_cursor (bounded to 100 pages). */
export async function listAll(client, p, limit = 200) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const sep = p.includes('?') ? '&' : '?';
    const url = `${p}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await client.get(url);
    if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}: ${r.text}`);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (cursor === null) return items;
  }
  throw new Error(`GET ${p}: more than 100 pages`);
}

/**
 * Sends raw bytes on a TCP connection to the server and collects what comes
 * back until the peer closes or timeoutMs passes.
 */
export function rawExchange(port, chunks, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const got = [];
    let settled = false;
    const done = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(got).toString('latin1'), error });
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('connect', () => { for (const c of chunks) sock.write(c); });
    sock.on('data', (d) => got.push(d));
    sock.on('error', (e) => done(e));
    sock.on('close', () => done(null));
  });
}

/** Epoch seconds now, whole. */
export function nowSeconds() { return Math.floor(Date.now() / 1000); }

/** Waits ms milliseconds. */
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
