// Browser tests of the recruitment list (光谷招聘名单) against a real
// `guanggu serve` with the demo data: the demo employer drafts a
// recommendation on its page and submits it (its quota for the year shows
// the slot taken); the demo officer finds it in the review queue, starts
// the review and approves it at a tier with a reason, which recognises the
// talent (the recognition names the basis and the reason). A second
// recommendation rejected without a reason is refused by the server at the
// reason's field and stays under review; with a reason it is rejected.
// Every button on the way is one of the recommendation's allowed_actions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { newPage, login, noUncaught, pickOption, searchAndPick, step, useDemo } from './lib.mjs';

const EMPLOYER = 'employer';
const OFFICER = 'bureau_officer';

const run = useDemo();

/* Clicks a recommendation's action button and confirms its message box. */
async function actAndConfirm(page, action) {
  await page.locator(`[data-test=recommendation-${action}]`).click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

/* The status the recommendation's page shows, once it reads `text`. */
async function statusIs(page, text) {
  await page.locator('[data-test=recommendation-status]', { hasText: text }).waitFor();
}

/* The action buttons shown (data-test names without the prefix), in order. */
async function buttons(page) {
  await page.locator('[data-test=recommendation-actions]').waitFor({ state: 'attached' });
  return page.locator('[data-test=recommendation-actions] [data-test^=recommendation-]').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-test').replace('recommendation-', '')),
  );
}

/* A new person of the employer's organisation (the demo's four already have recommendations in every state). */
async function newTalent(api, name) {
  const me = await api.get('/api/v1/me');
  const scope = me.json.user.roles.find((g) => /^org:\d+$/.test(g.scope || ''));
  assert.ok(scope, 'the demo employer is scoped to its organisation');
  const r = await api.post('/api/v1/talents', { name, org_id: Number(scope.scope.slice(4)), title: '高级工程师' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

/* The slots used, from the quota widget's '已用 N / M'. */
async function quotaUsed(page) {
  const text = await page.locator('[data-test=quota-numbers]').innerText();
  const m = /已用 (\d+) \/ (\d+)/.exec(text);
  assert.ok(m, `the quota reads '${text}'`);
  return Number(m[1]);
}

test('the employer submits a recommendation; the officer reviews and approves it with a reason', async (t) => {
  const api = new Client(run.demo.url);
  await api.login(EMPLOYER, run.demo.accounts[EMPLOYER]);
  const talent = await newTalent(api, '欧阳明远');
  const employer = await run.signedIn(t, EMPLOYER);
  let path;

  await step(t, employer, 'the employer drafts a recommendation', async () => {
    await employer.locator('[data-test=nav-recommendations]').first().click();
    await employer.waitForURL((u) => new URL(u).pathname === '/recommendations');
    await employer.locator('[data-test=quota-numbers]').waitFor();
    await employer.locator('[data-test=recommendation-new]').click();
    await searchAndPick(employer, '[data-test=rf-talent]', talent.name, talent.name);
    await pickOption(employer, '[data-test=rf-tier]', '高层次人才');
    await employer.locator('[data-test=rf-justification]').fill('在超快激光器研制中取得突破，带领团队实现核心器件国产化。');
    await employer.locator('[data-test=rf-submit]').click();
    await employer.waitForURL(/\/recommendations\/\d+$/);
    path = new URL(employer.url()).pathname;
    await statusIs(employer, '草稿');
    const shown = await buttons(employer);
    assert.ok(shown.includes('edit') && shown.includes('submit'), `a draft is edited and submitted: ${shown}`);
    assert.ok(!shown.some((a) => ['review', 'approve', 'reject', 'return'].includes(a)), `no officer's action for the employer: ${shown}`);
  });
  await step(t, employer, 'the employer submits it and its quota shows the slot taken', async () => {
    await employer.locator('[data-test=quota-numbers]').waitFor();
    const before = await quotaUsed(employer);
    await actAndConfirm(employer, 'submit');
    await statusIs(employer, '已提交');
    assert.ok(!(await buttons(employer)).includes('submit'), 'a submitted one is not submitted again');
    await employer.locator('[data-test=quota-numbers]', { hasText: `已用 ${before + 1} /` }).waitFor();
  });
  noUncaught(employer);
  await employer.context().close();

  const officer = await run.signedIn(t, OFFICER);
  await step(t, officer, 'the officer finds it in the review queue', async () => {
    await officer.locator('[data-test=nav-recommendation-queue]').first().click();
    await officer.waitForURL((u) => new URL(u).pathname === '/recommendations/review');
    await officer.locator('[data-test=recommendation-row-talent]', { hasText: talent.name }).first().click();
    await officer.waitForURL((u) => new URL(u).pathname === path);
    await statusIs(officer, '已提交');
    assert.deepEqual(await buttons(officer), ['review']);
  });
  await step(t, officer, 'the officer starts the review', async () => {
    await actAndConfirm(officer, 'review');
    await statusIs(officer, '审核中');
    assert.deepEqual(await buttons(officer), ['approve', 'return', 'reject']);
  });
  await step(t, officer, 'the officer approves it at a tier with a reason', async () => {
    await officer.locator('[data-test=recommendation-approve]').click();
    const dialog = officer.locator('[data-test=action-dialog-approve]');
    await dialog.waitFor();
    await pickOption(officer, '[data-test=action-tier]', '3551光谷领军人才');
    await officer.locator('[data-test=action-reason]').fill('成果经专家论证属实，填补激光产业链短板。');
    await officer.locator('[data-test=action-submit]').click();
    await statusIs(officer, '已认定');
    assert.match(await officer.locator('[data-test=recommendation-decided-tier]').innerText(), /3551光谷领军人才/);
    assert.match(await officer.locator('[data-test=recommendation-reason]').innerText(), /填补激光产业链短板/);
    assert.deepEqual(await buttons(officer), []);
    await officer.locator('[data-test=recommendation-history-entry]').nth(3).waitFor();
  });
  await step(t, officer, 'the recognition names the basis and the reason', async () => {
    await officer.locator('[data-test=recommendation-recognition]').click();
    await officer.waitForURL(/\/recognitions\/\d+$/);
    assert.match(await officer.locator('[data-test=recognition-tier]').innerText(), /3551光谷领军人才/);
    const fields = await officer.locator('[data-test=recognition-fields]').innerText();
    assert.match(fields, /招聘名单推荐/);
    assert.match(fields, /填补激光产业链短板/);
  });
  noUncaught(officer);
  await officer.context().close();
});

test('a rejection without a reason is refused at the reason; with one it is rejected', async (t) => {
  const api = new Client(run.demo.url);
  await api.login(EMPLOYER, run.demo.accounts[EMPLOYER]);
  const talent = await newTalent(api, '司马清和');
  /* the employer's side through the API: a submitted recommendation */
  const created = await api.post('/api/v1/recommendations', { talent_id: talent.id, proposed_tier: 'high_level', justification: '长期从事红外探测器研究。' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.id;
  const submitted = await api.post(`/api/v1/recommendations/${id}/submit`, {});
  assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
  const officer = await newPage(run.browser, { url: run.demo.url, viewport: { width: 1280, height: 900 } });
  await step(t, officer, 'login', () => login(officer, OFFICER, run.demo.accounts[OFFICER]));
  await step(t, officer, 'the officer takes it up', async () => {
    await officer.goto(`/recommendations/${id}`);
    await actAndConfirm(officer, 'review');
    await statusIs(officer, '审核中');
  });
  await step(t, officer, 'a rejection without a reason is refused at the reason\'s field', async () => {
    await officer.locator('[data-test=recommendation-reject]').click();
    await officer.locator('[data-test=action-dialog-reject]').waitFor();
    await officer.locator('[data-test=action-submit]').click();
    const error = officer.locator('[data-test=action-reason-item] .el-form-item__error');
    await error.waitFor();
    assert.match(await error.innerText(), /reason/i);
    await officer.locator('[data-test=action-dialog-reject] [data-test=form-error]').waitFor();
    await officer.locator('[data-test=action-cancel]').click();
    await statusIs(officer, '审核中');
    const r = await api.get(`/api/v1/recommendations/${id}`);
    assert.equal(r.json.status, 'under_review', 'nothing was written');
  });
  await step(t, officer, 'with a reason it is rejected', async () => {
    await officer.locator('[data-test=recommendation-reject]').click();
    await officer.locator('[data-test=action-reason]').fill('申报材料不足以证明其达到高层次人才标准。');
    await officer.locator('[data-test=action-submit]').click();
    await statusIs(officer, '不予认定');
    assert.match(await officer.locator('[data-test=recommendation-reason]').innerText(), /申报材料不足/);
    assert.equal(await officer.locator('[data-test=recommendation-recognition]').count(), 0);
  });
  noUncaught(officer);
  await officer.context().close();
});
