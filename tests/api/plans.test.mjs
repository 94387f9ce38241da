// Plans over HTTP (docs/ledger.md "Strategic tranches", "Cancellation"):
// an officer enters the milestone tranches of a strategic package (each
// committed when the fund covers it; a total above the package is 422
// naming total and room; money a decimal string; only plans_write; a
// formula plan 409); GET /api/v1/plans/{id} reads a plan within the
// reader's recognitions scope (another employer 404; a strategic plan,
// like its recognition, is not the employer's); cancelling a plan
// when employment ends lapses what was not accepted (its open
// verification too) and keeps the accepted year payable; a second
// cancellation is 409; `guanggu subsidy cancel` does the same from the
// command line. Refusals write nothing; the ledger balances after (close()).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, listAll, problemOf, run, runOk, setupBureau } from './lib.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-10T02:00:00Z' };
const c = {};
let inst;
let lead;
let other;
const t = {};
let strategicPlan;
let formulaPlan;

async function balances() {
  const r = await runOk(['ledger', 'balance', '--format', 'json', '--dir', inst.dir], { env: ENV });
  return JSON.parse(r.stdout);
}
const acct = (b, code) => b.accounts.find((a) => a.code === code).balance_fen;

async function footprint() {
  const audit = await listAll(c.admin1, '/api/v1/audit');
  const b = await balances();
  return { audit: audit.length, committed: acct(b, 'fund_committed') };
}

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  await runOk(['ledger', 'appropriate', '--amount', '100000000', '--memo', 'budget 2026', '--dir', inst.dir], { env: ENV });
  for (const [name, kind] of [['计划示例光电', 'leading_enterprise'], ['计划示例别家', 'leading_enterprise']]) {
    const r = await c.officer1.post('/api/v1/orgs', { name, kind });
    assert.equal(r.status, 201, r.text);
    if (!lead) lead = r.json.id; else other = r.json.id;
  }
  for (const name of ['战略甲', '招聘乙']) {
    const r = await c.officer1.post('/api/v1/talents', { name, org_id: lead });
    assert.equal(r.status, 201, r.text);
    t[name] = r.json.id;
  }
  let r = await c.officer1.post('/api/v1/strategic-decisions', {
    talent_id: t['战略甲'], decided_on: '2026-02-27', rationale: '一事一议', package_total: '4000000.00',
  });
  assert.equal(r.status, 201, r.text);
  strategicPlan = r.json.plan_id;
  const o = await c.officer1.post('/api/v1/orders', {
    org_id: lead, title: '岗位', salary: '1200000', segment: 'optical_communication', description: '负责研发',
  });
  assert.equal(o.status, 201, o.text);
  r = await c.officer1.post(`/api/v1/orders/${o.json.id}/hires`, {
    talent_id: t['招聘乙'], contract_salary: '1200000', term_years: 3, start_on: '2024-03-01',
  });
  assert.equal(r.status, 201, r.text);
  const recs = await listAll(c.officer1, `/api/v1/recognitions?talent=${t['招聘乙']}`);
  formulaPlan = recs[0].plan.id;
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${lead}` }], undefined, ENV);
  await addUser(inst.dir, 'hr9', [{ role: 'employer', scope: `org:${other}` }], undefined, ENV);
  await addUser(inst.dir, 'fin1', [{ role: 'finance' }], undefined, ENV);
  await addUser(inst.dir, 'self', [{ role: 'talent', scope: `talent:${t['战略甲']}` }], undefined, ENV);
  for (const u of ['hr1', 'hr9', 'fin1', 'self']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('tranches: numbered, milestone kept, committed, within the package', async () => {
  const url = `/api/v1/plans/${strategicPlan}/tranches`;
  let r = await c.officer1.post(url, { milestone: '实验室建成', due_on: '2026-12-31', amount: '1000000.00' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/plans/${strategicPlan}`);
  assert.equal(r.json.kind, 'strategic');
  assert.equal(r.json.total_fen, 400000000);
  assert.equal(r.json.limit_fen, 400000000);
  assert.equal(r.json.tranche_total_fen, 100000000);
  assert.equal(r.json.room_fen, 300000000);
  assert.deepEqual(r.json.allowed_actions, ['add_tranche', 'cancel']);
  const i1 = r.json.installments[0];
  assert.equal(i1.year, 1);
  assert.equal(i1.milestone, '实验室建成');
  assert.equal(i1.base_fen, 0);
  assert.equal(i1.amount_fen, 100000000);
  assert.equal(i1.status, 'planned');
  assert.equal(i1.committed_fen, 100000000);
  assert.equal(i1.verification, null);
  r = await c.admin1.post(url, { milestone: '团队组建', due_on: '2027-06-30', amount: '2500000' },
    { headers: { 'Idempotency-Key': 'tranche-2' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.installments[1].year, 2);
  const again = await c.admin1.post(url, { milestone: '团队组建', due_on: '2027-06-30', amount: '2500000' },
    { headers: { 'Idempotency-Key': 'tranche-2' } });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal((await c.officer1.get(`/api/v1/plans/${strategicPlan}`)).json.installments.length, 2);

  const before = await footprint();
  let p = problemOf(assert, await c.officer1.post(url, { milestone: '更多', due_on: '2027-12-31', amount: '600000' }),
    422, 'rule_refused', 'amount');
  assert.match(p.detail, /would total 4,100,000\.00, above the package total 4,000,000\.00: room 500,000\.00/);
  problemOf(assert, await c.officer1.post(url, { milestone: '更多', due_on: '2027-12-31', amount: 600000 }), 400, null, 'amount');
  problemOf(assert, await c.officer1.post(url, { milestone: '更多', due_on: '2027-12-31', amount: '0.001' }), 400, null, 'amount');
  problemOf(assert, await c.officer1.post(url, { milestone: '', due_on: '2027-12-31', amount: '1' }), 400, null, 'milestone');
  problemOf(assert, await c.officer1.post(url, { milestone: 'x'.repeat(501), due_on: '2027-12-31', amount: '1' }), 400, null, 'milestone');
  problemOf(assert, await c.officer1.post(url, { milestone: 'x', due_on: '2027-02-30', amount: '1' }), 400, null, 'due_on');
  problemOf(assert, await c.officer1.post(url, { milestone: 'x', due_on: '2026-01-01', amount: '1' }), 422, null, 'due_on');
  problemOf(assert, await c.hr1.post(url, { milestone: 'x', due_on: '2027-12-31', amount: '1' }), 403, 'forbidden');
  problemOf(assert, await c.fin1.post(url, { milestone: 'x', due_on: '2027-12-31', amount: '1' }), 403, 'forbidden');
  problemOf(assert, await c.officer1.post(`/api/v1/plans/${formulaPlan}/tranches`,
    { milestone: 'x', due_on: '2027-12-31', amount: '1' }), 409, 'conflict');
  problemOf(assert, await c.officer1.post('/api/v1/plans/99999/tranches',
    { milestone: 'x', due_on: '2027-12-31', amount: '1' }), 404, 'not_found');
  assert.deepEqual(await footprint(), before);
});

test('GET a plan: in the reader\'s scope only', async () => {
  const url = `/api/v1/plans/${strategicPlan}`;
  /* like its recognition: a strategic decision names no employer, so the employer does not see it */
  problemOf(assert, await c.hr1.get(url), 404, 'not_found');
  let r = await c.self.get(url);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.talent, { id: t['战略甲'], name: '战略甲' });
  assert.deepEqual(r.json.allowed_actions, []);
  assert.equal(r.json.cancellation, null);
  r = await c.hr1.get(`/api/v1/plans/${formulaPlan}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.allowed_actions, []);
  problemOf(assert, await c.hr9.get(`/api/v1/plans/${formulaPlan}`), 404, 'not_found');
  assert.equal((await c.fin1.get(url)).status, 200);
  assert.equal((await c.leader1.get(url)).status, 200);
  problemOf(assert, await c.hr9.get(url), 404, 'not_found');
  problemOf(assert, await c.self.get(`/api/v1/plans/${formulaPlan}`), 404, 'not_found');
  problemOf(assert, await c.officer1.get('/api/v1/plans/99999'), 404, 'not_found');
  r = await c.officer1.get(`/api/v1/plans/${formulaPlan}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kind, 'formula');
  assert.equal(r.json.installments.length, 3);
  assert.equal(r.json.installments[0].milestone, null);
  assert.deepEqual(r.json.allowed_actions, ['cancel']);
});

test('cancel: what was accepted stays payable, the rest lapses with its verification', async () => {
  let r = await c.officer1.post('/api/v1/verifications/open-due');
  assert.equal(r.status, 200, r.text);
  const vs = await listAll(c.officer1, `/api/v1/verifications?talent=${t['招聘乙']}`);
  const v1 = vs.find((v) => v.installment.year === 1);
  const v2 = vs.find((v) => v.installment.year === 2);
  r = await c.hr1.post(`/api/v1/verifications/${v1.id}/submit`, { employed: true, salary_paid: '1200000', tax_record_no: 'T-1' });
  assert.equal(r.status, 200, r.text);
  r = await c.officer1.post(`/api/v1/verifications/${v1.id}/accept`);
  assert.equal(r.status, 200, r.text);

  const url = `/api/v1/plans/${formulaPlan}/cancel`;
  const before = await footprint();
  problemOf(assert, await c.officer1.post(url, { ended_on: '2026-03-05' }), 400, null, 'reason');
  problemOf(assert, await c.officer1.post(url, { reason: '  ', ended_on: '2026-03-05' }), 400, null, 'reason');
  problemOf(assert, await c.officer1.post(url, { reason: '离职', ended_on: '2026-13-05' }), 400, null, 'ended_on');
  problemOf(assert, await c.officer1.post(url, { reason: '离职', ended_on: '2026-04-01' }), 422, null, 'ended_on');
  problemOf(assert, await c.hr1.post(url, { reason: '离职', ended_on: '2026-03-05' }), 403, 'forbidden');
  assert.deepEqual(await footprint(), before);

  r = await c.officer1.post(url, { reason: '离职', ended_on: '2026-03-05' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'cancelled');
  assert.equal(r.json.cancellation.ended_on, '2026-03-05');
  assert.equal(r.json.cancellation.reason, '离职');
  assert.equal(r.json.cancellation.lapsed, 2);
  assert.equal(r.json.cancellation.cancelled_by.name, 'officer1');
  assert.deepEqual(r.json.allowed_actions, []);
  const [y1, y2, y3] = r.json.installments;
  assert.equal(y1.status, 'planned');
  assert.equal(y1.verification.status, 'accepted');
  assert.equal(y1.committed_fen, 60000000);
  assert.deepEqual([y2.status, y2.amount_fen, y2.committed_fen], ['lapsed', 0, 0]);
  assert.deepEqual([y3.status, y3.amount_fen, y3.committed_fen], ['lapsed', 0, 0]);
  const after = await footprint();
  assert.equal(before.committed - after.committed, 120000000);
  const lapsedV = (await c.officer1.get(`/api/v1/verifications/${v2.id}`)).json;
  assert.equal(lapsedV.status, 'lapsed');
  assert.match(lapsedV.reason, /cancelled: employment ended 2026-03-05: 离职/);
  const tasks = (await c.hr1.get('/api/v1/tasks')).json.items;
  assert.ok(!tasks.some((x) => x.kind === 'verification_answer' && x.link && x.link.endsWith(`/${v2.id}`)), JSON.stringify(tasks));
  problemOf(assert, await c.officer1.post(url, { reason: '再次', ended_on: '2026-03-05' }), 409, 'conflict');
  problemOf(assert, await c.officer1.post(`/api/v1/plans/${formulaPlan}/tranches`,
    { milestone: 'x', due_on: '2027-12-31', amount: '1' }), 409, 'conflict');
  const audit = await listAll(c.admin1, '/api/v1/audit');
  assert.ok(audit.some((a) => a.action === 'plan.cancel' && a.entity_id === formulaPlan), 'plan.cancel audited');
});

test('guanggu subsidy cancel: plans_write, once', async () => {
  const args = ['subsidy', 'cancel', String(strategicPlan), '--ended-on', '2026-03-01', '--reason', '合同终止', '--dir', inst.dir];
  let r = await run([...args, '--as', 'hr1'], { env: ENV });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /lacks permission 'plans_write'/);
  r = await run(['subsidy', 'cancel', String(strategicPlan), '--as', 'officer1', '--dir', inst.dir], { env: ENV });
  assert.equal(r.code, 2, r.stderr);
  r = await runOk([...args, '--as', 'officer1'], { env: ENV });
  assert.deepEqual(JSON.parse(r.stdout), { id: strategicPlan, status: 'cancelled', lapsed: 2 });
  r = await run([...args, '--as', 'officer1'], { env: ENV });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /is cancelled already/);
  const p = (await c.officer1.get(`/api/v1/plans/${strategicPlan}`)).json;
  assert.equal(p.status, 'cancelled');
  assert.equal(p.tranche_total_fen, 0);
  assert.ok(p.installments.every((i) => i.status === 'lapsed' && i.committed_fen === 0));
});
