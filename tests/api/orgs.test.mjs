// Organisations and the vocabulary through the API: create, read, list with
// search and filters, change with If-Match, the GB 32100 check naming the
// failed rule, duplicate credit codes, an employer confined to its own
// organisation, full-width names normalised, contacts masked and audited
// masked, and the vocabulary lists. The organisations and the contact's
// phone and e-mail are the invented ones of fixtures.mjs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ORGS, SPARE, residentId, uscc, wrongCheck } from './fixtures.mjs';
import { addUser, listAll, problemOf, run, setup } from './lib.mjs';

let inst;
let officer;
let employer;
let leader;
let boss;
const ids = {};

before(async () => {
  inst = await setup({
    users: [
      { name: 'boss', roles: ['bureau_admin'] },
      { name: 'officer', roles: ['bureau_officer'] },
      { name: 'leader', roles: ['leader'] },
    ],
  });
  officer = inst.server.client();
  await officer.login('officer');
  leader = inst.server.client();
  await leader.login('leader');
  boss = inst.server.client();
  await boss.login('boss');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

const CONTACT = { name: '联系人甲', title: '人事经理', phone: SPARE.phone, email: SPARE.email };
const PHONE_MASK = `${SPARE.phone.slice(0, 3)}****${SPARE.phone.slice(-4)}`;
const EMAIL_MASK = `${SPARE.email[0]}***${SPARE.email.slice(SPARE.email.indexOf('@'))}`;

/* The HR account of the first organisation, made once that organisation exists (a scope names a record). */
async function hr() {
  if (!employer) {
    assert.ok(ids.a, 'the first organisation exists');
    await addUser(inst.dir, 'hrstaff', [{ role: 'employer', scope: `org:${ids.a}` }]);
    employer = await inst.server.loggedIn('hrstaff');
  }
  return employer;
}

function checkOrgShape(o) {
  const keys = ['id', 'name', 'pinyin', 'uscc', 'kind', 'park', 'segments', 'verified', 'contacts', 'talents_count',
    'created_at', 'updated_at', 'version'];
  assert.deepEqual(Object.keys(o).sort(), [...keys].sort());
  assert.ok(Number.isInteger(o.id) && o.id > 0);
  assert.ok(Array.isArray(o.segments));
  assert.ok(Array.isArray(o.contacts));
  assert.equal(typeof o.verified, 'boolean');
  assert.ok(Number.isInteger(o.talents_count));
  assert.match(o.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Number.isInteger(o.version) && o.version >= 1);
}

test('create an organisation: 201, ETag, Location, contacts masked, the plain values nowhere', async () => {
  const body = { ...ORGS[0], verified: true, contacts: [CONTACT] };
  const r = await officer.post('/api/v1/orgs', body);
  assert.equal(r.status, 201, r.text);
  const o = r.json;
  checkOrgShape(o);
  assert.equal(o.id, 1, 'the first organisation of a fresh installation');
  assert.equal(o.name, ORGS[0].name);
  assert.equal(o.uscc, ORGS[0].uscc);
  assert.equal(o.kind, 'leading_enterprise');
  assert.equal(o.park, ORGS[0].park);
  assert.deepEqual(o.segments, ['optical_communication']);
  assert.equal(o.verified, true);
  assert.equal(o.talents_count, 0);
  assert.match(o.pinyin, /^guang gu/);
  assert.equal(o.contacts.length, 1);
  assert.deepEqual(Object.keys(o.contacts[0]).sort(), ['email', 'id', 'name', 'phone', 'title']);
  assert.equal(o.contacts[0].name, '联系人甲');
  assert.equal(o.contacts[0].title, '人事经理');
  assert.equal(o.contacts[0].phone, PHONE_MASK);
  assert.equal(o.contacts[0].email, EMAIL_MASK);
  assert.ok(!r.text.includes(SPARE.phone) && !r.text.includes(SPARE.email), 'contact data unmasked in the answer');
  assert.equal(r.headers.get('etag'), `"${o.version}"`);
  assert.equal(r.headers.get('location'), `/api/v1/orgs/${o.id}`);
  ids.a = o.id;

  const got = await officer.get(`/api/v1/orgs/${o.id}`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json, o);
  assert.equal(got.headers.get('etag'), `"${o.version}"`);
  assert.ok(!got.text.includes(SPARE.phone));

  for (const [i, key] of [[1, 'b'], [2, 'c']]) {
    const c = await officer.post('/api/v1/orgs', ORGS[i]);
    assert.equal(c.status, 201, c.text);
    ids[key] = c.json.id;
  }
});

test('the create is audited with the contact masked', async () => {
  problemOf(assert, await officer.get(`/api/v1/audit?entity=org&entity_id=${ids.a}`), 403, 'forbidden');
  const a = await boss.get(`/api/v1/audit?entity=org&entity_id=${ids.a}`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.items.length, 1);
  const row = a.json.items[0];
  assert.equal(row.action, 'org.create');
  assert.equal(row.actor, 'officer');
  const fields = row.changes.map((c) => c.field);
  for (const f of ['name', 'uscc', 'kind', 'park', 'verified', 'segments']) assert.ok(fields.includes(f), `audit lacks ${f}`);
  const phone = row.changes.find((c) => /^contacts\.\d+\.phone$/.test(c.field));
  assert.ok(phone, JSON.stringify(row.changes));
  assert.equal(phone.old, null);
  assert.equal(phone.new, PHONE_MASK);
  assert.ok(!a.text.includes(SPARE.phone) && !a.text.includes(SPARE.email), 'personal data in the audit trail');
});

test('a credit code that breaks GB 32100 is refused naming the rule', async () => {
  const bad = { name: '校验失败示例公司', kind: 'other' };
  const right = ORGS[0].uscc;
  const wrongCheck = right.slice(0, 17) + (right[17] === '0' ? '1' : '0');
  const cases = [
    [right.slice(0, 17), /must have 18 characters \(got 17\)/],
    [`${right.slice(0, 8)}I${right.slice(9)}`, /contains 'I', which GB 32100 does not allow/],
    [wrongCheck, new RegExp(`check character is '${wrongCheck[17]}', expected '${right[17]}' \\(GB 32100 mod 31\\)`)],
  ];
  for (const [code, rule] of cases) {
    const r = await officer.post('/api/v1/orgs', { ...bad, uscc: code });
    const p = problemOf(assert, r, 400, 'invalid_input', 'uscc');
    const e = p.errors.find((x) => x.field === 'uscc');
    assert.match(e.message, rule);
    assert.match(p.detail, rule);
  }
  /* lower case is accepted and stored upper case */
  const lower = uscc('91420100MA4K0Y0X1').toLowerCase();
  const ok = await officer.post('/api/v1/orgs', { ...bad, name: '小写代码示例公司', uscc: lower });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.uscc, lower.toUpperCase());
  ids.lower = ok.json.id;
});

test('a second organisation with the same credit code is 409 naming the first', async () => {
  const r = await officer.post('/api/v1/orgs', { name: '另一家示例公司', kind: 'other', uscc: ORGS[1].uscc.toLowerCase() });
  const p = problemOf(assert, r, 409, 'duplicate', 'uscc');
  assert.match(p.detail, new RegExp(`organisation ${ids.b} has this credit code`));
  const list = await listAll(officer, '/api/v1/orgs');
  assert.equal(list.filter((o) => o.uscc === ORGS[1].uscc).length, 1);
});

test('bad input: missing name and kind, unknown kind and segment, bad contacts', async () => {
  problemOf(assert, await officer.post('/api/v1/orgs', { uscc: null }), 400, null, 'name');
  const k = await officer.post('/api/v1/orgs', { name: '示例', kind: 'company' });
  assert.match(problemOf(assert, k, 400, 'invalid_input', 'kind').detail, /unknown organisation kind 'company'/);
  const r = await officer.post('/api/v1/orgs', { name: '示例', kind: 'other', segments: ['lasers', 'teleportation'] });
  const p = problemOf(assert, r, 400, 'invalid_input', 'segments.1');
  assert.ok(p.errors.some((e) => e.field === 'segments.1' && /unknown segment 'teleportation'/.test(e.message)), r.text);
  const c = await officer.post('/api/v1/orgs', {
    name: '示例', kind: 'other', contacts: [{ name: '某', phone: '12345' }, { name: '某', email: 'not-an-address' }],
  });
  const pc = problemOf(assert, c, 400, 'invalid_input', 'contacts.0.phone');
  assert.ok(pc.errors.some((e) => e.field === 'contacts.1.email'), c.text);
  problemOf(assert, await officer.post('/api/v1/orgs', { name: '示例', kind: 'other', extra: 1 }), 400, 'unknown_field');
  problemOf(assert, await officer.post('/api/v1/orgs', { name: 5, kind: 'other' }), 400, 'wrong_type', 'name');
  /* nothing of these was written */
  const list = await listAll(officer, '/api/v1/orgs');
  assert.ok(!list.some((o) => o.name === '示例'));
});

test('full-width names are NFKC-normalised, labels become tokens', async () => {
  const r = await officer.post('/api/v1/orgs', {
    name: 'ＸＹＺ示例（武汉）科技有限公司', kind: '研发单位', segments: ['合成生物学', 'synthetic_biology'], park: '　光谷生物城　',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'XYZ示例(武汉)科技有限公司');
  assert.equal(r.json.kind, 'rd_unit');
  assert.deepEqual(r.json.segments, ['synthetic_biology']);
  assert.equal(r.json.park, '光谷生物城');
  assert.match(r.json.pinyin, /xyz shi li wu han/);
  ids.wide = r.json.id;
  /* searchable by the half-width form */
  const s = await officer.get(`/api/v1/orgs?q=${encodeURIComponent('XYZ')}`);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.items.map((o) => o.id), [ids.wide]);
});

test('list: search, filters, pinyin order, cursor paging, bad limit', async () => {
  const all = await listAll(officer, '/api/v1/orgs');
  assert.ok(all.length >= 5);
  for (const o of all) checkOrgShape(o);
  const keys = all.map((o) => o.pinyin);
  assert.deepEqual(keys, [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'default order is pinyin');
  const desc = await officer.get('/api/v1/orgs?sort=-pinyin&limit=200');
  assert.deepEqual(desc.json.items.map((o) => o.id), all.map((o) => o.id).reverse());

  /* one page at a time gives the same list */
  const paged = await listAll(officer, '/api/v1/orgs', 2);
  assert.deepEqual(paged.map((o) => o.id), all.map((o) => o.id));
  const first = await officer.get('/api/v1/orgs?limit=1');
  assert.equal(first.json.items.length, 1);
  assert.equal(typeof first.json.next_cursor, 'string');

  const q = await officer.get(`/api/v1/orgs?q=${encodeURIComponent('江城')}`);
  assert.deepEqual(q.json.items.map((o) => o.id), [ids.b]);
  const one = await officer.get(`/api/v1/orgs?q=${encodeURIComponent('智')}`);
  assert.ok(one.json.items.some((o) => o.id === ids.c), one.text);
  const py = await officer.get('/api/v1/orgs?q=jiangcheng');
  assert.deepEqual(py.json.items.map((o) => o.id), [ids.b]);

  const kind = await officer.get('/api/v1/orgs?kind=leading_enterprise&limit=200');
  assert.deepEqual(kind.json.items.map((o) => o.id).sort((a, b) => a - b), [ids.a, ids.c]);
  const zhKind = await officer.get(`/api/v1/orgs?kind=${encodeURIComponent('龙头企业')}&limit=200`);
  assert.deepEqual(zhKind.json.items.map((o) => o.id), kind.json.items.map((o) => o.id));
  const ver = await officer.get('/api/v1/orgs?verified=true');
  assert.deepEqual(ver.json.items.map((o) => o.id), [ids.a]);
  const seg = await officer.get('/api/v1/orgs?segment=ai_computing');
  assert.deepEqual(seg.json.items.map((o) => o.id), [ids.c]);
  const park = await officer.get(`/api/v1/orgs?park=${encodeURIComponent(ORGS[1].park)}`);
  assert.ok(park.json.items.every((o) => o.park === ORGS[1].park) && park.json.items.length >= 1);

  problemOf(assert, await officer.get('/api/v1/orgs?limit=0'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/orgs?limit=201'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/orgs?kind=company'), 400, 'invalid_input', 'kind');
  problemOf(assert, await officer.get('/api/v1/orgs?verified=yes'), 400, 'invalid_input', 'verified');
  problemOf(assert, await officer.get('/api/v1/orgs?sort=name'), 400, 'invalid_input', 'sort');
  problemOf(assert, await officer.get('/api/v1/orgs?cursor=garbage'), 400, 'invalid_input', 'cursor');
});

test('patch: If-Match required and checked, only sent members change, no-op keeps the version', async () => {
  const id = ids.a;
  const cur = await officer.get(`/api/v1/orgs/${id}`);
  const etag = cur.headers.get('etag');
  problemOf(assert, await officer.patch(`/api/v1/orgs/${id}`, { park: '新园区' }), 428, 'if_match_required');
  problemOf(assert, await officer.patch(`/api/v1/orgs/${id}`, { park: '新园区' }, { headers: { 'If-Match': '"999"' } }), 412, 'stale_etag');

  const r = await officer.patch(`/api/v1/orgs/${id}`, { park: '新园区', verified: false }, { headers: { 'If-Match': etag } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.park, '新园区');
  assert.equal(r.json.verified, false);
  assert.equal(r.json.name, ORGS[0].name);
  assert.equal(r.json.uscc, ORGS[0].uscc);
  assert.equal(r.json.version, cur.json.version + 1);
  assert.equal(r.headers.get('etag'), `"${r.json.version}"`);
  /* the contact kept its phone and e-mail although the PATCH did not name them */
  assert.equal(r.json.contacts[0].phone, PHONE_MASK);

  /* the same values again: nothing changes, the version stays */
  const same = await officer.patch(`/api/v1/orgs/${id}`, { park: '新园区' }, { headers: { 'If-Match': r.headers.get('etag') } });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.version, r.json.version);

  /* the old ETag is stale now */
  problemOf(assert, await officer.patch(`/api/v1/orgs/${id}`, { park: 'x' }, { headers: { 'If-Match': etag } }), 412, 'stale_etag');

  /* contacts: keep the first by id with a new e-mail, add another */
  const cid = r.json.contacts[0].id;
  const c = await officer.patch(`/api/v1/orgs/${id}`, {
    contacts: [{ id: cid, name: '联系人甲', title: '人事经理', email: null }, { name: '联系人乙' }],
  }, { headers: { 'If-Match': '*' } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.contacts.length, 2);
  assert.equal(c.json.contacts[0].id, cid);
  assert.equal(c.json.contacts[0].phone, PHONE_MASK);
  assert.equal(c.json.contacts[0].email, null);
  assert.equal(c.json.contacts[1].name, '联系人乙');

  /* clearing the credit code, then a bad one is refused */
  const clr = await officer.patch(`/api/v1/orgs/${ids.lower}`, { uscc: null }, { headers: { 'If-Match': '*' } });
  assert.equal(clr.status, 200, clr.text);
  assert.equal(clr.json.uscc, null);
  problemOf(assert, await officer.patch(`/api/v1/orgs/${ids.lower}`, { uscc: 'ABC' }, { headers: { 'If-Match': '*' } }), 400, 'invalid_input', 'uscc');
  /* a duplicate through PATCH */
  problemOf(assert, await officer.patch(`/api/v1/orgs/${ids.lower}`, { uscc: ORGS[2].uscc }, { headers: { 'If-Match': '*' } }), 409, 'duplicate', 'uscc');
  problemOf(assert, await officer.patch('/api/v1/orgs/99999', { park: 'x' }, { headers: { 'If-Match': '"1"' } }), 404, 'not_found');
});

test('an employer sees only its own organisation; others are 404, writes 403', async () => {
  await hr();
  const own = await employer.get(`/api/v1/orgs/${ids.a}`);
  assert.equal(own.status, 200, own.text);
  assert.ok(!own.text.includes(SPARE.phone));
  const other = await employer.get(`/api/v1/orgs/${ids.b}`);
  const p = problemOf(assert, other, 404, 'not_found');
  const unknown = await employer.get('/api/v1/orgs/99999');
  problemOf(assert, unknown, 404, 'not_found');
  assert.equal(p.detail.replace(String(ids.b), 'N'), unknown.problem.detail.replace('99999', 'N'), 'the answers differ: existence leaks');
  const list = await listAll(employer, '/api/v1/orgs');
  assert.deepEqual(list.map((o) => o.id), [ids.a]);
  const q = await employer.get(`/api/v1/orgs?q=${encodeURIComponent('江城')}`);
  assert.deepEqual(q.json.items, []);
  problemOf(assert, await employer.post('/api/v1/orgs', { name: '越权', kind: 'other' }), 403, 'forbidden');
  problemOf(assert, await employer.patch(`/api/v1/orgs/${ids.a}`, { park: 'x' }, { headers: { 'If-Match': '*' } }), 403, 'forbidden');

  /* a leader reads all, writes nothing; a talent reads no organisations */
  const all = await listAll(leader, '/api/v1/orgs');
  assert.ok(all.length >= 5);
  problemOf(assert, await leader.post('/api/v1/orgs', { name: '越权', kind: 'other' }), 403, 'forbidden');
  const person = await officer.post('/api/v1/talents', { name: '组织测试人' });
  assert.equal(person.status, 201, person.text);
  await addUser(inst.dir, 'talentx', [{ role: 'talent', scope: `talent:${person.json.id}` }]);
  const tal = await inst.server.loggedIn('talentx');
  problemOf(assert, await tal.get('/api/v1/orgs'), 403, 'forbidden');
});

test('vocabulary: tiers, chains with segments and the fixed lists with labels', async () => {
  const r = await (await hr()).get('/api/v1/vocabulary');
  assert.equal(r.status, 200, r.text);
  const v = r.json;
  assert.deepEqual(Object.keys(v).sort(), ['chains', 'doc_types', 'genders', 'honours', 'org_kinds', 'statuses', 'task_kinds', 'tiers']);
  assert.deepEqual(v.tiers.map((t) => t.token), ['strategic_scientist', 'top_scientist', 'leading_talent', 'high_level', 'other']);
  assert.deepEqual(v.tiers.map((t) => t.high_level), [true, true, true, true, false]);
  assert.equal(v.tiers[2].zh, '3551光谷领军人才');
  const chain = v.chains.find((c) => c.token === 'optoelectronics');
  assert.equal(chain.zh, '光电信息');
  assert.deepEqual(chain.segments.map((s) => s.token).sort(), ['infrared', 'lasers', 'optical_communication', 'optoelectronic_chips']);
  assert.equal(v.chains.reduce((n, c) => n + c.segments.length, 0), 15);
  assert.deepEqual(v.org_kinds.map((k) => k.token),
    ['leading_enterprise', 'rd_unit', 'university', 'incubator', 'platform', 'bank', 'service_provider', 'other']);
  assert.equal(v.org_kinds[0].zh, '龙头企业');
  assert.equal(v.org_kinds[1].zh, '研发单位');
  assert.deepEqual(v.statuses.map((s) => s.token), ['prospect', 'in_contact', 'landed', 'serving', 'left']);
  assert.deepEqual(v.honours.map((s) => s.token), ['nobel', 'cas_academician', 'cae_academician', 'foreign_academy', 'national_award']);
  assert.deepEqual(v.genders.map((s) => s.token), ['male', 'female']);
  assert.deepEqual(v.doc_types.map((s) => s.token), ['resident_id', 'passport']);
  assert.deepEqual(v.task_kinds.map((s) => s.token),
    ['duplicate_review', 'commissioner_assignment', 'recommendation_review', 'verification_answer',
      'verification_review', 'card_review', 'card_issue', 'loan_request']);
  for (const list of [v.tiers, v.chains, v.org_kinds, v.statuses, v.honours, v.genders, v.doc_types, v.task_kinds]) {
    for (const item of list) {
      assert.equal(typeof item.zh, 'string');
      assert.ok(item.zh.length > 0 && item.en.length > 0, JSON.stringify(item));
    }
  }
  problemOf(assert, await inst.server.client().get('/api/v1/vocabulary'), 401, 'unauthenticated');
});

test('guanggu check id|uscc prints ok or the rule and exits 0, 1 or 2', async () => {
  const ok = await run(['check', 'uscc', '91350100M000100Y43']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'ok\n');
  const bad = await run(['check', 'uscc', '91350100M000100Y44']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "uscc check character is '4', expected '3' (GB 32100 mod 31)\n");
  const usage = await run(['check', 'uscc']);
  assert.equal(usage.code, 2);
  const nothing = await run(['check', 'passport', 'X']);
  assert.equal(nothing.code, 2);

  const id = residentId('420111', '1984-07-09', 555);
  const good = await run(['check', 'id', id.toLowerCase(), '--birth-date', '1984-07-09']);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.equal(good.stdout, 'ok\n');
  const other = await run(['check', 'id', id, '--birth-date=1985-07-09']);
  assert.equal(other.code, 1);
  assert.equal(other.stdout, 'resident id birth date 1984-07-09 does not match birth_date 1985-07-09\n');
  const check = await run(['check', 'id', wrongCheck(id)]);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /^resident id check character is '.', expected '.' \(GB 11643 MOD 11-2\)\n$/);
  const excel = await run(['check', 'id', '4.20101E+17']);
  assert.equal(excel.code, 1);
  assert.match(excel.stdout, /^resident id must have 18 characters \(got 11\)\nhint: looks damaged by Excel/);
  assert.equal((await run(['check', 'id', id, '--birth-date', '1984-13-09'])).code, 2);
  assert.equal((await run(['check', 'id'])).code, 2);
  assert.equal((await run(['check', 'id', id, '--frobnicate'])).code, 2);
});
