// Payees and payment runs through the API (issue 6, docs/payments.md):
// the payee account is masked except for finance (whose read is audited)
// and confirmed by the talent; a run for a year takes the installments
// whose verification was accepted (inserted here as SQL through the
// sqlite3 shell: the verification API is another slice's), skips the rest
// saying why, answers the open run again, refuses a future year; the
// proposer cannot approve; 20 approvals at once: one wins, the others
// 409; a rejected run frees its installments; the bank file is the same
// bytes on every call (CSV and XLSX); a bank result with an unknown
// reference or another amount applies nothing, the same file twice is
// "already applied", a failed payment is paid by a later run; the
// Idempotency-Key answers a repeat from store, refuses its reuse on
// another request; the database refuses a second live payment of one
// installment; the ledger balances at the end. The worked examples
// (1,200,000 / 1,000,000 / 8,000,000, year 1) end as paid payments.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, listAll, problemOf, runOk, setup } from './lib.mjs';

let inst;
const c = {};
const plans = []; /* {id, talent, inst1, amount} for the three worked examples */
let runId; /* the paid run */

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(inst.dir, 'guanggu.db'), statement], {
    encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const BOUNDARY = '----guanggu-test-boundary-7MA4YWxkTrZu0gW';
function upload(csv, name = 'result.csv', boundary = BOUNDARY) {
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n`
    + `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { body: Buffer.from(body, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}
const HEADER = 'reference,amount,status,bank_txn_id,date,reason\r\n';

async function balances() {
  const r = await runOk(['ledger', 'balance', '--format', 'json', '--dir', inst.dir]);
  const j = JSON.parse(r.stdout);
  assert.equal(j.total_debit_fen, j.total_credit_fen);
  return Object.fromEntries(j.accounts.map((a) => [a.code, a.balance_fen]));
}

before(async () => {
  inst = await setup({
    users: [
      { name: 'officer', roles: ['bureau_officer'] },
      { name: 'chief', roles: ['bureau_admin'] },
      { name: 'fin1', roles: ['finance'] },
      { name: 'fin2', roles: ['finance'] },
      { name: 'both', roles: ['finance', 'bureau_officer'] },
      { name: 'boss', roles: ['leader'] },
    ],
  });
  for (const u of ['officer', 'chief', 'fin1', 'fin2', 'both', 'boss']) c[u] = await inst.server.loggedIn(u);
  await runOk(['ledger', 'appropriate', '--amount', '100000000', '--memo', 'test fund', '--dir', inst.dir]);
  const org = (await c.officer.post('/api/v1/orgs', { name: '拨付示例光电有限公司', kind: 'leading_enterprise' })).json.id;
  const salaries = ['1200000', '1000000', '8000000'];
  for (let i = 0; i < 3; i++) {
    const t = await c.officer.post('/api/v1/talents', { name: `拨付${i + 1}`, org_id: org });
    assert.equal(t.status, 201, t.text);
    const o = await c.officer.post('/api/v1/orders', { org_id: org, title: `岗位${i}`, segment: 'optical_communication', salary: salaries[i] });
    assert.equal(o.status, 201, o.text);
    const h = await c.officer.post(`/api/v1/orders/${o.json.id}/hires`, {
      talent_id: t.json.id, contract_salary: salaries[i], start_on: '2025-03-01', term_years: 3,
    });
    assert.equal(h.status, 201, h.text);
    const plan = h.json.plan;
    const inst1 = Number(sql(`SELECT id FROM installments WHERE plan_id = ${plan.id} AND year = 1;`).trim());
    plans.push({ id: plan.id, talent: t.json.id, inst1, amount: plan.installments[0].amount_fen });
    await addUser(inst.dir, `self${i + 1}`, [{ role: 'talent', scope: `talent:${t.json.id}` }]);
    c[`self${i + 1}`] = await inst.server.loggedIn(`self${i + 1}`);
  }
  assert.deepEqual(plans.map((p) => p.amount), [60000000, 50000000, 400000000]);
});

after(async () => {
  if (inst) await inst.close();
});

test('payee: checked, sealed, masked, unmasked for finance (audited), confirmed only by its talent', async () => {
  const p = plans[0];
  problemOf(assert, await c.officer.req('PUT', `/api/v1/plans/${p.id}/payee`, { json: { payee_name: '拨付1', bank: '光谷银行', account_no: '6222-0000' } }), 400, 'invalid_input', 'account_no');
  problemOf(assert, await c.officer.req('PUT', `/api/v1/plans/${p.id}/payee`, { json: { payee_name: '', bank: '光谷银行', account_no: '62220000' } }), 400, 'invalid_input', 'payee_name');
  problemOf(assert, await c.fin1.req('PUT', `/api/v1/plans/${p.id}/payee`, { json: { payee_name: 'x', bank: 'y', account_no: '62220000' } }), 403, 'forbidden');
  for (let i = 0; i < 3; i++) {
    const r = await c.officer.req('PUT', `/api/v1/plans/${plans[i].id}/payee`, {
      json: { payee_name: `拨付${i + 1}`, bank: '光谷银行', account_no: `62220000123${i}5678` },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account, '**** 5678');
    assert.equal(r.json.account_no, undefined);
    assert.equal(r.json.confirmed, false);
  }
  /* finance reads the mask like everyone, and the number only when it asks, audited each time */
  const reveals = async () => (await listAll(c.chief, '/api/v1/audit')).filter((a) => a.action === 'payee.reveal').length;
  const before = await reveals();
  const plain = await c.fin1.get(`/api/v1/plans/${p.id}/payee`);
  assert.equal(plain.status, 200, plain.text);
  assert.equal(plain.json.account_no, undefined);
  assert.equal(await reveals(), before, 'a masked read writes no reveal row');
  const fin = await c.fin1.get(`/api/v1/plans/${p.id}/payee?reveal=true`);
  assert.equal(fin.status, 200, fin.text);
  assert.equal(fin.json.account_no, '6222000012305678');
  assert.equal(await reveals(), before + 1, 'the unmasked read is audited');
  assert.equal((await c.officer.get(`/api/v1/plans/${p.id}/payee?reveal=true`)).json.account_no, undefined,
    'only finance unmasks');
  problemOf(assert, await c.fin1.get(`/api/v1/plans/${p.id}/payee?reveal=yes`), 400, 'invalid_input', 'reveal');
  const audit = await listAll(c.chief, '/api/v1/audit');
  assert.ok(!JSON.stringify(audit).includes('6222000012305678'), 'the account number is not in the audit log');
  /* the officer cannot confirm; another talent does not see the plan; its own talent confirms */
  problemOf(assert, await c.officer.post(`/api/v1/plans/${p.id}/payee/confirm`), 403, 'forbidden');
  problemOf(assert, await c.self2.post(`/api/v1/plans/${p.id}/payee/confirm`), 404, 'not_found');
  problemOf(assert, await c.self2.get(`/api/v1/plans/${p.id}/payee`), 404, 'not_found');
  const own = await c.self1.get(`/api/v1/plans/${p.id}/payee`);
  assert.deepEqual(own.json.allowed_actions, ['confirm']);
  for (let i = 0; i < 3; i++) {
    const r = await c[`self${i + 1}`].post(`/api/v1/plans/${plans[i].id}/payee/confirm`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.confirmed, true);
  }
  problemOf(assert, await c.self1.post(`/api/v1/plans/${p.id}/payee/confirm`), 409, 'conflict');
});

test('propose: a future year and a year with nothing verified are refused, saying why', async () => {
  problemOf(assert, await c.officer.post('/api/v1/payment-runs', { period: 2099 }), 422, 'rule_refused', 'period');
  problemOf(assert, await c.officer.post('/api/v1/payment-runs', { period: '2026' }), 400, null, 'period');
  const r = await c.officer.post('/api/v1/payment-runs', { period: 2026 });
  problemOf(assert, r, 422, 'rule_refused');
  assert.match(r.problem.detail, /nothing is due for payment in 2026/);
  assert.equal(r.problem.skipped.length, 3);
  assert.ok(r.problem.skipped.every((s) => s.why === 'no verification yet'));
  problemOf(assert, await c.fin1.post('/api/v1/payment-runs', { period: 2026 }), 403, 'forbidden');
  assert.equal(sql('SELECT count(*) FROM payment_runs;').trim(), '0');
});

test('the proposer cannot approve; a rejected run frees its installments', async () => {
  for (const p of plans) {
    sql(`INSERT INTO verifications (installment_id, org_id, status, deadline_on, employed, salary_paid_fen, tax_record_no,
      decided_at, decided_by, amount_fen, trace, created_at) VALUES (${p.inst1}, NULL, 'accepted', '2026-05-01', 1, 0, 'T',
      0, 1, ${p.amount}, 'year 1 verified: employed, salary paid', 0);`);
  }
  const r = await c.both.post('/api/v1/payment-runs', { period: 2026 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.payments.length, 3);
  assert.deepEqual(r.json.allowed_actions, []);
  const self = await c.both.post(`/api/v1/payment-runs/${r.json.id}/approve`);
  const pr = problemOf(assert, self, 403, 'forbidden');
  assert.equal(pr.detail, 'the proposer of a run cannot approve it');
  problemOf(assert, await c.fin1.post(`/api/v1/payment-runs/${r.json.id}/reject`, { reason: '' }), 400, 'invalid_input', 'reason');
  const rej = await c.fin1.post(`/api/v1/payment-runs/${r.json.id}/reject`, { reason: '金额待复核' });
  assert.equal(rej.status, 200, rej.text);
  assert.equal(rej.json.status, 'rejected');
  assert.ok(rej.json.payments.every((p) => p.status === 'cancelled'));
});

test('propose with an Idempotency-Key; 20 proposals and 20 approvals at once: one wins; the bank file never changes', async () => {
  const proposals = await Promise.all(Array.from({ length: 20 }, (_, i) => c[i % 2 ? 'officer' : 'chief']
    .post('/api/v1/payment-runs', { period: 2026 }, { headers: { 'Idempotency-Key': `propose-2026-${i}` } })));
  assert.equal(proposals.filter((r) => r.status === 201).length, 1, proposals.map((r) => `${r.status} ${r.text}`).join('\n'));
  assert.equal(proposals.filter((r) => r.status === 200).length, 19);
  const first = proposals.find((r) => r.status === 201);
  runId = first.json.id;
  assert.ok(proposals.every((r) => r.json.id === runId));
  assert.equal(sql(`SELECT count(*) FROM payments WHERE run_id = ${runId};`).trim(), '3');
  assert.equal(first.headers.get('location'), `/api/v1/payment-runs/${runId}`);
  assert.deepEqual(first.json.payments.map((p) => p.amount_fen), [60000000, 50000000, 400000000]);
  assert.ok(first.json.payments.every((p) => /^GG2026-\d{8}$/.test(p.reference) && p.payee.account === '**** 5678'));
  const i = proposals.indexOf(first);
  const key = { headers: { 'Idempotency-Key': `propose-2026-${i}` } };
  const who = c[i % 2 ? 'officer' : 'chief'];
  const replay = await who.post('/api/v1/payment-runs', { period: 2026 }, key);
  assert.equal(replay.status, 201);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.text, first.text);
  problemOf(assert, await who.post('/api/v1/payment-runs', { period: 2025 }, key), 422, 'rule_refused', 'Idempotency-Key');
  problemOf(assert, await c.officer.post('/api/v1/payment-runs', { period: 2026 }, { headers: { 'Idempotency-Key': '' } }), 400, 'invalid_input');
  const again = await c.officer.post('/api/v1/payment-runs', { period: 2026 });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, runId);

  problemOf(assert, await c.officer.post(`/api/v1/payment-runs/${runId}/approve`), 403, 'forbidden');
  const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? c.fin1 : c.fin2)
    .post(`/api/v1/payment-runs/${runId}/approve`, undefined, { headers: { 'Idempotency-Key': `approve-${i}` } })));
  assert.equal(got.filter((r) => r.status === 200).length, 1, got.map((r) => r.status).join(','));
  assert.equal(got.filter((r) => r.status === 409).length, 19);
  assert.equal(sql(`SELECT count(*) FROM journal_entries WHERE kind = 'approval';`).trim(), '3');
  const run = await c.fin1.get(`/api/v1/payment-runs/${runId}`);
  assert.equal(run.json.status, 'approved');
  assert.deepEqual(run.json.allowed_actions, ['bank_file', 'bank_result']);
  assert.equal(run.json.total_fen, 510000000);

  problemOf(assert, await c.boss.get(`/api/v1/payment-runs/${runId}/bank-file`), 403, 'forbidden');
  const csv1 = await c.fin1.get(`/api/v1/payment-runs/${runId}/bank-file?format=csv`);
  const csv2 = await c.fin2.get(`/api/v1/payment-runs/${runId}/bank-file`);
  assert.equal(csv1.status, 200, csv1.text);
  assert.equal(csv1.text, csv2.text);
  const lines = csv1.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'reference,payee_name,account_no,bank,amount');
  assert.equal(lines[1], `${first.json.payments[0].reference},拨付1,6222000012305678,光谷银行,600000.00`);
  assert.equal(lines[3], `${first.json.payments[2].reference},拨付3,6222000012325678,光谷银行,4000000.00`);
  const x1 = await fetch(`${inst.server.url}/api/v1/payment-runs/${runId}/bank-file?format=xlsx`, { headers: { Cookie: `gg_session=${c.fin1.cookie}` } });
  const x2 = await fetch(`${inst.server.url}/api/v1/payment-runs/${runId}/bank-file?format=xlsx`, { headers: { Cookie: `gg_session=${c.fin1.cookie}` } });
  const b1 = Buffer.from(await x1.arrayBuffer());
  const b2 = Buffer.from(await x2.arrayBuffer());
  assert.equal(x1.status, 200);
  assert.equal(b1.subarray(0, 2).toString(), 'PK');
  assert.ok(b1.equals(b2), 'the XLSX bank file is the same bytes on every call');
  problemOf(assert, await c.fin1.get(`/api/v1/payment-runs/${runId}/bank-file?format=pdf`), 400, 'invalid_input', 'format');
});

test('bank result: all rows or none; the same file twice is already applied; a failed one is paid later', async () => {
  const refs = (await c.fin1.get(`/api/v1/payment-runs/${runId}`)).json.payments.map((p) => p.reference);
  const url = `/api/v1/payment-runs/${runId}/bank-result`;
  const unknown = await c.fin1.req('POST', url, upload(`${HEADER}${refs[0]},600000.00,paid,B1,2026-06-02,\r\nGG2026-99999999,1.00,paid,B2,2026-06-02,\r\n`));
  problemOf(assert, unknown, 422, 'rule_refused', 'rows.3');
  assert.deepEqual(unknown.problem.rows.map((r) => r.line), [3]);
  const amount = await c.fin1.req('POST', url, upload(`${HEADER}${refs[0]},600000.01,paid,B1,2026-06-02,\r\n${refs[1]},-1,paid,B1,2026-06-02,\r\n`));
  problemOf(assert, amount, 422, 'rule_refused', 'rows.2');
  assert.equal(amount.problem.rows.length, 2);
  assert.equal(sql(`SELECT count(*) FROM payments WHERE run_id = ${runId} AND status = 'approved';`).trim(), '3');

  const good = `${HEADER}${refs[0]},600000.00,paid,B1,2026-06-02,\r\n${refs[1]},500000.00,failed,,2026-06-02,account closed\r\n`
    + `${refs[2]},4000000.00,paid,B3,2026-06-02,\r\n`;
  const k = { headers: { 'Idempotency-Key': 'result-1' } };
  const ok = await c.fin1.req('POST', url, { ...upload(good), ...k });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.json.paid, ok.json.failed, ok.json.closed], [2, 1, true]);
  /* the same key with the same file in another multipart envelope: the stored answer */
  const rep = await c.fin1.req('POST', url, { ...upload(good, 'result.csv', '----another-boundary-1234'), ...k });
  assert.equal(rep.headers.get('idempotent-replayed'), 'true');
  assert.equal(rep.text, ok.text);
  const twice = await c.fin2.req('POST', url, upload(good));
  assert.equal(twice.status, 200, twice.text);
  assert.equal(twice.json.already_applied, true);
  let b = await balances();
  assert.equal(b.fund_paid, 460000000);
  assert.equal(b.fund_approved, 0);

  /* the failed one: a new run pays it */
  const r2 = await c.officer.post('/api/v1/payment-runs', { period: 2026 });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.payments.length, 1);
  assert.equal(r2.json.payments[0].installment.id, plans[1].inst1);
  assert.ok(r2.json.skipped.some((s) => /live payment/.test(s.why)));
  assert.equal((await c.fin2.post(`/api/v1/payment-runs/${r2.json.id}/approve`)).status, 200);
  const res2 = await c.fin2.req('POST', `/api/v1/payment-runs/${r2.json.id}/bank-result`,
    upload(`${HEADER}${r2.json.payments[0].reference},500000.00,paid,B9,2026-06-05,\r\n`));
  assert.equal(res2.status, 200, res2.text);
  b = await balances();
  assert.equal(b.fund_paid, 510000000);
  const paid = await listAll(c.fin1, '/api/v1/payments?status=paid');
  assert.deepEqual(paid.map((p) => p.amount_fen).sort((x, y) => x - y), [50000000, 60000000, 400000000]);
});

test('reads: runs are the bureau\'s, a talent lists only its own payments; the sheet has the traces', async () => {
  problemOf(assert, await c.self1.get('/api/v1/payment-runs'), 403, 'forbidden');
  const own = await listAll(c.self1, '/api/v1/payments');
  assert.ok(own.length >= 1 && own.every((p) => p.talent.id === plans[0].talent));
  assert.deepEqual(await listAll(c.self1, `/api/v1/payments?talent=${plans[1].talent}`), []);
  const runs = await listAll(c.boss, '/api/v1/payment-runs?period=2026');
  assert.deepEqual(runs.map((r) => r.status).sort(), ['closed', 'closed', 'rejected']);
  const sheet = await c.boss.get(`/api/v1/payment-runs/${runId}/sheet`);
  assert.equal(sheet.status, 200, sheet.text);
  assert.equal(sheet.json.proposed_by.name.length > 0, true);
  assert.ok(sheet.json.decided_by);
  assert.ok(sheet.json.payments.every((p) => p.trace.some((l) => /selected for the run of 2026/.test(l))));
  assert.ok(sheet.json.payments[0].trace.includes('year 1 verified: employed, salary paid'));
  problemOf(assert, await c.boss.get('/api/v1/payment-runs?status=done'), 400, 'invalid_input', 'status');
});

test('clawback: of a paid payment, a reason and an amount as a decimal string, at most what was paid', async () => {
  const paid = (await listAll(c.fin1, '/api/v1/payments?status=paid')).find((p) => p.amount_fen === 60000000);
  const url = `/api/v1/payments/${paid.id}/clawbacks`;
  problemOf(assert, await c.officer.post(url, { amount: '1.00', reason: 'x' }), 403, 'forbidden');
  problemOf(assert, await c.fin1.post(url, { amount: 100, reason: 'x' }), 400, null, 'amount');
  problemOf(assert, await c.fin1.post(url, { amount: '1.001', reason: 'x' }), 400, 'invalid_input', 'amount');
  problemOf(assert, await c.fin1.post(url, { amount: '100.00', reason: '' }), 400, 'invalid_input', 'reason');
  problemOf(assert, await c.fin1.post(url, { amount: '600000.01', reason: '税单不实' }), 422, 'rule_refused', 'amount');
  const before = await balances();
  const r = await c.fin1.post(url, { amount: '100000', reason: '税单不实' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.amount_fen, 10000000);
  const b = await balances();
  assert.equal(b.fund_paid, before.fund_paid - 10000000);
  assert.equal(b.fund_available, before.fund_available + 10000000);
});

test('the database refuses a second live payment of one installment', async () => {
  assert.throws(() => sql(`INSERT INTO payments (run_id, installment_id, plan_id, talent_id, amount_fen, reference, payee_id,
    payee_name, bank, account_sealed, account_last4, trace, created_at, updated_at) SELECT run_id, installment_id, plan_id,
    talent_id, amount_fen, 'X-1', payee_id, payee_name, bank, account_sealed, account_last4, trace, 0, 0 FROM payments
    WHERE status = 'paid' LIMIT 1;`), /UNIQUE constraint failed/);
  await balances();
});
