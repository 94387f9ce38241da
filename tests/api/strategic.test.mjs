// Strategic scientists (战略科学家), recognised by a bureau decision case by
// case (一事一议) over HTTP: a package within the strategic cap of the
// version in force (100,000,000 CNY in optics-valley-2024) records the
// decision, its items, the recognition (tier strategic_scientist, policy
// version and hash, a trace with the cap arithmetic and the rationale)
// and a strategic plan; over the cap is 422 naming cap and total; a
// missing rationale is 422; money is a decimal string of yuan (a JSON
// number or three decimals: 400); items must add up to the total; only
// the bureau decides; readers see the decisions about talents they can
// see. Each refusal writes nothing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, listAll, problemOf, setupBureau } from './lib.mjs';
import { ORGS } from './fixtures.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-02T02:00:00Z' };
const URL = '/api/v1/strategic-decisions';
const c = {};
let inst;
let org1;
const t = []; /* talent ids: 0, 1 at org1; 2 at no organisation */

async function footprint() {
  const decisions = await listAll(c.admin1, URL);
  const audit = await listAll(c.admin1, '/api/v1/audit');
  return { decisions: decisions.length, audit: audit.length };
}

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  const o = await c.officer1.post('/api/v1/orgs', ORGS[0]);
  assert.equal(o.status, 201, o.text);
  org1 = o.json.id;
  for (const body of [{ name: '战略甲', org_id: org1 }, { name: '战略乙', org_id: org1 }, { name: '战略丙' }]) {
    const r = await c.officer1.post('/api/v1/talents', body);
    assert.equal(r.status, 201, r.text);
    t.push(r.json.id);
  }
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org1}` }], undefined, ENV);
  c.hr1 = await inst.server.loggedIn('hr1');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('a package within the cap: decision, items, recognition with its trace, strategic plan', async () => {
  const r = await c.officer1.post(URL, {
    talent_id: t[0],
    decided_on: '2026-02-27',
    rationale: '院士团队整建制落地光谷，填补合成生物学空白（一事一议）',
    package_total: '30000000.00',
    items: [{ title: '科研经费', amount: '20000000' }, { title: '人才安居', amount: '10000000.00' }],
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${URL}/${r.json.id}`);
  const d = r.json;
  assert.deepEqual(d.talent, { id: t[0], name: '战略甲' });
  assert.equal(d.decided_on, '2026-02-27');
  assert.equal(d.package_total_fen, 3000000000);
  assert.deepEqual(d.items, [{ position: 1, title: '科研经费', amount_fen: 2000000000 },
    { position: 2, title: '人才安居', amount_fen: 1000000000 }]);
  assert.equal(d.created_by.name, 'officer1');
  assert.equal(d.recognition.id, d.recognition_id);
  assert.equal(d.recognition.tier, 'strategic_scientist');
  assert.equal(d.recognition.effective_on, '2026-02-27');
  assert.equal(d.recognition.policy.pack, 'optics-valley-2024');
  assert.equal(d.recognition.policy.version, '2024.1');
  assert.match(d.recognition.policy.hash, /^[0-9a-f]{64}$/);
  const trace = d.recognition.trace;
  assert.ok(trace.some((l) => l.startsWith('strategic cap 100,000,000.00')), trace.join('\n'));
  assert.ok(trace.some((l) => /already paid to the talent: 0\.00 \(fund_paid on its formula plans/.test(l)), trace.join('\n'));
  assert.ok(trace.includes('cap room 100,000,000.00 - 0.00 = 100,000,000.00; package total 30,000,000.00 ≤ 100,000,000.00'),
    trace.join('\n'));
  assert.ok(trace.some((l) => l.startsWith('rationale: 院士团队')), trace.join('\n'));
  assert.equal(d.recognition.basis, 'strategic');
  assert.equal(d.recognition.source_id, d.id);
  assert.equal(d.recognition.reason, d.rationale);
  assert.equal(d.recognition.decided_by.name, 'officer1');
  assert.equal(d.recognition.plan.id, d.plan_id);
  assert.equal(d.recognition.plan.kind, 'strategic');
  assert.equal(d.recognition.plan.total_fen, 3000000000);
  assert.equal(d.recognition.plan.status, 'active');
  /* the same recognition as the recognitions route answers it */
  assert.deepEqual((await c.officer1.get(`/api/v1/recognitions/${d.recognition_id}`)).json, d.recognition);
  assert.equal((await c.officer1.get(`/api/v1/talents/${t[0]}`)).json.tier, 'strategic_scientist');
  const again = await c.leader1.get(`${URL}/${d.id}`);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, d);
  const audit = await listAll(c.admin1, `/api/v1/audit?entity=strategic_decision&entity_id=${d.id}`);
  assert.deepEqual(audit.map((x) => x.action), ['strategic.decide']);

  /* decided_on defaults to today; no items; the cap exactly */
  const cap = await c.admin1.post(URL, { talent_id: t[2], rationale: '一事一议', package_total: '100000000' });
  assert.equal(cap.status, 201, cap.text);
  assert.equal(cap.json.decided_on, '2026-03-02');
  assert.deepEqual(cap.json.items, []);
});

test('over the cap, no rationale, bad money, items that do not add up: refused, nothing written', async () => {
  const before = await footprint();
  const body = { talent_id: t[1], decided_on: '2026-02-27', rationale: '一事一议', package_total: '100000000.01' };
  const p = problemOf(assert, await c.officer1.post(URL, body), 422, 'rule_refused', 'package_total');
  assert.match(p.detail, /package total 100,000,000\.01 exceeds the strategic cap 100,000,000\.00 \(optics-valley-2024 version 2024\.1/);
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', rationale: undefined }), 422,
    'rule_refused', 'rationale');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', rationale: ' ' }), 422, 'rule_refused',
    'rationale');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: 5000000 }), 400, 'wrong_type', 'package_total');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000.001' }), 400, 'invalid_input', 'package_total');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '-5' }), 400, 'invalid_input', 'package_total');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '0' }), 422, 'rule_refused', 'package_total');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', items: [{ title: '经费', amount: '4000000' }] }),
    422, 'rule_refused', 'items');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', items: [{ title: '经费', amount: 5000000 }] }),
    400, 'wrong_type', 'items.0.amount');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', decided_on: '2026-03-03' }), 422,
    'rule_refused', 'decided_on');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', decided_on: '2023-06-01' }), 422,
    'rule_refused', 'decided_on');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', talent_id: 999 }), 404, 'not_found',
    'talent_id');
  problemOf(assert, await c.officer1.post(URL, { ...body, package_total: '5000000', talent_id: t[0] }), 409, 'duplicate',
    'talent_id');
  /* only the bureau decides */
  problemOf(assert, await c.hr1.post(URL, { ...body, package_total: '5000000' }), 403, 'forbidden');
  problemOf(assert, await c.leader1.post(URL, { ...body, package_total: '5000000' }), 403, 'forbidden');
  assert.deepEqual(await footprint(), before);
  assert.equal((await c.officer1.get(`/api/v1/talents/${t[1]}`)).json.tier, null);
});

test('readers see the decisions about the talents they can see', async () => {
  const all = (await c.officer1.get(URL)).json;
  assert.deepEqual(all.items.map((d) => d.talent.id), [t[2], t[0]]);
  assert.equal(all.next_cursor, null);
  const page = (await c.officer1.get(`${URL}?limit=1`)).json;
  assert.equal(page.items.length, 1);
  assert.notEqual(page.next_cursor, null);
  assert.deepEqual((await c.officer1.get(`${URL}?talent=${t[0]}`)).json.items.map((d) => d.talent.id), [t[0]]);
  /* the employer: its organisation's people only */
  const mine = (await c.hr1.get(URL)).json.items;
  assert.deepEqual(mine.map((d) => d.talent.id), [t[0]]);
  problemOf(assert, await c.hr1.get(`${URL}/${all.items[0].id}`), 404, 'not_found');
  assert.equal((await c.hr1.get(`${URL}/${mine[0].id}`)).status, 200);
  problemOf(assert, await c.officer1.get(`${URL}/9999`), 404, 'not_found');
});
