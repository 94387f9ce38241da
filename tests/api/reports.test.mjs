// The special fund's reports over HTTP (api_reports.c, docs/reports.md) on a
// small fund written with the sqlite3 tool (the verification and payment-run
// modules that fill payments land separately), every figure by hand:
//
//   2025-01-15 appropriation 5,000,000.00; talent A (org 1, segment
//              optical_communication: chain optoelectronics), a formula
//              plan of three 600,000.00 installments due 2025-03-01,
//              2026-03-01, 2027-03-01, committed
//   2025-06-01 talent B (no organisation, chain "none"): tranches of
//              200,000.00 due 2026-06-01 (committed) and 100,000.00 due
//              2027-06-01 (never committed)
//   2026-03-03/05 payment 1 of A's first installment approved and paid
//   2026-06-02/03 payment 2 of B's first tranche approved and paid
//
// Forecast, position by year and chain, the register with paging and
// filters, statements and who may read them, CSV and XLSX files, bad input.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { addUser, problemOf, setupBureau } from './lib.mjs';
import { ORGS } from './fixtures.mjs';

const exec = promisify(execFile);
const ENV = { GUANGGU_TEST_NOW: '2026-07-01T02:00:00Z' };
const M = (cny) => cny * 100;
const c = {};
let inst;
let org;
let ta;
let tb;

/* An entry's lines, then the entry (the database checks the balance). */
function entry(id, day, kind, src, total, lines) {
  const [st, sid] = src ? src.split(':') : [null, null];
  const ls = lines.map(([acc, dr, cr, talent, plan, inst]) => `INSERT INTO journal_lines (entry_id, account, debit_fen,`
    + ` credit_fen, talent_id, plan_id, installment_id) VALUES (${id}, '${acc}', ${dr}, ${cr}, ${talent ?? 'NULL'},`
    + ` ${plan ?? 'NULL'}, ${inst ?? 'NULL'});`).join('\n');
  return `${ls}\nINSERT INTO journal_entries (id, posted_on, kind, memo, source_type, source_id, total_fen, created_at)`
    + ` VALUES (${id}, '${day}', '${kind}', '${kind}', ${st ? `'${st}'` : 'NULL'}, ${sid ?? 'NULL'}, ${total}, 0);`;
}

/* Dr dr / Cr cr of fen about talent, plan, installment. */
const pair = (dr, cr, fen, t, p, i) => [[dr, fen, 0, t, p, i], [cr, 0, fen, t, p, i]];

function fixtureSql() {
  const officer = "(SELECT id FROM users WHERE username = 'officer1')";
  const admin = "(SELECT id FROM users WHERE username = 'admin1')";
  return `BEGIN;
INSERT INTO policy_versions (pack, version, hash, first_used_at) VALUES ('report-test', '1', '${'0'.repeat(64)}', 0);
INSERT INTO recognitions (id, talent_id, tier, basis, source_id, org_id, pack, version, policy_hash, effective_on, trace,
  created_at) VALUES (1, ${ta}, 'leading_talent', 'order', 1, ${org}, 'report-test', '1', 'x', '2024-03-01', 't', 0),
  (2, ${tb}, 'strategic_scientist', 'strategic', 1, NULL, 'report-test', '1', 'x', '2025-06-01', 't', 0);
INSERT INTO subsidy_plans (id, recognition_id, talent_id, kind, pack, version, contract_fen, start_on, total_fen,
  created_at) VALUES (1, 1, ${ta}, 'formula', 'report-test', '1', ${M(1200000)}, '2024-03-01', ${M(1800000)}, 0),
  (2, 2, ${tb}, 'strategic', 'report-test', '1', 0, '2025-06-01', ${M(300000)}, 0);
INSERT INTO installments (id, plan_id, year, due_on, base_fen, amount_fen, status) VALUES
  (1, 1, 1, '2025-03-01', ${M(600000)}, ${M(600000)}, 'planned'), (2, 1, 2, '2026-03-01', ${M(600000)}, ${M(600000)}, 'planned'),
  (3, 1, 3, '2027-03-01', ${M(600000)}, ${M(600000)}, 'planned'), (4, 2, 1, '2026-06-01', ${M(200000)}, ${M(200000)}, 'planned'),
  (5, 2, 2, '2027-06-01', ${M(100000)}, ${M(100000)}, 'planned');
${entry(1, '2025-01-15', 'appropriation', null, M(5000000), pair('fund_available', 'fund_appropriations', M(5000000)))}
${entry(2, '2025-01-15', 'commitment', 'plan:1', M(1800000), [1, 2, 3].flatMap((i) => pair('fund_committed', 'fund_available', M(600000), ta, 1, i)))}
${entry(3, '2025-06-01', 'commitment', 'installment:4', M(200000), pair('fund_committed', 'fund_available', M(200000), tb, 2, 4))}
INSERT INTO payment_runs (id, period, status, proposed_by, proposed_at, decided_by, decided_at, total_fen, payments)
  VALUES (1, 2025, 'closed', ${officer}, 0, ${admin}, 0, ${M(600000)}, 1), (2, 2026, 'closed', ${officer}, 0, ${admin}, 0, ${M(200000)}, 1);
INSERT INTO payees (id, plan_id, payee_name, bank, account_sealed, account_last4, entered_at)
  VALUES (1, 1, 'A', 'bank', x'00', '1234', 0), (2, 2, 'B', 'bank', x'00', '5678', 0);
INSERT INTO verifications (id, installment_id, org_id, status, deadline_on, amount_fen, trace, decided_by, created_at)
  VALUES (1, 1, ${org}, 'accepted', '2025-04-30', ${M(600000)}, 't', ${officer}, 0);
INSERT INTO payments (id, run_id, installment_id, plan_id, talent_id, amount_fen, reference, payee_id, payee_name, bank,
  account_sealed, account_last4, status, bank_txn_id, settled_on, trace, created_at, updated_at) VALUES
  (1, 1, 1, 1, ${ta}, ${M(600000)}, 'GG2025-00000001', 1, 'A', 'bank', x'00', '1234', 'paid', 'BTX1', '2026-03-05', 't', 0, 0),
  (2, 2, 4, 2, ${tb}, ${M(200000)}, 'GG2026-00000002', 2, 'B', 'bank', x'00', '5678', 'paid', 'BTX2', '2026-06-03', 't', 0, 0);
${entry(4, '2026-03-03', 'approval', 'payment:1', M(600000), pair('fund_approved', 'fund_committed', M(600000), ta, 1, 1))}
${entry(5, '2026-03-05', 'payment', 'payment:1', M(600000), pair('fund_paid', 'fund_approved', M(600000), ta, 1, 1))}
${entry(6, '2026-06-02', 'approval', 'payment:2', M(200000), pair('fund_approved', 'fund_committed', M(200000), tb, 2, 4))}
${entry(7, '2026-06-03', 'payment', 'payment:2', M(200000), pair('fund_paid', 'fund_approved', M(200000), tb, 2, 4))}
COMMIT;`;
}

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  const o = await c.officer1.post('/api/v1/orgs', ORGS[0]);
  assert.equal(o.status, 201, o.text);
  org = o.json.id;
  const a = await c.officer1.post('/api/v1/talents', { name: '报表甲', org_id: org });
  assert.equal(a.status, 201, a.text);
  ta = a.json.id;
  const b = await c.officer1.post('/api/v1/talents', { name: '报表乙' });
  assert.equal(b.status, 201, b.text);
  tb = b.json.id;
  await exec('sqlite3', [path.join(inst.dir, 'guanggu.db'), fixtureSql()]);
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org}` }], undefined, ENV);
  await addUser(inst.dir, 'talent-a', [{ role: 'talent', scope: `talent:${ta}` }], undefined, ENV);
  await addUser(inst.dir, 'fin1', [{ role: 'finance' }], undefined, ENV);
  await addUser(inst.dir, 'comm1', [{ role: 'commissioner' }], undefined, ENV);
  for (const u of ['hr1', 'talent-a', 'fin1', 'comm1']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('the fixture balances: debits = credits', async () => {
  const r = await c.fin1.get('/api/v1/ledger/balances');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total_debit_fen, r.json.total_credit_fen);
  assert.equal(r.json.total_debit_fen, M(5000000 + 1800000 + 200000 + 600000 * 2 + 200000 * 2));
});

test('forecast: per due year, committed from the lines, planned but never committed', async () => {
  const r = await c.fin1.get('/api/v1/reports/forecast?from=2025');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.from, 2025);
  assert.equal(r.json.years, 5);
  assert.deepEqual(r.json.rows.map((y) => [y.year, y.installments, y.committed_fen, y.uncommitted_fen, y.total_fen]), [
    [2025, 1, 0, 0, 0],
    [2026, 2, M(600000), 0, M(600000)],
    [2027, 2, M(600000), M(100000), M(700000)],
    [2028, 0, 0, 0, 0],
    [2029, 0, 0, 0, 0],
  ]);
  assert.deepEqual(r.json.total, { installments: 5, committed_fen: M(1200000), uncommitted_fen: M(100000), total_fen: M(1300000) });
  /* default: from the current year (2026 in the clock) */
  const d = await c.leader1.get('/api/v1/reports/forecast?years=2');
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.rows.map((y) => y.year), [2026, 2027]);
  assert.equal(d.json.total.total_fen, M(1300000));
  problemOf(assert, await c.fin1.get('/api/v1/reports/forecast?years=11'), 400, 'invalid_input', 'years');
  problemOf(assert, await c.fin1.get('/api/v1/reports/forecast?from=1999'), 400, 'invalid_input', 'from');
  problemOf(assert, await c.fin1.get('/api/v1/reports/forecast?format=pdf'), 400, 'invalid_input', 'format');
});

test('forecast as CSV: header, rows, total', async () => {
  const r = await c.fin1.get('/api/v1/reports/forecast?from=2025&years=3&format=csv');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="forecast-2025\.csv"/);
  /* fetch's text() drops the BOM; test_report.c checks it */
  assert.equal(r.text, 'year,installments,committed_cny,uncommitted_cny,total_cny\r\n'
    + '2025,1,0.00,0.00,0.00\r\n2026,2,600000.00,0.00,600000.00\r\n2027,2,600000.00,100000.00,700000.00\r\n'
    + 'total,5,1200000.00,100000.00,1300000.00\r\n');
});

test('position by year: the year\'s movements and the balances at its end', async () => {
  const r = await c.officer1.get('/api/v1/reports/position');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.by, 'year');
  const [y25, y26] = r.json.years;
  assert.equal(r.json.years.length, 2);
  assert.equal(y25.year, 2025);
  assert.equal(y25.appropriated_fen, M(5000000));
  assert.equal(y25.committed_net_fen, M(2000000));
  assert.equal(y25.debit_fen, M(7000000));
  assert.equal(y25.credit_fen, y25.debit_fen);
  assert.deepEqual(y25.end_balances, {
    fund_appropriations: -M(5000000), fund_available: M(3000000), fund_committed: M(2000000), fund_approved: 0, fund_paid: 0,
  });
  assert.equal(y26.approved_fen, M(800000));
  assert.equal(y26.paid_fen, M(800000));
  assert.equal(y26.returned_fen, 0);
  assert.equal(y26.clawed_back_fen, 0);
  assert.equal(y26.debit_fen, y26.credit_fen);
  assert.deepEqual(y26.end_balances, {
    fund_appropriations: -M(5000000), fund_available: M(3000000), fund_committed: M(1200000), fund_approved: 0, fund_paid: M(800000),
  });
  problemOf(assert, await c.fin1.get('/api/v1/reports/position?by=month'), 400, 'invalid_input', 'by');
});

test('position by chain: the chain of the recognition\'s organisation, "none" without one', async () => {
  const r = await c.fin1.get('/api/v1/reports/position?by=chain');
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.json.chains.map((x) => [x.chain, x]));
  assert.equal(r.json.chains.length, 7);
  assert.deepEqual([by.optoelectronics.committed_fen, by.optoelectronics.approved_fen, by.optoelectronics.paid_fen],
    [M(1200000), 0, M(600000)]);
  assert.equal(by.optoelectronics.name_zh, '光电信息');
  assert.deepEqual([by.none.committed_fen, by.none.paid_fen], [0, M(200000)]);
  assert.equal(by.ai.paid_fen, 0);
  assert.deepEqual(r.json.total, { committed_fen: M(1200000), approved_fen: 0, paid_fen: M(800000) });
  const x = await c.fin1.get('/api/v1/reports/position?by=chain&format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.ok(x.text.startsWith('PK\u0003\u0004'), 'an XLSX is a zip archive');
  assert.ok(Number(x.headers.get('content-length')) > 1000);
});

test('register: paid payments by settled day, paged, filtered', async () => {
  const p1 = await c.fin1.get('/api/v1/reports/register?limit=1');
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.items.length, 1);
  const i = p1.json.items[0];
  assert.equal(i.reference, 'GG2025-00000001');
  assert.deepEqual(i.talent, { id: ta, name: '报表甲' });
  assert.deepEqual(i.employer, { id: org, name: ORGS[0].name });
  assert.deepEqual([i.plan_id, i.installment_year, i.due_on, i.amount_fen, i.run_id, i.period, i.bank_txn_id, i.settled_on,
    i.status], [1, 1, '2025-03-01', M(600000), 1, 2025, 'BTX1', '2026-03-05', 'paid']);
  assert.equal(typeof p1.json.next_cursor, 'string');
  const p2 = await c.fin1.get(`/api/v1/reports/register?limit=1&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.items[0].reference, 'GG2026-00000002');
  assert.equal(p2.json.items[0].employer, null);
  assert.equal(p2.json.next_cursor, null);
  const f = await c.fin1.get('/api/v1/reports/register?from=2026-04-01&to=2026-12-31');
  assert.deepEqual(f.json.items.map((x) => x.reference), ['GG2026-00000002']);
  assert.equal((await c.fin1.get(`/api/v1/reports/register?org=${org}`)).json.items.length, 1);
  assert.equal((await c.fin1.get(`/api/v1/reports/register?talent=${tb}`)).json.items[0].talent.id, tb);
  const csv = await c.fin1.get('/api/v1/reports/register?format=csv');
  assert.equal(csv.status, 200);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'reference,talent_id,talent,org_id,employer,plan_id,installment_year,due_on,amount_cny,'
    + 'run_id,period,bank_txn_id,settled_on,status');
  assert.equal(lines[2], `GG2026-00000002,${tb},报表乙,,,2,1,2026-06-01,200000.00,2,2026,BTX2,2026-06-03,paid`);
  problemOf(assert, await c.fin1.get('/api/v1/reports/register?limit=501'), 400, 'invalid_input', 'limit');
  problemOf(assert, await c.fin1.get('/api/v1/reports/register?cursor=nonsense'), 400, 'invalid_input', 'cursor');
  problemOf(assert, await c.fin1.get('/api/v1/reports/register?from=2026-02-30'), 400, 'invalid_input', 'from');
  problemOf(assert, await c.fin1.get('/api/v1/reports/register?from=2026-05-01&to=2026-04-01'), 400, 'invalid_input', 'to');
  problemOf(assert, await c.hr1.get('/api/v1/reports/register'), 403, 'forbidden');
});

test('statement: plans, installments with verification and payments, lines with the running paid total', async () => {
  const r = await c.officer1.get(`/api/v1/reports/statement?talent=${ta}`);
  assert.equal(r.status, 200, r.text);
  const s = r.json;
  assert.deepEqual(s.talent, { id: ta, name: '报表甲' });
  assert.equal(s.org_view, null);
  assert.equal(s.plans.length, 1);
  const [i1, i2, i3] = s.plans[0].installments;
  assert.deepEqual(s.plans[0].org, { id: org, name: ORGS[0].name });
  assert.deepEqual(i1.verification, { status: 'accepted', accepted_fen: M(600000) });
  assert.deepEqual([i1.committed_fen, i1.paid_fen], [0, M(600000)]);
  assert.equal(i1.payments.length, 1);
  assert.deepEqual([i1.payments[0].reference, i1.payments[0].status, i1.payments[0].settled_on],
    ['GG2025-00000001', 'paid', '2026-03-05']);
  assert.equal(i2.verification, null);
  assert.deepEqual([i2.committed_fen, i3.committed_fen], [M(600000), M(600000)]);
  assert.equal(s.lines.length, 10);
  assert.deepEqual(s.lines.map((l) => l.posted_on), [...s.lines.map((l) => l.posted_on)].sort());
  assert.equal(s.lines[9].running_paid_fen, M(600000));
  assert.equal(s.lines[7].running_paid_fen, 0);
  assert.deepEqual(s.totals, {
    paid_fen: M(600000), returned_fen: 0, clawed_back_fen: 0, net_paid_fen: M(600000), committed_fen: M(1200000),
    approved_fen: 0, debit_fen: M(3000000), credit_fen: M(3000000),
  });
  const x = await c.fin1.get(`/api/v1/reports/statement?talent=${ta}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-disposition'), new RegExp(`statement-${ta}\\.xlsx`));
  assert.ok(x.text.startsWith('PK\u0003\u0004'));
  const csv = await c.fin1.get(`/api/v1/reports/statement?talent=${ta}&format=csv`);
  assert.ok(csv.text.endsWith('\r\ntotal,,,,3000000.00,3000000.00,,,,,600000.00\r\n'), csv.text);
  problemOf(assert, await c.fin1.get('/api/v1/reports/statement'), 400, 'invalid_input', 'talent');
  problemOf(assert, await c.fin1.get('/api/v1/reports/statement?talent=9999'), 404, 'not_found', 'talent');
});

test('statement scope: a talent its own, an employer its talents, a commissioner none', async () => {
  const own = await c['talent-a'].get(`/api/v1/reports/statement?talent=${ta}`);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.lines.length, 10);
  problemOf(assert, await c['talent-a'].get(`/api/v1/reports/statement?talent=${tb}`), 404, 'not_found');
  const hr = await c.hr1.get(`/api/v1/reports/statement?talent=${ta}`);
  assert.equal(hr.status, 200, hr.text);
  assert.equal(hr.json.org_view, org);
  assert.equal(hr.json.plans.length, 1);
  problemOf(assert, await c.hr1.get(`/api/v1/reports/statement?talent=${tb}`), 404, 'not_found');
  problemOf(assert, await c.comm1.get(`/api/v1/reports/statement?talent=${ta}`), 403, 'forbidden');
  problemOf(assert, await c['talent-a'].get('/api/v1/reports/forecast'), 403, 'forbidden');
});
