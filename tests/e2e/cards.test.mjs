// Browser test of the digital talent card (人才卡, issue 7) against a real
// `guanggu serve` with the demo data: a talent without a card applies on a
// phone (360 px), choosing the demo bank and consenting to its notice; the
// bank's user accepts the application in its queue, reads the applicant's
// data (an audited reveal) and reports the co-branded debit card issued;
// the card page then shows the QR (SVG), the number in groups of four, the
// 8-digit code and its countdown, without sideways scrolling; the talent
// books today's slot of the health check-up (quota 1 a year, needs a
// booking); the check-up's provider types the code at its counter, sees
// the card valid with the check-up and redeems it once; a second
// redemption is refused with the reason shown, and a second booking is
// refused for the quota.
//
// Set-up through the API and the CLI: the talent (an invented talent of a
// tier the check-up includes, with no card yet) gets a login of its own
// (`guanggu user add … --role talent --scope talent:ID`), and so does the
// check-up's provider (--role provider --scope org:ID); the demo bank
// account is the bank. The officer adds a slot of today to the check-up.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, PASSWORD, addUser, run as runCli } from '../api/lib.mjs';
import { noUncaught, newPage, login, step, useDemo } from './lib.mjs';

const OFFICER = 'bureau_officer';
const BANK = 'bank';
const TALENT = 'e2e_card_talent';
const PROVIDER = 'e2e_checkup_provider';
const LAST4 = '6688';

const run = useDemo();

async function client(username, password) {
  const c = new Client(run.demo.url);
  await c.login(username, password || run.demo.accounts[username]);
  return c;
}

function items(r) {
  return Array.isArray(r.json) ? r.json : r.json.items;
}

function scopeOf(me, role) {
  const g = me.user.roles.find((x) => x.role === role);
  assert.ok(g && g.scope, `the ${role} account has a scope: ${JSON.stringify(me.user.roles)}`);
  return Number(g.scope.split(':')[1]);
}

/* The health check-up of the demo catalogue: medical, quota 1 a year, needs a booking. */
async function findCheckup(officer) {
  const r = await officer.get('/api/v1/benefits/items?category=medical_services&limit=200');
  assert.equal(r.status, 200, r.text);
  const all = items(r).filter((i) => i.active !== false && Number(i.annual_quota) === 1 && i.needs_booking);
  const item = all.find((i) => /体检/.test(i.name) || /check/i.test(i.name_en)) || all[0];
  assert.ok(item, `the demo catalogue has a health check-up (quota 1, booking): ${r.text.slice(0, 400)}`);
  const full = await officer.get(`/api/v1/benefits/items/${item.id}`);
  assert.equal(full.status, 200, full.text);
  return full.json;
}

const tiersOf = (item) => (item.tiers || []).map((x) => (typeof x === 'object' ? x.token : x));
const providerOf = (item) => (item.provider && typeof item.provider === 'object' ? item.provider.id : item.provider_id);

/* An invented talent of one of tiers with no card: the first whose card list is empty. */
async function findTalent(officer, tiers) {
  for (const tier of tiers) {
    const r = await officer.get(`/api/v1/talents?tier=${tier}&limit=200`);
    assert.equal(r.status, 200, r.text);
    for (const t of items(r)) {
      const cards = await officer.get(`/api/v1/cards?talent_id=${t.id}&limit=5`);
      assert.equal(cards.status, 200, cards.text);
      if (items(cards).length === 0) return t;
    }
  }
  throw new Error(`no talent of tiers ${tiers.join(', ')} without a card in the demo data`);
}

let shared = null;
async function setup() {
  if (shared) return shared;
  const officer = await client(OFFICER);
  const bank = await client(BANK);
  const bankId = scopeOf((await bank.get('/api/v1/me')).json, 'bank');
  const item = await findCheckup(officer);
  const talent = await findTalent(officer, tiersOf(item));
  await addUser(run.demo.dir, TALENT, [{ role: 'talent', scope: `talent:${talent.id}` }]);
  await addUser(run.demo.dir, PROVIDER, [{ role: 'provider', scope: `org:${providerOf(item)}` }]);
  shared = { officer, bank, bankId, item, talent };
  return shared;
}

async function phonePage(t, username, password) {
  const page = await newPage(run.browser, { url: run.demo.url, viewport: { width: 360, height: 740 } });
  await step(t, page, 'login', () => login(page, username, password));
  return page;
}

async function noSideways(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow})`);
}

test('a talent applies on a phone, the demo bank issues, the card shows its QR, a provider redeems a health check-up once', async (t) => {
  const s = await setup();

  /* 1. The talent applies on a phone. */
  const phone = await phonePage(t, TALENT, PASSWORD);
  let card = null;
  await step(t, phone, 'the talent applies for the card with the demo bank', async () => {
    await phone.goto('/my/card');
    await phone.locator('[data-test=card-apply]').waitFor();
    await phone.locator(`[data-test=card-apply-bank-${s.bankId}]`).click();
    await phone.locator('[data-test=card-notice-text]').waitFor();
    assert.ok((await phone.locator('[data-test=card-notice-field]').count()) >= 1, 'the notice lists the fields sent to the bank');
    assert.ok(await phone.locator('[data-test=card-apply-submit]').isDisabled(), 'no application without consent');
    await phone.locator('[data-test=card-consent]').click();
    await phone.locator('[data-test=card-apply-submit]').click();
    await phone.locator('[data-test=card-status-panel]').waitFor();
    await noSideways(phone);
  });
  const talentApi = await client(TALENT, PASSWORD);
  {
    const r = await talentApi.get('/api/v1/cards');
    assert.equal(r.status, 200, r.text);
    card = items(r)[0];
    assert.ok(card && ['applied', 'approved'].includes(card.status), `the application is there: ${r.text}`);
    assert.equal(card.bank.id, s.bankId);
    if (card.status === 'applied') {
      const a = await s.officer.post(`/api/v1/cards/${card.id}/approve`, {});
      assert.equal(a.status, 200, a.text);
    }
  }

  /* 2. The bank accepts, reads the applicant's data, issues. */
  const bank = await run.signedIn(t, BANK);
  await step(t, bank, 'the bank accepts the application in its queue', async () => {
    await bank.locator('[data-test=nav-card-bank]').first().click();
    await bank.waitForURL((u) => new URL(u).pathname === '/cards/bank');
    await bank.locator(`[data-test=bank-accept-${card.id}]`).click();
    await bank.locator('[data-test=card-dialog-submit]').click();
    await bank.locator(`[data-test=bank-accept-${card.id}]`).waitFor({ state: 'detached' });
  });
  await step(t, bank, 'the bank reads the applicant behind the recorded reveal', async () => {
    await bank.goto(`/cards/${card.id}`);
    await bank.locator('[data-test=card-status]', { hasText: '银行制卡中' }).waitFor();
    await bank.locator('[data-test=card-applicant-reveal]').click();
    await bank.locator('.el-message-box__btns .el-button--primary').click();
    await bank.locator('[data-test=card-applicant-data]').waitFor();
  });
  await step(t, bank, 'the bank reports the debit card issued', async () => {
    await bank.locator('[data-test=card-issue]').click();
    await bank.locator('[data-test=card-issue-last4] input, input[data-test=card-issue-last4]').first().fill(LAST4);
    await bank.locator('[data-test=card-dialog-submit]').click();
    await bank.locator('[data-test=card-status]', { hasText: '已生效' }).waitFor();
    assert.match(await bank.locator('[data-test=card-number]').innerText(), /^8156 \d{4} \d{4} \d{4}$/);
  });
  noUncaught(bank);
  await bank.context().close();

  /* A slot of today for the check-up (the officer's catalogue work, through the API). */
  const starts = new Date(Date.now() + 5 * 60 * 1000);
  const ends = new Date(starts.getTime() + 30 * 60 * 1000);
  const slot = await s.officer.post(`/api/v1/benefits/items/${s.item.id}/slots`, {
    starts_at: starts.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ends_at: ends.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    capacity: 5,
  });
  assert.equal(slot.status, 201, slot.text);

  /* 3. The card on the phone. */
  let code = '';
  let token = '';
  await step(t, phone, 'the phone page shows the QR, the number, the code and the countdown', async () => {
    const minted = phone.waitForResponse((r) => r.request().method() === 'POST'
      && /^\/api\/v1\/cards\/\d+\/token$/.test(new URL(r.url()).pathname));
    await phone.goto('/my/card');
    const shown = await (await minted).json();
    token = shown.token;
    await phone.locator('[data-test=card-qr] svg').waitFor();
    assert.match(await phone.locator('[data-test=card-number]').innerText(), /^8156 \d{4} \d{4} \d{4}$/);
    code = (await phone.locator('[data-test=card-code]').innerText()).replace(/\s/g, '');
    assert.match(code, /^\d{8}$/);
    assert.equal(code, shown.code, 'the code on the screen is the shown token\'s');
    assert.match(await phone.locator('[data-test=card-countdown]').innerText(), /\d+:\d{2}/);
    const box = await phone.locator('[data-test=card-qr]').boundingBox();
    assert.ok(box && box.width >= 150 && box.x >= 0 && box.x + box.width <= 360, `the QR fits the phone: ${JSON.stringify(box)}`);
    await noSideways(phone);
  });
  await step(t, phone, 'the talent books today\'s check-up slot', async () => {
    await phone.locator(`[data-test=benefit-book-${s.item.id}]`).click();
    await phone.locator(`[data-test=booking-slot-${slot.json.id}]`).click();
    await phone.locator('[data-test=booking-submit]').click();
    await phone.locator('[data-test^=booking-cancel-]').first().waitFor();
  });
  noUncaught(phone);

  /* 4. The provider at its counter. */
  const counter = await newPage(run.browser, { url: run.demo.url, viewport: { width: 1280, height: 900 } });
  await step(t, counter, 'login', () => login(counter, PROVIDER, PASSWORD));
  await step(t, counter, 'the provider checks the code: valid, with the check-up', async () => {
    await counter.locator('[data-test=nav-card-verify]').first().click();
    await counter.waitForURL((u) => new URL(u).pathname === '/cards/verify');
    await counter.locator('[data-test=verify-input] textarea, textarea[data-test=verify-input]').first().fill(code);
    await counter.locator('[data-test=verify-check]').click();
    await counter.locator('[data-test=verify-verdict]', { hasText: '有效' }).waitFor();
    await counter.locator(`[data-test=verify-item-${s.item.id}]`).waitFor();
    const body = await counter.locator('body').innerText();
    assert.ok(!body.includes(s.talent.name), 'the counter never shows the holder\'s name');
  });
  await step(t, counter, 'the provider redeems the check-up once', async () => {
    await counter.locator(`[data-test=verify-redeem-${s.item.id}]`).click();
    await counter.locator(`[data-test=verify-done-${s.item.id}]`).waitFor();
    await counter.locator(`[data-test=verify-remaining-${s.item.id}]`, { hasText: '0/1' }).waitFor();
  });
  await step(t, counter, 'a second redemption is refused with the reason', async () => {
    await counter.locator(`[data-test=verify-redeem-${s.item.id}]`).click();
    const refusal = counter.locator(`[data-test=verify-refusal-${s.item.id}]`);
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /quota_exceeded/);
  });
  noUncaught(counter);
  await counter.context().close();

  /* The offline verifier accepts the same token with the published keys file. */
  const keys = await fetch(`${run.demo.url}/api/v1/cards/keys`);
  assert.equal(keys.status, 200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-card-keys-'));
  try {
    const file = path.join(dir, 'keys.txt');
    writeFileSync(file, await keys.text());
    const offline = await runCli(['card', 'verify', token, '--public-key', file]);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.match(offline.stdout, /^valid card \d+ tier \w+ expires /m);
    const at = token.length - 10; /* a character of the signature changed */
    const forged = await runCli(['card', 'verify', token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1),
      '--public-key', file]);
    assert.equal(forged.code, 1, forged.stdout + forged.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  /* The quota holds for bookings too, and the talent's history shows the use. */
  const again = await talentApi.post('/api/v1/bookings', { card_id: card.id, slot_id: slot.json.id });
  assert.equal(again.status, 422, again.text);
  assert.equal(again.json.code, 'quota_exceeded', again.text);
  await step(t, phone, 'the talent sees the check-up used', async () => {
    await phone.reload();
    await phone.locator(`[data-test=benefit-remaining-${s.item.id}]`, { hasText: '1/1' }).waitFor();
    assert.equal(await phone.locator(`[data-test=benefit-book-${s.item.id}]`).count(), 0, 'no booking once the quota is used');
  });
  noUncaught(phone);
  await phone.context().close();
});

test('the officer\'s register counts the applications by status and bank', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  await step(t, page, 'the register shows the headline and the counts', async () => {
    await page.locator('[data-test=nav-cards]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/cards');
    await page.locator('[data-test=cards-headline]', { hasText: /\d+ 人已申请/ }).waitFor();
    await page.locator('[data-test=cards-by-bank]').waitFor();
    await page.locator('[data-test=cards-count-active]').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('status') === 'active');
    await page.locator('[data-test^=card-row-]').first().waitFor();
  });
  noUncaught(page);
  await page.context().close();
});
