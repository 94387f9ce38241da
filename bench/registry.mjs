// make bench, part 2: the registry with BENCH_TALENTS synthetic talents
// (default 1,000,000), each figure next to a baseline measured in the same
// run on the same machine (read the ratios: the machine is shared).
//
//   import     `guanggu import talents FILE` into a fresh installation (its
//              1,000 organisations imported first, not counted), in files of
//              BENCH_CHUNK rows (default 100,000; each import is one
//              all-or-nothing transaction) until all rows are in or
//              BENCH_IMPORT_BUDGET seconds (default 1800) are spent, against
//              `sqlite3 bare.db '.mode csv' '.import FILE t'` of the same rows
//   search     GET /api/v1/talents?q= with a bearer token, p50/p99 over
//              BENCH_QUERIES queries each of 1, 2 and 3 hanzi, full pinyin and
//              initials, sampled from the imported names, against GET /healthz
//   memory     the server's VmRSS and VmHWM after the searches
//   demo       `guanggu demo --synthetic` (the domain write path without CSV)
//              for BENCH_SYNTH_TALENTS talents (default 50,000)
//
// When the budget ends the import before BENCH_TALENTS, the run measures
// what was imported and says so. Writes bench/results.json (ignored by
// git) and prints a table. Traffic goes to 127.0.0.1 only; the server
// started here is stopped by its pid; the temporary directory is removed.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(REPO, process.env.GUANGGU_BIN || 'build/guanggu');
const REQUESTED = int('BENCH_TALENTS', 1000000);
const BUDGET = int('BENCH_IMPORT_BUDGET', 1800);
const QUERIES = int('BENCH_QUERIES', 200);
const SYNTH = int('BENCH_SYNTH_TALENTS', 50000);
const SEED = int('BENCH_SEED', 1);
const CHUNK = Math.max(1, int('BENCH_CHUNK', 100000));

function int(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, not '${v}'`);
  return Number(v);
}

const work = mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'guanggu-bench-'));
let server = null;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function say(msg) { process.stderr.write(`bench: ${msg}\n`); }

/* Runs a program to completion; returns {seconds, stdout}; throws with its stderr on failure. */
function timed(cmd, args, { input } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  }
  return { seconds, stdout: r.stdout };
}

function guanggu(args, opts) { return timed(BIN, args, opts); }

function install(name) {
  const dir = path.join(work, name);
  guanggu(['init', '--dir', dir]);
  return dir;
}

/* Talents offset..offset+n-1 of the seed as an import CSV (and the seed's organisations). */
function csv(offset, n, file) {
  return guanggu(['demo', '--synthetic', String(n), '--offset', String(offset), '--seed', String(SEED),
    '--csv', file, '--orgs-csv', path.join(work, 'orgs.csv')]);
}

/* `guanggu import talents FILE` of rows; checks that all were created. */
function importFile(dir, file, rows) {
  const r = guanggu(['import', 'talents', file, '--dir', dir]);
  const m = /import: (\d+) rows, (\d+) created/.exec(r.stdout);
  if (!m || Number(m[2]) !== rows) throw new Error(`import of ${rows} rows said: ${r.stdout}`);
  return r.seconds;
}

function sqliteImport(file, rows) {
  const db = path.join(work, 'bare.db');
  rmSync(db, { force: true });
  const r = timed('sqlite3', [db, '.mode csv', `.import ${file} t`]);
  const count = Number(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM t'], { encoding: 'utf8' }).trim());
  if (count !== rows) throw new Error(`sqlite3 .import gave ${count} rows, not ${rows}`);
  return { seconds: r.seconds, rate: rows / r.seconds };
}

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function summary(ms, zero = 0) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50_ms: round(pct(s, 0.5)), p99_ms: round(pct(s, 0.99)), max_ms: round(s[s.length - 1]), zero_hits: zero };
}

function round(x, digits = 3) { return x === null ? null : Number(x.toFixed(digits)); }

/* Deterministic sampling (the same queries for the same data). */
function rng(seed) {
  let s = BigInt(seed) || 1n;
  return (n) => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number((s >> 33n) % BigInt(n));
  };
}

/* Queries of each class from names and pinyin sampled in the database. */
function queries(dir) {
  const rows = execFileSync('sqlite3', ['-separator', '\t', path.join(dir, 'guanggu.db'),
    `SELECT name, pinyin FROM talents WHERE id IN (SELECT id FROM talents ORDER BY random() LIMIT ${QUERIES * 4})`],
  { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n').map((l) => l.split('\t'));
  const pick = rng(SEED);
  const out = { hanzi_1: [], hanzi_2: [], hanzi_3: [], pinyin_full: [], pinyin_initials: [] };
  for (const [name, pinyin] of rows) {
    const chars = [...name];
    const syl = pinyin.split(' ');
    if (out.hanzi_1.length < QUERIES) out.hanzi_1.push(chars[pick(chars.length)]);
    if (out.hanzi_2.length < QUERIES && chars.length >= 2) {
      const at = pick(chars.length - 1);
      out.hanzi_2.push(chars.slice(at, at + 2).join(''));
    }
    if (out.hanzi_3.length < QUERIES && chars.length === 3) out.hanzi_3.push(name);
    if (syl.length === chars.length && syl.length >= 2) {
      /* as people type it: the surname, a space, the given name run together ("wang jinqiao") */
      if (out.pinyin_full.length < QUERIES) out.pinyin_full.push(`${syl[0]} ${syl.slice(1).join('')}`);
      if (out.pinyin_initials.length < QUERIES) out.pinyin_initials.push(syl.map((s) => s[0]).join(''));
    }
  }
  return out;
}

function startServer(dir) {
  return new Promise((resolve, reject) => {
    server = spawn(BIN, ['serve', '--dir', dir, '--listen', '127.0.0.1:0', '--threads', '2', '--access-log', 'false'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60000);
    server.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${err}`)); });
  });
}

async function measure(url, paths, token) {
  const ms = [];
  let zero = 0;
  for (const p of paths) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(url + p, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const body = await res.text();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${body.slice(0, 300)}`);
    if (token && JSON.parse(body).items.length === 0) zero++;
  }
  return summary(ms, zero);
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status) || [0, 0])[1]);
  return { vm_rss_kb: kb('VmRSS'), vm_hwm_kb: kb('VmHWM') };
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');

async function main() {
  const results = {
    date: new Date().toISOString(), cores: os.cpus().length, seed: SEED,
    talents_requested: REQUESTED, import_budget_s: BUDGET,
  };
  const file = path.join(work, 'talents.csv');

  const dir = install('registry');
  const chunks = [];
  let n = 0;
  let spent = 0;
  say(`importing up to ${fmt(REQUESTED)} talents in files of ${fmt(CHUNK)} rows (budget ${BUDGET} s)`);
  csv(0, 0, file);
  guanggu(['import', 'orgs', path.join(work, 'orgs.csv'), '--dir', dir]);
  while (n < REQUESTED) {
    const k = Math.min(CHUNK, REQUESTED - n);
    const last = chunks.length ? chunks[chunks.length - 1].seconds : 0;
    if (spent > 0 && spent + last * (k / CHUNK) > BUDGET) break;
    csv(n, k, file);
    const seconds = importFile(dir, file, k);
    chunks.push({ offset: n, rows: k, seconds: round(seconds), rows_per_s: Math.round(k / seconds) });
    say(`  rows ${fmt(n + 1)}-${fmt(n + k)}: ${seconds.toFixed(1)} s, ${fmt(k / seconds)} rows/s`);
    n += k;
    spent += seconds;
  }
  results.talents = n;
  if (n < REQUESTED) {
    results.note = `the import budget of ${BUDGET} s ended after ${fmt(n)} of ${fmt(REQUESTED)} talents `
      + `(BENCH_IMPORT_BUDGET raises it); at the last file's rate the rest would take about `
      + `${fmt((REQUESTED - n) / chunks[chunks.length - 1].rows_per_s)} s more`;
    say(results.note);
  }
  results.import = { rows: n, seconds: round(spent), rows_per_s: Math.round(n / spent), chunk_rows: CHUNK, chunks };

  say(`sqlite3 .import of the same ${fmt(n)} rows into a bare table`);
  const g = csv(0, n, file);
  results.csv = { bytes: statSync(file).size, generate_s: round(g.seconds) };
  const bare = sqliteImport(file, n);
  results.sqlite_import = { rows: n, seconds: round(bare.seconds), rows_per_s: Math.round(bare.rate) };
  results.import_ratio = round(results.import.rows_per_s / bare.rate, 4);
  results.db_bytes = statSync(path.join(dir, 'guanggu.db')).size;
  rmSync(file, { force: true });

  /* search latency through the API */
  guanggu(['user', 'add', 'bench', '--role', 'bureau_admin', '--password-stdin', '--dir', dir],
    { input: 'bench-password-123\n' });
  const token = /^token: (\S+)$/m.exec(guanggu(['user', 'token', 'bench', '--label', 'bench', '--dir', dir]).stdout)[1];
  const q = queries(dir);
  const url = await startServer(dir);
  say(`search latency: ${QUERIES} queries per class against ${url}`);
  const search = (list) => list.map((x) => `/api/v1/talents?q=${encodeURIComponent(x)}`);
  /* warm-up, not counted: the first requests open connections and pages */
  await measure(url, Array(50).fill('/healthz'));
  await measure(url, search(Object.values(q).map((l) => l[0]).filter(Boolean)), token);
  results.search = { healthz: await measure(url, Array(QUERIES).fill('/healthz')) };
  for (const [k, list] of Object.entries(q)) results.search[k] = await measure(url, search(list), token);
  results.search.examples = Object.fromEntries(Object.entries(q).map(([k, l]) => [k, l.slice(0, 3)]));
  results.server = memory(server.pid);
  server.removeAllListeners('exit');
  server.kill('SIGTERM');
  await new Promise((r) => { server.on('exit', r); setTimeout(r, 15000); });

  /* the domain write path without CSV */
  if (SYNTH > 0) {
    say(`guanggu demo --synthetic ${fmt(SYNTH)}`);
    const d = install('synthetic');
    const s = guanggu(['demo', '--synthetic', String(SYNTH), '--seed', String(SEED), '--dir', d]);
    results.demo_synthetic = { rows: SYNTH, seconds: round(s.seconds), rows_per_s: Math.round(SYNTH / s.seconds) };
  }

  writeFileSync(path.join(REPO, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  print(results);
}

function print(r) {
  const line = (a, b, c, d) => console.log(`${a.padEnd(52)} ${String(b).padStart(14)} ${String(c).padStart(14)} ${String(d).padStart(7)}`);
  console.log('');
  line('registry figure', 'rows/s', 'baseline', 'ratio');
  line(`guanggu import talents, ${fmt(r.import.rows)} rows`, fmt(r.import.rows_per_s),
    fmt(r.sqlite_import.rows_per_s), r.import_ratio.toFixed(3));
  line(`  (baseline: sqlite3 .import of the same CSV)`, '', '', '');
  const first = r.import.chunks[0];
  const last = r.import.chunks[r.import.chunks.length - 1];
  line(`  first file of ${fmt(first.rows)} rows / last file`, fmt(first.rows_per_s), fmt(last.rows_per_s), '');
  if (r.demo_synthetic) {
    line(`guanggu demo --synthetic ${fmt(r.demo_synthetic.rows)}`, fmt(r.demo_synthetic.rows_per_s),
      fmt(r.sqlite_import.rows_per_s), (r.demo_synthetic.rows_per_s / r.sqlite_import.rows_per_s).toFixed(3));
  }
  console.log('');
  line('search latency (ms)', 'p50', 'p99', 'empty');
  for (const [k, v] of Object.entries(r.search)) {
    if (k === 'examples') continue;
    line(k === 'healthz' ? 'GET /healthz (baseline)' : `GET /talents?q= ${k.replace('_', ' ')}`,
      v.p50_ms.toFixed(2), v.p99_ms.toFixed(2), k === 'healthz' ? '' : v.zero_hits);
  }
  console.log('');
  console.log(`server memory after the searches: VmRSS ${fmt(r.server.vm_rss_kb / 1024)} MiB, VmHWM ${fmt(r.server.vm_hwm_kb / 1024)} MiB;`
    + ` database ${fmt(r.db_bytes / 1048576)} MiB; CSV ${fmt(r.csv.bytes / 1048576)} MiB`);
  if (r.note) console.log(`note: ${r.note}`);
  console.log(`(${r.cores} cores; ${QUERIES} sequential requests per class over one keep-alive connection; results in bench/results.json)`);
}

main().catch((e) => { console.error(`bench: ${e.stack || e}`); process.exitCode = 1; });
