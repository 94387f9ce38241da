// The permission matrix: one account per role (scoped roles with a scope)
// walks every route of src/http/routes.tbl, once with a session and once
// with a bearer token, and anonymously; each answer is compared with
// EXPECTED below, written by hand. A route of routes.tbl without a row in
// EXPECTED fails the test, so a new route cannot land without a decision.
//
// "Gets through" means the answer is not a refusal of the caller: not 401
// (unauthenticated, session_expired, invalid_token) and not 403 forbidden.
// Any other answer (200, 201, 204, 400, 404, 409, 410, 412 ...) means the
// permission check let the request through to the handler.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Client, PASSWORD, ROLES, addUser, cliToken, problemOf, readRoutes, runOk, setup,
} from './lib.mjs';

const PUBLIC = 'public'; /* every role, and no login at all */
const EVERYONE = ROLES;
const ADMIN = ['bureau_admin'];
const ADMIN_OFFICER = ['bureau_admin', 'bureau_officer'];
/* The registry (role.c): the target talent is talent 1 of org 1 with p-commissioner as its commissioner, so every scoped role sees it. */
const ORGS_READ = ['bureau_admin', 'bureau_officer', 'commissioner', 'employer', 'leader'];
const TALENTS_READ = ['bureau_admin', 'bureau_officer', 'commissioner', 'employer', 'talent', 'leader'];
const TALENTS_WRITE = ['bureau_admin', 'bureau_officer', 'employer'];
const EXPORT = ['bureau_admin', 'bureau_officer', 'employer', 'leader'];
/* pii_read: officer and admin, and a talent for itself (talent:1 is the target) */
const PII = ['bureau_admin', 'bureau_officer', 'talent'];
/* Recruitment orders and recognitions (issue 5): finance and leaders read, employers act for their own organisation. */
const ORDERS_READ = ['bureau_admin', 'bureau_officer', 'finance', 'employer', 'leader'];
const ORDERS_WRITE = ['bureau_admin', 'bureau_officer', 'employer'];
/* The recruitment list and strategic decisions (role.c grants, issue 5): the employer works for org 1, its own */
const RECOMMENDATIONS_READ = ['bureau_admin', 'bureau_officer', 'employer', 'leader'];
const RECOMMENDATIONS_WRITE = ['bureau_admin', 'employer'];
const RECOMMENDATIONS_REVIEW = ['bureau_admin', 'bureau_officer'];
const RECOGNITIONS_READ = ['bureau_admin', 'bureau_officer', 'finance', 'commissioner', 'employer', 'talent', 'leader'];
/* policy_read (role.c): the bureau, finance, commissioners, employers and leaders read the rules and simulate */
/* payments (issue 6) */
const PAYMENTS_READ = ['bureau_admin', 'bureau_officer', 'finance', 'talent', 'leader'];
const RUNS_READ = ['bureau_admin', 'bureau_officer', 'finance', 'leader'];
const PAYMENTS_APPROVE = ['bureau_admin', 'finance'];
const POLICY_READ = ['bureau_admin', 'bureau_officer', 'finance', 'commissioner', 'employer', 'leader'];
/* Annual verification (issue 6, role.c): readers within their scope; employers (org 1) and the bureau answer; the bureau reviews */
const VERIFICATIONS_READ = ['bureau_admin', 'bureau_officer', 'finance', 'employer', 'talent', 'leader'];
const VERIFICATIONS_SUBMIT = ['bureau_admin', 'bureau_officer', 'employer'];
const VERIFICATIONS_REVIEW = ['bureau_admin', 'bureau_officer'];

/* ledger_read (role.c): the bureau, finance and leaders read the fund's ledger */
const LEDGER_READ = ['bureau_admin', 'bureau_officer', 'finance', 'leader'];
const STATEMENT_READ = ['bureau_admin', 'bureau_officer', 'finance', 'employer', 'talent', 'leader'];
/* The digital talent card (issue 7, role.c): readers within their scope (a bank its queue, a talent its card, a
   commissioner its talents'); applicants; the bureau reviews; the bank issues and reads the applicant's data */
const CARDS_READ = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent', 'bank', 'leader'];
const CARDS_APPLY = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent'];
const CARDS_REVIEW = ['bureau_admin', 'bureau_officer'];
const CARDS_ISSUE = ['bureau_admin', 'bank'];
/* Benefits and loans (issue 7, role.c): the catalogue is read by every holder of benefits_read; a provider
   (org:3) reads its own items and never a card's benefits list (403 in the handler: it sees cards only at its
   counter); loans are read by scope in the handler (talent, commissioner, bank, the bureau; others 403) */
const BENEFITS_READ = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent', 'provider', 'leader'];
const BENEFITS_WRITE = ['bureau_admin', 'bureau_officer'];
const BENEFITS_BOOK = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent'];
const BENEFITS_REDEEM = ['bureau_admin', 'provider'];
const CARD_BENEFITS = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent', 'leader'];
const LOANS_READ = ['bureau_admin', 'bureau_officer', 'commissioner', 'talent', 'bank'];
const LOANS_REQUEST = ['bureau_admin', 'commissioner', 'talent'];
const LOANS_HANDLE = ['bureau_admin', 'bank'];
/* Which roles get through each route. By hand: do not generate this from role.c. */
const EXPECTED = {
  'GET /healthz': PUBLIC,
  'GET /metrics': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': EVERYONE,
  'POST /api/v1/auth/password': EVERYONE,
  'GET /api/v1/me': EVERYONE,
  'GET /api/v1/roles': EVERYONE,
  /* every account has an inbox; each sees only its own tasks (tasks.test.mjs) */
  'GET /api/v1/tasks': EVERYONE,
  'GET /api/v1/tasks/summary': EVERYONE,
  'GET /api/v1/users': ADMIN_OFFICER,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/{id}': ADMIN_OFFICER,
  'PATCH /api/v1/users/{id}': ADMIN,
  'POST /api/v1/users/{id}/password-reset': ADMIN,
  'GET /api/v1/users/{id}/tokens': ADMIN,
  'POST /api/v1/users/{id}/tokens': ADMIN,
  'DELETE /api/v1/tokens/{id}': ADMIN,
  'GET /api/v1/invitations': ADMIN_OFFICER,
  'POST /api/v1/invitations': ADMIN_OFFICER,
  'GET /api/v1/invitations/lookup': PUBLIC,
  'POST /api/v1/invitations/activate': PUBLIC,
  'GET /api/v1/audit': ADMIN,
  'GET /api/v1/vocabulary': EVERYONE,
  'GET /api/v1/stats/registry': TALENTS_READ,
  'GET /api/v1/orgs/export': EXPORT,
  'GET /api/v1/orgs': ORGS_READ,
  'POST /api/v1/orgs': ADMIN_OFFICER,
  'GET /api/v1/orgs/{id}': ORGS_READ,
  'PATCH /api/v1/orgs/{id}': ADMIN_OFFICER,
  'GET /api/v1/talents/export': EXPORT,
  'GET /api/v1/talents/duplicates': ADMIN_OFFICER,
  'POST /api/v1/talents/duplicates/dismiss': ADMIN_OFFICER,
  'GET /api/v1/talents': TALENTS_READ,
  'POST /api/v1/talents': TALENTS_WRITE,
  'GET /api/v1/talents/{id}': TALENTS_READ,
  'PATCH /api/v1/talents/{id}': TALENTS_WRITE,
  'POST /api/v1/talents/{id}/reveal': PII,
  /* talents_read lets them through the router; the handler lets only the talent itself and the bureau see the reads */
  'GET /api/v1/talents/{id}/pii-reads': PII,
  'GET /api/v1/talents/{id}/history': TALENTS_READ,
  'POST /api/v1/talents/{id}/merge': ADMIN_OFFICER,
  'POST /api/v1/imports/talents': ADMIN_OFFICER,
  'POST /api/v1/imports/orgs': ADMIN_OFFICER,
  /* recruitment orders and real-time recognition (orders.test.mjs has the scopes) */
  'GET /api/v1/orders': ORDERS_READ,
  'POST /api/v1/orders': ORDERS_WRITE,
  'GET /api/v1/orders/{id}': ORDERS_READ,
  'POST /api/v1/orders/{id}/close': ORDERS_WRITE,
  'POST /api/v1/orders/{id}/hires': ORDERS_WRITE,
  'GET /api/v1/recognitions': RECOGNITIONS_READ,
  'GET /api/v1/recognitions/{id}': RECOGNITIONS_READ,
  /* the recruitment list: drafting is the employer's (and the administrator's), reviewing the bureau's */
  'GET /api/v1/recommendations': RECOMMENDATIONS_READ,
  'POST /api/v1/recommendations': RECOMMENDATIONS_WRITE,
  'GET /api/v1/recommendations/quota': RECOMMENDATIONS_READ,
  'GET /api/v1/recommendations/{id}': RECOMMENDATIONS_READ,
  'PATCH /api/v1/recommendations/{id}': RECOMMENDATIONS_WRITE,
  'POST /api/v1/recommendations/{id}/submit': RECOMMENDATIONS_WRITE,
  'POST /api/v1/recommendations/{id}/withdraw': RECOMMENDATIONS_WRITE,
  'POST /api/v1/recommendations/{id}/review': RECOMMENDATIONS_REVIEW,
  'POST /api/v1/recommendations/{id}/approve': RECOMMENDATIONS_REVIEW,
  'POST /api/v1/recommendations/{id}/reject': RECOMMENDATIONS_REVIEW,
  'POST /api/v1/recommendations/{id}/return': RECOMMENDATIONS_REVIEW,
  /* strategic scientists: decided by the bureau, read like recognitions (each reader within its talents) */
  'GET /api/v1/strategic-decisions': RECOGNITIONS_READ,
  'POST /api/v1/strategic-decisions': ADMIN_OFFICER,
  'GET /api/v1/strategic-decisions/{id}': RECOGNITIONS_READ,
  /* the policy packs and the simulation: read-only, no scope */
  'GET /api/v1/policy/packs': POLICY_READ,
  'POST /api/v1/policy/simulate': POLICY_READ,
  'GET /api/v1/ledger/balances': LEDGER_READ,
  /* annual verification and its evidence files (issue 6) */
  'GET /api/v1/verifications': VERIFICATIONS_READ,
  'POST /api/v1/verifications/open-due': VERIFICATIONS_REVIEW,
  'GET /api/v1/verifications/{id}': VERIFICATIONS_READ,
  'POST /api/v1/verifications/{id}/submit': VERIFICATIONS_SUBMIT,
  'POST /api/v1/verifications/{id}/files': VERIFICATIONS_SUBMIT,
  'POST /api/v1/verifications/{id}/accept': VERIFICATIONS_REVIEW,
  'POST /api/v1/verifications/{id}/return': VERIFICATIONS_REVIEW,
  'POST /api/v1/verifications/{id}/lapse': VERIFICATIONS_REVIEW,
  'GET /api/v1/files/{id}': VERIFICATIONS_READ,
  /* the fund's reports (api_reports.c): the statement also for a talent (its own) and an employer (its talents) */
  'GET /api/v1/reports/forecast': LEDGER_READ,
  'GET /api/v1/reports/position': LEDGER_READ,
  'GET /api/v1/reports/register': LEDGER_READ,
  'GET /api/v1/reports/statement': STATEMENT_READ,
  /* payees and payment runs (issue 6): runs are the bureau's and finance's (a talent is refused in the handler);
     a talent reads its own payee and payments and is the only one who confirms its payee account */
  'GET /api/v1/plans/{id}/payee': PAYMENTS_READ,
  'PUT /api/v1/plans/{id}/payee': ADMIN_OFFICER,
  'POST /api/v1/plans/{id}/payee/confirm': ['talent'],
  'GET /api/v1/payment-runs': RUNS_READ,
  'POST /api/v1/payment-runs': ADMIN_OFFICER,
  'GET /api/v1/payment-runs/{id}': RUNS_READ,
  'POST /api/v1/payment-runs/{id}/approve': PAYMENTS_APPROVE,
  'POST /api/v1/payment-runs/{id}/reject': PAYMENTS_APPROVE,
  'GET /api/v1/payment-runs/{id}/bank-file': PAYMENTS_APPROVE,
  'POST /api/v1/payment-runs/{id}/bank-result': PAYMENTS_APPROVE,
  'GET /api/v1/payment-runs/{id}/sheet': RUNS_READ,
  'GET /api/v1/payments': PAYMENTS_READ,
  'POST /api/v1/payments/{id}/clawbacks': PAYMENTS_APPROVE,
  /* plans (issue 6, api_plans.c): read like recognitions (each reader within its scope); tranches and
     cancellation are the bureau's (plans_write) */
  'GET /api/v1/plans/{id}': RECOGNITIONS_READ,
  'POST /api/v1/plans/{id}/tranches': ADMIN_OFFICER,
  'POST /api/v1/plans/{id}/cancel': ADMIN_OFFICER,
  /* the digital talent card (issue 7, api_cards.c): another bank's card is 404 in the handler, not a refusal */
  'GET /api/v1/cards': CARDS_READ,
  'POST /api/v1/cards': CARDS_APPLY,
  'GET /api/v1/cards/stats': CARDS_READ,
  'GET /api/v1/cards/banks': CARDS_APPLY,
  'GET /api/v1/cards/notice': CARDS_APPLY,
  'GET /api/v1/cards/{id}': CARDS_READ,
  'GET /api/v1/cards/{id}/events': CARDS_READ,
  'POST /api/v1/cards/{id}/approve': CARDS_REVIEW,
  'POST /api/v1/cards/{id}/reject': CARDS_REVIEW,
  'POST /api/v1/cards/{id}/suspend': CARDS_REVIEW,
  'POST /api/v1/cards/{id}/resume': CARDS_REVIEW,
  'POST /api/v1/cards/{id}/revoke': CARDS_REVIEW,
  'POST /api/v1/cards/{id}/accept': CARDS_ISSUE,
  'POST /api/v1/cards/{id}/issue': CARDS_ISSUE,
  'POST /api/v1/cards/{id}/bank-reject': CARDS_ISSUE,
  'GET /api/v1/cards/{id}/applicant': CARDS_ISSUE,
  'POST /api/v1/cards/{id}/token': CARDS_READ,
  /* benefits (issue 7, api_benefits.c) */
  'GET /api/v1/benefits/categories': BENEFITS_READ,
  'GET /api/v1/benefits/items': BENEFITS_READ,
  'POST /api/v1/benefits/items': BENEFITS_WRITE,
  'GET /api/v1/benefits/items/{id}': BENEFITS_READ,
  'PATCH /api/v1/benefits/items/{id}': BENEFITS_WRITE,
  'GET /api/v1/benefits/items/{id}/slots': BENEFITS_READ,
  'POST /api/v1/benefits/items/{id}/slots': BENEFITS_WRITE,
  'POST /api/v1/benefits/check': BENEFITS_REDEEM,
  'GET /api/v1/cards/{id}/benefits': CARD_BENEFITS,
  'GET /api/v1/bookings': BENEFITS_READ,
  'POST /api/v1/bookings': BENEFITS_BOOK,
  'POST /api/v1/bookings/{id}/cancel': BENEFITS_BOOK,
  'GET /api/v1/redemptions': BENEFITS_READ,
  'POST /api/v1/redemptions': BENEFITS_REDEEM,
  /* loans (issue 7, api_loans.c) */
  'GET /api/v1/loans': LOANS_READ,
  'POST /api/v1/loans': LOANS_REQUEST,
  'GET /api/v1/loans/{id}': LOANS_READ,
  'POST /api/v1/loans/{id}/accept': LOANS_HANDLE,
  'POST /api/v1/loans/{id}/approve': LOANS_HANDLE,
  'POST /api/v1/loans/{id}/decline': LOANS_HANDLE,
  'POST /api/v1/loans/{id}/withdraw': LOANS_REQUEST,
  /* the digital card's verifier and its keys (issue 7, api_cardtoken.c): anyone verifies and reads the public
     keys; rotating the signing key is card_keys_manage, which only the administrator holds */
  'GET /api/v1/cards/verify': PUBLIC,
  'GET /api/v1/cards/keys': PUBLIC,
  'POST /api/v1/cards/keys/rotate': ADMIN,
};

let inst;
let admin;
let routes;
let targetId;
let tokenId;
let orgId;
let talentId;
const sessions = {};
const bearers = {};

/* Roles whose accounts take a scope (TEST_SCOPES): made once the records they name exist. */
const SCOPED = ['station_operator', 'employer', 'talent', 'bank', 'provider'];

before(async () => {
  inst = await setup({
    users: [
      ...ROLES.filter((r) => !SCOPED.includes(r)).map((r) => ({ name: `p-${r}`, roles: [r] })),
      { name: 'target', roles: ['leader'] },
    ],
  });
  routes = await readRoutes();
  admin = inst.server.client();
  await admin.login('p-bureau_admin');
  targetId = (await admin.get('/api/v1/users?q=target')).json.items.find((u) => u.username === 'target').id;
  const t = await admin.post(`/api/v1/users/${targetId}/tokens`, { label: 'to-revoke' });
  assert.equal(t.status, 201, t.text);
  tokenId = t.json.id;
  /* the registry's target: org 1 and its talent 1, assigned to p-commissioner */
  const o = await admin.post('/api/v1/orgs', { name: '权限示例单位', kind: 'leading_enterprise' });
  assert.equal(o.status, 201, o.text);
  orgId = o.json.id;
  assert.equal(orgId, 1, 'the target organisation must be org 1 (employer is scoped to org:1)');
  const commissionerId = (await admin.get('/api/v1/users?q=p-commissioner')).json.items[0].id;
  const tl = await admin.post('/api/v1/talents', { name: '权示例', org_id: orgId, commissioner_id: commissionerId });
  assert.equal(tl.status, 201, tl.text);
  talentId = tl.json.id;
  assert.equal(talentId, 1, 'the target talent must be talent 1 (talent is scoped to talent:1)');
  /* what the other scopes name: org 2 for the bank, org 3 for the provider, station 1 */
  for (const [name, kind, id] of [['权限示例银行', 'bank', 2], ['权限示例服务机构', 'service_provider', 3]]) {
    const b = await admin.post('/api/v1/orgs', { name, kind });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json.id, id, `${kind} must be org ${id} (TEST_SCOPES)`);
  }
  const st = await runOk(['station', 'add', '权限示例站', '--city', '上海', '--dir', inst.dir]);
  assert.match(st.stdout, /^station 1 /, 'the station must be station 1 (TEST_SCOPES)');
  for (const r of SCOPED) await addUser(inst.dir, `p-${r}`, [r]);
  for (const r of ROLES) {
    const c = inst.server.client();
    await c.login(`p-${r}`);
    sessions[r] = c;
    const b = inst.server.client();
    b.bearer = await cliToken(inst.dir, `p-${r}`, `perm-${r}`);
    bearers[r] = b;
  }
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

const key = (r) => `${r.method} ${r.path}`;

/* A small multipart/form-data upload of a header-only CSV file (no rows to import). */
function multipartCsv(csv) {
  const boundary = 'gg-permissions-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="empty.csv"\r\n`
    + `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { body: Buffer.from(body, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

/* A request that would pass validation for a caller who is allowed. */
async function requestFor(route, who) {
  let p = route.path
    .replace('/api/v1/tokens/{id}', `/api/v1/tokens/${tokenId}`)
    .replace('/api/v1/orgs/{id}', `/api/v1/orgs/${orgId}`)
    .replace('/api/v1/talents/{id}', `/api/v1/talents/${talentId}`)
    .replace(/\{[a-z_]+\}/g, String(targetId));
  const opts = { headers: {} };
  switch (key(route)) {
    case 'POST /api/v1/auth/login':
      opts.json = { username: `nobody-${who}`, password: 'not-a-password-at-all' };
      break;
    case 'POST /api/v1/auth/password':
      opts.json = { current_password: 'not-the-current-one', new_password: 'Some-Other-Password-5' };
      break;
    case 'POST /api/v1/users':
      opts.json = { username: `made-by-${who}`, roles: [{ role: 'expert' }], password: PASSWORD };
      break;
    case 'PATCH /api/v1/users/{id}':
      opts.json = { display_name: `changed by ${who}` };
      opts.headers['If-Match'] = (await admin.get(`/api/v1/users/${targetId}`)).headers.get('etag');
      break;
    case 'POST /api/v1/users/{id}/tokens':
      opts.json = { label: `by-${who}` };
      break;
    case 'POST /api/v1/invitations':
      opts.json = { username: `inv-${who}`, role: 'employer', scope: 'org:1' };
      break;
    case 'GET /api/v1/invitations/lookup':
      p += '?token=no-such-invitation-token';
      break;
    case 'POST /api/v1/invitations/activate':
      opts.json = { token: 'no-such-invitation-token', password: PASSWORD };
      break;
    case 'POST /api/v1/imports/talents':
      Object.assign(opts, multipartCsv('姓名,证件号码\r\n'));
      break;
    case 'POST /api/v1/imports/orgs':
      Object.assign(opts, multipartCsv('名称,统一社会信用代码\r\n'));
      break;
    case 'GET /api/v1/reports/statement':
      p += '?talent=1';
      break;
    case 'POST /api/v1/policy/simulate':
      opts.json = { salary: '1200000', start: '2024-03-01' };
      break;
    default:
      if (route.body) opts.json = {};
  }
  return { path: p, opts };
}

/* 'allow' | 'deny', or throws on an answer that is neither a pass nor a plain refusal. */
function verdict(r, what) {
  const code = r.problem && r.problem.code;
  if (r.status === 401 && ['unauthenticated', 'session_expired', 'invalid_token'].includes(code)) return 'deny';
  if (r.status === 403 && code === 'forbidden') return 'deny';
  if (r.status === 403 || r.status >= 500) throw new Error(`${what}: unexpected ${r.status} ${r.text}`);
  return 'allow';
}

/* Walks every route as `who` with client c (logout last, it ends the session). */
async function walk(c, who) {
  const got = {};
  const order = [...routes].sort((a, b) => (key(a) === 'POST /api/v1/auth/logout') - (key(b) === 'POST /api/v1/auth/logout'));
  for (const route of order) {
    const { path, opts } = await requestFor(route, who);
    const r = await c.req(route.method, path, opts);
    got[key(route)] = { verdict: verdict(r, `${key(route)} as ${who}`), status: r.status, code: r.problem && r.problem.code };
  }
  return got;
}

test('every route of routes.tbl has a decision in EXPECTED, and EXPECTED no stale row', () => {
  const missing = routes.filter((r) => !(key(r) in EXPECTED)).map(key);
  assert.deepEqual(missing, [], `routes without an expected allow/deny decision: ${missing.join(', ')}`);
  const stale = Object.keys(EXPECTED).filter((k) => !routes.some((r) => key(r) === k));
  assert.deepEqual(stale, [], `EXPECTED rows for routes not in routes.tbl: ${stale.join(', ')}`);
});

for (const kind of ['session', 'token']) {
  test(`each role's ${kind} gets through exactly the routes EXPECTED says`, async () => {
    const wrong = [];
    for (const role of ROLES) {
      const c = kind === 'session' ? sessions[role] : bearers[role];
      const got = await walk(c, `${role}-${kind}`);
      for (const route of routes) {
        const exp = EXPECTED[key(route)];
        if (exp === undefined) {
          if (!wrong.includes(`${key(route)}: no decision in EXPECTED`)) wrong.push(`${key(route)}: no decision in EXPECTED`);
          continue;
        }
        const want = exp === PUBLIC || exp.includes(role) ? 'allow' : 'deny';
        const g = got[key(route)];
        if (g.verdict !== want) wrong.push(`${key(route)} as ${role} (${kind}): expected ${want}, got ${g.status} ${g.code || ''}`);
      }
    }
    assert.deepEqual(wrong, [], `permission matrix mismatches:\n${wrong.join('\n')}`);
  });
}

test('without credentials only the public routes answer; the others 401 unauthenticated', async () => {
  const c = new Client(inst.server.url);
  const wrong = [];
  for (const route of routes) {
    const { path, opts } = await requestFor(route, 'anonymous');
    const r = await c.req(route.method, path, opts);
    const pub = EXPECTED[key(route)] === PUBLIC;
    if (pub && verdict(r, `${key(route)} anonymously`) !== 'allow') wrong.push(`${key(route)}: public but answered ${r.status}`);
    if (!pub && !(r.status === 401 && r.problem && r.problem.code === 'unauthenticated')) {
      wrong.push(`${key(route)}: expected 401 unauthenticated, got ${r.status} ${r.text}`);
    }
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
  /* sanity: a refusal really is problem+json */
  problemOf(assert, await c.get('/api/v1/audit'), 401, 'unauthenticated');
});
