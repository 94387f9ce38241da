// Recruitment orders and real-time recognition over HTTP (issue 5, item 5):
// an employer issues an order for its own organisation, registers the
// hire, and the answer carries the decision (the simulate shape), the
// recognition stamped with the policy version, its hash and the trace,
// and the subsidy plan; DOMAIN.md's worked examples hold through the API
// (1,200,000 -> 3 x 600,000; 999,999.99 -> not recognised, the hire
// registered; 1,000,000 -> 3 x 500,000; 8,000,000 -> 4M, 4M and the cap's
// 2M; 1,000,000.01 -> 500,000.01 first). The bad inputs of the issue are
// refused with nothing half-written: a salary as a JSON number, with three
// decimals, negative or with an exponent (400 naming the field), a start
// before the policy (422 on start_on), an employer issuing for another
// organisation (403 naming it), a closed or filled order (409). Scopes:
// an employer sees and acts on its own organisation's orders only and
// hires only talents it can see; a talent sees its own recognitions, a
// commissioner those of its assigned talents, finance and leaders read
// everything and act on nothing (allowed_actions says so). A talent with a
// formula plan is recognised again without a second plan.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, listAll, problemOf, setup } from './lib.mjs';

let inst;
const c = {}; /* logged-in clients by username */
let lead; /* org 1: a leading enterprise, hr1's */
let rd; /* org 2: an R&D unit, hr2's */
let platform; /* org 3: neither */
const talents = {}; /* name -> id */
let commissionerId;

async function org(name, kind) {
  const r = await c.officer.post('/api/v1/orgs', { name, kind });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function talent(name, orgId, extra = {}) {
  const r = await c.officer.post('/api/v1/talents', { name, org_id: orgId, ...extra });
  assert.equal(r.status, 201, r.text);
  talents[name] = r.json.id;
  return r.json.id;
}

async function issue(client, body) {
  const r = await client.post('/api/v1/orders', { segment: 'optical_communication', description: '负责研发', ...body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function hire(client, orderId, body) {
  return client.post(`/api/v1/orders/${orderId}/hires`, { term_years: 3, start_on: '2024-03-01', ...body });
}

/* What a refused request must not change. */
async function snapshot() {
  return {
    orders: (await listAll(c.officer, '/api/v1/orders')).map((o) => `${o.id}:${o.status}:${o.hire ? o.hire.id : '-'}`),
    recognitions: (await listAll(c.officer, '/api/v1/recognitions')).map((r) => r.id),
    audit: (await listAll(c.chief, '/api/v1/audit')).length,
  };
}

before(async () => {
  inst = await setup({
    users: [
      { name: 'officer', roles: ['bureau_officer'] },
      { name: 'chief', roles: ['bureau_admin'] },
      { name: 'fin', roles: ['finance'] },
      { name: 'boss', roles: ['leader'] },
      { name: 'comm', roles: ['commissioner'] },
    ],
  });
  for (const u of ['officer', 'chief', 'fin', 'boss', 'comm']) c[u] = await inst.server.loggedIn(u);
  lead = await org('招聘令示例光电有限公司', 'leading_enterprise');
  rd = await org('招聘令示例研究院', 'rd_unit');
  platform = await org('招聘令示例公共服务平台', 'platform');
  commissionerId = (await c.comm.get('/api/v1/me')).json.user.id;
  await talent('甲一', lead);
  await talent('甲二', lead);
  await talent('甲三', lead, { commissioner_id: commissionerId });
  await talent('甲四', lead);
  await talent('乙一', rd);
  await talent('乙二', rd);
  await talent('丙一', platform);
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${lead}` }]);
  await addUser(inst.dir, 'hr2', [{ role: 'employer', scope: `org:${rd}` }]);
  await addUser(inst.dir, 'self', [{ role: 'talent', scope: `talent:${talents['甲一']}` }]);
  for (const u of ['hr1', 'hr2', 'self']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

const EXAMPLES = [
  { who: 'hr1', name: '甲一', salary: '1200000.00', recognized: true, amounts: [60000000, 60000000, 60000000], total: 180000000 },
  { who: 'hr1', name: '甲二', salary: '999999.99', recognized: false, amounts: [], total: 0 },
  { who: 'hr2', name: '乙一', salary: '1000000', recognized: true, amounts: [50000000, 50000000, 50000000], total: 150000000 },
  { who: 'hr2', name: '乙二', salary: '8000000', recognized: true, amounts: [400000000, 400000000, 200000000], total: 1000000000 },
  { who: 'officer', name: '甲三', salary: '1000000.01', recognized: true, amounts: [50000001, 50000001, 50000001], total: 150000003 },
];
const hired = {}; /* name -> the 201 answer */

test('the worked examples: order, hire, recognition with the policy version, its trace and the plan', async () => {
  for (const ex of EXAMPLES) {
    const client = c[ex.who];
    const orgId = ex.who === 'hr2' ? rd : lead;
    const order = await issue(client, ex.who === 'officer' ? { org_id: orgId, title: `岗位 ${ex.name}`, salary: ex.salary }
      : { title: `岗位 ${ex.name}`, salary: ex.salary });
    assert.equal(order.org.id, orgId, 'an employer\'s order is for its organisation');
    assert.equal(order.status, 'open');
    assert.deepEqual(order.allowed_actions, ['hire', 'close']);
    assert.equal(order.salary_fen, Math.round(Number(ex.salary) * 100));
    assert.equal(order.hire, null);

    const r = await hire(client, order.id, { talent_id: talents[ex.name], contract_salary: ex.salary });
    assert.equal(r.status, 201, r.text);
    hired[ex.name] = r.json;
    const { hire: h, decision: d, recognition: rec, plan } = r.json;
    assert.equal(h.order_id, order.id);
    assert.deepEqual(h.talent, { id: talents[ex.name], name: ex.name });
    assert.equal(h.contract_fen, Math.round(Number(ex.salary) * 100));
    assert.equal(h.start_on, '2024-03-01');
    assert.equal(h.term_years, 3);
    assert.deepEqual(h.policy, { pack: 'optics-valley-2024', version: '2024.1' });
    assert.equal(h.recognized, ex.recognized);

    assert.equal(d.recognized, ex.recognized, ex.name);
    assert.equal(d.policy, 'optics-valley-2024');
    assert.equal(d.version, '2024.1');
    assert.equal(d.total_fen, ex.total);
    assert.deepEqual(d.installments.map((i) => i.amount_fen), ex.amounts);
    assert.ok(Array.isArray(d.trace) && d.trace.length >= 2 && d.trace.every((l) => typeof l === 'string' && l.length > 0));
    assert.ok(d.trace.some((l) => l.includes('threshold 1,000,000.00')), JSON.stringify(d.trace));
    if (!ex.recognized) {
      assert.equal(d.tier, null);
      assert.equal(rec, null);
      assert.equal(plan, null);
      assert.equal(h.recognition_id, null);
      continue;
    }
    assert.equal(d.tier, 'leading_talent');
    assert.deepEqual(d.installments.map((i) => [i.year, i.due, i.status]),
      [[1, '2025-03-01', 'due'], [2, '2026-03-01', 'due'], [3, '2027-03-01', 'due']]);
    assert.equal(h.recognition_id, rec.id);
    assert.deepEqual(rec.talent, { id: talents[ex.name], name: ex.name });
    assert.equal(rec.tier, 'leading_talent');
    assert.equal(rec.basis, 'order');
    assert.equal(rec.source_id, h.id);
    assert.equal(rec.org.id, orgId);
    assert.equal(rec.policy.pack, 'optics-valley-2024');
    assert.equal(rec.policy.version, '2024.1');
    assert.match(rec.policy.hash, /^[0-9a-f]{64}$/);
    assert.equal(rec.effective_on, '2024-03-01');
    assert.equal(rec.reason, null);
    /* the recognition's trace is the decision's, then what recording it did (the talent's tier) */
    assert.deepEqual(rec.trace.slice(0, d.trace.length), d.trace);
    assert.equal(plan.kind, 'formula');
    assert.equal(plan.contract_fen, h.contract_fen);
    assert.equal(plan.start_on, '2024-03-01');
    assert.equal(plan.total_fen, ex.total);
    assert.equal(plan.status, 'active');
    assert.deepEqual(plan.installments.map((i) => [i.year, i.due_on, i.amount_fen, i.status]),
      ex.amounts.map((a, k) => [k + 1, `${2025 + k}-03-01`, a, 'planned']));
    assert.deepEqual(rec.plan, plan);

    /* the notice: the recognition read back, and the order now filled */
    const g = await client.get(`/api/v1/recognitions/${rec.id}`);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, rec);
    const o = await client.get(`/api/v1/orders/${order.id}`);
    assert.equal(o.json.status, 'filled');
    assert.deepEqual(o.json.allowed_actions, []);
    assert.deepEqual(o.json.hire, h);
    assert.ok(o.json.closed_at);
    const t = await c.officer.get(`/api/v1/talents/${talents[ex.name]}`);
    assert.equal(t.json.tier, 'leading_talent');
  }
  /* the hire of the 999,999.99 contract is registered all the same */
  const o = await c.hr1.get(`/api/v1/orders/${hired['甲二'].hire.order_id}`);
  assert.equal(o.json.status, 'filled');
  assert.equal(o.json.hire.recognized, false);
});

test('an employer that is neither a leading enterprise nor an R&D unit recognises no one', async () => {
  const order = await issue(c.officer, { org_id: platform, title: '平台岗位', salary: '2000000' });
  const r = await hire(c.officer, order.id, { talent_id: talents['丙一'], contract_salary: '2000000' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision.recognized, false);
  assert.ok(r.json.decision.trace[0].includes('platform is not eligible'), r.json.decision.trace[0]);
  assert.equal(r.json.recognition, null);
});

test('one entitlement per talent: recognised again, no second plan, and the trace says why', async () => {
  const order = await issue(c.hr1, { title: '第二个岗位', salary: '3000000' });
  const r = await hire(c.hr1, order.id, { talent_id: talents['甲一'], contract_salary: '3000000', start_on: '2025-01-01' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision.recognized, true);
  assert.ok(r.json.recognition);
  assert.equal(r.json.plan, null);
  assert.equal(r.json.recognition.plan, null);
  assert.deepEqual(r.json.decision.installments, []);
  assert.equal(r.json.decision.total_fen, 0);
  assert.ok(r.json.decision.trace.some((l) => /active formula plan .*no second plan/.test(l)), JSON.stringify(r.json.decision.trace));
});

test('bad money: JSON numbers, three decimals, negative, exponent; each 400 naming the field, nothing written', async () => {
  const before1 = await snapshot();
  for (const salary of [1200000, 1200000.5, '1200000.001', '-1200000', '1.2e6', '1,200,000', '', '0']) {
    const r = await c.hr1.post('/api/v1/orders', { title: '岗位', segment: 'lasers', salary });
    problemOf(assert, r, 400, null, 'salary');
  }
  const open = await issue(c.hr1, { title: '待聘岗位', salary: '1500000' });
  const mid = await snapshot();
  for (const contract_salary of [1500000, '1500000.001', '-1500000', '1.5e6']) {
    const r = await hire(c.hr1, open.id, { talent_id: talents['甲四'], contract_salary });
    problemOf(assert, r, 400, null, 'contract_salary');
  }
  for (const [field, body] of [
    ['start_on', { start_on: '2024-02-30' }], ['start_on', { start_on: '20240301' }], ['start_on', { start_on: 20240301 }],
    ['term_years', { term_years: 0 }], ['term_years', { term_years: 11 }], ['term_years', { term_years: '3' }],
    ['talent_id', { talent_id: 999999 }], ['talent_id', { talent_id: null }],
  ]) {
    const r = await hire(c.hr1, open.id, { talent_id: talents['甲四'], contract_salary: '1500000', ...body });
    problemOf(assert, r, 400, null, field);
  }
  assert.deepEqual(await snapshot(), mid);
  assert.equal(mid.orders.length, before1.orders.length + 1);
});

test('a start before the policy: 422 on start_on, the order stays open, no recognition', async () => {
  const order = await issue(c.hr1, { title: '早到的岗位', salary: '1200000' });
  const before1 = await snapshot();
  const r = await hire(c.hr1, order.id, { talent_id: talents['甲四'], contract_salary: '1200000', start_on: '2023-12-31' });
  const p = problemOf(assert, r, 422, 'rule_refused', 'start_on');
  assert.match(p.detail, /^no (policy|version of '[^']+') in force on 2023-12-31/);
  assert.deepEqual(await snapshot(), before1);
  const o = await c.hr1.get(`/api/v1/orders/${order.id}`);
  assert.equal(o.json.status, 'open');
  assert.equal(o.json.hire, null);
  /* the same hire from the policy's first day on is recognised */
  const ok = await hire(c.hr1, order.id, { talent_id: talents['甲四'], contract_salary: '1200000', start_on: '2024-01-01' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.decision.recognized, true);
});

test('an employer acting for another organisation: 403 naming it; others\' orders and talents are unknown to it', async () => {
  const before1 = await snapshot();
  const r = await c.hr1.post('/api/v1/orders', { org_id: rd, title: '越权岗位', segment: 'lasers', salary: '1200000' });
  const p = problemOf(assert, r, 403, 'forbidden', 'org_id');
  assert.match(p.detail, new RegExp(`organisation ${rd}`));
  assert.deepEqual(await snapshot(), before1);

  const theirs = await issue(c.hr2, { title: '研究院岗位', salary: '1200000' });
  problemOf(assert, await c.hr1.get(`/api/v1/orders/${theirs.id}`), 404, 'not_found');
  problemOf(assert, await c.hr1.post(`/api/v1/orders/${theirs.id}/close`), 404, 'not_found');
  problemOf(assert, await hire(c.hr1, theirs.id, { talent_id: talents['甲四'], contract_salary: '1200000' }), 404, 'not_found');
  /* its own order, a talent of another organisation: unknown to it */
  const mine = await issue(c.hr1, { title: '本单位岗位', salary: '1200000' });
  const other = await hire(c.hr1, mine.id, { talent_id: talents['乙一'], contract_salary: '1200000' });
  problemOf(assert, other, 400, 'invalid_input', 'talent_id');
  assert.match(other.problem.detail, /unknown talent/);
  const o = await c.hr1.get(`/api/v1/orders/${mine.id}`);
  assert.equal(o.json.status, 'open');
});

test('close: only an open order, once; a closed or filled order takes no hire (409)', async () => {
  const order = await issue(c.hr1, { title: '将关闭的岗位', salary: '1200000' });
  const r = await c.hr1.post(`/api/v1/orders/${order.id}/close`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'closed');
  assert.deepEqual(r.json.allowed_actions, []);
  assert.ok(r.json.closed_at);
  assert.equal(typeof r.json.closed_by, 'number');
  problemOf(assert, await c.hr1.post(`/api/v1/orders/${order.id}/close`), 409, 'conflict');
  const before1 = await snapshot();
  problemOf(assert, await hire(c.hr1, order.id, { talent_id: talents['甲四'], contract_salary: '1200000' }), 409, 'conflict');
  const filled = hired['甲一'].hire.order_id;
  problemOf(assert, await hire(c.hr1, filled, { talent_id: talents['甲四'], contract_salary: '1200000' }), 409, 'conflict');
  problemOf(assert, await c.hr1.post(`/api/v1/orders/${filled}/close`), 409, 'conflict');
  assert.deepEqual(await snapshot(), before1);
  problemOf(assert, await c.officer.get('/api/v1/orders/999999'), 404, 'not_found');
});

test('the order list by role: the employer its own, the bureau, finance and leaders all; allowed_actions per caller', async () => {
  const all = await listAll(c.officer, '/api/v1/orders');
  const ids = all.map((o) => o.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  const own = await listAll(c.hr1, '/api/v1/orders');
  assert.ok(own.length > 0);
  assert.ok(own.every((o) => o.org.id === lead));
  assert.equal(own.length, all.filter((o) => o.org.id === lead).length);
  assert.deepEqual((await listAll(c.hr1, `/api/v1/orders?org=${rd}`)), []);
  for (const who of ['fin', 'boss']) {
    const seen = await listAll(c[who], '/api/v1/orders');
    assert.deepEqual(seen.map((o) => o.id), ids, who);
    assert.ok(seen.every((o) => o.allowed_actions.length === 0), `${who} may act on none`);
  }
  const openOwn = own.filter((o) => o.status === 'open');
  assert.ok(openOwn.length > 0 && openOwn.every((o) => o.allowed_actions.join() === 'hire,close'));
  const open = await listAll(c.officer, '/api/v1/orders?status=open');
  assert.ok(open.length > 0 && open.every((o) => o.status === 'open' && o.allowed_actions.join() === 'hire,close'));
  assert.ok((await listAll(c.officer, '/api/v1/orders?status=filled')).every((o) => o.status === 'filled' && o.hire));
  problemOf(assert, await c.officer.get('/api/v1/orders?status=waiting'), 400, 'invalid_input', 'status');
  /* pages of one */
  const p1 = await c.officer.get('/api/v1/orders?limit=1');
  assert.equal(p1.json.items.length, 1);
  assert.equal(p1.json.items[0].id, ids[0]);
  const p2 = await c.officer.get(`/api/v1/orders?limit=1&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p2.json.items[0].id, ids[1]);
  /* routes without the permission */
  problemOf(assert, await c.self.get('/api/v1/orders'), 403, 'forbidden');
  problemOf(assert, await c.fin.post('/api/v1/orders', { org_id: lead, title: 'x', segment: 'lasers', salary: '1' }), 403, 'forbidden');
});

test('recognitions by role: employer its hires, talent itself, commissioner its assigned talents, filters', async () => {
  const all = await listAll(c.officer, '/api/v1/recognitions');
  assert.ok(all.length >= 6, `${all.length}`);
  assert.deepEqual(all.map((r) => r.id), [...all.map((r) => r.id)].sort((a, b) => b - a));
  assert.deepEqual((await listAll(c.fin, '/api/v1/recognitions')).map((r) => r.id), all.map((r) => r.id));
  assert.deepEqual((await listAll(c.boss, '/api/v1/recognitions')).map((r) => r.id), all.map((r) => r.id));

  const hr2 = await listAll(c.hr2, '/api/v1/recognitions');
  assert.deepEqual(hr2.map((r) => r.id), all.filter((r) => r.org && r.org.id === rd).map((r) => r.id));
  assert.equal(hr2.length, 2);
  const mine = await listAll(c.self, '/api/v1/recognitions');
  assert.ok(mine.length === 2 && mine.every((r) => r.talent.id === talents['甲一']), JSON.stringify(mine.map((r) => r.talent)));
  const assigned = await listAll(c.comm, '/api/v1/recognitions');
  assert.deepEqual(assigned.map((r) => r.talent.name), ['甲三']);
  /* one outside the scope is unknown */
  const other = all.find((r) => r.talent.id !== talents['甲一']);
  problemOf(assert, await c.self.get(`/api/v1/recognitions/${other.id}`), 404, 'not_found');
  problemOf(assert, await c.hr1.get(`/api/v1/recognitions/${hr2[0].id}`), 404, 'not_found');
  problemOf(assert, await c.comm.get(`/api/v1/recognitions/${other.id}`), 404, 'not_found');
  assert.equal((await c.comm.get(`/api/v1/recognitions/${assigned[0].id}`)).status, 200);
  problemOf(assert, await c.officer.get('/api/v1/recognitions/999999'), 404, 'not_found');

  /* filters */
  assert.deepEqual((await listAll(c.officer, `/api/v1/recognitions?org=${rd}`)).map((r) => r.id), hr2.map((r) => r.id));
  const t = await listAll(c.officer, `/api/v1/recognitions?talent=${talents['乙二']}`);
  assert.equal(t.length, 1);
  assert.equal(t[0].plan.total_fen, 1000000000);
  assert.equal((await listAll(c.officer, '/api/v1/recognitions?basis=order')).length, all.length);
  assert.equal((await listAll(c.officer, '/api/v1/recognitions?basis=strategic')).length, 0);
  assert.equal((await listAll(c.officer, '/api/v1/recognitions?tier=leading_talent')).length, all.length);
  problemOf(assert, await c.officer.get('/api/v1/recognitions?basis=committee'), 400, 'invalid_input', 'basis');
  problemOf(assert, await c.officer.get('/api/v1/recognitions?tier=emperor'), 400, 'invalid_input', 'tier');
  /* a commissioner's filtered pages: one at a time, every one of its own */
  const p1 = await c.comm.get('/api/v1/recognitions?limit=1');
  assert.equal(p1.json.items.length, 1);
});
