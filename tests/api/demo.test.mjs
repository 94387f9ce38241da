// The demo data over HTTP: after `guanggu demo` on a fresh installation the
// registry finds 王金桥 by 金桥, by `wang jinqiao` and by `wjq`; the real
// people of the article carry no personal identifier while the invented
// ones do; the first station 光谷站·上海 is there; one demo account per
// role logs in with the password of DIR/demo-accounts.txt (mode 0600),
// needs no password change, has its role's permissions and sees only its
// scope; the recruitment orders of the demo's enterprises and R&D units
// and their hires reproduce DOMAIN.md's worked examples as recognitions
// with plans; the recruitment list has one recommendation in each state
// (the employer account's own with their allowed actions) and one
// strategic decision; a second `guanggu demo` changes nothing (no record,
// no account, no order, no audit row); a file left from before, or one that cannot be written,
// fails loudly; `guanggu demo --synthetic 200` adds 200 talents, and with
// --csv it writes an import file without needing an installation.

import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROLES, listAll, removeDir, run, runOk, setup, tempDir, initDir } from './lib.mjs';

const REAL = ['姚斌', '陈十一', '张清杰', '王金桥'];

/* The permissions GET /api/v1/me answers for each role, in perm.tbl order. By hand: not from role.c. */
const ME_PERMISSIONS = {
  bureau_admin: ['authenticated', 'users_read', 'users_write', 'tokens_manage', 'invitations_create', 'audit_read',
    'orgs_read', 'orgs_write', 'talents_read', 'talents_write', 'talents_merge', 'pii_read', 'registry_import',
    'registry_export', 'policy_read', 'orders_read', 'orders_write', 'recognitions_read', 'recommendations_read',
    'recommendations_write', 'recommendations_review', 'strategic_decide', 'ledger_read',
    'verifications_read', 'verifications_submit', 'verifications_review', 'payees_write', 'payees_confirm',
    'payments_read', 'payments_propose', 'payments_approve', 'plans_write', 'cards_read', 'cards_apply', 'cards_review', 'cards_issue', 'cards_pii', 'card_keys_manage', 'benefits_read', 'benefits_write', 'benefits_book', 'benefits_redeem', 'loans_request', 'loans_handle'],
  bureau_officer: ['authenticated', 'users_read', 'invitations_create', 'orgs_read', 'orgs_write', 'talents_read',
    'talents_write', 'talents_merge', 'pii_read', 'registry_import', 'registry_export', 'policy_read', 'orders_read',
    'orders_write', 'recognitions_read', 'recommendations_read', 'recommendations_review', 'strategic_decide',
    'ledger_read', 'verifications_read', 'verifications_submit', 'verifications_review', 'payees_write',
    'payments_read', 'payments_propose', 'plans_write', 'cards_read', 'cards_apply', 'cards_review', 'benefits_read', 'benefits_write', 'benefits_book'],
  finance: ['authenticated', 'policy_read', 'orders_read', 'recognitions_read', 'ledger_read', 'verifications_read',
    'payments_read', 'payments_approve'],
  commissioner: ['authenticated', 'orgs_read', 'talents_read', 'policy_read', 'recognitions_read', 'cards_read', 'cards_apply', 'benefits_read', 'benefits_book', 'loans_request'],
  station_operator: ['authenticated'],
  employer: ['authenticated', 'orgs_read', 'talents_read', 'talents_write', 'registry_export', 'policy_read',
    'orders_read', 'orders_write', 'recognitions_read', 'recommendations_read', 'recommendations_write',
    'verifications_read', 'verifications_submit'],
  talent: ['authenticated', 'talents_read', 'pii_read', 'recognitions_read', 'verifications_read', 'payees_confirm',
    'payments_read', 'cards_read', 'cards_apply', 'benefits_read', 'benefits_book', 'loans_request'],
  bank: ['authenticated', 'cards_read', 'cards_issue', 'cards_pii', 'loans_handle'],
  provider: ['authenticated', 'benefits_read', 'benefits_redeem'],
  expert: ['authenticated'],
  leader: ['authenticated', 'orgs_read', 'talents_read', 'registry_export', 'policy_read', 'orders_read',
    'recognitions_read', 'recommendations_read', 'ledger_read', 'verifications_read',
    'payments_read', 'cards_read', 'benefits_read'],
};

let inst;
let admin;
let firstLoad;
let accounts; /* [{username, password, roles}] from the file, in its order */
let fileText;
const sessions = {};
const dirs = [];

/* The data lines of an accounts file: username<TAB>password<TAB>role and scope. */
function parseAccounts(text) {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
    const [username, password, roles, ...rest] = l.split('\t');
    assert.deepEqual(rest, [], `more than three columns: ${l}`);
    return { username, password, roles };
  });
}

before(async () => {
  inst = await setup({ users: [{ name: 'demoboss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  await admin.login('demoboss');
  firstLoad = await runOk(['demo', '--dir', inst.dir], { timeoutMs: 120000 });
  fileText = await readFile(path.join(inst.dir, 'demo-accounts.txt'), 'utf8');
  accounts = parseAccounts(fileText);
  for (const a of accounts) sessions[a.username] = await inst.server.loggedIn(a.username, a.password);
});

after(async () => {
  for (const d of dirs) await removeDir(d);
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

async function search(q) {
  const r = await admin.get(`/api/v1/talents?q=${encodeURIComponent(q)}&limit=200`);
  assert.equal(r.status, 200, `GET /talents?q=${q}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), r.text);
  return r.json.items;
}

async function auditCount() {
  return (await listAll(admin, '/api/v1/audit')).length;
}

/* The scope of a demo account's role ("org:15") from the file. */
function scopeOf(username) {
  const a = accounts.find((x) => x.username === username);
  return a.roles.split(' ')[1];
}

test('the first load reports what it created', () => {
  assert.match(firstLoad.stdout, /^demo: 20 organisations \(20 created, 0 updated, 0 unchanged\), 45 talents \(45 created, 0 updated, 0 unchanged\), 1 station \(1 created/m,
    firstLoad.stdout);
  assert.match(firstLoad.stdout, /^demo: 11 demo accounts created \(one per role, no password change asked\)/m);
  assert.match(firstLoad.stdout, /^demo: 7 demo talents assigned to the commissioner account$/m);
  assert.match(firstLoad.stdout, /^demo: 6 recruitment orders issued, 4 hires registered \(3 recognised at once\)$/m);
  assert.match(firstLoad.stdout, /^demo: 5 recommendations of the recruitment list and 1 strategic decision made$/m);
});

test('the accounts file: mode 0600, one account per role in role order, the lines printed once on stdout', async () => {
  const st = await stat(path.join(inst.dir, 'demo-accounts.txt'));
  assert.equal(st.mode & 0o777, 0o600, `mode ${(st.mode & 0o777).toString(8)}`);
  const lines = fileText.split('\n').filter((l) => l !== '');
  assert.ok(lines[0].startsWith('# Guanggu demo accounts'), lines[0]);
  assert.ok(lines.some((l) => l.startsWith('#') && l.includes('guanggu user disable')), 'the file says how to disable them');
  assert.deepEqual(accounts.map((a) => a.username), ROLES);
  for (const a of accounts) {
    assert.match(a.password, /^[A-Za-z2-9]{16}$/, `${a.username}: a 16-character random password`);
    assert.ok(firstLoad.stdout.includes(`${a.username}\t${a.password}\t${a.roles}\n`), `${a.username} not printed`);
  }
  assert.equal(new Set(accounts.map((a) => a.password)).size, 11, 'every password differs');
  const scoped = Object.fromEntries(accounts.map((a) => [a.username, a.roles]));
  for (const r of ['bureau_admin', 'bureau_officer', 'finance', 'commissioner', 'expert', 'leader']) assert.equal(scoped[r], r);
  assert.match(scoped.station_operator, /^station_operator station:\d+$/);
  for (const r of ['employer', 'bank', 'provider']) assert.match(scoped[r], new RegExp(`^${r} org:\\d+$`));
  assert.match(scoped.talent, /^talent talent:\d+$/);
});

test('every demo account logs in, is not forced to change its password and has its role\'s permissions', async () => {
  for (const a of accounts) {
    const r = await sessions[a.username].get('/api/v1/me');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.username, a.username);
    assert.equal(r.json.user.must_change_password, false, a.username);
    assert.match(r.json.user.display_name, /^示例·/, a.username);
    assert.deepEqual(r.json.permissions, ME_PERMISSIONS[a.username], a.username);
    const scope = a.roles.split(' ')[1] ?? null;
    assert.deepEqual(r.json.user.roles, [{ role: a.username, scope }]);
  }
  const names = Object.fromEntries(accounts.map((a) => [a.username, a]));
  const me = await sessions.bureau_officer.get('/api/v1/me');
  assert.equal(me.json.user.display_name, '示例·人才局工作人员');
  /* the passwords went to stdout and the file only: no server log line holds one */
  for (const a of Object.values(names)) assert.ok(!inst.server.stderr.includes(a.password), `${a.username}'s password in the log`);
});

test('the scopes name demo records: an invented enterprise, bank and service provider, the Shanghai station', async () => {
  const orgId = (u) => Number(scopeOf(u).split(':')[1]);
  const employerOrg = (await admin.get(`/api/v1/orgs/${orgId('employer')}`)).json;
  assert.equal(employerOrg.name, '武汉晶澜光电科技有限公司');
  assert.equal(employerOrg.kind, 'leading_enterprise');
  assert.ok(employerOrg.talents_count >= 3, `several demo talents: ${employerOrg.talents_count}`);
  assert.equal((await admin.get(`/api/v1/orgs/${orgId('bank')}`)).json.kind, 'bank');
  assert.equal((await admin.get(`/api/v1/orgs/${orgId('provider')}`)).json.kind, 'service_provider');
  const stations = await runOk(['station', 'list', '--dir', inst.dir]);
  const id = scopeOf('station_operator').split(':')[1];
  assert.match(stations.stdout, new RegExp(`^${id} +光谷站·上海 +上海 +CN +open `, 'm'), stations.stdout);
});

test('the employer sees only its organisation\'s talents, the talent only itself, the commissioner its assigned ones', async () => {
  const orgId = Number(scopeOf('employer').split(':')[1]);
  const all = await listAll(admin, '/api/v1/talents');
  const own = await listAll(sessions.employer, '/api/v1/talents');
  assert.equal(own.length, all.filter((t) => t.org && t.org.id === orgId).length);
  assert.ok(own.length >= 3, `several: ${own.length}`);
  assert.ok(own.every((t) => t.org.id === orgId));
  const orgs = await listAll(sessions.employer, '/api/v1/orgs');
  assert.deepEqual(orgs.map((o) => o.id), [orgId]);

  const talentId = Number(scopeOf('talent').split(':')[1]);
  const self = await listAll(sessions.talent, '/api/v1/talents');
  assert.deepEqual(self.map((t) => t.id), [talentId]);
  const person = self[0];
  assert.match(person.notes, /虚构示例人物/);
  assert.ok(person.document && person.phone && person.email && person.birth_date, 'full personal data');
  const other = all.find((t) => t.id !== talentId);
  assert.equal((await sessions.talent.get(`/api/v1/talents/${other.id}`)).status, 404);

  const commissionerId = (await sessions.commissioner.get('/api/v1/me')).json.user.id;
  const assigned = await listAll(sessions.commissioner, '/api/v1/talents');
  assert.equal(assigned.length, 7);
  assert.ok(assigned.every((t) => t.commissioner_id === commissionerId && t.tier === 'strategic_scientist'));
  assert.ok(assigned.every((t) => /虚构示例人物/.test(t.notes)), 'only invented people are assigned');
  assert.equal(all.filter((t) => t.commissioner_id === commissionerId).length, 7);

  /* roles without talents_read see none */
  for (const u of ['finance', 'station_operator', 'bank', 'provider', 'expert']) {
    assert.equal((await sessions[u].get('/api/v1/talents')).status, 403, u);
  }
});

test('the recruitment list: one recommendation in each state, the employer\'s own with its actions, one strategic decision', async () => {
  const orgId = Number(scopeOf('employer').split(':')[1]);
  const all = await listAll(admin, '/api/v1/recommendations');
  assert.deepEqual(all.map((r) => r.status).sort(), ['approved', 'draft', 'rejected', 'returned', 'submitted']);
  for (const r of all.filter((x) => ['approved', 'rejected', 'returned'].includes(x.status))) {
    assert.ok(r.decision_reason.length > 0, `${r.status} has the officer's reason`);
  }
  assert.ok(all.find((r) => r.status === 'approved').recognition_id > 0);
  const own = await listAll(sessions.employer, '/api/v1/recommendations');
  assert.deepEqual(own.map((r) => r.status).sort(), ['draft', 'returned', 'submitted']);
  assert.ok(own.every((r) => r.org.id === orgId));
  assert.deepEqual(own.find((r) => r.status === 'draft').allowed_actions, ['edit', 'submit', 'withdraw']);
  assert.deepEqual(all.find((r) => r.status === 'submitted').allowed_actions, ['withdraw', 'review']);
  const inbox = (await sessions.bureau_officer.get('/api/v1/tasks?kind=recommendation_review')).json.items;
  assert.deepEqual(inbox.map((x) => x.subject_id), [all.find((r) => r.status === 'submitted').id]);
  const quota = (await sessions.employer.get('/api/v1/recommendations/quota')).json;
  assert.equal(quota.used, 2, 'the submitted and the returned one; not the draft');
  const decisions = await listAll(admin, '/api/v1/strategic-decisions');
  assert.equal(decisions.length, 1);
  assert.ok(decisions[0].rationale.length > 0);
  assert.equal(decisions[0].package_total_fen, 5000000000);
  const d = (await admin.get(`/api/v1/strategic-decisions/${decisions[0].id}`)).json;
  assert.equal(d.recognition.tier, 'strategic_scientist');
  assert.equal(d.recognition.plan.kind, 'strategic');
});

test('王金桥 is found by 金桥, wang jinqiao, wangjinqiao and wjq', async () => {
  for (const q of ['金桥', '王金桥', 'wang jinqiao', 'wangjinqiao', 'wjq', 'Wang Jinqiao']) {
    const items = await search(q);
    const hit = items.find((t) => t.name === '王金桥');
    assert.ok(hit, `q=${q} did not find 王金桥: ${JSON.stringify(items.map((t) => t.name))}`);
    assert.equal(hit.tier, 'leading_talent');
    assert.equal(hit.org.name, '武汉人工智能研究院');
    assert.ok(hit.keywords.includes('紫东太初'), JSON.stringify(hit.keywords));
  }
  // a query that is not his name does not find him
  const other = await search('wjx');
  assert.ok(!other.some((t) => t.name === '王金桥'), 'wjx found 王金桥');
});

test('the real people carry no personal identifier; the invented ones do', async () => {
  for (const name of REAL) {
    const items = (await search(name)).filter((t) => t.name === name);
    assert.equal(items.length, 1, `exactly one ${name}: ${items.length}`);
    const t = items[0];
    assert.equal(t.document, null, `${name} document`);
    assert.equal(t.phone, null, `${name} phone`);
    assert.equal(t.email, null, `${name} email`);
    assert.equal(t.birth_date, null, `${name} birth_date`);
    assert.ok(t.org && t.org.name, `${name} has an organisation`);
    // nothing to reveal either
    const rev = await admin.post(`/api/v1/talents/${t.id}/reveal`,
      { fields: ['document', 'phone', 'email'], purpose: 'demo test' });
    assert.equal(rev.status, 200, rev.text);
    assert.equal(rev.json.document, null);
    assert.equal(rev.json.phone, null);
    assert.equal(rev.json.email, null);
  }
  const zhang = (await search('张清杰')).find((t) => t.name === '张清杰');
  assert.equal(zhang.org.name, '武汉理工大学');
  assert.ok(zhang.keywords.some((k) => k.includes('58')), JSON.stringify(zhang.keywords));
  assert.ok(zhang.honours.some((h) => h.kind === 'cas_academician'), JSON.stringify(zhang.honours));

  const all = await listAll(admin, '/api/v1/talents');
  assert.equal(all.length, 45);
  /* the look-alike: invented person 0 entered again by another organisation, without identifiers */
  const lookalike = all.filter((t) => /另一单位重复录入/.test(t.notes || ''));
  assert.equal(lookalike.length, 1);
  const twin = all.find((t) => t.id !== lookalike[0].id && t.name === lookalike[0].name);
  assert.ok(twin && twin.birth_date === lookalike[0].birth_date, 'the look-alike shares name and birth date with one');
  assert.equal(lookalike[0].document, null);
  const invented = all.filter((t) => !REAL.includes(t.name) && t.id !== lookalike[0].id);
  assert.equal(invented.length, 40);
  for (const t of invented) {
    assert.match(t.notes, /虚构示例人物/, `${t.name} notes`);
    assert.equal(t.document.type, 'resident_id', `${t.name}`);
    assert.match(t.document.number, /^\d{3}\*{11}\d{3}[\dX]$/, `${t.name} masked document`);
    assert.match(t.phone, /^166\*{4}\d{4}$/, `${t.name} masked phone`);
    assert.match(t.email, /@example\.(com|cn)$/, `${t.name} email`);
    assert.match(t.birth_date, /^\d{4}-\d{2}-\d{2}$/);
  }
  // spread: every tier, status and honour kind but nobel appears
  const tiers = new Set(all.map((t) => t.tier).filter((x) => x));
  assert.equal(tiers.size, 5, [...tiers].join(','));
  assert.equal(new Set(all.map((t) => t.status)).size, 5);
  const honours = new Set(all.flatMap((t) => t.honours.map((h) => h.kind)));
  for (const h of ['cas_academician', 'cae_academician', 'foreign_academy', 'national_award']) {
    assert.ok(honours.has(h), `honour ${h} missing`);
  }
});

test('the organisations of the article are there; real ones have no credit code', async () => {
  const orgs = await listAll(admin, '/api/v1/orgs');
  assert.equal(orgs.length, 20 + 7 /* demo_benefits' providers (demo.c) */);
  const byName = Object.fromEntries(orgs.map((o) => [o.name, o]));
  for (const name of ['华扬科瑞', '鑫赛尔', '武汉高德红外股份有限公司', '武汉光迅科技股份有限公司', '武汉人工智能研究院',
    '武汉产业创新发展研究院', '武汉人工智能计算中心', '武汉理工大学', '田长霖中心']) {
    assert.ok(byName[name], `organisation ${name} missing`);
    assert.equal(byName[name].uscc, null, `${name} has a credit code`);
  }
  assert.equal(byName['武汉理工大学'].kind, 'university');
  assert.equal(byName['田长霖中心'].kind, 'platform');
  const banks = orgs.filter((o) => o.kind === 'bank');
  assert.equal(banks.length, 2);
  for (const b of banks) assert.match(b.uscc, /^91[0-9A-HJ-NPQRTUW-Y]{16}$/, b.name);
});

test('the recruitment orders: DOMAIN.md\'s worked examples as recognitions with plans, seen by role', async () => {
  const orders = await listAll(admin, '/api/v1/orders');
  assert.equal(orders.length, 6);
  assert.equal(orders.filter((o) => o.status === 'open').length, 2);
  const byContract = Object.fromEntries(orders.filter((o) => o.hire).map((o) => [o.hire.contract_fen, o]));
  assert.deepEqual(Object.keys(byContract).map(Number).sort((a, b) => a - b), [99999999, 100000000, 120000000, 800000000]);
  assert.equal(byContract[99999999].hire.recognized, false);
  for (const o of orders) assert.ok(['leading_enterprise', 'rd_unit'].includes((await admin.get(`/api/v1/orgs/${o.org.id}`)).json.kind));
  /* the orders' recognitions (the recruitment list and the strategic decision have theirs: below) */
  const recs = await listAll(admin, '/api/v1/recognitions?basis=order');
  const plans = Object.fromEntries(recs.map((r) => [r.plan.contract_fen, r.plan.installments.map((i) => i.amount_fen)]));
  assert.deepEqual(plans, {
    120000000: [60000000, 60000000, 60000000],
    100000000: [50000000, 50000000, 50000000],
    800000000: [400000000, 400000000, 200000000],
  });
  for (const r of recs) {
    assert.equal(r.basis, 'order');
    assert.equal(r.tier, 'leading_talent');
    assert.deepEqual([r.policy.pack, r.policy.version], ['optics-valley-2024', '2024.1']);
    assert.match(r.policy.hash, /^[0-9a-f]{64}$/);
    assert.ok(r.trace.some((l) => l.includes('>= threshold 1,000,000.00')), JSON.stringify(r.trace));
  }
  /* the demo employer sees its own orders (one filled, one open it may act on), the talent its recognition */
  const own = await listAll(sessions.employer, '/api/v1/orders');
  const orgId = Number(scopeOf('employer').split(':')[1]);
  assert.equal(own.length, 2);
  assert.ok(own.every((o) => o.org.id === orgId));
  assert.deepEqual(own.find((o) => o.status === 'open').allowed_actions, ['hire', 'close']);
  const mine = await listAll(sessions.talent, '/api/v1/recognitions');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].talent.id, Number(scopeOf('talent').split(':')[1]));
  assert.equal(mine[0].plan.total_fen, 180000000);
  assert.equal((await listAll(sessions.finance, '/api/v1/recognitions?basis=order')).length, 3);
  assert.ok((await listAll(sessions.leader, '/api/v1/orders')).every((o) => o.allowed_actions.length === 0));
});

test('the special fund: the worked examples\' first years verified and paid in the run of 2025, this year\'s in every stage', async () => {
  const runs = await listAll(sessions.finance, '/api/v1/payment-runs');
  assert.equal(runs.length, 1);
  const run = (await sessions.finance.get(`/api/v1/payment-runs/${runs[0].id}`)).json;
  assert.equal(run.period, 2025);
  assert.equal(run.status, 'closed');
  const users = await listAll(admin, '/api/v1/users');
  const idOf = (name) => users.find((u) => u.username === name).id;
  assert.equal(run.proposed_by.id, idOf('bureau_officer'));
  assert.equal(run.decided_by.id, idOf('finance'));
  assert.deepEqual(run.payments.map((p) => [p.installment.year, p.amount_fen, p.status]).sort((a, b) => a[1] - b[1]),
    [[1, 50000000, 'paid'], [1, 60000000, 'paid'], [1, 400000000, 'paid']]);
  assert.ok(run.payments.every((p) => /^\*+ ?\d{4}$/.test(p.payee.account)), 'accounts masked');
  /* the ledger: 3,000,000,000 appropriated, 5,100,000 paid, the rest of the three plans committed */
  const b = (await sessions.finance.get('/api/v1/ledger/balances')).json;
  const bal = Object.fromEntries(b.accounts.map((a) => [a.code, a.balance_fen]));
  assert.equal(bal.fund_paid, 510000000);
  assert.equal(bal.fund_approved, 0);
  assert.equal(bal.fund_committed, 1330000000 - 510000000);
  assert.equal(b.total_debit_fen, b.total_credit_fen);
  /* this year's (second) installments: the demo talent's open in the employer's inbox, one answered, one accepted */
  const v2 = (await listAll(admin, '/api/v1/verifications?year=2026')).map((v) => v.status).sort();
  assert.deepEqual(v2, ['accepted', 'open', 'submitted']);
  const inbox = await listAll(sessions.employer, '/api/v1/verifications?status=open');
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0].talent.id, Number(scopeOf('talent').split(':')[1]));
  assert.equal(inbox[0].installment.year, 2);
});

test('the talent card: one card in each state, the talent account\'s active at the demo bank, in the bank\'s queue', async () => {
  assert.match(firstLoad.stdout, /^demo: 8 digital talent cards applied for, one in each state \(applied to expired\)$/m);
  const stats = (await admin.get('/api/v1/cards/stats')).json;
  assert.equal(stats.total, 8);
  assert.deepEqual(stats.by_status, { applied: 1, approved: 1, issuing: 1, active: 1, rejected: 1, suspended: 1,
    revoked: 1, expired: 1 });
  const mine = (await sessions.talent.get('/api/v1/cards')).json.items;
  assert.equal(mine.length, 1);
  assert.equal(mine[0].status, 'active');
  assert.equal(mine[0].talent.id, Number(scopeOf('talent').split(':')[1]));
  assert.equal(`org:${mine[0].bank.id}`, scopeOf('bank'));
  assert.match(mine[0].card_no, /^8156\d{12}$/);
  /* the bank's queue: only its own bank's cards */
  const queue = await listAll(sessions.bank, '/api/v1/cards');
  assert.ok(queue.length >= 1 && queue.every((c) => `org:${c.bank.id}` === scopeOf('bank')));
  /* the talent's phone page can show its token */
  const t = await sessions.talent.post(`/api/v1/cards/${mine[0].id}/token`, {});
  assert.equal(t.status, 200, t.text);
  assert.match(t.json.qr_svg, /^<svg /);
});

test('a second load changes nothing and makes no account', async () => {
  const before1 = await auditCount();
  const users1 = await listAll(admin, '/api/v1/users');
  const r = await runOk(['demo', '--dir', inst.dir]);
  assert.match(r.stdout, /^demo: already loaded \(20 organisations, 1 station, 45 talents, 6 recruitment orders unchanged\)$/m,
    r.stdout);
  assert.match(r.stdout, /^demo: the 11 demo accounts exist \(passwords are not shown again/m, r.stdout);
  for (const a of accounts) assert.ok(!r.stdout.includes(a.password), 'a password shown again');
  assert.equal(await auditCount(), before1);
  assert.deepEqual((await listAll(admin, '/api/v1/users')).map((u) => u.id), users1.map((u) => u.id));
  assert.equal((await listAll(admin, '/api/v1/talents')).length, 45);
  assert.equal((await listAll(admin, '/api/v1/orders')).length, 6);
  /* 3 by orders, 1 approved recommendation, 1 strategic decision */
  assert.equal((await listAll(admin, '/api/v1/recognitions')).length, 5);
  assert.equal((await listAll(admin, '/api/v1/recommendations')).length, 5);
  assert.equal((await listAll(admin, '/api/v1/strategic-decisions')).length, 1);
  assert.equal(await readFile(path.join(inst.dir, 'demo-accounts.txt'), 'utf8'), fileText);
});

test('a file left from before refuses the accounts before anything is written; an unwritable one loses the passwords loudly', async () => {
  const d = await tempDir();
  dirs.push(d);
  await initDir(d);
  const file = path.join(d, 'demo-accounts.txt');
  await writeFile(file, 'an earlier file\n', { mode: 0o600 });
  const refused = await run(['demo', '--dir', d], { timeoutMs: 60000 });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /demo-accounts\.txt' exists/);
  const users = await runOk(['user', 'list', '--dir', d]);
  assert.equal(users.stdout.trim().split('\n').length, 2, `only the header and admin: ${users.stdout}`);
  /* --no-accounts loads the data and leaves the file alone */
  const data = await runOk(['demo', '--no-accounts', '--dir', d], { timeoutMs: 60000 });
  assert.match(data.stdout, /^demo: 20 organisations \(20 created/m);
  assert.doesNotMatch(data.stdout, /account/);
  assert.equal(await readFile(file, 'utf8'), 'an earlier file\n');

  /* the file cannot be written after the commit (a test build's fault point: disk full) */
  await rm(file);
  const lost = await run(['demo', '--dir', d], { timeoutMs: 120000, env: { GUANGGU_TEST_FAULT: 'demo_accounts_file' } });
  assert.equal(lost.code, 1, lost.stderr);
  assert.match(lost.stderr, /cannot create '.*demo-accounts\.txt'/);
  assert.match(lost.stderr, /the 11 demo accounts were created, but their passwords are lost: set new ones with `guanggu user passwd NAME/);
  assert.doesNotMatch(lost.stdout, /\t/, 'no password printed');
  await assert.rejects(stat(file));
  const made = await runOk(['user', 'list', '--dir', d]);
  for (const r of ROLES) assert.match(made.stdout, new RegExp(`^\\d+ +${r} `, 'm'), `account ${r}`);
  const again = await runOk(['demo', '--dir', d], { timeoutMs: 60000 });
  assert.match(again.stdout, /the 11 demo accounts exist/);
});

test('--synthetic 200 adds 200 talents, once', async () => {
  const before1 = (await listAll(admin, '/api/v1/talents')).length;
  const r = await runOk(['demo', '--synthetic', '200', '--dir', inst.dir]);
  assert.match(r.stdout, /200 synthetic talents \(200 created, 0 updated, 0 unchanged\)/, r.stdout);
  const all = await listAll(admin, '/api/v1/talents');
  assert.equal(all.length, before1 + 200);
  assert.equal(all.filter((t) => /synthetic/.test(t.notes || '')).length, 200);
  const again = await runOk(['demo', '--synthetic', '200', '--dir', inst.dir]);
  assert.match(again.stdout, /200 synthetic talents \(0 created, 0 updated, 200 unchanged\)/, again.stdout);
  assert.equal((await listAll(admin, '/api/v1/talents')).length, before1 + 200);
});

test('--csv writes the import file without an installation', async () => {
  const d = await tempDir();
  dirs.push(d);
  const missing = path.join(d, 'no-installation');
  const file = path.join(d, 'talents.csv');
  const orgsFile = path.join(d, 'orgs.csv');
  const r = await runOk(['demo', '--synthetic', '50', '--seed', '3', '--csv', file, '--orgs-csv', orgsFile,
    '--dir', missing]);
  assert.match(r.stdout, /wrote 50 synthetic talents/);
  await assert.rejects(stat(missing), 'the command made no installation');
  const lines = (await readFile(file, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.equal(lines.length, 51);
  assert.equal(lines[0], 'name,latin_name,gender,birth_date,nationality,doc_type,doc_number,phone,email,org_uscc,'
    + 'org_name,title,city,fields,keywords,segments,honours,tier,status,notes');
  const orgLines = (await readFile(orgsFile, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.equal(orgLines.length, 1001);
  // the same seed gives the same bytes; --offset continues where a file ended
  const file2 = path.join(d, 'again.csv');
  await runOk(['demo', '--synthetic', '50', '--seed', '3', '--csv', file2]);
  assert.equal(await readFile(file2, 'utf8'), await readFile(file, 'utf8'));
  const file3 = path.join(d, 'tail.csv');
  await runOk(['demo', '--synthetic', '20', '--offset', '30', '--seed', '3', '--csv', file3]);
  const tail = (await readFile(file3, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.deepEqual(tail, [lines[0], ...lines.slice(31)]);
  // another seed: other people
  const file4 = path.join(d, 'other.csv');
  await runOk(['demo', '--synthetic', '50', '--seed', '4', '--csv', file4]);
  assert.notEqual(await readFile(file4, 'utf8'), await readFile(file, 'utf8'));
});

test('usage: bad arguments are refused; --help names what is not loaded yet', async () => {
  for (const args of [['--synthetic'], ['--synthetic', '-1'], ['--synthetic', 'x'], ['--csv', 'f.csv'], ['--offset', '5'],
    ['--synthetic', '10', '--offset', '49999995'], ['--synthetic', '10', '--no-accounts'], ['extra']]) {
    const r = await run(['demo', ...args, '--dir', inst.dir]);
    assert.equal(r.code, 2, `demo ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /usage: guanggu demo/);
  }
  const h = await runOk(['demo', '--help']);
  assert.match(h.stdout, /academician projects follow in later issues/);
  assert.match(h.stdout, /demo \[--no-accounts\]/);
});
