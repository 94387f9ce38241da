// Crash tests of the payment runs (docs/payments.md, DESIGN.md
// Concurrency): the test build's named fault points kill the server with
// SIGKILL at the worst moments (GUANGGU_FAULT): after a run's payments
// are inserted but before the commit, after the approval entries are
// posted but before the commit, between two rows of a bank result. Each
// time the test sees the request fail and the process die by SIGKILL,
// restarts the server without the fault, repeats the call and checks that
// nothing was lost or done twice and that the ledger balances. The
// Idempotency-Key of the crashed request is still "running" (409) until
// it is 10 minutes old; then it is taken over (the restarted server runs
// with its clock 11 minutes on). Every wait is bounded; only the servers
// this file started are killed (by the fault itself, or Server.stop).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Server, addUser, nowSeconds, problemOf, runOk, setup } from './lib.mjs';

let inst;
const c = {};
const LATER = { GUANGGU_TEST_NOW: String(nowSeconds() + 11 * 60) };

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(inst.dir, 'guanggu.db'), statement], {
    encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

async function restart(env) {
  inst.server = await Server.start(inst.dir, { env });
  for (const k of Object.keys(c)) c[k].base = inst.server.url;
}

/* Fires fn against a server started with GUANGGU_FAULT=point; asserts the request failed and the process died by SIGKILL. */
async function crash(point, fn) {
  await inst.server.stop();
  await restart({ GUANGGU_FAULT: point });
  let answered = null;
  try {
    answered = await fn();
  } catch {
    answered = null; /* the connection died with the process */
  }
  assert.equal(answered, null, `the fault point ${point} did not fire: ${answered && answered.status} ${answered && answered.text}`);
  const exit = await inst.server.waitExit(10000);
  assert.equal(exit.signal, 'SIGKILL');
  await restart(LATER);
}

async function balances() {
  const r = await runOk(['ledger', 'balance', '--format', 'json', '--dir', inst.dir]);
  const j = JSON.parse(r.stdout);
  assert.equal(j.total_debit_fen, j.total_credit_fen);
  return Object.fromEntries(j.accounts.map((a) => [a.code, a.balance_fen]));
}

function upload(csv) {
  const boundary = '----crash-test-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { body: Buffer.from(body, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}`, timeoutMs: 8000 };
}

before(async () => {
  inst = await setup({ users: [{ name: 'officer', roles: ['bureau_officer'] }, { name: 'fin', roles: ['finance'] }] });
  for (const u of ['officer', 'fin']) c[u] = await inst.server.loggedIn(u);
  await runOk(['ledger', 'appropriate', '--amount', '10000000', '--memo', 'crash fund', '--dir', inst.dir]);
  const org = (await c.officer.post('/api/v1/orgs', { name: '崩溃测试光电有限公司', kind: 'leading_enterprise' })).json.id;
  for (const [i, salary] of ['1200000', '1000000'].entries()) {
    const t = (await c.officer.post('/api/v1/talents', { name: `崩溃${i}`, org_id: org })).json.id;
    const o = (await c.officer.post('/api/v1/orders', { org_id: org, title: `岗${i}`, segment: 'optical_communication', salary })).json.id;
    const h = await c.officer.post(`/api/v1/orders/${o}/hires`, { talent_id: t, contract_salary: salary, start_on: '2025-03-01', term_years: 3 });
    assert.equal(h.status, 201, h.text);
    const plan = h.json.plan.id;
    assert.equal((await c.officer.req('PUT', `/api/v1/plans/${plan}/payee`, { json: { payee_name: `崩溃${i}`, bank: '光谷银行', account_no: `9555000${i}12345678` } })).status, 200);
    await addUser(inst.dir, `tal${i}`, [{ role: 'talent', scope: `talent:${t}` }]);
    const tc = await inst.server.loggedIn(`tal${i}`);
    assert.equal((await tc.post(`/api/v1/plans/${plan}/payee/confirm`)).status, 200);
    sql(`INSERT INTO verifications (installment_id, status, deadline_on, employed, salary_paid_fen, tax_record_no, decided_at,
      decided_by, amount_fen, trace, created_at) SELECT id, 'accepted', '2026-05-01', 1, 0, 'T', 0, 1, amount_fen, 'verified', 0
      FROM installments WHERE plan_id = ${plan} AND year = 1;`);
  }
});

after(async () => {
  if (inst) await inst.close();
});

test('a crash after the payments are inserted leaves no run; the key is taken over once stale', async () => {
  const key = { headers: { 'Idempotency-Key': 'crash-propose' }, timeoutMs: 8000 };
  await crash('payrun.propose.after_payments', () => c.officer.post('/api/v1/payment-runs', { period: 2026 }, key));
  assert.equal(sql('SELECT count(*) FROM payment_runs;'), '0');
  assert.equal(sql('SELECT count(*) FROM payments;'), '0');
  /* with the clock of the crash, the key's request is still running */
  await inst.server.stop();
  await restart({});
  problemOf(assert, await c.officer.post('/api/v1/payment-runs', { period: 2026 }, key), 409, 'conflict', 'Idempotency-Key');
  await inst.server.stop();
  await restart(LATER);
  const r = await c.officer.post('/api/v1/payment-runs', { period: 2026 }, key);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.payments.length, 2);
  assert.equal(sql('SELECT count(*) FROM payments;'), '2');
});

test('a crash after the approval entries posts nothing; approving again posts each once', async () => {
  const run = sql('SELECT id FROM payment_runs;');
  await crash('payrun.approve.after_entries', () => c.fin.post(`/api/v1/payment-runs/${run}/approve`, undefined, { timeoutMs: 8000 }));
  assert.equal(sql(`SELECT count(*) FROM journal_entries WHERE kind = 'approval';`), '0');
  assert.equal(sql(`SELECT status FROM payment_runs WHERE id = ${run};`), 'proposed');
  await balances();
  const r = await c.fin.post(`/api/v1/payment-runs/${run}/approve`);
  assert.equal(r.status, 200, r.text);
  problemOf(assert, await c.fin.post(`/api/v1/payment-runs/${run}/approve`), 409, 'conflict');
  assert.equal(sql(`SELECT count(*) FROM journal_entries WHERE kind = 'approval';`), '2');
  assert.equal((await balances()).fund_approved, 110000000);
});

test('a crash between two rows of a bank result applies none; the file applies once after', async () => {
  const run = sql('SELECT id FROM payment_runs;');
  const refs = sql(`SELECT reference || ',' || (amount_fen / 100) || '.00' FROM payments WHERE run_id = ${run} ORDER BY id;`).split('\n');
  const csv = `reference,amount,status,bank_txn_id,date,reason\r\n${refs[0]},paid,B1,2026-06-02,\r\n${refs[1]},paid,B2,2026-06-02,\r\n`;
  const url = `/api/v1/payment-runs/${run}/bank-result`;
  await crash('payrun.result.between_rows', () => c.fin.req('POST', url, upload(csv)));
  assert.equal(sql(`SELECT count(*) FROM payments WHERE status = 'paid';`), '0');
  assert.equal(sql(`SELECT count(*) FROM journal_entries WHERE kind = 'payment';`), '0');
  assert.equal(sql('SELECT count(*) FROM bank_results;'), '0');
  const r = await c.fin.req('POST', url, upload(csv));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.paid, r.json.closed], [2, true]);
  const again = await c.fin.req('POST', url, upload(csv));
  assert.equal(again.json.already_applied, true);
  const b = await balances();
  assert.equal(b.fund_paid, 110000000);
  assert.equal(b.fund_approved, 0);
  assert.equal(sql(`SELECT count(*) FROM journal_entries WHERE kind = 'payment';`), '2');
});
