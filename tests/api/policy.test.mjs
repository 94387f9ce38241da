// The policy packs and the subsidy simulation over HTTP (issue 5, items
// 1 and 4): GET /api/v1/policy/packs shows every version with its hash and
// each parameter as text, machine value and legal reference; POST
// /api/v1/policy/simulate reproduces DOMAIN.md's worked examples and
// answers exactly what `guanggu subsidy simulate` prints for the same
// facts (one domain module, two front ends); malformed values are 400
// naming the field (three decimals, a sign, an exponent, a JSON number for
// money), rule refusals 422 (a start before the policy, an unknown
// policy), and a caller without policy_read is refused.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { problemOf, run, setup } from './lib.mjs';

let inst;
let officer;
let expert;

before(async () => {
  inst = await setup({
    users: [
      { name: 'p-officer', roles: ['bureau_officer'] },
      { name: 'p-leader', roles: ['leader'] },
      { name: 'p-expert', roles: ['expert'] },
    ],
  });
  officer = await inst.server.loggedIn('p-officer');
  expert = await inst.server.loggedIn('p-expert');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

const simulate = (body, client = officer) => client.post('/api/v1/policy/simulate', body);

/* The same facts through `guanggu subsidy simulate`: {code, json, stderr}. */
async function cli(body) {
  const args = ['subsidy', 'simulate', '--salary', body.salary];
  if (body.employer_kind) args.push('--employer-kind', body.employer_kind);
  if (body.start) args.push('--start', body.start);
  if (body.paid) args.push('--paid', body.paid.join(','));
  if (body.end_after_years !== undefined) args.push('--end-after-years', String(body.end_after_years));
  if (body.policy) args.push('--policy', body.policy);
  args.push('--dir', inst.dir);
  const r = await run(args);
  return { code: r.code, json: r.code === 0 ? JSON.parse(r.stdout) : null, stdout: r.stdout, stderr: r.stderr };
}

/* DOMAIN.md's worked examples (fen; start 2024-03-01). */
const WORKED = [
  { salary: '1200000', recognized: true, amounts: [60000000, 60000000, 60000000], total: 180000000 },
  { salary: '999999.99', recognized: false, amounts: [], total: 0 },
  { salary: '1000000', recognized: true, amounts: [50000000, 50000000, 50000000], total: 150000000 },
  { salary: '8000000', recognized: true, amounts: [400000000, 400000000, 200000000], total: 1000000000 },
  { salary: '1000000.01', recognized: true, amounts: [50000001, 50000001, 50000001], total: 150000003 },
];

test('DOMAIN.md worked examples through the API, the same JSON as the command line', async () => {
  for (const w of WORKED) {
    const body = { salary: w.salary, start: '2024-03-01' };
    const r = await simulate(body);
    assert.equal(r.status, 200, r.text);
    const d = r.json;
    assert.deepEqual(Object.keys(d), ['recognized', 'tier', 'policy', 'version', 'installments', 'total_fen', 'trace']);
    assert.equal(d.recognized, w.recognized, w.salary);
    assert.equal(d.tier, w.recognized ? 'leading_talent' : null);
    assert.equal(d.policy, 'optics-valley-2024');
    assert.equal(d.version, '2024.1');
    assert.deepEqual(d.installments.map((i) => i.amount_fen), w.amounts, w.salary);
    if (w.recognized) {
      assert.deepEqual(d.installments.map((i) => i.year), [1, 2, 3]);
      assert.deepEqual(d.installments.map((i) => i.due), ['2025-03-01', '2026-03-01', '2027-03-01']);
      assert.deepEqual(d.installments.map((i) => i.status), ['due', 'due', 'due']);
    }
    assert.equal(d.total_fen, w.total, w.salary);
    assert.ok(Array.isArray(d.trace) && d.trace.every((l) => typeof l === 'string' && !l.includes('\n')));
    assert.ok(d.trace.some((l) => l.includes('threshold 1,000,000.00')), d.trace.join('\n'));
    const c = await cli(body);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(c.json, d, `CLI and API differ for ${w.salary}`);
  }
});

test('the cap, half-up rounding and the trace name the values used', async () => {
  const r = await simulate({ salary: '8000000', start: '2024-03-01' });
  assert.ok(r.json.trace.includes('year 3 (due 2027-03-01): base 8,000,000.00 x 5000 bp = 4,000,000.00, capped at '
    + '2,000,000.00 (cap 10,000,000.00)'), r.json.trace.join('\n'));
  assert.equal(r.json.trace[0], 'policy optics-valley-2024 version 2024.1 (from 2024-01-01) is in force on the start '
    + '2024-03-01 (the default: no policy named)');
  const named = await simulate({ salary: '8000000', start: '2024-03-01', policy: 'optics-valley-2024' });
  assert.equal(named.status, 200, named.text);
  assert.ok(!named.json.trace[0].includes('default'));
});

test('salaries paid, an end of employment, employer kinds, 29 February and the default start', async () => {
  const body = { salary: '1200000', start: '2024-02-29', paid: ['1200000', '999999.99'], end_after_years: 2 };
  const r = await simulate(body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.installments, [
    { year: 1, due: '2025-02-28', amount_fen: 60000000, status: 'due' },
    { year: 2, due: '2026-02-28', amount_fen: 0, status: 'lapsed' },
    { year: 3, due: '2027-02-28', amount_fen: 0, status: 'lapsed' },
  ]);
  assert.equal(r.json.total_fen, 60000000);
  assert.ok(r.json.trace.some((l) => l.includes('lapsed by rule paid_below_threshold')));
  assert.ok(r.json.trace.some((l) => l.includes('lapsed by rule employment_ended')));
  assert.deepEqual((await cli(body)).json, r.json);

  const rd = await simulate({ salary: '1500000', start: '2024-03-01', employer_kind: 'rd_unit' });
  assert.equal(rd.json.recognized, true);
  assert.equal(rd.json.total_fen, 225000000);
  /* not eligible: 200 with no installments, as the command line's exit 0 */
  const other = await simulate({ salary: '5000000', start: '2024-03-01', employer_kind: 'other' });
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.recognized, false);
  assert.equal(other.json.tier, null);
  assert.deepEqual(other.json.installments, []);
  assert.equal(other.json.total_fen, 0);

  /* no start: today in the timezone setting (Asia/Shanghai) */
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const before = today();
  const t = await simulate({ salary: '1200000', employer_kind: null, start: null, paid: null, policy: null });
  const afterDay = today();
  assert.equal(t.status, 200, t.text);
  const start = /in force on the start (\d{4}-\d{2}-\d{2})/.exec(t.json.trace[0])[1];
  assert.ok([before, afterDay].includes(start), `${start} is not today (${before})`);
  assert.equal(t.json.installments[0].due.slice(5), start.slice(5) === '02-29' ? '02-28' : start.slice(5));
});

test('malformed values are 400 naming the field; rule refusals are 422', async () => {
  const bad = async (body, status, code, field, detail) => {
    const r = await simulate(body);
    const p = problemOf(assert, r, status, code, field);
    if (detail) assert.match(p.detail, detail);
    return p;
  };
  await bad({ salary: '1200000.001' }, 400, 'invalid_input', 'salary', /more than two decimals/);
  await bad({ salary: '-1200000' }, 400, 'invalid_input', 'salary', /sign/);
  await bad({ salary: '1.2e6' }, 400, 'invalid_input', 'salary');
  await bad({ salary: '1,200,000' }, 400, 'invalid_input', 'salary');
  await bad({ salary: '' }, 400, null, 'salary');
  await bad({ salary: 1200000 }, 400, 'wrong_type', 'salary', /decimal string of yuan/);
  await bad({ salary: 1200000.5 }, 400, 'wrong_type', 'salary', /not a JSON number/);
  await bad({ salary: '1200000', paid: ['1200000', 1200000] }, 400, 'wrong_type', 'paid.1');
  await bad({ salary: '1200000', paid: ['1200000', '1.999'] }, 400, 'invalid_input', 'paid.1');
  await bad({ salary: '1200000', paid: ['1', '2', '3', '4'] }, 400, 'invalid_input', 'paid');
  await bad({ salary: '1200000', start: '2024-02-30' }, 400, 'invalid_input', 'start');
  await bad({ salary: '1200000', employer_kind: 'castle' }, 400, 'invalid_input', 'employer_kind');
  await bad({ salary: '1200000', end_after_years: -1 }, 400, 'invalid_input', 'end_after_years');
  await bad({ salary: '1200000', end_after_years: '2' }, 400, 'wrong_type', 'end_after_years');
  await bad({ salary: '1200000', bonus: '1' }, 400, 'unknown_field', 'bonus');
  await bad({}, 400, 'missing_field', 'salary');
  const early = await bad({ salary: '1200000', start: '2023-12-31' }, 422, 'rule_refused', 'start',
    /start 2023-12-31 is before policy 'optics-valley-2024' \(from 2024-01-01\)/);
  const unknown = await bad({ salary: '1200000', policy: 'no-such-policy' }, 422, 'rule_refused', 'policy',
    /unknown policy 'no-such-policy'/);
  /* the command line refuses the same with exit 1 and the same reason, malformed values with exit 2 */
  let c = await cli({ salary: '1200000', start: '2023-12-31' });
  assert.equal(c.code, 1);
  assert.equal(c.stderr, `error: ${early.detail}\n`);
  c = await cli({ salary: '1200000', policy: 'no-such-policy' });
  assert.equal(c.code, 1);
  assert.equal(c.stderr, `error: ${unknown.detail}\n`);
  c = await cli({ salary: '1200000.001' });
  assert.equal(c.code, 2);
  assert.match(c.stderr, /usage: guanggu subsidy simulate/);
});

test('GET /api/v1/policy/packs: versions, hashes, parameters with text, value and reference', async () => {
  const r = await officer.get('/api/v1/policy/packs');
  assert.equal(r.status, 200, r.text);
  const pack = r.json.items.find((p) => p.name === 'optics-valley-2024');
  assert.ok(pack, r.text);
  assert.match(pack.title, /光谷招聘令/);
  assert.match(pack.file_hash, /^[0-9a-f]{64}$/);
  assert.equal(pack.versions.length, 1);
  const v = pack.versions[0];
  assert.equal(v.version, '2024.1');
  assert.equal(v.from, '2024-01-01');
  assert.equal(v.to, null);
  assert.match(v.reference, /光谷招聘令/);
  assert.match(v.hash, /^[0-9a-f]{64}$/);
  assert.notEqual(v.hash, pack.file_hash, 'the version hash is over its content, not the file');
  assert.deepEqual(Object.keys(v.params), [
    'threshold_cny', 'rate_bp', 'years', 'cap_cny', 'cap_scope', 'eligible_employer_kinds', 'lapse_rules',
    'strategic_cap_cny', 'recommendation_quota', 'rounding', 'tier', 'high_level_tiers',
  ]);
  for (const [name, p] of Object.entries(v.params)) {
    assert.equal(typeof p.text, 'string', name);
    assert.ok(p.reference.length > 0, name);
    assert.ok('value' in p || 'value_fen' in p, name);
  }
  assert.deepEqual(v.params.threshold_cny.text, '1,000,000.00');
  assert.equal(v.params.threshold_cny.value_fen, 100000000);
  assert.match(v.params.threshold_cny.reference, /100万元以上/);
  assert.equal(v.params.rate_bp.value, 5000);
  assert.equal(v.params.years.value, 3);
  assert.equal(v.params.cap_cny.value_fen, 1000000000);
  assert.equal(v.params.strategic_cap_cny.value_fen, 10000000000);
  assert.deepEqual(v.params.eligible_employer_kinds.value, ['leading_enterprise', 'rd_unit']);
  assert.deepEqual(v.params.lapse_rules.value, ['paid_below_threshold', 'employment_ended']);
  assert.equal(v.params.lapse_rules.text, 'paid_below_threshold, employment_ended');
  assert.equal(v.params.tier.value, 'leading_talent');
  assert.ok(v.params.high_level_tiers.value.includes('leading_talent'));
  /* a reader with policy_read but no write rights sees the same */
  const leader = await inst.server.loggedIn('p-leader');
  assert.deepEqual((await leader.get('/api/v1/policy/packs')).json, r.json);
});

test('callers without policy_read are refused', async () => {
  problemOf(assert, await expert.get('/api/v1/policy/packs'), 403, 'forbidden');
  problemOf(assert, await simulate({ salary: '1200000' }, expert), 403, 'forbidden');
  const anon = inst.server.client();
  problemOf(assert, await anon.get('/api/v1/policy/packs'), 401, 'unauthenticated');
});
