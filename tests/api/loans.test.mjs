// Loans through the digital talent card (issue 7, docs/benefits.md): a
// talent asks its card's bank for a talent or enterprise loan (amount as a
// CNY decimal string or in fen, never a JSON real); the request waits in
// that bank's queue (its inbox task); the bank accepts, approves or
// declines with a reason; another bank acts as on an unknown request; the
// talent may withdraw while it is requested; who reads what.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, problemOf, setupBureau } from './lib.mjs';

const c = {};
let inst;
const ids = {};

function sql(text) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(inst.dir, 'guanggu.db'), text], { encoding: 'utf8' });
}

before(async () => {
  inst = await setupBureau(c);
  for (const [key, name, kind] of [['emp', '光谷贷款测试科技', 'leading_enterprise'], ['bank', '汉口银行贷款测试', 'bank'],
    ['bank2', '招商银行贷款测试', 'bank'], ['prov', '贷款测试服务机构', 'service_provider']]) {
    const r = await c.officer1.post('/api/v1/orgs', { name, kind });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
  for (const [key, name] of [['t1', '贷款甲'], ['t2', '贷款乙']]) {
    const r = await c.officer1.post('/api/v1/talents', { name, org_id: ids.emp });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
  sql(`INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, applied_at, card_no,`
    + ` valid_from, valid_to, reason, updated_at) VALUES`
    + ` (1, ${ids.t1}, ${ids.bank}, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000018', '2020-01-01', '2099-01-01', NULL, 0),`
    + ` (2, ${ids.t2}, ${ids.bank}, 'suspended', 'high_level', 1, printf('%064d', 0), 0, 0, '8156000000000026', '2020-01-01', '2099-01-01', 'check', 0);`);
  await addUser(inst.dir, 'tal1', [{ role: 'talent', scope: `talent:${ids.t1}` }]);
  await addUser(inst.dir, 'tal2', [{ role: 'talent', scope: `talent:${ids.t2}` }]);
  await addUser(inst.dir, 'bank1', [{ role: 'bank', scope: `org:${ids.bank}` }]);
  await addUser(inst.dir, 'bank2', [{ role: 'bank', scope: `org:${ids.bank2}` }]);
  await addUser(inst.dir, 'prov1', [{ role: 'provider', scope: `org:${ids.prov}` }]);
  for (const u of ['tal1', 'tal2', 'bank1', 'bank2', 'prov1']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('requests: checked by field, through an active card of one\'s own', async () => {
  let r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'car_loan', amount: '1.234', term_months: 0, purpose: 'x' });
  problemOf(assert, r, 400, 'invalid_input', 'amount');
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'talent_loan', amount: 3000.5, term_months: 12, purpose: 'x' });
  problemOf(assert, r, 400, 'wrong_type', 'amount');
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'car_loan', amount_fen: 100, term_months: 0, purpose: 'x' });
  problemOf(assert, r, 400, null, 'kind');
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'enterprise_loan', amount: '500000.00', term_months: 36, purpose: '扩产' });
  problemOf(assert, r, 400, 'invalid_input', 'org_id');
  r = await c.tal2.post('/api/v1/loans', { card_id: 1, kind: 'talent_loan', amount: '1000.00', term_months: 12, purpose: '购车' });
  problemOf(assert, r, 404, 'not_found');
  r = await c.tal2.post('/api/v1/loans', { card_id: 2, kind: 'talent_loan', amount: '1000.00', term_months: 12, purpose: '购车' });
  problemOf(assert, r, 409, 'conflict', 'card_id');
  r = await c.bank1.post('/api/v1/loans', { card_id: 1, kind: 'talent_loan', amount: '1000.00', term_months: 12, purpose: '购车' });
  problemOf(assert, r, 403, 'forbidden');
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'talent_loan', amount: '300000.00', term_months: 120, purpose: '购房首付' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'requested');
  assert.equal(r.json.amount_fen, 30000000);
  assert.equal(r.json.bank.id, ids.bank);
  assert.deepEqual(r.json.allowed_actions, ['withdraw']);
  ids.loan = r.json.id;
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'enterprise_loan', org_id: ids.emp, amount_fen: 500000000, term_months: 36, purpose: '扩大研发' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.org.name, '光谷贷款测试科技');
  ids.loan2 = r.json.id;
  r = await c.tal1.post('/api/v1/loans', { card_id: 1, kind: 'talent_loan', amount: '1000.00', term_months: 6, purpose: '周转' });
  ids.loan3 = r.json.id;
});

test('the bank\'s queue: its inbox, accept, approve, decline with a reason; another bank as unknown', async () => {
  let r = await c.bank1.get('/api/v1/tasks');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.filter((t) => t.kind === 'loan_request').length, 3);
  assert.equal((await c.bank2.get('/api/v1/tasks')).json.items.filter((t) => t.kind === 'loan_request').length, 0);
  r = await c.bank1.get('/api/v1/loans?status=requested');
  assert.equal(r.json.items.length, 3);
  assert.deepEqual(r.json.items[0].allowed_actions, ['accept', 'decline']);
  assert.equal((await c.bank2.get('/api/v1/loans')).json.items.length, 0);
  r = await c.bank2.post(`/api/v1/loans/${ids.loan}/accept`);
  problemOf(assert, r, 404, 'not_found');
  r = await c.bank1.post(`/api/v1/loans/${ids.loan}/approve`);
  problemOf(assert, r, 409, 'conflict');
  const g = await c.bank1.get(`/api/v1/loans/${ids.loan}`);
  r = await c.bank1.post(`/api/v1/loans/${ids.loan}/accept`, undefined, { headers: { 'If-Match': g.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  r = await c.tal1.post(`/api/v1/loans/${ids.loan}/withdraw`);
  problemOf(assert, r, 409, 'conflict');
  r = await c.bank1.post(`/api/v1/loans/${ids.loan}/approve`, undefined, { headers: { 'If-Match': g.headers.get('etag') } });
  problemOf(assert, r, 412, 'stale_etag');
  r = await c.bank1.post(`/api/v1/loans/${ids.loan}/approve`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.deepEqual(r.json.allowed_actions, []);
  r = await c.bank1.post(`/api/v1/loans/${ids.loan2}/decline`, { reason: '' });
  problemOf(assert, r, 400, 'invalid_input', 'reason');
  r = await c.bank1.post(`/api/v1/loans/${ids.loan2}/decline`, { reason: '经营流水不足' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.reason], ['declined', '经营流水不足']);
  r = await c.tal1.post(`/api/v1/loans/${ids.loan3}/withdraw`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'withdrawn');
  r = await c.bank1.get('/api/v1/tasks');
  assert.equal(r.json.items.filter((t) => t.kind === 'loan_request').length, 0);
});

test('who reads loan requests', async () => {
  assert.equal((await c.tal1.get('/api/v1/loans')).json.items.length, 3);
  assert.equal((await c.tal2.get('/api/v1/loans')).json.items.length, 0);
  assert.equal((await c.officer1.get('/api/v1/loans?status=declined')).json.items.length, 1);
  problemOf(assert, await c.tal2.get(`/api/v1/loans/${ids.loan}`), 404, 'not_found');
  problemOf(assert, await c.prov1.get('/api/v1/loans'), 403, 'forbidden');
  problemOf(assert, await c.leader1.get(`/api/v1/loans/${ids.loan}`), 403, 'forbidden');
  const audit = await c.admin1.get('/api/v1/audit?action=loan.');
  const actions = new Set(audit.json.items.map((a) => a.action));
  for (const a of ['loan.request', 'loan.accept', 'loan.approve', 'loan.decline', 'loan.withdraw']) assert.ok(actions.has(a), a);
});
