// The recruitment list (招聘名单) over HTTP: an employer drafts, edits
// (If-Match) and submits recommendations of its own people; a bureau
// officer takes them up, approves at a tier with a reason (the talent is
// recognised), rejects or returns them with a reason; every answer
// carries allowed_actions for its caller and the detail its history. The
// quota (recommendation_quota 5 of optics-valley-2024, per employer and
// calendar year of the first submission in Asia/Shanghai): drafts do not
// count, a returned and resubmitted one counts once, a rejected one
// counts, one withdrawn before review frees its slot; the sixth is 422
// naming quota, year and organisation; a new year starts afresh. Bad
// input: a decision without a reason (422), an employer acting for another
// organisation (403 naming it; its records by id: 404), strategic_scientist
// (422), an action the state does not allow (409), a stale If-Match (412);
// each refusal leaves no row, history line or audit row behind.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, addUser, listAll, problemOf, setupBureau } from './lib.mjs';
import { ORGS } from './fixtures.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-02T02:00:00Z' }; /* 10:00 in Shanghai */
const c = {}; /* logged-in clients by username */
let inst;
let org1;
let org2;
const people = { 1: [], 2: [] }; /* talent ids by organisation */

const URL = '/api/v1/recommendations';

async function loginAll() {
  for (const u of Object.keys(c)) c[u] = await inst.server.loggedIn(u);
}

async function draft(client, body, status = 201) {
  const r = await client.post(URL, body);
  assert.equal(r.status, status, r.text);
  return r.json;
}

async function get(client, id) {
  const r = await client.get(`${URL}/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/* POST .../{id}/{action} with body; expects status; returns the answer. */
async function act(client, id, action, body = {}, status = 200) {
  const r = await client.post(`${URL}/${id}/${action}`, body);
  assert.equal(r.status, status, `${action} ${id}: ${r.text}`);
  return r;
}

async function quota(client, query) {
  const r = await client.get(`${URL}/quota${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/* What a refusal must not leave: recommendation rows, history lines, audit rows. */
async function footprint() {
  const all = await listAll(c.admin1, URL);
  const history = [];
  for (const r of all) history.push(...(await get(c.admin1, r.id)).history);
  const audit = await listAll(c.admin1, '/api/v1/audit?entity=recommendation');
  return { rows: all.map((r) => [r.id, r.status, r.version]), history: history.length, audit: audit.length };
}

before(async () => {
  inst = await setupBureau(c, { env: ENV });
  for (const [i, key] of [[0, 1], [1, 2]]) {
    const r = await c.officer1.post('/api/v1/orgs', ORGS[i]);
    assert.equal(r.status, 201, r.text);
    if (key === 1) org1 = r.json.id; else org2 = r.json.id;
    for (let k = 0; k < 8; k++) {
      const t = await c.officer1.post('/api/v1/talents', { name: `推荐${key}号${'甲乙丙丁戊己庚辛'[k]}`, org_id: r.json.id });
      assert.equal(t.status, 201, t.text);
      people[key].push(t.json.id);
    }
  }
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${org1}` }], undefined, ENV);
  await addUser(inst.dir, 'hr2', [{ role: 'employer', scope: `org:${org2}` }], undefined, ENV);
  for (const u of ['hr1', 'hr2']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('an employer drafts for its own organisation; allowed_actions follow the caller', async () => {
  const r = await draft(c.hr1, { talent_id: people[1][0], proposed_tier: 'high_level', justification: '硅光芯片团队核心成员' });
  assert.equal(r.status, 'draft');
  assert.deepEqual(r.org, { id: org1, name: ORGS[0].name });
  assert.equal(r.talent.id, people[1][0]);
  assert.equal(r.proposed_tier, 'high_level');
  assert.equal(r.quota_year, null);
  assert.equal(r.submitted_on, null);
  assert.equal(r.recognition_id, null);
  assert.equal(r.created_by.name, 'hr1');
  assert.deepEqual(r.allowed_actions, ['edit', 'submit', 'withdraw']);
  assert.deepEqual(r.history.map((h) => [h.action, h.from_status, h.to_status, h.actor.name]),
    [['create', null, 'draft', 'hr1']]);

  /* the same record as others see it */
  assert.deepEqual((await get(c.officer1, r.id)).allowed_actions, []);
  assert.deepEqual((await get(c.leader1, r.id)).allowed_actions, []);
  assert.deepEqual((await get(c.admin1, r.id)).allowed_actions, ['edit', 'submit', 'withdraw']);
  problemOf(assert, await c.hr2.get(`${URL}/${r.id}`), 404, 'not_found');
  /* lists: the employer its own; the bureau everything */
  assert.deepEqual((await c.hr1.get(URL)).json.items.map((x) => x.id), [r.id]);
  assert.deepEqual((await c.hr2.get(URL)).json.items, []);
  const mine = (await c.hr1.get(URL)).json.items[0];
  assert.deepEqual(mine.allowed_actions, ['edit', 'submit', 'withdraw']);
  assert.equal(mine.history, undefined, 'lists carry no history');

  /* withdrawing the draft leaves a decided record: nothing more to do */
  const w = await act(c.hr1, r.id, 'withdraw', { reason: '改为下一年度推荐' });
  assert.equal(w.json.status, 'withdrawn');
  assert.deepEqual(w.json.allowed_actions, []);
});

test('the full state machine: submit, review, return, edit, resubmit, review, approve', async () => {
  const talent = people[1][1];
  const r = await draft(c.hr1, { talent_id: talent, proposed_tier: 'high_level' });
  /* no justification yet: submitting is a rule refusal on that field */
  problemOf(assert, await c.hr1.post(`${URL}/${r.id}/submit`, {}), 422, 'rule_refused', 'justification');

  /* edits need If-Match */
  problemOf(assert, await c.hr1.patch(`${URL}/${r.id}`, { justification: 'x' }), 428, 'if_match_required');
  const cur = await c.hr1.get(`${URL}/${r.id}`);
  const p = await c.hr1.patch(`${URL}/${r.id}`, { justification: '主持国家重点研发计划项目，带领20人团队' },
    { headers: { 'If-Match': cur.headers.get('etag') } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.version, 2);
  problemOf(assert, await c.hr1.patch(`${URL}/${r.id}`, { proposed_tier: 'top_scientist' },
    { headers: { 'If-Match': cur.headers.get('etag') } }), 412, 'stale_etag');

  const s = await act(c.hr1, r.id, 'submit');
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.submitted_on, '2026-03-02');
  assert.equal(s.json.quota_year, 2026);
  assert.deepEqual(s.json.quota, { slot: 1, of: 5, pack: 'optics-valley-2024', version: '2024.1' });
  assert.deepEqual(s.json.allowed_actions, ['withdraw']);
  assert.deepEqual((await get(c.officer1, r.id)).allowed_actions, ['review']);
  /* the officers' inbox has it, the employer's does not */
  const inbox = (await c.officer1.get('/api/v1/tasks?kind=recommendation_review')).json.items;
  assert.deepEqual(inbox.map((t) => [t.subject_type, t.subject_id, t.link]),
    [['recommendation', r.id, `/recommendations/${r.id}`]]);
  assert.deepEqual((await c.hr1.get('/api/v1/tasks')).json.items, []);
  /* the employer cannot review; the officer cannot approve before taking it up */
  problemOf(assert, await c.hr1.post(`${URL}/${r.id}/review`, {}), 403, 'forbidden');
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/approve`, { reason: '同意' }), 409, 'conflict');

  const rv = await act(c.officer1, r.id, 'review');
  assert.equal(rv.json.status, 'under_review');
  assert.equal(rv.json.reviewer.name, 'officer1');
  assert.deepEqual(rv.json.allowed_actions, ['approve', 'reject', 'return']);
  assert.deepEqual((await get(c.hr1, r.id)).allowed_actions, ['withdraw']);
  assert.deepEqual((await c.officer1.get('/api/v1/tasks?kind=recommendation_review')).json.items, []);

  /* return it: a reason is required */
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/return`, {}), 422, 'rule_refused', 'reason');
  const rt = await act(c.officer1, r.id, 'return', { reason: '请补充代表性成果' });
  assert.equal(rt.json.status, 'returned');
  assert.equal(rt.json.decision_reason, '请补充代表性成果');
  assert.deepEqual(rt.json.allowed_actions, []);
  assert.deepEqual((await get(c.hr1, r.id)).allowed_actions, ['edit', 'submit', 'withdraw']);
  const e = await c.hr1.patch(`${URL}/${r.id}`, { proposed_tier: 'leading_talent' }, { headers: { 'If-Match': '*' } });
  assert.equal(e.status, 200, e.text);
  const again = await act(c.hr1, r.id, 'submit');
  assert.deepEqual(again.json.quota, { slot: 1, of: 5, pack: 'optics-valley-2024', version: '2024.1' }, 'counted once');
  assert.equal(again.json.submitted_on, '2026-03-02');
  await act(c.officer1, r.id, 'review');

  /* approve at a tier, with the officer's reason: the talent is recognised */
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/approve`, { tier: 'leading_talent' }), 422, 'rule_refused', 'reason');
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/approve`, { tier: 'emperor', reason: '同意' }), 400, 'invalid_input', 'tier');
  const ap = await act(c.officer1, r.id, 'approve', { tier: 'leading_talent', reason: '推荐材料充分，同意认定' });
  assert.equal(ap.json.status, 'approved');
  assert.equal(ap.json.decided_tier, 'leading_talent');
  assert.equal(ap.json.decision_reason, '推荐材料充分,同意认定'); /* NFKC: the full-width comma */
  assert.ok(Number.isInteger(ap.json.recognition_id) && ap.json.recognition_id > 0);
  assert.equal(ap.json.talent.tier, 'leading_talent');
  assert.deepEqual(ap.json.allowed_actions, []);
  assert.deepEqual(ap.json.history.map((h) => [h.action, h.from_status, h.to_status]), [
    ['create', null, 'draft'], ['edit', 'draft', 'draft'], ['submit', 'draft', 'submitted'],
    ['review', 'submitted', 'under_review'], ['return', 'under_review', 'returned'],
    ['edit', 'returned', 'returned'], ['submit', 'returned', 'submitted'],
    ['review', 'submitted', 'under_review'], ['approve', 'under_review', 'approved']]);
  assert.equal(ap.json.history.at(-1).reason, '推荐材料充分,同意认定');
  assert.equal(ap.json.history.at(-1).actor.name, 'officer1');
  const t = await c.officer1.get(`/api/v1/talents/${talent}`);
  assert.equal(t.json.tier, 'leading_talent');
  /* decided: nothing more, for anyone */
  assert.deepEqual((await get(c.admin1, r.id)).allowed_actions, []);
  problemOf(assert, await c.hr1.post(`${URL}/${r.id}/withdraw`, {}), 409, 'conflict');
  /* the audit trail: one row per action, the approval with the recognition */
  const audit = await listAll(c.admin1, `/api/v1/audit?entity=recommendation&entity_id=${r.id}`);
  assert.deepEqual(audit.map((x) => x.action).reverse(), ['recommendation.create', 'recommendation.edit',
    'recommendation.submit', 'recommendation.review', 'recommendation.return', 'recommendation.edit',
    'recommendation.submit', 'recommendation.review', 'recommendation.approve']);
  const changes = Object.fromEntries(audit[0].changes.map((x) => [x.field, x.new]));
  assert.equal(changes.recognition_id, String(ap.json.recognition_id));
  assert.equal(changes.status, 'approved');
  const rec = await listAll(c.admin1, '/api/v1/audit?entity=recognition');
  assert.equal(rec.length, 1);
});

test('decisions without a reason and other refusals write nothing', async () => {
  const r = await draft(c.hr1, { talent_id: people[1][2], proposed_tier: 'high_level', justification: '成果转化' });
  await act(c.hr1, r.id, 'submit');
  await act(c.officer1, r.id, 'review');
  const before = await footprint();
  for (const action of ['approve', 'reject', 'return']) {
    problemOf(assert, await c.officer1.post(`${URL}/${r.id}/${action}`, {}), 422, 'rule_refused', 'reason');
    problemOf(assert, await c.officer1.post(`${URL}/${r.id}/${action}`, { reason: '   ' }), 422, 'rule_refused', 'reason');
    problemOf(assert, await c.officer1.post(`${URL}/${r.id}/${action}`, { reason: 12 }), 400, 'wrong_type', 'reason');
  }
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/reject`, { reason: '不符合', tier: 'high_level' }), 400, 'invalid_input', 'tier');
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/reject`, { reason: 'x'.repeat(2001) }), 400, 'invalid_input', 'reason');
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/reject`, { reason: '不符合' }, { headers: { 'If-Match': '"1"' } }), 412, 'stale_etag');
  problemOf(assert, await c.officer1.post(`${URL}/${r.id}/reject`, { reason: '不符合', extra: 1 }), 400, 'unknown_field');
  problemOf(assert, await c.hr1.post(`${URL}/${r.id}/submit`, {}), 409, 'conflict');
  /* a second live recommendation of the same talent by the same employer */
  problemOf(assert, await c.hr1.post(URL, { talent_id: people[1][2], proposed_tier: 'high_level' }), 409, 'duplicate', 'talent_id');
  /* strategic scientists are a bureau decision; unknown tiers are bad input */
  problemOf(assert, await c.hr1.post(URL, { talent_id: people[1][3], proposed_tier: 'strategic_scientist' }), 422, 'rule_refused', 'proposed_tier');
  problemOf(assert, await c.hr1.post(URL, { talent_id: people[1][3], proposed_tier: 'emperor' }), 400, 'invalid_input', 'proposed_tier');
  problemOf(assert, await c.hr1.post(URL, { talent_id: people[1][3] }), 400, 'missing_field', 'proposed_tier');
  problemOf(assert, await c.hr1.post(URL, { talent_id: '7', proposed_tier: 'high_level' }), 400, 'wrong_type', 'talent_id');
  problemOf(assert, await c.hr1.get(`${URL}?status=pending`), 400, 'invalid_input', 'status');
  assert.deepEqual(await footprint(), before);

  /* with a reason: rejected, and nothing more to do */
  const rj = await act(c.officer1, r.id, 'reject', { reason: '材料不足' });
  assert.equal(rj.json.status, 'rejected');
  assert.equal(rj.json.recognition_id, null);
  assert.deepEqual(rj.json.allowed_actions, []);
});

test('an employer acting for another organisation: 403 naming it; its records are 404', async () => {
  const before = await footprint();
  const p = problemOf(assert, await c.hr1.post(URL, { org_id: org2, talent_id: people[2][0], proposed_tier: 'high_level' }),
    403, 'forbidden', 'org_id');
  assert.match(p.detail, new RegExp(`organisation ${org2}`));
  problemOf(assert, await c.hr1.get(`${URL}?org=${org2}`), 403, 'forbidden', 'org');
  problemOf(assert, await c.hr1.get(`${URL}/quota?org=${org2}`), 403, 'forbidden', 'org');
  /* a talent of another organisation, for its own: as unknown */
  problemOf(assert, await c.hr1.post(URL, { talent_id: people[2][0], proposed_tier: 'high_level' }), 404, 'not_found', 'talent_id');
  assert.deepEqual(await footprint(), before);
  /* another employer's recommendation, by id */
  const other = await draft(c.hr2, { talent_id: people[2][0], proposed_tier: 'high_level', justification: '光通信' });
  assert.equal(other.org.id, org2);
  for (const action of ['submit', 'withdraw']) problemOf(assert, await c.hr1.post(`${URL}/${other.id}/${action}`, {}), 404, 'not_found');
  problemOf(assert, await c.hr1.patch(`${URL}/${other.id}`, { justification: 'x' }, { headers: { 'If-Match': '*' } }), 404, 'not_found');
  assert.equal((await get(c.hr2, other.id)).status, 'draft');
  /* the bureau names the organisation; an administrator may draft for any */
  problemOf(assert, await c.admin1.post(URL, { talent_id: people[2][1], proposed_tier: 'high_level' }), 400, 'invalid_input', 'org_id');
  const byAdmin = await draft(c.admin1, { org_id: org2, talent_id: people[2][1], proposed_tier: 'high_level' });
  assert.equal(byAdmin.org.id, org2);
  assert.deepEqual((await c.hr2.get(URL)).json.items.map((x) => x.id), [byAdmin.id, other.id]);
  assert.deepEqual((await c.officer1.get(`${URL}?org=${org2}`)).json.items.map((x) => x.id), [byAdmin.id, other.id]);
});

test('the quota: per employer and year of first submission, with the counting rules', async () => {
  const q0 = await quota(c.hr2, '');
  assert.deepEqual(q0, { org_id: org2, year: 2026, quota: 5, used: 0, remaining: 5,
    policy: { pack: 'optics-valley-2024', version: '2024.1' } }, 'drafts do not count');
  assert.deepEqual(await quota(c.officer1, `?org=${org2}&year=2026`), q0);
  problemOf(assert, await c.officer1.get(`${URL}/quota`), 400, 'invalid_input', 'org');
  problemOf(assert, await c.officer1.get(`${URL}/quota?org=${org2}&year=26`), 400, 'invalid_input', 'year');
  problemOf(assert, await c.officer1.get(`${URL}/quota?org=${org2}&year=2023`), 422, 'rule_refused');

  const ids = [];
  for (const t of people[2].slice(2)) {
    ids.push((await draft(c.hr2, { talent_id: t, proposed_tier: 'high_level', justification: '产业链补链' })).id);
  }
  for (const id of ids.slice(0, 5)) await act(c.hr2, id, 'submit');
  assert.equal((await quota(c.hr2, '')).used, 5);
  /* the sixth: refused, naming quota, year and organisation; nothing written */
  const before = await footprint();
  const p = problemOf(assert, await c.hr2.post(`${URL}/${ids[5]}/submit`, {}), 422, 'rule_refused');
  assert.match(p.detail, new RegExp(`^quota of 5 recommendations for 2026 reached \\(org '${ORGS[1].name}'`));
  assert.deepEqual(await footprint(), before);
  assert.equal((await get(c.hr2, ids[5])).status, 'draft');

  /* withdrawn before review: its slot is free again */
  await act(c.hr2, ids[0], 'withdraw');
  assert.deepEqual(await quota(c.hr2, ''), { ...q0, used: 4, remaining: 1 });
  assert.equal((await get(c.hr2, ids[0])).quota_year, null);
  await act(c.hr2, ids[5], 'submit');
  /* rejected: still counts; withdrawn after review: still counts; returned and resubmitted: once */
  await act(c.officer1, ids[1], 'review');
  await act(c.officer1, ids[1], 'reject', { reason: '不符合推荐条件' });
  await act(c.officer1, ids[2], 'review');
  await act(c.hr2, ids[2], 'withdraw', { reason: '人才另有安排' });
  await act(c.officer1, ids[3], 'review');
  await act(c.officer1, ids[3], 'return', { reason: '请补充材料' });
  await act(c.hr2, ids[3], 'submit');
  assert.deepEqual(await quota(c.hr2, ''), { ...q0, used: 5, remaining: 0 });
  /* another employer's quota is its own */
  assert.equal((await quota(c.hr1, '')).used, 2);
  /* a fresh draft of the talent withdrawn before review cannot be submitted this year either: all slots taken */
  const again = await draft(c.hr2, { talent_id: people[2][2], proposed_tier: 'high_level', justification: '再次推荐' });
  problemOf(assert, await c.hr2.post(`${URL}/${again.id}/submit`, {}), 422, 'rule_refused');

  /* a new calendar year in Shanghai (17:00 UTC on 31 December): a new quota */
  const r = await inst.server.stop();
  assert.equal(r.code, 0);
  inst.server = await Server.start(inst.dir, { env: { GUANGGU_TEST_NOW: '2026-12-31T17:00:00Z' } });
  await loginAll();
  const s = await act(c.hr2, again.id, 'submit');
  assert.equal(s.json.quota_year, 2027);
  assert.equal(s.json.submitted_on, '2027-01-01');
  assert.deepEqual(await quota(c.hr2, ''), { ...q0, year: 2027, used: 1, remaining: 4 });
  assert.deepEqual(await quota(c.hr2, '?year=2026'), { ...q0, used: 5, remaining: 0 });
});
