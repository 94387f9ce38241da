// GET /api/v1/stats/registry against the demo data and a few fixture
// talents: every count is checked against the talents and organisations
// the same caller lists (counted here, in the test), and against numbers
// of the demo set written by hand; a merged record counts nowhere; months
// are the twelve calendar months of the timezone setting ending with the
// current one (Asia/Shanghai, then UTC, at an instant where they differ);
// an employer, a talent and a commissioner count only their scope, and
// only callers who read organisations get the organisation counts.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Server, listAll, problemOf, runOk, setup } from './lib.mjs';

/* The fixture talents are written in June; the demo and every request at 2026-11-30T17:00:00Z, which is 1 December in Shanghai. */
const JUNE = { GUANGGU_TEST_NOW: '2026-06-15T00:00:00Z' };
const NOW = { GUANGGU_TEST_NOW: '2026-11-30T17:00:00Z' };

let inst;
let vocab;
const c = {}; /* logged-in clients by username */
let demoPasswords;

async function loginAll() {
  for (const u of ['boss', 'chief']) c[u] = await inst.server.loggedIn(u);
  for (const [u, pw] of Object.entries(demoPasswords)) c[u] = await inst.server.loggedIn(u, pw);
}

before(async () => {
  inst = await setup({
    env: JUNE,
    users: [{ name: 'boss', roles: ['bureau_admin'] }, { name: 'chief', roles: ['leader'] }],
  });
  const boss = await inst.server.loggedIn('boss');
  /* two records of one person, the second merged into the first, and a third talent: created in June */
  const a = await boss.post('/api/v1/talents', { name: '统计合并甲', segments: ['infrared'], tier: 'high_level', status: 'serving' });
  const b = await boss.post('/api/v1/talents', { name: '统计合并甲', segments: ['cad_cae'], tier: 'other', status: 'left' });
  const d = await boss.post('/api/v1/talents', { name: '统计六月乙', segments: ['lasers', 'optical_communication'], status: 'prospect' });
  for (const r of [a, b, d]) assert.equal(r.status, 201, r.text);
  const m = await boss.post(`/api/v1/talents/${a.json.id}/merge`, { from_id: b.json.id }, { headers: { 'If-Match': a.headers.get('etag') } });
  assert.equal(m.status, 200, m.text);
  /* the demo set and its accounts, at the later instant */
  assert.equal((await inst.server.stop()).code, 0);
  await runOk(['demo', '--dir', inst.dir], { env: NOW, timeoutMs: 120000 });
  const text = await readFile(path.join(inst.dir, 'demo-accounts.txt'), 'utf8');
  demoPasswords = Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t').slice(0, 2)));
  inst.server = await Server.start(inst.dir, { env: NOW });
  await loginAll();
  vocab = (await c.boss.get('/api/v1/vocabulary')).json;
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

async function stats(client) {
  const r = await client.get('/api/v1/stats/registry');
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/* The talents part as it must be for the talents a caller lists, counted here. */
function expectedTalents(talents, months) {
  const chainOf = Object.fromEntries(vocab.chains.flatMap((ch) => ch.segments.map((s) => [s.token, ch.token])));
  const count = (pred) => talents.filter(pred).length;
  return {
    total: talents.length,
    by_tier: [...vocab.tiers.map((t) => ({ tier: t.token, count: count((x) => x.tier === t.token) })),
      { tier: null, count: count((x) => x.tier === null) }],
    by_status: vocab.statuses.map((s) => ({ status: s.token, count: count((x) => x.status === s.token) }))
      .filter((s) => s.count > 0),
    by_chain: vocab.chains.map((ch) => ({
      chain: ch.token, count: count((x) => x.segments.some((s) => chainOf[s] === ch.token)),
    })),
    created_by_month: months,
  };
}

function expectedOrgs(orgs) {
  return {
    total: orgs.length,
    by_kind: vocab.org_kinds.map((k) => ({ kind: k.token, count: orgs.filter((o) => o.kind === k.token).length })),
  };
}

/* Twelve months ending with last ("2026-12"), counts from byMonth ({"2026-06": 3}). */
function months(last, byMonth) {
  let [y, m] = last.split('-').map(Number);
  const out = [];
  for (let i = 0; i < 12; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.unshift({ month: key, count: byMonth[key] || 0 });
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
  }
  return out;
}

test('unscoped (a leader): every count agrees with the lists, the demo set by hand, months of Shanghai', async () => {
  const s = await stats(c.chief);
  assert.deepEqual(Object.keys(s).sort(), ['as_of', 'orgs', 'talents']);
  assert.equal(s.as_of, '2026-11-30T17:00:00Z');
  const talents = await listAll(c.chief, '/api/v1/talents');
  const orgs = await listAll(c.chief, '/api/v1/orgs');
  /* 45 demo talents at the demo's instant (1 December in Shanghai), 2 in June (the merged record counts nowhere) */
  assert.deepEqual(s.talents, expectedTalents(talents, months('2026-12', { '2026-12': 45, '2026-06': 2 })));
  assert.deepEqual(s.orgs, expectedOrgs(orgs));
  /* the demo set, by hand */
  assert.equal(s.talents.total, 47);
  /* the demo's look-alike (invented person 0 entered again, optical communication) is not yet classified */
  assert.deepEqual(s.talents.by_tier.map((t) => t.count), [7, 10, 8, 8, 6, 8]);
  const chain = Object.fromEntries(s.talents.by_chain.map((x) => [x.chain, x.count]));
  /* the merged pair's target has infrared and cad_cae; 统计六月乙 two optoelectronics segments, counted once */
  assert.equal(chain.optoelectronics, 13 + 2);
  assert.equal(chain.industrial_software, 6 + 1);
  assert.equal(s.orgs.total, 27);
  /* the benefit providers of the talent card: 8 service providers */
  assert.deepEqual(s.orgs.by_kind.map((k) => k.count), [9, 4, 1, 1, 2, 2, 8, 0]);
  /* the bureau sees the same */
  assert.deepEqual(await stats(c.boss), s);
  assert.deepEqual(await stats(c.bureau_officer), s);
});

test('an employer counts its organisation\'s talents and its organisation only', async () => {
  const s = await stats(c.employer);
  const mine = await listAll(c.employer, '/api/v1/talents');
  assert.ok(mine.length >= 3);
  assert.deepEqual(s.talents, expectedTalents(mine, months('2026-12', { '2026-12': mine.length })));
  assert.deepEqual(s.orgs, expectedOrgs(await listAll(c.employer, '/api/v1/orgs')));
  assert.equal(s.orgs.total, 1);
  assert.equal(s.orgs.by_kind.find((k) => k.kind === 'leading_enterprise').count, 1);
});

test('a talent counts itself and gets no organisation counts', async () => {
  const s = await stats(c.talent);
  assert.deepEqual(Object.keys(s).sort(), ['as_of', 'talents']);
  assert.equal(s.talents.total, 1);
  assert.deepEqual(s.talents, expectedTalents(await listAll(c.talent, '/api/v1/talents'), months('2026-12', { '2026-12': 1 })));
});

test('a commissioner counts its assigned talents and every organisation (its organisation reads are unscoped)', async () => {
  const s = await stats(c.commissioner);
  assert.equal(s.talents.total, 7);
  assert.equal(s.talents.by_tier[0].tier, 'strategic_scientist');
  assert.equal(s.talents.by_tier[0].count, 7);
  assert.deepEqual(s.talents, expectedTalents(await listAll(c.commissioner, '/api/v1/talents'),
    months('2026-12', { '2026-12': 7 })));
  assert.equal(s.orgs.total, 27);
});

test('roles without talents_read are refused; anonymous callers too', async () => {
  for (const u of ['finance', 'station_operator', 'bank', 'provider', 'expert']) {
    problemOf(assert, await c[u].get('/api/v1/stats/registry'), 403, 'forbidden');
  }
  problemOf(assert, await inst.server.client().get('/api/v1/stats/registry'), 401, 'unauthenticated');
});

test('the months follow the timezone setting: in UTC the demo falls in November', async () => {
  assert.equal((await inst.server.stop()).code, 0);
  inst.server = await Server.start(inst.dir, { env: { ...NOW, GUANGGU_TIMEZONE: 'UTC' } });
  await loginAll();
  const s = await stats(c.chief);
  assert.deepEqual(s.talents.created_by_month, months('2026-11', { '2026-11': 45, '2026-06': 2 }));
  const e = await stats(c.employer);
  assert.equal(e.talents.created_by_month.at(-1).month, '2026-11');
  assert.equal(e.talents.created_by_month.at(-1).count, e.talents.total);
});
