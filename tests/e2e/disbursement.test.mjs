// Browser tests of disbursement (资金拨付) against a real `guanggu serve`
// with the demo data. The demo employer (武汉晶澜光电科技有限公司) hired the
// person behind the demo talent account at 1,200,000.00 from 2024-03-01, so
// once the officer has opened the due verifications that talent's
// installment of this year waits in the employer's inbox. The employer
// answers it in the browser (still employed, the salary paid, the tax
// record) with a PDF contract as evidence; the officer accepts it from the
// review queue and sees the amount (600,000.00) with its trace; the officer
// enters the plan's payee on the recognition's page and the talent confirms
// it on a phone (360 px); the officer proposes this year's payment run;
// finance approves it (not the proposer) and downloads the bank file as CSV
// (the account unmasked) and XLSX; the approval sheet names both; the
// fund's balances still balance.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { noUncaught, step, useDemo } from './lib.mjs';

const EMPLOYER = 'employer';
const OFFICER = 'bureau_officer';
const FINANCE = 'finance';
const TALENT = 'talent';
const ACCOUNT = '6222021234567890';

const run = useDemo();

/* A small but real PDF (the server checks the %PDF- magic and the .pdf name agree). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/* The year in the bureau's time zone (the server's period). */
function thisYear() {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

async function client(username) {
  const c = new Client(run.demo.url);
  await c.login(username, run.demo.accounts[username]);
  return c;
}

/* What the whole flow shares, set up once through the API: the demo talent, its verification of this year, its plan and recognition. */
let shared = null;
async function setup() {
  if (shared) return shared;
  const officer = await client(OFFICER);
  const employer = await client(EMPLOYER);
  const talent = await client(TALENT);
  const opened = await officer.post('/api/v1/verifications/open-due', {});
  assert.equal(opened.status, 200, opened.text);
  const me = await talent.get('/api/v1/me');
  const scope = me.json.user.roles.find((g) => g.role === 'talent').scope;
  const talentId = Number(scope.split(':')[1]);
  const year = thisYear();
  const list = await employer.get(`/api/v1/verifications?talent=${talentId}&year=${year}`);
  assert.equal(list.status, 200, list.text);
  const v = list.json.items.find((x) => ['open', 'returned'].includes(x.status));
  assert.ok(v, `the employer has an open verification of ${year} for talent ${talentId}: ${list.text}`);
  const recs = await talent.get('/api/v1/recognitions');
  assert.equal(recs.status, 200, recs.text);
  const rec = recs.json.items.find((r) => r.plan && r.plan.id === v.plan.id) || recs.json.items[0];
  assert.ok(rec, 'the demo talent has its recognition');
  shared = { officer, employer, talent, talentId, year, verification: v, recognition: rec };
  return shared;
}

test('the employer answers a verification with a PDF and the officer accepts it', async (t) => {
  const s = await setup();
  const page = await run.signedIn(t, EMPLOYER);
  await step(t, page, 'the inbox lists the verification', async () => {
    await page.locator('[data-test=nav-verifications]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/verifications');
    await page.locator(`[data-test=verification-row-${s.verification.id}]`).click();
    await page.waitForURL((u) => new URL(u).pathname === `/verifications/${s.verification.id}`);
    await page.locator('[data-test=verification-form]').waitFor();
  });
  await step(t, page, 'a file whose content is not a PDF is refused before it is sent', async () => {
    await page.locator('[data-test=vf-file-input]').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
    await page.locator('[data-test=vf-file-error]').waitFor();
    assert.equal(await page.locator('[data-test=verification-file]').count(), 0);
  });
  await step(t, page, 'the PDF contract is uploaded', async () => {
    await page.locator('[data-test=vf-file-input]').setInputFiles({ name: '劳动合同.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.locator('[data-test=verification-file-name]', { hasText: '劳动合同.pdf' }).waitFor();
  });
  await step(t, page, 'the answer is submitted', async () => {
    await page.locator('[data-test=vf-employed-yes]').click();
    await page.locator('[data-test=vf-salary]').fill('1,200,000.00');
    await page.locator('[data-test=vf-salary-hint]', { hasText: '¥1,200,000.00' }).waitFor();
    await page.locator('[data-test=vf-tax]').fill(`TAX-${s.year}-0001`);
    await page.locator('[data-test=vf-submit]').click();
    await page.locator('[data-test=verification-status]', { hasText: '已提交' }).waitFor();
    assert.equal(await page.locator('[data-test=verification-form]').count(), 0, 'no form once submitted');
    await page.locator('[data-test=verification-answer]').waitFor();
  });
  noUncaught(page);
  await page.context().close();

  const officer = await run.signedIn(t, OFFICER);
  await step(t, officer, 'the review queue lists it', async () => {
    await officer.locator('[data-test=nav-verification-queue]').first().click();
    await officer.waitForURL((u) => new URL(u).pathname === '/verifications/review');
    await officer.locator(`[data-test=verification-row-${s.verification.id}]`).click();
    await officer.waitForURL((u) => new URL(u).pathname === `/verifications/${s.verification.id}`);
    await officer.locator('[data-test=verification-file-name]', { hasText: '劳动合同.pdf' }).waitFor();
  });
  await step(t, officer, 'the officer accepts it and sees the amount with its trace', async () => {
    await officer.locator('[data-test=verification-accept]').click();
    await officer.locator('[data-test=verification-dialog-submit]').click();
    await officer.locator('[data-test=verification-status]', { hasText: '已核定' }).waitFor();
    assert.equal(await officer.locator('[data-test=verification-amount]').innerText(), '¥600,000.00');
    assert.ok((await officer.locator('[data-test=verification-trace-line]').count()) >= 1, 'the accepted amount has its trace');
  });
  noUncaught(officer);
  await officer.context().close();
});

test('the officer enters the payee, the talent confirms it on a phone, the officer proposes the run and finance approves it and downloads the bank file', async (t) => {
  const s = await setup();
  const accepted = await s.officer.get(`/api/v1/verifications/${s.verification.id}`);
  assert.equal(accepted.json.status, 'accepted', 'the first test accepted the verification');

  const officer = await run.signedIn(t, OFFICER);
  await step(t, officer, 'the officer enters the payee on the recognition', async () => {
    await officer.goto(`/recognitions/${s.recognition.id}`);
    await officer.locator('[data-test=payee-edit]').click();
    await officer.locator('[data-test=payee-input-name]').fill('示例人才');
    await officer.locator('[data-test=payee-input-bank]').fill('中国银行武汉东湖支行');
    await officer.locator('[data-test=payee-input-account]').fill('6222 0212 3456 7890');
    await officer.locator('[data-test=payee-save]').click();
    assert.equal(await officer.locator('[data-test=payee-account]').innerText(), '**** 7890');
    await officer.locator('[data-test=payee-state]', { hasText: '待人才确认' }).waitFor();
  });

  const phone = await run.signedIn(t, TALENT, { width: 360, height: 740 });
  await step(t, phone, 'the talent confirms the payee on a phone', async () => {
    await phone.goto(`/recognitions/${s.recognition.id}`);
    await phone.locator('[data-test=payee-account]', { hasText: '**** 7890' }).waitFor();
    const confirm = phone.locator('[data-test=payee-confirm]');
    const box = await confirm.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, 'the confirm button fits the phone');
    await confirm.click();
    await phone.locator('.el-message-box__btns .el-button--primary').click();
    await phone.locator('[data-test=payee-state]', { hasText: '人才已确认' }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow})`);
  });
  noUncaught(phone);
  await phone.context().close();

  let runId = null;
  await step(t, officer, 'the officer proposes the run of this year', async () => {
    await officer.locator('[data-test=nav-payment-runs]').first().click();
    await officer.waitForURL((u) => new URL(u).pathname === '/payment-runs');
    await officer.locator('[data-test=run-propose]').click();
    await officer.locator('[data-test=propose-submit]').click();
    await officer.waitForURL(/\/payment-runs\/\d+$/);
    runId = Number(new URL(officer.url()).pathname.split('/').pop());
    await officer.locator('[data-test=run-status]', { hasText: '待审核' }).waitFor();
    const refs = await officer.locator('[data-test=payment-reference]').allInnerTexts();
    assert.ok(refs.length >= 1 && refs.every((r) => new RegExp(`^GG${s.year}-\\d{8}$`).test(r)), refs.join(' '));
    const accounts = await officer.locator('[data-test=payment-account]').allInnerTexts();
    assert.ok(accounts.includes('**** 7890'), `the account is masked: ${accounts.join(' ')}`);
    assert.ok(!accounts.some((a) => a.includes(ACCOUNT)), 'never the whole account for the officer');
    assert.equal(await officer.locator('[data-test=run-approve]').count(), 0, 'the proposer cannot approve');
  });
  noUncaught(officer);
  await officer.context().close();

  const finance = await run.signedIn(t, FINANCE);
  await step(t, finance, 'finance approves the run', async () => {
    await finance.locator('[data-test=nav-payment-runs]').first().click();
    await finance.locator(`[data-test=run-row-${runId}]`).click();
    await finance.waitForURL((u) => new URL(u).pathname === `/payment-runs/${runId}`);
    await finance.locator('[data-test=run-approve]').click();
    await finance.locator('[data-test=run-dialog-submit]').click();
    await finance.locator('[data-test=run-status]', { hasText: '已审核' }).waitFor();
  });
  await step(t, finance, 'finance downloads the bank file as CSV with the account unmasked', async () => {
    await finance.locator('[data-test=run-bank-file]').click();
    const [download] = await Promise.all([finance.waitForEvent('download'), finance.locator('[data-test=run-bank-file-csv]').click()]);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
    assert.equal(lines[0], 'reference,payee_name,account_no,bank,amount');
    assert.ok(lines.some((l) => l.includes(ACCOUNT) && l.endsWith(',600000.00')), `the payment's row: ${lines.join(' | ')}`);
  });
  await step(t, finance, 'and as XLSX', async () => {
    await finance.locator('[data-test=run-bank-file]').click();
    const [download] = await Promise.all([finance.waitForEvent('download'), finance.locator('[data-test=run-bank-file-xlsx]').click()]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
  });
  await step(t, finance, 'the approval sheet names the proposer and the approver', async () => {
    await finance.locator('[data-test=run-sheet-link]').click();
    await finance.waitForURL((u) => new URL(u).pathname === `/payment-runs/${runId}/sheet`);
    await finance.locator('[data-test=sheet]').waitFor();
    assert.equal(await finance.locator('[data-test=nav]').count(), 0, 'no navigation around the sheet');
    assert.match(await finance.locator('[data-test=sheet-proposer]').innerText(), /人才局工作人员/);
    assert.match(await finance.locator('[data-test=sheet-approver]').innerText(), /财务/);
    assert.ok((await finance.locator('[data-test=sheet-trace-line]').count()) >= 1, 'each payment with its trace');
    await finance.emulateMedia({ media: 'print' });
    assert.equal(await finance.locator('[data-test=sheet-print]').isVisible(), false);
    await finance.emulateMedia({ media: 'screen' });
  });
  await step(t, finance, 'the fund still balances', async () => {
    await finance.goto('/ledger');
    await finance.locator('[data-test=ledger-balanced]', { hasText: '借贷平衡' }).waitFor();
  });
  noUncaught(finance);
  await finance.context().close();
});
