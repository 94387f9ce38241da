// Search, likely duplicates and merge over HTTP: talents and organisations
// created through the API are found by hanzi (one character, two-character
// substrings, a full name), by pinyin (`wang jinqiao`, `wangjinqiao`,
// `wjq`, a given name), by keyword and by organisation name; filters
// (tier, segment, status, honour, city, org_id) narrow the list; sorts
// and cursor pages keep a stable order across equal pinyin keys; an
// employer sees only its organisation's people. Then duplicates are
// listed with their reasons and merged (If-Match on the target), after
// which the source is gone from lists and duplicates. Personal data comes
// from fixtures.mjs only.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, listAll, problemOf, setup } from './lib.mjs';
import { ORGS, createTwoOrgs, PEOPLE, SPARE } from './fixtures.mjs';

let inst;
let officer;
let hr1;
let leader;
let org1;
let org2;
const ids = {}; /* name (or a label) -> id */

async function create(body) {
  const r = await officer.post('/api/v1/talents', body);
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function names(client, query) {
  const items = await listAll(client, `/api/v1/talents?${query}`, 7);
  return items.map((t) => t.name);
}

before(async () => {
  inst = await setup({
    users: [
      { name: 'officer1', roles: ['bureau_officer'] },
      { name: 'leader1', roles: ['leader'] },
    ],
  });
  officer = await inst.server.loggedIn('officer1');
  leader = await inst.server.loggedIn('leader1');

  [org1, org2] = await createTwoOrgs(assert, officer);
  assert.equal(org1, 1);
  /* an employer of org1 (a scope names an existing organisation) */
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org1}` }]);
  hr1 = await inst.server.loggedIn('hr1');

  ids.wjq = await create({ name: '王金桥', latin_name: 'Jinqiao Wang', org_id: org1, tier: 'top_scientist',
    status: 'landed', city: '武汉', segments: ['optical_communication'], keywords: ['相干光模块', 'silicon photonics'],
    honours: [{ kind: 'cas_academician', year: 2019 }] });
  ids.wj = await create({ name: '王金', org_id: org2, tier: 'high_level', status: 'prospect', city: '北京' });
  ids.jqx = await create({ name: '金桥新', org_id: org2, tier: 'high_level', status: 'serving', city: '武汉',
    segments: ['synthetic_biology'], fields: ['合成生物学'] });
  ids.zw = await create({ name: '张伟', org_id: org1, status: 'in_contact', city: '上海', segments: ['lasers'] });
  ids.zq = await create({ name: '张强', status: 'prospect', honours: [{ kind: 'national_award', year: 2015 }] });
  ids.zhang = [];
  for (let i = 0; i < 9; i++) ids.zhang.push(await create({ name: '张敏', status: 'prospect', city: '长沙' }));
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('hanzi: one character, two-character substrings, full names', async () => {
  assert.deepEqual(await names(officer, 'q=金桥'), ['金桥新', '王金桥']);
  assert.deepEqual(await names(officer, `q=${encodeURIComponent('王金桥')}`), ['王金桥']);
  assert.deepEqual(await names(officer, 'q=王'), ['王金', '王金桥']);
  const zhang = await names(officer, 'q=张');
  assert.equal(zhang.length, 11);
  assert.deepEqual(zhang.slice(0, 9), Array(9).fill('张敏'));
  assert.deepEqual(zhang.slice(9), ['张强', '张伟']); /* zhangmin < zhangqiang < zhangwei */
  assert.deepEqual(await names(officer, 'q=赵'), []);
  /* each item carries at least id and name */
  const r = await officer.get('/api/v1/talents?q=金桥');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_cursor, null);
  for (const t of r.json.items) {
    assert.equal(typeof t.id, 'number');
    assert.equal(typeof t.name, 'string');
  }
});

test('pinyin: full, spaced, initials, given name, upper case and full-width', async () => {
  for (const q of ['wang jinqiao', 'wangjinqiao', 'wjq', 'WJQ', 'wang jin qiao', 'Ｗａｎｇ　Ｊｉｎｑｉａｏ']) {
    const got = await names(officer, `q=${encodeURIComponent(q)}`);
    assert.deepEqual(got, ['王金桥'], `q=${q}`);
  }
  assert.deepEqual(await names(officer, 'q=wang'), ['王金', '王金桥']);
  assert.deepEqual(await names(officer, 'q=jinqiao'), ['金桥新', '王金桥']); /* a key's prefix and a given name */
  assert.deepEqual(await names(officer, 'q=zw'), ['张伟']);
  assert.equal((await names(officer, 'q=zhangm')).length, 9);
});

test('keywords, fields, Latin names and organisation names', async () => {
  assert.deepEqual(await names(officer, 'q=光模块'), ['王金桥']);
  assert.deepEqual(await names(officer, 'q=photon'), ['王金桥']);
  assert.deepEqual(await names(officer, 'q=生物学'), ['金桥新']);
  assert.deepEqual(await names(officer, 'q=jinqiao%20wang'), ['王金桥']);
  /* ORGS[1] is 江城示例生物研究院: its people by a piece of its name */
  assert.deepEqual(await names(officer, 'q=研究院'), ['金桥新', '王金']);
  /* Han text and a word: both must match */
  assert.deepEqual(await names(officer, `q=${encodeURIComponent('金 wang')}`), ['王金', '王金桥']);
});

test('filters alone and with text', async () => {
  assert.deepEqual(await names(officer, 'tier=high_level'), ['金桥新', '王金']);
  assert.deepEqual(await names(officer, 'q=金&tier=high_level'), ['金桥新', '王金']);
  assert.deepEqual(await names(officer, 'q=王&tier=high_level'), ['王金']);
  assert.deepEqual(await names(officer, 'segment=optical_communication'), ['王金桥']);
  assert.deepEqual(await names(officer, 'segment=lasers&q=zhang'), ['张伟']);
  assert.deepEqual(await names(officer, 'status=landed'), ['王金桥']);
  assert.deepEqual(await names(officer, 'honour=national_award'), ['张强']);
  assert.deepEqual(await names(officer, 'honour=cas_academician&q=jq'), ['王金桥']);
  assert.deepEqual(await names(officer, `city=${encodeURIComponent('武汉')}`), ['金桥新', '王金桥']);
  assert.deepEqual(await names(officer, `org_id=${org2}`), ['金桥新', '王金']);
  assert.deepEqual(await names(officer, `org_id=${org2}&q=wang`), ['王金']);
  assert.deepEqual(await names(officer, 'tier=strategic_scientist'), []);
});

test('sorts and cursor pages across equal pinyin keys', async () => {
  const asc = await listAll(officer, '/api/v1/talents?q=zhang', 4);
  assert.deepEqual(asc.map((t) => t.id), [...ids.zhang, ids.zq, ids.zw]);
  const desc = await listAll(officer, '/api/v1/talents?q=zhang&sort=-pinyin', 4);
  assert.deepEqual(desc.map((t) => t.id), [ids.zw, ids.zq, ...[...ids.zhang].reverse()]);
  /* updated order: later writes later, the same time by id */
  const upd = await listAll(officer, '/api/v1/talents?q=zhang&sort=updated', 2);
  assert.deepEqual(upd.map((t) => t.id).sort((a, b) => a - b), [ids.zw, ids.zq, ...ids.zhang].sort((a, b) => a - b));
  for (let i = 1; i < upd.length; i++) {
    const a = upd[i - 1];
    const b = upd[i];
    assert.ok(a.updated_at < b.updated_at || (a.updated_at === b.updated_at && a.id < b.id), 'updated order');
  }
  const updDesc = await listAll(officer, '/api/v1/talents?q=zhang&sort=-updated', 3);
  assert.deepEqual(updDesc.map((t) => t.id), upd.map((t) => t.id).reverse());

  /* a page of 4 says where the next one starts; the last says null */
  const p1 = await officer.get('/api/v1/talents?q=张&limit=4');
  assert.equal(p1.json.items.length, 4);
  assert.equal(typeof p1.json.next_cursor, 'string');
  const p3 = await officer.get(`/api/v1/talents?q=张&limit=10&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p3.json.items.length, 7);
  assert.equal(p3.json.next_cursor, null);

  /* bad input */
  problemOf(assert, await officer.get('/api/v1/talents?limit=0'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/talents?limit=201'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/talents?sort=name'), 400, 'invalid_input', 'sort');
  problemOf(assert, await officer.get('/api/v1/talents?cursor=nonsense'), 400, 'invalid_input', 'cursor');
  /* a cursor of another sort is refused */
  problemOf(assert, await officer.get(`/api/v1/talents?q=张&sort=updated&cursor=${encodeURIComponent(p1.json.next_cursor)}`),
    400, 'invalid_input', 'cursor');
});

test('scope: an employer finds only its organisation\'s people; a leader all', async () => {
  assert.deepEqual(await names(hr1, 'q=金桥'), ['王金桥']);
  assert.deepEqual(await names(hr1, 'q=王'), ['王金桥']);
  assert.deepEqual(await names(hr1, ''), ['王金桥', '张伟']);
  assert.deepEqual(await names(hr1, `org_id=${org2}`), []);
  assert.deepEqual(await names(leader, 'q=金桥'), ['金桥新', '王金桥']);
});

test('organisations by name, pinyin, kind', async () => {
  const byName = await listAll(officer, '/api/v1/orgs?q=示例', 1);
  assert.equal(byName.length, 2);
  const bio = await listAll(officer, `/api/v1/orgs?q=${encodeURIComponent('生物')}`, 10);
  assert.deepEqual(bio.map((o) => o.id), [org2]);
  const rd = await listAll(officer, '/api/v1/orgs?kind=rd_unit', 10);
  assert.deepEqual(rd.map((o) => o.id), [org2]);
  const py = await listAll(officer, '/api/v1/orgs?q=jiangcheng', 10);
  assert.deepEqual(py.map((o) => o.id), [org2]);
});

test('duplicates are listed with reasons and merged into one', async () => {
  const A = PEOPLE[0];
  const B = PEOPLE[1];
  /* the same person twice: once with a document, once with the same phone and another spelling */
  const a = await create({ name: '柏文澜', birth_date: B.birth_date, document: B.document, org_id: org2 });
  const b = await create({ name: '柏文澜', birth_date: B.birth_date, phone: B.phone, email: B.email,
    keywords: ['酶工程'], segments: ['synthetic_biology'], title: '研究员' });
  const c = await create({ name: '柏文兰', birth_date: B.birth_date });
  const d = await create({ name: '艾思远', phone: A.phone });
  const e = await create({ name: '艾思源', phone: A.phone, email: SPARE.email });

  const r = await officer.get('/api/v1/talents/duplicates');
  assert.equal(r.status, 200, r.text);
  const pairs = r.json.items.map((p) => [p.a.id, p.b.id, p.reasons]);
  assert.deepEqual(pairs, [
    [a, b, ['same_name_birth_date']],
    [a, c, ['same_pinyin_birth_date']],
    [b, c, ['same_pinyin_birth_date']],
    [d, e, ['same_phone']],
  ]);
  assert.equal(r.json.next_cursor, null);
  /* the talents inside are the masked API objects */
  const pairAB = r.json.items[0];
  assert.equal(pairAB.a.name, '柏文澜');
  assert.ok(!JSON.stringify(r.json).includes(B.phone), 'phone in clear');
  assert.ok(!JSON.stringify(r.json).includes(B.document.number), 'document in clear');
  /* pages of one */
  const paged = await listAll(officer, '/api/v1/talents/duplicates', 1);
  assert.deepEqual(paged.map((p) => [p.a.id, p.b.id]), pairs.map((p) => [p[0], p[1]]));
  problemOf(assert, await officer.get('/api/v1/talents/duplicates?limit=0'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/talents/duplicates?cursor=zz'), 400, 'invalid_input', 'cursor');
  /* only who may merge may review */
  assert.equal((await hr1.get('/api/v1/talents/duplicates')).status, 403);
  assert.equal((await leader.get('/api/v1/talents/duplicates')).status, 403);

  /* merge b into a: If-Match on the target */
  const target = await officer.get(`/api/v1/talents/${a}`);
  const etag = target.headers.get('etag');
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, { from_id: b }), 428, 'if_match_required');
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, { from_id: b }, { headers: { 'If-Match': '"99"' } }),
    412, 'stale_etag');
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, {}, { headers: { 'If-Match': etag } }),
    400, null, 'from_id');
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, { from_id: a }, { headers: { 'If-Match': etag } }),
    409, 'conflict');
  assert.equal((await hr1.post(`/api/v1/talents/${a}/merge`, { from_id: b }, { headers: { 'If-Match': etag } })).status, 403);
  const m = await officer.post(`/api/v1/talents/${a}/merge`, { from_id: b }, { headers: { 'If-Match': etag } });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.id, a);
  assert.equal(m.json.title, '研究员');
  assert.deepEqual(m.json.keywords, ['酶工程']);
  assert.deepEqual(m.json.segments, ['synthetic_biology']);
  assert.equal(m.json.org.id, org2);
  assert.ok(m.json.phone && m.json.phone.includes('*'), 'the phone came over, masked');
  assert.ok(m.json.document && m.json.document.number.includes('*'), 'the document stayed, masked');
  assert.equal(m.json.version, target.json.version + 1);
  assert.equal(m.headers.get('etag'), `"${m.json.version}"`);

  const src = await officer.get(`/api/v1/talents/${b}`);
  assert.equal(src.json.merged_into, a);
  /* the source is gone from lists, search and duplicates */
  assert.deepEqual((await listAll(officer, `/api/v1/talents?q=${encodeURIComponent('柏文澜')}`)).map((t) => t.id), [a]);
  const after2 = await listAll(officer, '/api/v1/talents/duplicates');
  assert.deepEqual(after2.map((p) => [p.a.id, p.b.id, p.reasons]), [
    [a, c, ['same_pinyin_birth_date']],
    [d, e, ['same_phone']],
  ]);
  /* again: the source is merged already */
  const again = await officer.get(`/api/v1/talents/${a}`);
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, { from_id: b },
    { headers: { 'If-Match': again.headers.get('etag') } }), 409, 'conflict');
  problemOf(assert, await officer.post(`/api/v1/talents/${a}/merge`, { from_id: 9999 },
    { headers: { 'If-Match': again.headers.get('etag') } }), 404, 'not_found');

  /* both records carry a talent.merge audit row; the target's history shows the source's too */
  const audit = await officer.get(`/api/v1/talents/${a}/history`);
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.json.items.map((i) => `${i.action}:${i.entity_id}`);
  assert.ok(actions.includes(`talent.merge:${a}`), actions.join(' '));
  assert.ok(actions.includes(`talent.merge:${b}`), actions.join(' '));
  assert.ok(actions.includes(`talent.create:${b}`), actions.join(' '));
  const mergeRow = audit.json.items.find((i) => i.action === 'talent.merge' && i.entity_id === a);
  const fields = mergeRow.changes.map((ch) => ch.field);
  for (const f of ['merged_from', 'title', 'phone', 'email', 'keywords', 'segments']) assert.ok(fields.includes(f), f);
  assert.ok(!JSON.stringify(audit.json).includes(B.phone), 'phone in clear in the history');
});
