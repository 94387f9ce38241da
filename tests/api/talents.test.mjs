// Talent records over HTTP: creation with national-standard validation,
// duplicates refused naming the record, personal data masked in every
// answer and only revealed (and logged, visibly to the talent) through
// reveal, the scope of each role (an employer its organisation's people,
// a talent itself, a leader read-only), PATCH with If-Match, and the
// history of a record. The people are the invented ones of fixtures.mjs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, problemOf, setup } from './lib.mjs';
import { ORGS, createTwoOrgs, PEOPLE, SPARE, talentBody, wrongCheck } from './fixtures.mjs';

let inst;
let admin;
let officer;
let leader;
let hr1;
let hr2;
let self1;
let org1;
let org2;
let first; /* PEOPLE[0], id 1, org 1 */
let second; /* PEOPLE[1], org 2 */

const A = PEOPLE[0];

before(async () => {
  inst = await setup({
    users: [
      { name: 'admin1', roles: ['bureau_admin'] },
      { name: 'officer1', roles: ['bureau_officer'] },
      { name: 'leader1', roles: ['leader'] },
    ],
  });
  admin = await inst.server.loggedIn('admin1');
  officer = await inst.server.loggedIn('officer1');
  leader = await inst.server.loggedIn('leader1');

  [org1, org2] = await createTwoOrgs(assert, officer);
  assert.equal(org1, 1, 'the first organisation is org 1');
  assert.equal(org2, 2);
  /* the employers' accounts, once their organisations exist (a scope names a record) */
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org1}` }]);
  await addUser(inst.dir, 'hr2', [{ role: 'employer', scope: `org:${org2}` }]);
  hr1 = await inst.server.loggedIn('hr1');
  hr2 = await inst.server.loggedIn('hr2');
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

function assertNoPlaintext(text, person, what) {
  for (const v of [person.document.number, person.phone, person.email]) {
    assert.ok(!text.includes(v), `${what} holds the plaintext '${v.slice(0, 3)}...'`);
  }
}

test('an officer creates a talent: 201, masked personal data, ETag, pinyin, organisation', async () => {
  const r = await officer.post('/api/v1/talents', talentBody(0, { org_id: org1 }));
  assert.equal(r.status, 201, r.text);
  first = r.json;
  assert.equal(first.id, 1, 'the first talent is talent 1');
  /* the talent's own account, now that its record exists */
  await addUser(inst.dir, 'self1', [{ role: 'talent', scope: `talent:${first.id}` }]);
  self1 = await inst.server.loggedIn('self1');
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(r.headers.get('location'), '/api/v1/talents/1');
  assert.equal(first.name, A.name);
  assert.equal(first.pinyin, 'ai si yuan');
  assert.equal(first.masked, true);
  assert.deepEqual(first.document, {
    type: 'resident_id', number: `${A.document.number.slice(0, 3)}${'*'.repeat(11)}${A.document.number.slice(14)}`,
  });
  assert.equal(first.phone, `${A.phone.slice(0, 3)}****${A.phone.slice(7)}`);
  assert.equal(first.email, 's***@example.com');
  assert.deepEqual(first.org, { id: org1, name: ORGS[0].name });
  assert.deepEqual(first.fields, A.fields);
  assert.deepEqual(first.segments, A.segments);
  assert.deepEqual(first.honours, A.honours);
  assert.equal(first.tier, A.tier);
  assert.equal(first.status, A.status);
  assert.equal(first.version, 1);
  assert.equal(first.merged_into, null);
  assertNoPlaintext(r.text, A, 'the create answer');
});

test('a resident ID with a wrong check character is refused naming the rule', async () => {
  const body = talentBody(2, { document: { type: 'resident_id', number: wrongCheck(PEOPLE[2].document.number) } });
  const r = await officer.post('/api/v1/talents', body);
  const p = problemOf(assert, r, 400, 'invalid_input', 'document.number');
  const e = p.errors.find((x) => x.field === 'document.number');
  assert.match(e.message, /check character/);
  assert.match(e.message, /MOD 11-2/);
  /* a birth date that disagrees with the number */
  const r2 = await officer.post('/api/v1/talents', talentBody(2, { birth_date: '1990-01-21' }));
  problemOf(assert, r2, 400, 'invalid_input', 'document.number');
  /* a phone and e-mail of the wrong shape, an unknown status, honour year: each named */
  const r3 = await officer.post('/api/v1/talents', talentBody(2, {
    phone: '12345', email: 'not-an-email', status: 'retired', honours: [{ kind: 'nobel', year: 1800 }],
  }));
  const p3 = problemOf(assert, r3, 400, 'invalid_input');
  assert.deepEqual(p3.errors.map((x) => x.field).sort(), ['email', 'honours.0.year', 'phone', 'status']);
});

test('a second talent with the same document is refused: 409 naming the record', async () => {
  const dup = talentBody(2, { name: '岑另一', document: { type: 'resident_id', number: A.document.number.toLowerCase() }, birth_date: A.birth_date });
  const r = await officer.post('/api/v1/talents', dup);
  const p = problemOf(assert, r, 409, 'duplicate', 'document.number');
  assert.match(p.detail, new RegExp(`talent ${first.id} has this document number`));
});

test('GET masks personal data for everyone; the leader reads but may not change or reveal', async () => {
  for (const c of [officer, admin, leader, hr1, self1]) {
    const r = await c.get(`/api/v1/talents/${first.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.json.masked, true);
    assert.equal(r.json.document.number, first.document.number);
    assertNoPlaintext(r.text, A, 'GET');
  }
  const etag = (await leader.get(`/api/v1/talents/${first.id}`)).headers.get('etag');
  problemOf(assert, await leader.patch(`/api/v1/talents/${first.id}`, { title: 'x' }, { headers: { 'If-Match': etag } }), 403, 'forbidden');
  problemOf(assert, await leader.post(`/api/v1/talents/${first.id}/reveal`, { fields: ['phone'] }), 403, 'forbidden');
  problemOf(assert, await leader.post('/api/v1/talents', talentBody(2)), 403, 'forbidden');
  problemOf(assert, await leader.get(`/api/v1/talents/${first.id}/pii-reads`), 403, 'forbidden');
  problemOf(assert, await officer.get('/api/v1/talents/9999'), 404, 'not_found');
});

test('an officer reveals personal data; the read is logged and the talent sees it', async () => {
  const r = await officer.post(`/api/v1/talents/${first.id}/reveal`, { fields: ['document', 'phone', 'email'], purpose: '落户材料核验' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { document: A.document, phone: A.phone, email: A.email });
  assert.equal(r.headers.get('cache-control'), 'no-store');

  const only = await officer.post(`/api/v1/talents/${first.id}/reveal`, { fields: ['phone'] });
  assert.equal(only.status, 200, only.text);
  assert.equal(only.json.phone, A.phone);
  assert.equal(only.json.document, null);
  assert.equal(only.json.email, null);

  problemOf(assert, await officer.post(`/api/v1/talents/${first.id}/reveal`, { fields: ['salary'] }), 400, 'invalid_input', 'fields.0');
  problemOf(assert, await officer.post(`/api/v1/talents/${first.id}/reveal`, { fields: [] }), 400, 'invalid_input', 'fields');

  /* the talent's own account sees both reads, newest first */
  const reads = await self1.get(`/api/v1/talents/${first.id}/pii-reads`);
  assert.equal(reads.status, 200, reads.text);
  assert.equal(reads.json.items.length, 2);
  const [newest, oldest] = reads.json.items;
  assert.equal(newest.reader, 'officer1');
  assert.deepEqual(newest.fields, ['phone']);
  assert.deepEqual(oldest.fields, ['document', 'phone', 'email']);
  assert.equal(oldest.purpose, '落户材料核验');
  assert.equal(typeof oldest.reader_id, 'number');
  assert.match(oldest.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(oldest.request_id, r.headers.get('x-request-id'));
  assert.equal(reads.json.next_cursor, null);
  const page = await self1.get(`/api/v1/talents/${first.id}/pii-reads?limit=1`);
  assert.equal(page.json.items.length, 1);
  assert.notEqual(page.json.next_cursor, null);

  /* the talent may reveal its own data, and nobody else's */
  const mine = await self1.post(`/api/v1/talents/${first.id}/reveal`, { fields: ['email'] });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.email, A.email);

  /* the audit trail has talent.pii_read rows without values */
  const audit = await admin.get(`/api/v1/audit?entity=talent&entity_id=${first.id}&action=talent.pii_read`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.items.length, 3);
  assertNoPlaintext(audit.text, A, 'the audit trail');
});

test('an employer sees only its organisation\'s talents and gets 404 for others', async () => {
  const r = await officer.post('/api/v1/talents', talentBody(1, { org_id: org2 }));
  assert.equal(r.status, 201, r.text);
  second = r.json;

  problemOf(assert, await hr1.get(`/api/v1/talents/${second.id}`), 404, 'not_found');
  problemOf(assert, await hr1.get(`/api/v1/talents/${second.id}/history`), 404, 'not_found');
  problemOf(assert, await self1.get(`/api/v1/talents/${second.id}`), 404, 'not_found');
  problemOf(assert, await self1.post(`/api/v1/talents/${second.id}/reveal`, { fields: ['phone'] }), 404, 'not_found');
  const got = await hr2.get(`/api/v1/talents/${second.id}`);
  assert.equal(got.status, 200, got.text);

  const list1 = await hr1.get('/api/v1/talents');
  assert.equal(list1.status, 200, list1.text);
  assert.deepEqual(list1.json.items.map((t) => t.id), [first.id]);
  const listSelf = await self1.get('/api/v1/talents');
  assert.deepEqual(listSelf.json.items.map((t) => t.id), [first.id]);
  const listAll = await officer.get('/api/v1/talents');
  assert.deepEqual(listAll.json.items.map((t) => t.id).sort(), [first.id, second.id].sort());
  for (const t of listAll.json.items) assert.equal(t.masked, true);
  assertNoPlaintext(listAll.text, A, 'the list');

  /* an employer adds people to its own organisation only */
  problemOf(assert, await hr1.post('/api/v1/talents', talentBody(2, { org_id: org2 })), 403, 'forbidden');
  const own = await hr1.post('/api/v1/talents', talentBody(2));
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.org.id, org1);
  /* it may not move one of its people to another organisation, nor read personal data */
  problemOf(assert, await hr1.patch(`/api/v1/talents/${own.json.id}`, { org_id: org2 }, { headers: { 'If-Match': '"1"' } }), 403, 'forbidden');
  problemOf(assert, await hr1.post(`/api/v1/talents/${own.json.id}/reveal`, { fields: ['phone'] }), 403, 'forbidden');
  problemOf(assert, await hr1.get(`/api/v1/talents/${own.json.id}/pii-reads`), 403, 'forbidden');

  /* pages: limit and cursor */
  const p1 = await officer.get('/api/v1/talents?limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.notEqual(p1.json.next_cursor, null);
  const p2 = await officer.get(`/api/v1/talents?limit=2&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p2.json.items.length, 1);
  assert.equal(p2.json.next_cursor, null);
  problemOf(assert, await officer.get('/api/v1/talents?limit=0'), 400, 'invalid_input', 'limit');
  problemOf(assert, await officer.get('/api/v1/talents?org_id=x'), 400, 'invalid_input', 'org_id');
});

test('PATCH needs If-Match, bumps the version, refuses a stale one, and a no-op changes nothing', async () => {
  const url = `/api/v1/talents/${first.id}`;
  problemOf(assert, await officer.patch(url, { title: '总工程师' }), 428, 'if_match_required');
  const r = await officer.patch(url, { title: '总工程师', phone: SPARE.phone }, { headers: { 'If-Match': '"1"' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  assert.equal(r.json.title, '总工程师');
  assert.equal(r.json.phone, `${SPARE.phone.slice(0, 3)}****${SPARE.phone.slice(7)}`);
  assert.ok(!r.text.includes(SPARE.phone));
  problemOf(assert, await officer.patch(url, { title: '又一职务' }, { headers: { 'If-Match': '"1"' } }), 412, 'stale_etag');
  const same = await officer.patch(url, { title: '总工程师', phone: SPARE.phone }, { headers: { 'If-Match': '"2"' } });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.version, 2);
  problemOf(assert, await officer.patch(url, { name: '' }, { headers: { 'If-Match': '"2"' } }), 400, 'invalid_input', 'name');
  problemOf(assert, await officer.patch(url, { salary: 1 }, { headers: { 'If-Match': '"2"' } }), 400, 'unknown_field', 'salary');
  problemOf(assert, await officer.patch(url, { segments: ['no_such_segment'] }, { headers: { 'If-Match': '"2"' } }), 400, 'invalid_input', 'segments.0');
});

test('history lists the record\'s changes newest first, personal data masked', async () => {
  const r = await hr1.get(`/api/v1/talents/${first.id}/history`);
  assert.equal(r.status, 200, r.text);
  const actions = r.json.items.map((i) => i.action);
  assert.deepEqual(actions, ['talent.update', 'talent.pii_read', 'talent.pii_read', 'talent.pii_read', 'talent.create']);
  const upd = r.json.items[0];
  assert.equal(upd.entity, 'talent');
  assert.equal(upd.entity_id, first.id);
  assert.equal(upd.actor, 'officer1');
  assert.deepEqual(upd.changes, [
    { field: 'phone', old: first.phone, new: `${SPARE.phone.slice(0, 3)}****${SPARE.phone.slice(7)}` },
    { field: 'title', old: A.title, new: '总工程师' },
  ]);
  const created = r.json.items.at(-1);
  assert.ok(created.changes.some((c) => c.field === 'document.number' && c.old === null && c.new === first.document.number));
  assert.match(created.hash, /^[0-9a-f]{64}$/);
  assertNoPlaintext(r.text, A, 'the history');
  assert.ok(!r.text.includes(SPARE.phone));
  const page = await hr1.get(`/api/v1/talents/${first.id}/history?limit=2`);
  assert.equal(page.json.items.length, 2);
  const rest = await hr1.get(`/api/v1/talents/${first.id}/history?limit=10&cursor=${encodeURIComponent(page.json.next_cursor)}`);
  assert.deepEqual(rest.json.items.map((i) => i.action), actions.slice(2));
});
