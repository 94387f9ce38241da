// Benefits of the digital talent card (issue 7, docs/benefits.md): the
// catalogue in nine categories, items and their checks (If-Match), slots,
// bookings (a slot of another item or in the past refused, another
// talent's card as unknown, cancellation), the provider's counter (check
// by token or code without the holder's name; redemption of an item the
// tier excludes, of another provider's item, with a revoked card's token),
// 50 parallel redemptions of a quota of 1 (exactly one 201 and 49 × 422
// quota_exceeded), Idempotency-Key, and what each role reads.
//
// Cards are made with SQL (card.c is another module's); tokens come from
// POST /api/v1/cards/{id}/token as an officer (card.c's route).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, cliToken, problemOf, setupBureau } from './lib.mjs';

const c = {};
let inst;
const ids = {};

function sql(text) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(inst.dir, 'guanggu.db'), text], { encoding: 'utf8' });
}

async function mint(cardId) {
  const r = await c.officer1.post(`/api/v1/cards/${cardId}/token`, {});
  assert.ok(r.status === 200 || r.status === 201, `mint: ${r.status} ${r.text}`);
  assert.ok(r.json.token && r.json.code, r.text);
  return r.json;
}

function iso(secondsFromNow) {
  return new Date((Math.floor(Date.now() / 1000) + secondsFromNow) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

before(async () => {
  inst = await setupBureau(c);
  const o = c.officer1;
  for (const [key, name, kind] of [['emp', '光谷福利测试科技', 'leading_enterprise'], ['bank', '汉口银行测试支行', 'bank'],
    ['provA', '协和国际医疗部测试', 'service_provider'], ['provB', '天河机场贵宾测试', 'service_provider']]) {
    const r = await o.post('/api/v1/orgs', { name, kind });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
  for (const [key, name] of [['t1', '福利甲'], ['t2', '福利乙'], ['t3', '福利丙']]) {
    const r = await o.post('/api/v1/talents', { name, org_id: ids.emp });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
  const card = (id, talent, tier) => `INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash,`
    + ` consent_at, applied_at, card_no, valid_from, valid_to, updated_at) VALUES (${id}, ${talent}, ${ids.bank},`
    + ` 'active', '${tier}', 1, printf('%064d', 0), 0, 0, printf('8156%012d', ${id}), '2020-01-01', '2099-01-01', 0);`;
  sql(card(1, ids.t1, 'leading_talent') + card(2, ids.t2, 'high_level') + card(3, ids.t3, 'leading_talent'));
  await addUser(inst.dir, 'prov-a', [{ role: 'provider', scope: `org:${ids.provA}` }]);
  await addUser(inst.dir, 'prov-b', [{ role: 'provider', scope: `org:${ids.provB}` }]);
  await addUser(inst.dir, 'tal1', [{ role: 'talent', scope: `talent:${ids.t1}` }]);
  await addUser(inst.dir, 'tal2', [{ role: 'talent', scope: `talent:${ids.t2}` }]);
  for (const u of ['prov-a', 'prov-b', 'tal1', 'tal2']) c[u] = await inst.server.loggedIn(u);
  c.provBearer = inst.server.client();
  c.provBearer.bearer = await cliToken(inst.dir, 'prov-a', 'counter');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('the nine categories, in Chinese and English', async () => {
  const r = await c.tal1.get('/api/v1/benefits/categories');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 9);
  assert.deepEqual(r.json.items[2], { token: 'medical_services', zh: '医疗服务', en: 'Medical services', items: 0 });
  assert.equal(r.json.next_cursor, null);
});

test('items: created by the bureau, checked, changed under If-Match', async () => {
  const o = c.officer1;
  const item = async (body) => {
    const r = await o.post('/api/v1/benefits/items', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const checkup = await item({ category: 'medical_services', name: '年度健康体检', name_en: 'Annual health check-up',
    provider_id: ids.provA, tiers: ['leading_talent', 'top_scientist'], annual_quota: 1, needs_booking: true });
  assert.equal(checkup.provider.name, '协和国际医疗部测试');
  assert.equal(checkup.annual_quota, 1);
  assert.equal(checkup.needs_booking, true);
  assert.equal(checkup.active, true);
  ids.checkup = checkup.id;
  ids.once = (await item({ category: 'medical_services', name: '专家门诊预约', name_en: 'Expert appointment',
    provider_id: ids.provA, tiers: ['leading_talent', 'high_level'], annual_quota: 1 })).id;
  ids.vip = (await item({ category: 'leisure_holidays', name: '机场贵宾通道', name_en: 'Airport VIP passage',
    provider_id: ids.provB, tiers: ['leading_talent', 'high_level'], annual_quota: 6 })).id;
  const lounge = await item({ category: 'leisure_holidays', name: '贵宾休息室', name_en: 'VIP lounge',
    provider_id: ids.provB, tiers: ['top_scientist'], annual_quota: null, description: '' });
  assert.equal(lounge.annual_quota, null);
  ids.lounge = lounge.id;
  /* bad input, by field */
  let r = await o.post('/api/v1/benefits/items', { category: 'spa', name: 'x', name_en: 'x', provider_id: ids.emp,
    tiers: ['nobody'] });
  problemOf(assert, r, 400, 'invalid_input', 'category');
  problemOf(assert, r, 400, 'invalid_input', 'provider_id');
  problemOf(assert, r, 400, 'invalid_input', 'tiers.0');
  r = await o.post('/api/v1/benefits/items', { category: 'housing' });
  problemOf(assert, r, 400, 'missing_field', 'name');
  /* PATCH needs If-Match */
  r = await o.patch(`/api/v1/benefits/items/${ids.vip}`, { annual_quota: 8 });
  problemOf(assert, r, 428, 'if_match_required');
  const g = await o.get(`/api/v1/benefits/items/${ids.vip}`);
  r = await o.patch(`/api/v1/benefits/items/${ids.vip}`, { annual_quota: 6, description: '每年6次' },
    { headers: { 'If-Match': g.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  r = await o.patch(`/api/v1/benefits/items/${ids.vip}`, { active: false }, { headers: { 'If-Match': g.headers.get('etag') } });
  problemOf(assert, r, 412, 'stale_etag');
  /* a provider reads only its own items; a talent the whole catalogue; a provider may not write */
  r = await c['prov-a'].get('/api/v1/benefits/items');
  assert.deepEqual(r.json.items.map((i) => i.id).sort(), [ids.checkup, ids.once].sort());
  r = await c['prov-a'].get(`/api/v1/benefits/items/${ids.vip}`);
  problemOf(assert, r, 404, 'not_found');
  r = await c.tal1.get('/api/v1/benefits/items?category=leisure_holidays');
  assert.equal(r.json.items.length, 2);
  r = await c.tal1.get('/api/v1/benefits/items?tier=high_level');
  assert.deepEqual(r.json.items.map((i) => i.id).sort(), [ids.once, ids.vip].sort());
  r = await c['prov-a'].post('/api/v1/benefits/items', {});
  problemOf(assert, r, 403, 'forbidden');
});

test('slots and bookings: a future slot of the item, capacity, cancellation', async () => {
  const o = c.officer1;
  let r = await o.post(`/api/v1/benefits/items/${ids.checkup}/slots`, { starts_at: iso(7 * 86400), ends_at: iso(7 * 86400 + 3600), capacity: 1 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.remaining, 1);
  ids.slotNext = r.json.id;
  r = await o.post(`/api/v1/benefits/items/${ids.vip}/slots`, { starts_at: iso(86400), ends_at: iso(86400 + 3600), capacity: 3 });
  problemOf(assert, r, 409, 'conflict');
  r = await o.post(`/api/v1/benefits/items/${ids.checkup}/slots`, { starts_at: iso(-3600), ends_at: iso(-60), capacity: 0 });
  problemOf(assert, r, 400, 'invalid_input', 'starts_at');
  problemOf(assert, r, 400, 'invalid_input', 'capacity');
  /* a slot that has started (made directly: the API refuses past slots) */
  const now = Math.floor(Date.now() / 1000);
  sql(`INSERT INTO benefit_slots (id, item_id, starts_at, ends_at, capacity) VALUES (900, ${ids.checkup}, ${now - 600}, ${now + 600}, 5);`);
  r = await c.tal1.get(`/api/v1/benefits/items/${ids.checkup}/slots`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((s) => s.id), [900, ids.slotNext]);
  /* outside the item's slots: a started one, another item's, an unknown one */
  r = await c.tal1.post('/api/v1/bookings', { card_id: 1, slot_id: 900 });
  problemOf(assert, r, 422, 'slot_unavailable', 'slot_id');
  r = await c.tal1.post('/api/v1/bookings', { card_id: 1, slot_id: ids.slotNext, item_id: ids.vip });
  problemOf(assert, r, 422, 'slot_unavailable', 'slot_id');
  r = await c.tal1.post('/api/v1/bookings', { card_id: 1, slot_id: 99999 });
  problemOf(assert, r, 422, 'slot_unavailable', 'slot_id');
  /* another talent's card: as unknown; a tier the item excludes */
  r = await c.tal2.post('/api/v1/bookings', { card_id: 1, slot_id: ids.slotNext });
  problemOf(assert, r, 404, 'not_found');
  r = await c.tal2.post('/api/v1/bookings', { card_id: 2, slot_id: ids.slotNext });
  problemOf(assert, r, 422, 'tier_excluded');
  r = await c.tal1.post('/api/v1/bookings', { card_id: 1, slot_id: ids.slotNext });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'booked');
  assert.deepEqual(r.json.allowed_actions, ['cancel']);
  assert.equal(r.json.slot.id, ids.slotNext);
  const booking = r.json.id;
  /* the card's quota of 1 is reserved; the slot's one place is taken */
  r = await c.officer1.post('/api/v1/bookings', { card_id: 3, slot_id: ids.slotNext });
  problemOf(assert, r, 422, 'slot_full', 'slot_id');
  r = await c.tal1.get('/api/v1/cards/1/benefits');
  assert.equal(r.status, 200, r.text);
  const hc = r.json.items.find((i) => i.id === ids.checkup);
  assert.deepEqual([hc.used, hc.quota, hc.remaining], [1, 1, 0]);
  /* lists: the talent its own, the provider its items', the other provider none */
  assert.equal((await c.tal1.get('/api/v1/bookings')).json.items.length, 1);
  assert.equal((await c.tal2.get('/api/v1/bookings')).json.items.length, 0);
  assert.deepEqual((await c['prov-a'].get('/api/v1/bookings?status=booked')).json.items.map((b) => b.id), [booking]);
  assert.equal((await c['prov-b'].get('/api/v1/bookings')).json.items.length, 0);
  /* cancellation releases both */
  r = await c.tal2.post(`/api/v1/bookings/${booking}/cancel`);
  problemOf(assert, r, 404, 'not_found');
  r = await c.tal1.post(`/api/v1/bookings/${booking}/cancel`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'cancelled');
  assert.deepEqual(r.json.allowed_actions, []);
  r = await c.tal1.post(`/api/v1/bookings/${booking}/cancel`);
  problemOf(assert, r, 409, 'conflict');
  r = await c.tal1.get(`/api/v1/benefits/items/${ids.checkup}/slots`);
  assert.equal(r.json.items.find((s) => s.id === ids.slotNext).remaining, 1);
});

test('the counter: check by token or code names no one; refusals by rule', async () => {
  const t1 = await mint(1);
  let r = await c['prov-a'].post('/api/v1/benefits/check', { token: t1.token });
  assert.equal(r.json.valid_to, '2099-01-01');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.valid, true);
  assert.equal(r.json.card_id, 1);
  assert.equal(r.json.tier, 'leading_talent');
  assert.deepEqual(r.json.items.map((i) => i.id).sort(), [ids.checkup, ids.once].sort());
  assert.ok(!/福利甲/.test(r.text), 'the check never names the holder');
  r = await c['prov-a'].post('/api/v1/benefits/check', { code: t1.code });
  assert.equal(r.json.valid, true);
  r = await c['prov-a'].post('/api/v1/benefits/check', { token: 'GC1.nonsense' });
  assert.equal(r.status, 200);
  assert.equal(r.json.valid, false);
  assert.equal(typeof r.json.reason, 'string');
  r = await c['prov-a'].post('/api/v1/benefits/check', {});
  problemOf(assert, r, 400, 'invalid_input', 'token');
  /* redemption of an item the tier excludes; of another provider's item */
  r = await c['prov-b'].post('/api/v1/redemptions', { token: t1.token, item_id: ids.lounge });
  problemOf(assert, r, 422, 'tier_excluded', 'item_id');
  r = await c['prov-a'].post('/api/v1/redemptions', { token: t1.token, item_id: ids.vip });
  problemOf(assert, r, 404, 'not_found', 'item_id');
  /* the check-up needs a booking of today */
  r = await c['prov-a'].post('/api/v1/redemptions', { token: t1.token, item_id: ids.checkup });
  problemOf(assert, r, 422, 'booking_required', 'booking_id');
  /* a revoked card's token, minted while it was active */
  const t3 = await mint(3);
  sql("UPDATE cards SET status = 'revoked', reason = 'lost' WHERE id = 3;");
  r = await c['prov-b'].post('/api/v1/redemptions', { token: t3.token, item_id: ids.vip });
  const p = problemOf(assert, r, 422, 'card_invalid', 'token');
  assert.match(p.detail, /revoked/);
  r = await c['prov-b'].post('/api/v1/benefits/check', { token: t3.token });
  assert.deepEqual([r.json.valid, r.json.reason], [false, 'revoked']);
  /* by code, with a note; Idempotency-Key replays */
  const key = { headers: { 'Idempotency-Key': 'vip-once-1' } };
  r = await c['prov-b'].post('/api/v1/redemptions', { code: t1.code, item_id: ids.vip, note: '2号通道' }, key);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.item.id, ids.vip);
  assert.equal(r.json.note, '2号通道');
  const first = r.json.id;
  r = await c['prov-b'].post('/api/v1/redemptions', { code: t1.code, item_id: ids.vip, note: '2号通道' }, key);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.id, first);
  assert.equal(r.headers.get('idempotent-replayed'), 'true');
  r = await c.tal1.get('/api/v1/cards/1/benefits');
  assert.equal(r.json.items.find((i) => i.id === ids.vip).used, 1);
  r = await c['prov-a'].get('/api/v1/cards/1/benefits');
  problemOf(assert, r, 403, 'forbidden');
  r = await c.tal2.get('/api/v1/cards/1/benefits');
  problemOf(assert, r, 404, 'not_found');
});

test('a booked check-up of today is redeemed once; a second redemption is refused', async () => {
  /* a slot later today on the installation's day (Asia/Shanghai, UTC+8): in the last 3 minutes
     before its midnight no such slot fits, so wait for the new day (at most 3 minutes) */
  const toMidnight = 86400 - ((Math.floor(Date.now() / 1000) + 8 * 3600) % 86400);
  if (toMidnight < 180) await new Promise((done) => setTimeout(done, (toMidnight + 5) * 1000));
  const now = Math.floor(Date.now() / 1000);
  sql(`INSERT INTO benefit_slots (id, item_id, starts_at, ends_at, capacity) VALUES (901, ${ids.checkup}, ${now + 120}, ${now + 1800}, 5);`);
  let r = await c.tal1.post('/api/v1/bookings', { card_id: 1, slot_id: 901 });
  assert.equal(r.status, 201, r.text);
  const booking = r.json.id;
  const t1 = await mint(1);
  r = await c['prov-a'].post('/api/v1/benefits/check', { token: t1.token });
  assert.deepEqual(r.json.bookings.map((b) => b.id), [booking]);
  assert.deepEqual(r.json.bookings[0].allowed_actions, ['redeem']);
  r = await c['prov-a'].post('/api/v1/redemptions', { token: t1.token, item_id: ids.checkup, booking_id: booking });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.booking_id, booking);
  /* a second use the same year: the quota is used up (said before the missing booking) */
  r = await c['prov-a'].post('/api/v1/redemptions', { token: t1.token, item_id: ids.checkup });
  problemOf(assert, r, 422, 'quota_exceeded');
  r = await c.tal1.get(`/api/v1/bookings?status=redeemed`);
  assert.deepEqual(r.json.items.map((b) => b.id), [booking]);
});

test('50 parallel redemptions of a quota of 1: exactly one 201 and 49 × 422 quota_exceeded', async () => {
  const t2 = await mint(2);
  const answers = await Promise.all(Array.from({ length: 50 }, () =>
    c.provBearer.post('/api/v1/redemptions', { token: t2.token, item_id: ids.once })));
  const created = answers.filter((r) => r.status === 201);
  const refused = answers.filter((r) => r.status === 422 && r.problem && r.problem.code === 'quota_exceeded');
  assert.equal(created.length, 1, answers.filter((r) => r.status !== 422).map((r) => `${r.status} ${r.text}`).join('\n'));
  assert.equal(refused.length, 49, answers.filter((r) => r.status !== 201 && !refused.includes(r)).map((r) => `${r.status} ${r.text}`).join('\n'));
  assert.equal(sql(`SELECT count(*) FROM benefit_redemptions WHERE card_id = 2 AND item_id = ${ids.once};`).trim(), '1');
  assert.equal(sql(`SELECT used FROM benefit_usage WHERE card_id = 2 AND item_id = ${ids.once};`).trim(), '1');
});

test('an account may look up card_codes_per_minute (30) codes a minute; tokens are not counted', async () => {
  await addUser(inst.dir, 'prov-codes', [{ role: 'provider', scope: `org:${ids.provB}` }]);
  const counter = await inst.server.loggedIn('prov-codes');
  for (let i = 0; i < 30; i++) {
    const r = await counter.post('/api/v1/benefits/check', { code: String(10000000 + i) });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { valid: false, reason: 'malformed' });
  }
  const r = await counter.post('/api/v1/benefits/check', { code: '10000030' });
  problemOf(assert, r, 429, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After');
  /* the same limit at redemption, by code; a signed token still goes through; another account is not limited */
  problemOf(assert, await counter.post('/api/v1/redemptions', { code: '10000031', item_id: ids.once }), 429, 'too_many_requests');
  const t = await mint(2);
  const ok = await counter.post('/api/v1/benefits/check', { token: t.token });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.valid, true);
  const other = await c['prov-b'].post('/api/v1/benefits/check', { code: t.code });
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.valid, true);
});

test('redemptions are read by scope; audit rows are written', async () => {
  const mine = (await c['prov-a'].get('/api/v1/redemptions')).json.items;
  assert.ok(mine.length >= 2 && mine.every((x) => x.provider.id === ids.provA), JSON.stringify(mine));
  const b = (await c['prov-b'].get('/api/v1/redemptions')).json.items;
  assert.ok(b.every((x) => x.provider.id === ids.provB));
  const t1 = (await c.tal1.get('/api/v1/redemptions')).json.items;
  assert.ok(t1.length >= 2 && t1.every((x) => x.card_id === 1));
  const all = (await c.officer1.get('/api/v1/redemptions')).json.items;
  assert.equal(all.length, mine.length + b.length);
  const audit = await c.admin1.get('/api/v1/audit?action=benefit.');
  assert.equal(audit.status, 200, audit.text);
  const actions = new Set(audit.json.items.map((a) => a.action));
  for (const a of ['benefit.item_create', 'benefit.item_update', 'benefit.slot_create', 'benefit.book', 'benefit.cancel', 'benefit.redeem']) {
    assert.ok(actions.has(a), `audit ${a}`);
  }
});
