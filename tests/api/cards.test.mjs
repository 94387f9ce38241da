// The digital talent card over HTTP (docs/cards.md): a leading talent
// reads its bank's notice and applies with consent (approved at once: its
// tier is eligible); its bank, through a bearer token, accepts and issues
// it; the talent mints a token (with a QR code as SVG); another bank gets
// 404 for the card and its actions; the applicant read is audited; an
// ineligible talent's application waits for an officer, who approves; the
// register counts by status and bank; `guanggu card verify` checks a
// minted token offline against `guanggu card keys export`.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, addUser, cliToken, problemOf, run, runOk, setupBureau } from './lib.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-10T02:00:00Z' };
const URL = '/api/v1/cards';
const c = {};
let inst;
const ids = {};

async function notice(client, bank) {
  const r = await client.get(`${URL}/notice?bank_id=${bank}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  for (const name of ['汉口银行', '招商银行武汉分行']) {
    const r = await c.officer1.post('/api/v1/orgs', { name, kind: 'bank' });
    assert.equal(r.status, 201, r.text);
    ids[name] = r.json.id;
  }
  const e = await c.officer1.post('/api/v1/orgs', { name: '卡片示例光电', kind: 'leading_enterprise' });
  ids.employer = e.json.id;
  for (const [name, tier] of [['卡甲', 'leading_talent'], ['卡乙', 'other']]) {
    const pii = tier === 'leading_talent'
      ? { document: { type: 'resident_id', number: '420106199001011231' }, phone: '13800138000' } : {};
    const r = await c.officer1.post('/api/v1/talents', { name, tier, ...pii });
    assert.equal(r.status, 201, r.text);
    ids[name] = r.json.id;
  }
  await addUser(inst.dir, 'self', [{ role: 'talent', scope: `talent:${ids['卡甲']}` }], undefined, ENV);
  await addUser(inst.dir, 'self2', [{ role: 'talent', scope: `talent:${ids['卡乙']}` }], undefined, ENV);
  await addUser(inst.dir, 'hankou', [{ role: 'bank', scope: `org:${ids['汉口银行']}` }], undefined, ENV);
  await addUser(inst.dir, 'cmb', [{ role: 'bank', scope: `org:${ids['招商银行武汉分行']}` }], undefined, ENV);
  c.self = await inst.server.loggedIn('self');
  c.self2 = await inst.server.loggedIn('self2');
  c.hankou = new Client(inst.server.url);
  c.hankou.bearer = await cliToken(inst.dir, 'hankou', 'issuance', ENV);
  c.cmb = new Client(inst.server.url);
  c.cmb.bearer = await cliToken(inst.dir, 'cmb', 'issuance', ENV);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0);
});

test('apply as the talent: eligible, approved at once, bank accepts and issues, token minted', async () => {
  const bank = ids['汉口银行'];
  /* the partner banks to choose from: the organisations of kind bank, nothing else */
  const banks = await c.self.get(`${URL}/banks`);
  assert.equal(banks.status, 200, banks.text);
  assert.deepEqual(banks.json.items.map((b) => b.id).sort((a, b) => a - b),
    [ids['汉口银行'], ids['招商银行武汉分行']].sort((a, b) => a - b));
  const n = await notice(c.self, bank);
  assert.equal(n.bank.id, bank);
  assert.deepEqual(n.fields, ['name', 'doc_number', 'phone']);
  assert.match(n.hash, /^[0-9a-f]{64}$/);
  assert.ok(n.text.includes('汉口银行'));
  /* consent refused, a wrong hash, not a bank */
  problemOf(assert, await c.self.post(URL, { talent_id: ids['卡甲'], bank_id: bank, consent: false, consent_hash: n.hash }), 400, 'invalid_input', 'consent');
  const other = await notice(c.self, ids['招商银行武汉分行']);
  problemOf(assert, await c.self.post(URL, { talent_id: ids['卡甲'], bank_id: bank, consent: true, consent_hash: other.hash }), 409, 'conflict');
  problemOf(assert, await c.self.post(URL, { talent_id: ids['卡甲'], bank_id: ids.employer, consent: true, consent_hash: n.hash }), 400, 'invalid_input', 'bank_id');
  problemOf(assert, await c.self.post(URL, { talent_id: ids['卡乙'], bank_id: bank, consent: true, consent_hash: n.hash }), 404, 'not_found');

  const r = await c.self.post(URL, { talent_id: ids['卡甲'], bank_id: bank, consent: true, consent_hash: n.hash });
  assert.equal(r.status, 201, r.text);
  const card = r.json;
  ids.card = card.id;
  assert.equal(card.status, 'approved');
  assert.equal(card.auto_approved, true);
  assert.equal(card.tier, 'leading_talent');
  assert.equal(card.policy.pack, 'optics-valley-2024');
  assert.deepEqual(card.talent, { id: ids['卡甲'], name: '卡甲' });
  assert.deepEqual(card.allowed_actions, []);
  problemOf(assert, await c.self.post(URL, { talent_id: ids['卡甲'], bank_id: bank, consent: true, consent_hash: n.hash }), 409, 'duplicate');

  /* the bank's queue: its own only */
  const q = await c.hankou.get(`${URL}?status=approved`);
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.items.map((x) => x.id), [card.id]);
  assert.deepEqual(q.json.items[0].allowed_actions, ['accept', 'bank_reject']);
  assert.equal((await c.cmb.get(URL)).json.items.length, 0);
  /* another bank: 404 for the card and every action */
  problemOf(assert, await c.cmb.get(`${URL}/${card.id}`), 404, 'not_found');
  problemOf(assert, await c.cmb.post(`${URL}/${card.id}/accept`), 404, 'not_found');
  problemOf(assert, await c.cmb.post(`${URL}/${card.id}/bank-reject`, { reason: 'x' }), 404, 'not_found');
  problemOf(assert, await c.cmb.get(`${URL}/${card.id}/applicant`), 404, 'not_found');

  problemOf(assert, await c.hankou.post(`${URL}/${card.id}/issue`, { debit_last4: '1234', issued_on: '2026-03-09' }), 409, 'conflict');
  const a = await c.hankou.post(`${URL}/${card.id}/accept`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'issuing');
  problemOf(assert, await c.hankou.post(`${URL}/${card.id}/issue`, { debit_last4: '12x4', issued_on: '2026-03-09' }), 400, 'invalid_input', 'debit_last4');
  const i = await c.hankou.post(`${URL}/${card.id}/issue`, { debit_last4: '1234', issued_on: '2026-03-09' }, { headers: { 'If-Match': `"${a.json.version}"` } });
  assert.equal(i.status, 200, i.text);
  assert.equal(i.json.status, 'active');
  assert.match(i.json.card_no, /^8156\d{12}$/);
  assert.equal(i.json.valid_from, '2026-03-10');
  assert.equal(i.json.valid_to, '2029-03-10');
  assert.equal(i.json.debit_last4, '1234');

  /* the token: the holder only */
  problemOf(assert, await c.hankou.post(`${URL}/${card.id}/token`), 403, 'forbidden');
  problemOf(assert, await c.self2.post(`${URL}/${card.id}/token`), 404, 'not_found');
  const t = await c.self.post(`${URL}/${card.id}/token`);
  assert.equal(t.status, 200, t.text);
  assert.match(t.json.token, /^GC1\./);
  assert.match(t.json.code, /^\d{8}$/);
  assert.equal(t.json.ttl_seconds, 300);
  assert.match(t.json.qr_svg, /^<svg [^>]*viewBox="0 0 (\d+) \1"/);
  assert.equal(t.json.qr_svg.split('<path').length, 2);
  ids.token = t.json.token;

  const ev = await c.self.get(`${URL}/${card.id}/events`);
  assert.deepEqual(ev.json.items.map((x) => x.to_status), ['applied', 'approved', 'issuing', 'active']);
  assert.equal(ev.json.next_cursor, null);
});

test('applicant read: the card\'s bank only, unmasked and audited', async () => {
  const r = await c.hankou.get(`${URL}/${ids.card}/applicant`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { name: '卡甲', doc_type: 'resident_id', doc_number: '420106199001011231', phone: '13800138000' });
  problemOf(assert, await c.self.get(`${URL}/${ids.card}/applicant`), 403, 'forbidden');
  const audit = await c.admin1.get(`/api/v1/audit?action=card.applicant_read`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.items.length, 1);
  assert.ok(!audit.text.includes('420106199001011231'));
  const reads = await c.officer1.get(`/api/v1/talents/${ids['卡甲']}/pii-reads`);
  assert.equal(reads.status, 200, reads.text);
  assert.ok(reads.json.items.some((x) => x.reader === 'hankou'));
});

test('an ineligible application waits for the officer; suspend, resume, revoke; the register', async () => {
  const bank = ids['招商银行武汉分行'];
  const n = await notice(c.self2, bank);
  const r = await c.self2.post(URL, { talent_id: ids['卡乙'], bank_id: bank, consent: true, consent_hash: n.hash });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'applied');
  assert.equal(r.json.eligible, false);
  problemOf(assert, await c.cmb.post(`${URL}/${r.json.id}/accept`), 409, 'conflict');
  const o = await c.officer1.get(`${URL}/${r.json.id}`);
  assert.deepEqual(o.json.allowed_actions, ['approve', 'reject']);
  problemOf(assert, await c.officer1.post(`${URL}/${r.json.id}/reject`, {}), 400, 'invalid_input', 'reason');
  const ap = await c.officer1.post(`${URL}/${r.json.id}/approve`);
  assert.equal(ap.status, 200, ap.text);
  assert.equal(ap.json.status, 'approved');
  const br = await c.cmb.post(`${URL}/${r.json.id}/bank-reject`, { reason: '客户身份核验未通过' });
  assert.equal(br.status, 200, br.text);
  assert.equal(br.json.status, 'rejected');

  problemOf(assert, await c.leader1.post(`${URL}/${ids.card}/suspend`, { reason: 'x' }), 403, 'forbidden');
  const s = await c.officer1.post(`${URL}/${ids.card}/suspend`, { reason: '手机遗失' });
  assert.equal(s.json.status, 'suspended');
  problemOf(assert, await c.self.post(`${URL}/${ids.card}/token`), 409, 'conflict');
  assert.equal((await c.officer1.post(`${URL}/${ids.card}/resume`)).json.status, 'active');

  const st = await c.leader1.get(`${URL}/stats`);
  assert.equal(st.status, 200, st.text);
  assert.equal(st.json.total, 2);
  assert.equal(st.json.by_status.active, 1);
  assert.equal(st.json.by_status.rejected, 1);
  assert.equal(st.json.by_bank.length, 2);
  const mine = await c.hankou.get(`${URL}/stats`);
  assert.equal(mine.json.total, 1);
  assert.deepEqual(mine.json.by_bank.map((b) => b.bank.id), [ids['汉口银行']]);
  const search = await c.officer1.get(`${URL}?q=${encodeURIComponent('卡乙')}`);
  assert.equal(search.json.items.length, 1);
  problemOf(assert, await c.officer1.get(`${URL}?status=lost`), 400, 'invalid_input', 'status');
});

test('card verify offline: valid 0, another installation\'s keys 1, no key file 2', async () => {
  const keys = path.join(inst.dir, 'card-keys.txt');
  await runOk(['card', 'keys', 'export', '--output', keys, '--dir', inst.dir], { env: ENV });
  const ok = await run(['card', 'verify', ids.token, '--public-key', keys], { env: ENV });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`^valid card ${ids.card} tier leading_talent expires `));
  const list = await runOk(['card', 'keys', 'list', '--dir', inst.dir], { env: ENV });
  assert.match(list.stdout, /^k1 /m);
  /* a key file of another installation: same kid, another key */
  const foreign = path.join(inst.dir, 'foreign-keys.txt');
  await writeFile(foreign, 'k1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
  const bad = await run(['card', 'verify', ids.token, '--public-key', foreign], { env: ENV });
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stdout, /^invalid: (bad_signature|unknown_key)/);
  const other = path.join(inst.dir, 'other-keys.txt');
  await writeFile(other, 'k9 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
  const unknown = await run(['card', 'verify', ids.token, '--public-key', other], { env: ENV });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stdout, /^invalid: unknown_key/);
  const missing = await run(['card', 'verify', ids.token, '--public-key', path.join(inst.dir, 'nope.txt')], { env: ENV });
  assert.equal(missing.code, 2);
  const usage = await run(['card', 'verify', ids.token], { env: ENV });
  assert.equal(usage.code, 2);
  const list2 = await runOk(['card', 'list', '--status', 'active', '--dir', inst.dir], { env: ENV });
  assert.match(list2.stdout, /卡甲/);
  const ex = await runOk(['card', 'expire', '--dir', inst.dir], { env: ENV });
  assert.match(ex.stdout, /expired 0 cards/);
});
