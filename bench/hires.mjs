// make bench, the hire-to-recognition latency ("real time", issue 5): run by
// bench/run.sh against the server it started, with the URL and a bearer
// token of a bureau administrator as arguments. In one run on one server:
//
//   baseline   POST /api/v1/talents, a plain talent create (one write
//              transaction: the record, its search terms, the duplicate
//              check, an audit row), for BENCH_HIRES talents of one
//              leading enterprise
//   figure     POST /api/v1/orders/{id}/hires over BENCH_HIRES distinct
//              open orders, each hiring one of those talents: the hire,
//              the order filled, the policy evaluated, the recognition
//              stamped with its version and trace, the talent's tier, the
//              commissioner task, the plan and its installments, their audit
//              rows, all in one transaction, and the answer read back
//
// each twice on keep-alive connections: the first half one request at a
// time (the latency a person waits for), the second half with
// BENCH_CONCURRENCY requests in flight (default 4; SQLite takes one writer
// at a time, so this is the throughput of writes). Contracts cycle through
// DOMAIN.md's worked examples, so one in five hires is not recognised.
// Prints p50, p99 and requests/s of each and the ratios to the baseline of
// the same phase (machines are shared and noisy: read the ratios). Traffic
// goes to 127.0.0.1 only.

const [url, token] = process.argv.slice(2);
const N = int('BENCH_HIRES', 1000);
const CONC = Math.max(1, int('BENCH_CONCURRENCY', 4));
const CONTRACTS = ['1200000.00', '999999.99', '1000000.00', '8000000.00', '1000000.01'];
const HANZI = '甲乙丙丁戊己庚辛壬癸';

function int(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, not '${v}'`);
  return Number(v);
}

if (!url || !token) {
  process.stderr.write('usage: node bench/hires.mjs URL TOKEN\n');
  process.exit(2);
}

async function post(path, body) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/* A name of its own for talent i: 测 and i's digits as heavenly stems, so no two look alike. */
function name(i) {
  return `测${String(i).split('').map((d) => HANZI[Number(d)]).join('')}`;
}

/* Runs make(i) for i in [from, to) with conc in flight; returns {ms: [latency], seconds, results}. */
async function load(from, to, make, conc = CONC) {
  const n = to - from;
  const ms = new Array(n);
  const results = new Array(n);
  let next = from;
  const t0 = process.hrtime.bigint();
  async function worker() {
    for (let i = next++; i < to; i = next++) {
      const t = process.hrtime.bigint();
      results[i - from] = await make(i);
      ms[i - from] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  }
  await Promise.all(Array.from({ length: conc }, worker));
  return { ms, seconds: Number(process.hrtime.bigint() - t0) / 1e9, results };
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function stats(run) {
  const s = [...run.ms].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), rps: run.ms.length / run.seconds };
}

const org = await post('/api/v1/orgs', { name: '基准测试光电有限公司', kind: 'leading_enterprise' });
const half = Math.floor(N / 2);
const phases = [[0, half, 1], [half, N, CONC]];
const makeTalent = (i) => post('/api/v1/talents', { name: name(i), org_id: org.id });
const base = [];
for (const [from, to, conc] of phases) base.push(await load(from, to, makeTalent, conc));
const talents = base.flatMap((b) => b.results.map((t) => t.id));
const orders = (await load(0, N, (i) => post('/api/v1/orders', {
  org_id: org.id, title: `基准岗位 ${i}`, segment: 'optical_communication', salary: CONTRACTS[i % CONTRACTS.length],
}))).results.map((o) => o.id);
let recognised = 0;
const makeHire = async (i) => {
  const r = await post(`/api/v1/orders/${orders[i]}/hires`, {
    talent_id: talents[i], contract_salary: CONTRACTS[i % CONTRACTS.length], start_on: '2024-03-01', term_years: 3,
  });
  if (r.decision.recognized !== (i % CONTRACTS.length !== 1)) throw new Error(`hire ${i}: ${JSON.stringify(r.decision)}`);
  recognised += r.decision.recognized;
  return r.hire.id;
};
const hires = [];
for (const [from, to, conc] of phases) hires.push(await load(from, to, makeHire, conc));

const f = (x) => x.toFixed(2);
const row = (label, st, ratio) => console.log(`${label.padEnd(48)} ${f(st.p50).padStart(8)} ${f(st.p99).padStart(8)} `
  + `${String(Math.round(st.rps)).padStart(11)} ${ratio.padStart(7)}`);
console.log(`${'hire-to-recognition'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'requests/s'.padStart(11)} ${'ratio'.padStart(7)}`);
phases.forEach(([from, to, conc], k) => {
  const b = stats(base[k]);
  const h = stats(hires[k]);
  row(`POST /api/v1/talents, ${conc} in flight (baseline)`, b, '1.00');
  row(`POST /api/v1/orders/{id}/hires, ${conc} in flight`, h, f(h.rps / b.rps));
});
console.log(`(${N} hires over ${N} distinct orders, ${recognised} recognised at once, in two halves: one request at a `
  + `time, then ${CONC} in flight; ratio: requests/s against the baseline of the same half)`);
