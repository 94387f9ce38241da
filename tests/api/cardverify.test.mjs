// The public card verifier (issue 7, api_cardtoken.c): GET /api/v1/cards/verify
// judges a token without a login, GET /api/v1/cards/keys publishes the public
// keys, POST /api/v1/cards/keys/rotate makes a new signing key.
//
// The tokens are made here, by node's own Ed25519 (node:crypto), in the format
// cardtoken.h documents (GC1.kid.card.tier.expires_at.signature, the signature
// over every byte before the last '.', unpadded base64url): the key's public
// half goes into card_keys with a dummy sealed secret, so the server verifies
// tokens it did not make, which proves the format is the documented one. The
// cards, their talents, a bank, a provider and the benefit catalogue are rows
// written with the sqlite3 shell before the server starts.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  Client, Server, addUser, initDir, nowSeconds, problemOf, removeDir, tempDir,
} from './lib.mjs';

const exec = promisify(execFile);

let dir;
let server;
let limitedDir;
let limited; /* a second installation's server with verify_rate_per_minute 3 (one server an installation) */
let anon;
let admin;
let talent;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const PUB = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
const other = generateKeyPairSync('ed25519'); /* a key the installation does not know */

/* A token in the documented format, signed by key (node's KeyObject). */
function token({ kid = 'n1', card = 1, tier = 'leading_talent', exp = nowSeconds() + 300, key = privateKey } = {}) {
  const signed = `GC1.${kid}.${card}.${tier}.${exp}`;
  return `${signed}.${sign(null, Buffer.from(signed), key).toString('base64url')}`;
}

const verify = (c, t) => c.get(`/api/v1/cards/verify?token=${encodeURIComponent(t)}`);

const SQL = `
INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES
  (1, '验证测试银行', 'yan zheng ce shi yin hang', 'bank', 0, 0),
  (2, '验证测试医院', 'yan zheng ce shi yi yuan', 'service_provider', 0, 0);
INSERT INTO talents (id, name, pinyin, pinyin_key, tier, created_at, updated_at) VALUES
  (1, '持卡甲', 'chi ka jia', 'chikajia', 'leading_talent', 0, 0),
  (2, '持卡乙', 'chi ka yi', 'chikayi', 'leading_talent', 0, 0),
  (3, '持卡丙', 'chi ka bing', 'chikabing', 'leading_talent', 0, 0),
  (4, '持卡丁', 'chi ka ding', 'chikading', 'leading_talent', 0, 0),
  (5, '持卡戊', 'chi ka wu', 'chikawu', 'leading_talent', 0, 0),
  (6, '持卡己', 'chi ka ji', 'chikaji', 'leading_talent', 0, 0);
INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, applied_at,
                   card_no, valid_from, valid_to, reason, updated_at) VALUES
  (1, 1, 1, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000017', '2025-01-01', '2099-01-01', NULL, 0),
  (2, 2, 1, 'revoked', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000025', '2025-01-01', '2099-01-01', 'lost', 0),
  (3, 3, 1, 'suspended', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000033', '2025-01-01', '2099-01-01', 'check', 0),
  (4, 4, 1, 'issuing', 'leading_talent', 1, printf('%064d', 0), 0, 0, NULL, NULL, NULL, NULL, 0),
  (5, 5, 1, 'expired', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000058', '2020-01-01', '2023-01-01', NULL, 0),
  (6, 6, 1, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000066', '2020-01-01', '2023-01-01', NULL, 0);
INSERT INTO benefit_items (id, category, name, name_en, provider_id, annual_quota, needs_booking, active,
                           created_at, updated_at) VALUES
  (1, 'medical_services', '年度体检', 'Annual health check-up', 2, 1, 1, 1, 0, 0),
  (2, 'housing', '人才公寓', 'Talent flat', 2, NULL, 0, 1, 0, 0),
  (3, 'leisure_holidays', '停办的权益', 'Retired benefit', 2, 2, 0, 0, 0, 0),
  (4, 'financing', '另一层次的权益', 'Another tier''s benefit', 2, 3, 0, 1, 0, 0);
INSERT INTO benefit_item_tiers (item_id, tier) VALUES (1, 'leading_talent'), (2, 'leading_talent'),
  (3, 'leading_talent'), (4, 'high_level');
INSERT INTO card_keys (kid, public_key, secret_enc, created_at) VALUES ('n1', X'${PUB.toString('hex')}', X'00', 1767225600);
`;

before(async () => {
  dir = await tempDir();
  await initDir(dir);
  await exec('sqlite3', [path.join(dir, 'guanggu.db'), SQL]);
  await addUser(dir, 'keys-admin', ['bureau_admin']);
  await addUser(dir, 'card-talent', [{ role: 'talent', scope: 'talent:1' }]);
  server = await Server.start(dir);
  limitedDir = await tempDir();
  await initDir(limitedDir);
  await exec('sqlite3', [path.join(limitedDir, 'guanggu.db'), SQL]);
  limited = await Server.start(limitedDir, { args: ['--verify-rate-per-minute', '3', '--trusted-proxy', '127.0.0.1'] });
  anon = new Client(server.url);
  admin = await server.loggedIn('keys-admin');
  talent = await server.loggedIn('card-talent');
});

after(async () => {
  const a = server ? await server.stop() : { code: 0 };
  const b = limited ? await limited.stop() : { code: 0 };
  await removeDir(dir);
  if (limitedDir) await removeDir(limitedDir);
  assert.equal(a.code, 0, `server exit: ${JSON.stringify(a)}`);
  assert.equal(b.code, 0, `rate-limited server exit: ${JSON.stringify(b)}`);
});

test('a valid token of an active card: the tier, the expiry, the validity and the benefits, nothing about the holder', async () => {
  const exp = nowSeconds() + 300;
  const r = await verify(anon, token({ exp }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Object.keys(r.json), ['valid', 'tier', 'expires_at', 'valid_to', 'benefits']);
  assert.equal(r.json.valid, true);
  assert.equal(r.json.tier, 'leading_talent');
  assert.equal(r.json.expires_at, new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  assert.equal(r.json.valid_to, '2099-01-01');
  /* the active items of the tier, in category order; a retired item and another tier's are left out */
  assert.deepEqual(r.json.benefits, [
    {
      id: 1, category: 'medical_services', name: '年度体检', name_en: 'Annual health check-up',
      provider: { id: 2, name: '验证测试医院' }, annual_quota: 1, needs_booking: true,
    },
    {
      id: 2, category: 'housing', name: '人才公寓', name_en: 'Talent flat',
      provider: { id: 2, name: '验证测试医院' }, annual_quota: null, needs_booking: false,
    },
  ]);
  /* who holds it never leaks: no name, card number, card id or bank */
  for (const secret of ['持卡甲', '8156000000000017', '验证测试银行', '"card', '"talent', '"holder']) {
    assert.ok(!r.text.includes(secret), `the verdict mentions '${secret}': ${r.text}`);
  }
});

test('forged, truncated, expired, unknown-key and wrong-key tokens each give their reason', async () => {
  const good = token();
  const signed = good.slice(0, good.lastIndexOf('.'));
  const sig = good.slice(good.lastIndexOf('.'));
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const cases = [
    ['tier raised', signed.replace('leading_talent', 'strategic_scientist') + sig, 'bad_signature'],
    ['card swapped', signed.replace('.1.', '.2.') + sig, 'bad_signature'],
    ['expiry extended', signed.replace(/\.(\d+)$/, (m, e) => `.${Number(e) + 3600}`) + sig, 'bad_signature'],
    ['signature changed', flip(good, good.length - 10), 'bad_signature'],
    ['signed by a key it does not name', token({ key: other.privateKey }), 'bad_signature'],
    ['truncated', good.slice(0, good.length - 5), 'malformed'],
    ['no signature', signed, 'malformed'],
    ['not a token', 'hello', 'malformed'],
    ['too long', `${good}${'A'.repeat(300)}`, 'malformed'],
    ['expired', token({ exp: nowSeconds() - 1 }), 'expired'],
    ['unknown key', token({ kid: 'zz9' }), 'unknown_key'],
  ];
  for (const [what, t, reason] of cases) {
    const r = await verify(anon, t);
    assert.equal(r.status, 200, `${what}: ${r.text}`);
    assert.deepEqual(r.json, { valid: false, reason }, `${what}: ${r.text}`);
  }
});

test('the card decides online: revoked, suspended, not yet active, expired, unknown', async () => {
  const cases = [
    [2, 'revoked'], [3, 'suspended'], [4, 'not_active'], [5, 'expired'], [6, 'expired'], [999, 'not_active'],
  ];
  for (const [card, reason] of cases) {
    const r = await verify(anon, token({ card }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { valid: false, reason }, `card ${card}: ${r.text}`);
  }
  /* a revocation takes effect at once: the same token, valid a moment ago, is refused */
  const t = token({ card: 1 });
  assert.equal((await verify(anon, t)).json.valid, true);
  await exec('sqlite3', [path.join(dir, 'guanggu.db'), "UPDATE cards SET status = 'revoked', reason = 'test' WHERE id = 1"]);
  try {
    assert.deepEqual((await verify(anon, t)).json, { valid: false, reason: 'revoked' });
  } finally {
    await exec('sqlite3', [path.join(dir, 'guanggu.db'), "UPDATE cards SET status = 'active', reason = NULL WHERE id = 1"]);
  }
});

test('a missing or empty token is a 400 naming the field (not a card id of /cards/{id})', async () => {
  problemOf(assert, await anon.get('/api/v1/cards/verify'), 400, 'invalid_input', 'token');
  problemOf(assert, await anon.get('/api/v1/cards/verify?token='), 400, 'invalid_input', 'token');
  problemOf(assert, await anon.get(`/api/v1/cards/verify?token=${'A'.repeat(1100)}`), 400, 'invalid_input', 'token');
});

test('one address is limited to verify_rate_per_minute verifications; then 429 with Retry-After', async () => {
  const c = new Client(limited.url);
  for (let i = 0; i < 3; i++) {
    const r = await verify(c, token());
    assert.equal(r.status, 200, `request ${i + 1}: ${r.text}`);
  }
  const r = await verify(c, token());
  problemOf(assert, r, 429, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
  /* the limit is the verifier's only: the keys still answer */
  assert.equal((await c.get('/api/v1/cards/keys')).status, 200);
});

test('behind the trusted proxy, each forwarded client has its own limit (the address the proxy appended last)', async () => {
  const c = new Client(limited.url);
  const as = (xff) => c.get(`/api/v1/cards/verify?token=${token()}`, { headers: { 'X-Forwarded-For': xff } });
  for (let i = 0; i < 3; i++) assert.equal((await as('203.0.113.5')).status, 200);
  problemOf(assert, await as('203.0.113.5'), 429, 'too_many_requests');
  /* a client cannot escape by writing its own X-Forwarded-For before the proxy's entry */
  problemOf(assert, await as('198.51.100.1, 203.0.113.5'), 429, 'too_many_requests');
  assert.equal((await as('203.0.113.6')).status, 200, 'another client is not held back');
});

test('the keys: a keys file as text by default, a list with ?format=json', async () => {
  const t = await anon.get('/api/v1/cards/keys');
  assert.equal(t.status, 200, t.text);
  assert.match(t.headers.get('content-type'), /^text\/plain/);
  const lines = t.text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(lines, [`n1 ${PUB.toString('base64url')}`]);
  const j = await anon.get('/api/v1/cards/keys?format=json');
  assert.equal(j.status, 200, j.text);
  assert.deepEqual(j.json, {
    items: [{ kid: 'n1', public_key: PUB.toString('base64url'), created_at: '2026-01-01T00:00:00Z', retired_at: null }],
  });
  problemOf(assert, await anon.get('/api/v1/cards/keys?format=xml'), 400, 'invalid_input', 'format');
});

test('rotation: an administrator makes a new signing key (201), a talent may not (403); old tokens stay valid', async () => {
  problemOf(assert, await talent.post('/api/v1/cards/keys/rotate'), 403, 'forbidden');
  problemOf(assert, await anon.post('/api/v1/cards/keys/rotate'), 401, 'unauthenticated');
  const r = await admin.post('/api/v1/cards/keys/rotate');
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.kid, /^k\d+$/);
  const keys = (await anon.get('/api/v1/cards/keys?format=json')).json.items;
  assert.deepEqual(keys.map((k) => k.kid), ['n1', r.json.kid]);
  assert.notEqual(keys[0].retired_at, null, 'the old key is retired');
  assert.equal(keys[1].retired_at, null, 'the new key signs');
  /* a token of the retired key verifies until it expires, by its kid */
  assert.equal((await verify(anon, token())).json.valid, true);
  const audit = await admin.get('/api/v1/audit?action=card_key.rotate');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((a) => a.action === 'card_key.rotate'), audit.text);
});
