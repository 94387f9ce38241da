// The "my tasks" inbox over HTTP and its first feed, likely-duplicate
// reviews: two talents that look alike open one task for the newer record,
// seen by bureau officers and administrators and by nobody else; the
// filters (kind, status, older_than_days with the test clock and the
// timezone setting), pages and the summary; dismissing a pair closes its
// task and takes the pair out of the duplicates (again: 409, a == b: 400);
// merging a pair closes it too; every opening and closing has its audit
// row. The people are the invented ones of fixtures.mjs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, addUser, listAll, problemOf, setupBureau } from './lib.mjs';
import { PEOPLE, createTwoOrgs, talentBody } from './fixtures.mjs';

const T0 = 1795132800; /* 2026-11-20T00:00:00Z, 08:00 in Shanghai (the default timezone) */
const DAY = 86400;
const ENV = { GUANGGU_TEST_NOW: String(T0) };
const USERS = ['officer1', 'admin1', 'hr1', 'self1', 'leader1'];

let inst;
const c = {}; /* logged-in clients by username */
let org1;
let org2;
let officerId;
let a; /* PEOPLE[0], talent 1 */
let b; /* PEOPLE[0]'s name and birth date again, written by hr1 */
let c1; /* PEOPLE[1] */
let c2; /* the same pinyin and birth date as c1 */
let d1; /* PEOPLE[2]'s name and phone */
let d2; /* another spelling with the same phone */

const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

async function loginAll() {
  for (const u of USERS) if (c[u]) c[u] = await inst.server.loggedIn(u);
}

/* Restarts the server on the same directory with the clock at `now` (and env added); logs everyone in again. */
async function restartAt(now, env = {}) {
  const r = await inst.server.stop();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
  inst.server = await Server.start(inst.dir, { env: { ...ENV, GUANGGU_TEST_NOW: String(now), ...env } });
  await loginAll();
}

async function create(client, body) {
  const r = await client.post('/api/v1/talents', body);
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function tasks(client, query = '') {
  const r = await client.get(`/api/v1/tasks${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const subjects = (page) => page.items.map((t) => t.subject_id);

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  [org1, org2] = await createTwoOrgs(assert, c.officer1);
  /* scoped accounts once their records exist (a scope names a record) */
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org1}` }], undefined, ENV);
  c.hr1 = await inst.server.loggedIn('hr1');
  officerId = (await c.officer1.get('/api/v1/me')).json.user.id;
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('two talents that look alike open one review task, seen by the bureau only', async () => {
  a = await create(c.officer1, talentBody(0, { org_id: org1 }));
  await addUser(inst.dir, 'self1', [{ role: 'talent', scope: `talent:${a}` }], undefined, ENV);
  c.self1 = await inst.server.loggedIn('self1');
  assert.deepEqual(await tasks(c.officer1), { items: [], next_cursor: null });

  /* an employer's write feeds the bureau's inbox: its new talent is at its organisation */
  b = await create(c.hr1, { name: PEOPLE[0].name, birth_date: PEOPLE[0].birth_date });
  const page = await tasks(c.officer1);
  assert.equal(page.items.length, 1, JSON.stringify(page));
  const task = page.items[0];
  assert.ok(Number.isInteger(task.id) && task.id > 0);
  assert.deepEqual(task, {
    id: task.id,
    kind: 'duplicate_review',
    status: 'open',
    label: `${PEOPLE[0].name} · ${PEOPLE[0].name}`,
    link: `/talents/duplicates?talent=${b}`,
    subject_type: 'talent',
    subject_id: b,
    created_at: iso(T0),
    age_days: 0,
    due_on: null,
    closed_at: null,
    closed_by: null,
  });
  assert.equal(page.next_cursor, null);
  assert.deepEqual(await tasks(c.admin1), page);
  for (const who of ['hr1', 'self1', 'leader1']) {
    assert.deepEqual(await tasks(c[who]), { items: [], next_cursor: null }, who);
    assert.deepEqual((await c[who].get('/api/v1/tasks?status=closed')).json.items, [], who);
    const s = await c[who].get('/api/v1/tasks/summary');
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json, { open: 0, by_kind: [] }, who);
  }
  const s = await c.officer1.get('/api/v1/tasks/summary');
  assert.deepEqual(s.json, { open: 1, by_kind: [{ kind: 'duplicate_review', count: 1, oldest_created_at: iso(T0) }] });
  problemOf(assert, await inst.server.client().get('/api/v1/tasks'), 401, 'unauthenticated');
  problemOf(assert, await inst.server.client().get('/api/v1/tasks/summary'), 401, 'unauthenticated');

  /* the link narrows the duplicates to that record's pairs */
  const dup = await c.officer1.get(`/api/v1/talents/duplicates?talent=${b}`);
  assert.equal(dup.status, 200, dup.text);
  assert.deepEqual(dup.json.items.map((p) => [p.a.id, p.b.id, p.reasons]),
    [[a, b, ['same_name_birth_date', 'same_name_org']]]);

  /* writing the records again opens nothing more */
  const cur = await c.officer1.get(`/api/v1/talents/${b}`);
  const p = await c.officer1.patch(`/api/v1/talents/${b}`, { title: '工程师', city: '武汉' },
    { headers: { 'If-Match': cur.headers.get('etag') } });
  assert.equal(p.status, 200, p.text);
  assert.equal((await tasks(c.officer1)).items.length, 1);

  /* the opening is audited, by the account whose write opened it */
  const audit = await c.admin1.get('/api/v1/audit?entity=task');
  assert.equal(audit.status, 200, audit.text);
  assert.deepEqual(audit.json.items.map((r) => [r.action, r.entity_id, r.actor]), [['task.open', task.id, 'hr1']]);
  const changes = Object.fromEntries(audit.json.items[0].changes.map((ch) => [ch.field, ch.new]));
  assert.equal(changes.kind, 'duplicate_review');
  assert.equal(changes.subject, `talent:${b}`);
});

test('filters, pages and age in days follow the test clock and the timezone setting', async () => {
  c1 = await create(c.officer1, talentBody(1, { org_id: org2 }));
  c2 = await create(c.officer1, { name: '柏文兰', birth_date: PEOPLE[1].birth_date });
  d1 = await create(c.officer1, { name: PEOPLE[2].name, phone: PEOPLE[2].phone });
  d2 = await create(c.officer1, { name: '岑小舟', phone: PEOPLE[2].phone });

  /* open tasks oldest first: the same instant, then by id */
  assert.deepEqual((await listAll(c.officer1, '/api/v1/tasks', 1)).map((t) => t.subject_id), [b, c2, d2]);
  const first = await tasks(c.officer1, '?limit=2');
  assert.deepEqual(subjects(first), [b, c2]);
  assert.equal(typeof first.next_cursor, 'string');
  const second = await tasks(c.officer1, `?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`);
  assert.deepEqual(subjects(second), [d2]);
  assert.equal(second.next_cursor, null);
  assert.deepEqual(subjects(await tasks(c.officer1, '?kind=duplicate_review')), [b, c2, d2]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?status=open&older_than_days=0')), []);
  assert.deepEqual(subjects(await tasks(c.officer1, '?status=closed')), []);
  for (const [q, field] of [
    ['kind=no_such_kind', 'kind'], ['status=done', 'status'], ['older_than_days=-1', 'older_than_days'],
    ['older_than_days=3651', 'older_than_days'], ['older_than_days=abc', 'older_than_days'],
    ['limit=0', 'limit'], ['limit=201', 'limit'], ['cursor=zz', 'cursor'],
  ]) {
    problemOf(assert, await c.officer1.get(`/api/v1/tasks?${q}`), 400, 'invalid_input', field);
  }
  const s = await c.officer1.get('/api/v1/tasks/summary');
  assert.deepEqual(s.json, { open: 3, by_kind: [{ kind: 'duplicate_review', count: 3, oldest_created_at: iso(T0) }] });

  /* three days and an hour later: 2026-11-23 09:00 in Shanghai */
  await restartAt(T0 + 3 * DAY + 3600);
  const later = await tasks(c.officer1);
  assert.deepEqual(later.items.map((t) => t.age_days), [3, 3, 3]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?older_than_days=2')), [b, c2, d2]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?older_than_days=3')), []);
  /* 16:00 UTC is midnight in Shanghai: a day more there than in UTC */
  await restartAt(T0 + 3 * DAY + 16 * 3600);
  assert.deepEqual((await tasks(c.officer1)).items.map((t) => t.age_days), [4, 4, 4]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?older_than_days=3')), [b, c2, d2]);
  await restartAt(T0 + 3 * DAY + 16 * 3600, { GUANGGU_TIMEZONE: 'UTC' });
  assert.deepEqual((await tasks(c.officer1)).items.map((t) => t.age_days), [3, 3, 3]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?older_than_days=3')), []);
  await restartAt(T0 + 4 * DAY);
});

test('dismissing a pair closes its task and takes the pair out of the duplicates', async () => {
  const DISMISS = '/api/v1/talents/duplicates/dismiss';
  const NOW = T0 + 4 * DAY;
  /* only who may merge may dismiss; bad input first */
  problemOf(assert, await c.hr1.post(DISMISS, { a, b }), 403, 'forbidden');
  problemOf(assert, await c.leader1.post(DISMISS, { a, b }), 403, 'forbidden');
  problemOf(assert, await c.officer1.post(DISMISS, { a, b: a }), 400, 'invalid_input', 'b');
  problemOf(assert, await c.officer1.post(DISMISS, { a }), 400, 'missing_field', 'b');
  problemOf(assert, await c.officer1.post(DISMISS, { a, b: 'x' }), 400, 'wrong_type', 'b');
  problemOf(assert, await c.officer1.post(DISMISS, { a, b, note: '人'.repeat(501) }), 400, 'invalid_input', 'note');
  problemOf(assert, await c.officer1.post(DISMISS, { a, b: 99999 }), 404, 'not_found');
  assert.equal((await tasks(c.officer1)).items.length, 3);

  /* either order */
  const r = await c.officer1.post(DISMISS, { a: b, b: a, note: '不是同一人：出生地不同' });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assert.deepEqual(subjects(await tasks(c.officer1)), [c2, d2]);
  const closed = await tasks(c.officer1, '?status=closed');
  assert.equal(closed.items.length, 1);
  assert.deepEqual(
    (({ subject_id, status, closed_at, closed_by, age_days }) => ({ subject_id, status, closed_at, closed_by, age_days }))(closed.items[0]),
    { subject_id: b, status: 'closed', closed_at: iso(NOW), closed_by: officerId, age_days: 4 },
  );
  assert.deepEqual(subjects(await tasks(c.admin1, '?status=closed')), [b]);
  assert.deepEqual(subjects(await tasks(c.hr1, '?status=closed')), []);

  /* the pair is gone from the duplicates, also from the record's own */
  const all = await listAll(c.officer1, '/api/v1/talents/duplicates');
  assert.deepEqual(all.map((p) => [p.a.id, p.b.id]), [[c1, c2], [d1, d2]]);
  assert.deepEqual((await c.officer1.get(`/api/v1/talents/duplicates?talent=${b}`)).json.items, []);

  /* a second time: 409 */
  problemOf(assert, await c.officer1.post(DISMISS, { a, b }), 409, 'duplicate');

  /* a dismissed pair opens no task again, whatever is written */
  for (const org of [org2, org1]) {
    const cur = await c.officer1.get(`/api/v1/talents/${b}`);
    const p = await c.officer1.patch(`/api/v1/talents/${b}`, { org_id: org }, { headers: { 'If-Match': cur.headers.get('etag') } });
    assert.equal(p.status, 200, p.text);
  }
  assert.deepEqual(subjects(await tasks(c.officer1)), [c2, d2]);

  /* audited: the closing, and the dismissal on both records */
  const audit = await c.admin1.get('/api/v1/audit?entity=task&action=task.close');
  assert.equal(audit.json.items.length, 1, audit.text);
  assert.equal(audit.json.items[0].actor, 'officer1');
  assert.ok(audit.json.items[0].changes.some((ch) => ch.field === 'close_reason' && ch.new === 'dismissed'), audit.text);
  for (const [id, other] of [[a, b], [b, a]]) {
    const h = await c.officer1.get(`/api/v1/talents/${id}/history`);
    const row = h.json.items.find((i) => i.action === 'talent.duplicate_dismiss' && i.entity_id === id);
    assert.ok(row, h.text);
    assert.deepEqual(row.changes, [
      { field: 'not_duplicate_of', old: null, new: String(other) },
      { field: 'note', old: null, new: '不是同一人：出生地不同' },
    ]);
  }
});

test('merging a pair closes its task; the summary counts what is left', async () => {
  const pairs = await c.officer1.get(`/api/v1/talents/duplicates?talent=${c2}`);
  assert.deepEqual(pairs.json.items.map((p) => [p.a.id, p.b.id, p.reasons]), [[c1, c2, ['same_pinyin_birth_date']]]);
  assert.equal(pairs.json.next_cursor, null);
  problemOf(assert, await c.officer1.get('/api/v1/talents/duplicates?talent=abc'), 400, 'invalid_input', 'talent');
  problemOf(assert, await c.officer1.get('/api/v1/talents/duplicates?talent=99999'), 404, 'not_found');

  const target = await c.officer1.get(`/api/v1/talents/${c1}`);
  const m = await c.officer1.post(`/api/v1/talents/${c1}/merge`, { from_id: c2 },
    { headers: { 'If-Match': target.headers.get('etag') } });
  assert.equal(m.status, 200, m.text);
  assert.deepEqual(subjects(await tasks(c.officer1)), [d2]);
  assert.deepEqual(subjects(await tasks(c.officer1, '?status=closed')), [c2, b]);
  const s = await c.officer1.get('/api/v1/tasks/summary');
  assert.deepEqual(s.json, { open: 1, by_kind: [{ kind: 'duplicate_review', count: 1, oldest_created_at: iso(T0) }] });
  const audit = await c.admin1.get('/api/v1/audit?entity=task&action=task.close');
  const merged = audit.json.items.find((r) => r.changes.some((ch) => ch.field === 'close_reason' && ch.new === 'merged'));
  assert.ok(merged, audit.text);
  assert.equal(merged.actor, 'officer1');
  /* pages of the closed list: newest closed first */
  assert.deepEqual((await listAll(c.officer1, '/api/v1/tasks?status=closed', 1)).map((t) => t.subject_id), [c2, b]);
});
