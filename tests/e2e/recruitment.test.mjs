// Browser tests of the recruitment order (光谷招聘令) against a real
// `guanggu serve` with the demo data: the demo employer issues an order
// for its own organisation (a salary with three decimals is refused at its
// field before anything is sent), registers the hire of one of its people
// at 1,200,000.00 (a start before the policy is refused by the server at
// the start date's field, the input staying), and sees the decision at
// once: recognised as a leading talent under optics-valley-2024 with three
// installments of 600,000.00, the policy version and the trace; the
// printable notice shows the same with the version's hash, and its print
// button is not on paper. The subsidy calculator gives the same answer for
// the same salary without recording anything.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { noUncaught, pickOption, searchAndPick, step, useDemo } from './lib.mjs';

const EMPLOYER = 'employer';
const OFFICER = 'bureau_officer';

const run = useDemo();

/* Types a day into the Element Plus date picker inside the form item `item`. */
async function pickDay(page, item, day) {
  const input = page.locator(`${item} input`).first();
  await input.click();
  await input.fill(day);
  await input.press('Enter');
  await page.keyboard.press('Escape');
}

/* One of the employer's own people with no recognition yet (so the hire gets a fresh plan). */
async function unrecognisedTalent(api) {
  const talents = await api.get('/api/v1/talents?limit=50');
  assert.equal(talents.status, 200);
  for (const x of talents.json.items) {
    const r = await api.get(`/api/v1/recognitions?talent=${x.id}`);
    assert.equal(r.status, 200);
    if (r.json.items.length === 0) return x;
  }
  throw new Error('the demo employer has no talent without a recognition');
}

test('the employer issues an order, registers a hire at 1,200,000.00 and prints the recognition notice', async (t) => {
  const page = await run.signedIn(t, EMPLOYER);
  const api = new Client(run.demo.url);
  await api.login(EMPLOYER, run.demo.accounts[EMPLOYER]);
  const talent = await unrecognisedTalent(api);
  const title = `首席激光科学家 ${Date.now().toString(36)}`;

  await step(t, page, 'the menu leads to the orders', async () => {
    await page.locator('[data-test=nav-orders]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/orders');
    await page.locator('[data-test=order-new]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/orders/new');
  });
  await step(t, page, 'the organisation is the employer\'s own, fixed', async () => {
    await page.locator('[data-test=of-org-fixed]', { hasText: '武汉晶澜光电科技有限公司' }).waitFor();
  });
  await step(t, page, 'a salary with three decimals is refused at its field', async () => {
    await page.locator('[data-test=of-title]').fill(title);
    await pickOption(page, '[data-test=of-segment]', '激光');
    await page.locator('[data-test=of-salary]').fill('1200000.001');
    await page.locator('[data-test=of-submit]').click();
    const error = page.locator('[data-test=of-salary-item] .el-form-item__error');
    await error.waitFor();
    assert.match(await error.innerText(), /两位小数/);
    assert.equal(new URL(page.url()).pathname, '/orders/new');
  });
  await step(t, page, 'the corrected salary issues the order', async () => {
    await page.locator('[data-test=of-salary]').fill('1,200,000.00');
    await page.locator('[data-test=of-salary-hint]', { hasText: '¥1,200,000.00' }).waitFor();
    await page.locator('[data-test=of-submit]').click();
    await page.waitForURL(/\/orders\/\d+$/);
    await page.locator('[data-test=order-title]', { hasText: title }).waitFor();
    await page.locator('[data-test=order-status-tag]', { hasText: '招聘中' }).waitFor();
  });
  await step(t, page, 'a start before the policy is refused by the server at the start date', async () => {
    await page.locator('[data-test=order-hire]').click();
    await searchAndPick(page, '[data-test=hire-talent]', talent.name, talent.name);
    assert.equal(await page.locator('[data-test=hire-salary]').inputValue(), '1200000.00', 'the order\'s salary is the default');
    await pickDay(page, '[data-test=hire-start-item]', '2023-07-01');
    await page.locator('[data-test=hire-submit]').click();
    const error = page.locator('[data-test=hire-start-item] .el-form-item__error');
    await error.waitFor();
    assert.match(await error.innerText(), /no policy in force on 2023-07-01/);
    await page.locator('[data-test=form-error]').waitFor();
  });
  await step(t, page, 'registering the hire shows the decision at once', async () => {
    await pickDay(page, '[data-test=hire-start-item]', '2025-07-01');
    await page.locator('[data-test=hire-submit]').click();
    const decision = page.locator('[data-test=hire-decision]');
    await decision.waitFor();
    assert.match(await page.locator('[data-test=hire-decision-result]').innerText(), /予以认定/);
    assert.equal(await page.locator('[data-test=hire-decision-tier]').getAttribute('data-tier'), 'leading_talent');
    assert.match(await page.locator('[data-test=hire-decision-tier]').innerText(), /领军人才/);
    const policy = await page.locator('[data-test=hire-decision-policy]').innerText();
    assert.match(policy, /optics-valley-2024/);
    assert.match(policy, /2024\.1/);
    const amounts = await page.locator('[data-test=hire-decision-installments-amount]').allInnerTexts();
    assert.deepEqual(amounts, ['¥600,000.00', '¥600,000.00', '¥600,000.00']);
    assert.equal(await page.locator('[data-test=hire-decision-installments-total]').innerText(), '¥1,800,000.00');
    assert.match(await page.locator('[data-test=hire-decision-sum]').innerText(), /3 期 × ¥600,000\.00/);
    const trace = await page.locator('[data-test=hire-decision-trace-line]').allInnerTexts();
    assert.ok(trace.some((l) => /1,200,000\.00 >= threshold 1,000,000\.00/.test(l)), `the trace names the threshold: ${trace.join(' | ')}`);
    /* the order is filled: no more hire or close */
    await page.locator('[data-test=order-status-tag]', { hasText: '已录用' }).waitFor();
    assert.equal(await page.locator('[data-test=order-hire]').count(), 0);
    assert.equal(await page.locator('[data-test=order-close]').count(), 0);
  });
  await step(t, page, 'the printable notice shows the decision, the policy version and its hash', async () => {
    await page.locator('[data-test=hire-notice-link]').click();
    await page.waitForURL(/\/recognitions\/\d+\/notice$/);
    await page.locator('[data-test=notice]').waitFor();
    assert.equal(await page.locator('[data-test=nav]').count(), 0, 'no navigation around the notice');
    assert.equal(await page.locator('[data-test=notice-talent]').innerText(), talent.name);
    assert.equal(await page.locator('[data-test=notice-org]').innerText(), '武汉晶澜光电科技有限公司');
    assert.match(await page.locator('[data-test=notice-tier]').innerText(), /领军人才/);
    assert.equal(await page.locator('[data-test=notice-effective]').innerText(), '2025年7月1日');
    assert.match(await page.locator('[data-test=notice-policy]').innerText(), /optics-valley-2024 · 版本 2024\.1/);
    assert.match(await page.locator('[data-test=notice-hash]').innerText(), /^[0-9a-f]{64}$/);
    const amounts = await page.locator('[data-test=notice-installments-amount]').allInnerTexts();
    assert.deepEqual(amounts, ['¥600,000.00', '¥600,000.00', '¥600,000.00']);
    assert.ok((await page.locator('[data-test=notice-trace-line]').count()) >= 3, 'the trace is on the notice');
    await page.locator('[data-test=notice-print]').waitFor();
  });
  await step(t, page, 'on paper the notice has no buttons', async () => {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('[data-test=notice-print]').isVisible(), false);
    assert.equal(await page.locator('[data-test=notice-back]').isVisible(), false);
    assert.equal(await page.locator('[data-test=notice]').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
  });
  await step(t, page, 'the register lists the recognition', async () => {
    await page.goto(`/recognitions?talent=${talent.id}`);
    await page.locator('[data-test=recognition-row-talent]', { hasText: talent.name }).first().waitFor();
  });
  noUncaught(page);
  await page.context().close();
});

test('an officer\'s subsidy calculation of 1,200,000.00 gives the same decision and records nothing', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  await step(t, page, 'the policy in force lists its parameters with their references', async () => {
    await page.goto('/policy');
    await page.locator('[data-test=pack-optics-valley-2024]').waitFor();
    await page.locator('[data-test=version-in-force]').first().waitFor();
    assert.equal(await page.locator('[data-test=param-threshold_cny]').first().innerText(), '¥1,000,000.00');
    assert.match(await page.locator('[data-test=param-rate_bp]').first().innerText(), /50%/);
  });
  await step(t, page, 'the calculator answers with the installments and the trace', async () => {
    await page.locator('[data-test=policy-tab-simulate]').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('tab') === 'simulate');
    await page.locator('[data-test=sim-salary]').fill('1200000');
    await pickDay(page, '[data-test=sim-start-item]', '2025-07-01');
    await page.locator('[data-test=sim-submit]').click();
    await page.locator('[data-test=sim-decision]').waitFor();
    assert.match(await page.locator('[data-test=sim-decision-result]').innerText(), /予以认定/);
    const amounts = await page.locator('[data-test=sim-decision-installments-amount]').allInnerTexts();
    assert.deepEqual(amounts, ['¥600,000.00', '¥600,000.00', '¥600,000.00']);
    assert.ok((await page.locator('[data-test=sim-decision-trace-line]').count()) >= 3);
  });
  await step(t, page, '999,999.99 is not recognised', async () => {
    await page.locator('[data-test=sim-salary]').fill('999999.99');
    await page.locator('[data-test=sim-submit]').click();
    await page.locator('[data-test=sim-decision-result]', { hasText: '不予认定' }).waitFor();
    assert.equal(await page.locator('[data-test=sim-decision-installments-amount]').count(), 0);
  });
  noUncaught(page);
  await page.context().close();
});
