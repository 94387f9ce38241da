// Browser tests of subsidy plans on the recognition's page against a real
// `guanggu serve` with the demo data. The demo has one strategic decision
// with a package (50,000,000.00) on an invented strategic scientist: the
// officer opens that recognition, sees the package limit and the room,
// is refused an amount above the room at the amount field (the server's
// 422), then adds a milestone tranche and sees it listed with its
// milestone and the tranches total grown. An employer sees a plan of its
// organisation without the officer's buttons; the officer cancels that
// formula plan with a reason (employment ended today) and sees its
// installments that were neither accepted nor being paid lapsed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { noUncaught, step, useDemo } from './lib.mjs';

const OFFICER = 'bureau_officer';
const EMPLOYER = 'employer';
const MILESTONE = '联合实验室建成并通过验收';

const run = useDemo();

async function client(username) {
  const c = new Client(run.demo.url);
  await c.login(username, run.demo.accounts[username]);
  return c;
}

/* The year in the bureau's time zone. */
function thisYear() {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

/* The date picker of a form item in a dialog: types the day and closes the panel by clicking the dialog's lead (Escape would close the dialog). */
async function pickDay(page, item, day, away) {
  const input = page.locator(`${item} input`).first();
  await input.click();
  await input.fill(day);
  await input.press('Enter');
  await page.locator(away).click();
  await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' });
}

/* ¥1,234.56 → 123456 (fen), from the page's text. */
function fenOf(text) {
  const m = /([\d,]+)\.(\d{2})/.exec(text);
  assert.ok(m, `an amount: ${text}`);
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2]);
}

test('the officer adds a milestone tranche to the strategic scientist\'s plan', async (t) => {
  const officer = await client(OFFICER);
  const recs = await officer.get('/api/v1/recognitions?basis=strategic');
  assert.equal(recs.status, 200, recs.text);
  const rec = recs.json.items.find((r) => r.plan && r.plan.id);
  assert.ok(rec, `the demo has a strategic recognition with a plan: ${recs.text}`);
  const before = await officer.get(`/api/v1/plans/${rec.plan.id}`);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.kind, 'strategic');
  assert.ok(before.json.allowed_actions.includes('add_tranche'), before.text);
  const count = before.json.installments.length;
  const room = before.json.room_fen;
  assert.ok(room > 100000000, `room for a tranche of 1,000,000.00: ${room}`);

  const page = await run.signedIn(t, OFFICER);
  await step(t, page, 'the recognition shows the package limit, the tranches and the room', async () => {
    await page.goto(`/recognitions/${rec.id}`);
    await page.locator('[data-test=plan-figures]').waitFor();
    assert.equal(fenOf(await page.locator('[data-test=plan-limit]').innerText()), before.json.limit_fen);
    assert.equal(fenOf(await page.locator('[data-test=plan-room]').innerText()), room);
    assert.equal(await page.locator('[data-test=plan-installment]').count(), count);
  });
  const due = `${thisYear() + 1}-12-31`;
  await step(t, page, 'an amount above the room is refused at the amount field', async () => {
    await page.locator('[data-test=plan-add-tranche]').click();
    await page.locator('[data-test=tranche-dialog]').waitFor();
    await page.locator('[data-test=tranche-milestone]').fill(MILESTONE);
    await pickDay(page, '[data-test=tranche-due-item]', due, '[data-test=tranche-dialog] .lead');
    const over = (room + 100) / 100;
    await page.locator('[data-test=tranche-amount]').fill(over.toFixed(2));
    await page.locator('[data-test=tranche-submit]').click();
    const error = page.locator('[data-test=tranche-amount-item] .el-form-item__error');
    await error.waitFor();
    assert.ok((await error.innerText()).trim().length > 0, 'the server says why at the amount');
    assert.equal((await officer.get(`/api/v1/plans/${rec.plan.id}`)).json.installments.length, count, 'nothing was added');
  });
  await step(t, page, 'the tranche is added and listed with its milestone', async () => {
    await page.locator('[data-test=tranche-amount]').fill('1,000,000');
    await page.locator('[data-test=tranche-amount-hint]', { hasText: '¥1,000,000.00' }).waitFor();
    await page.locator('[data-test=tranche-submit]').click();
    await page.locator('[data-test=plan-milestone]', { hasText: MILESTONE }).waitFor();
    await page.locator('[data-test=tranche-dialog]').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('[data-test=plan-installment]').count(), count + 1);
    const row = page.locator('[data-test=plan-installment]', { hasText: MILESTONE });
    assert.equal(await row.locator('[data-test=plan-amount]').innerText(), '¥1,000,000.00');
    assert.equal(fenOf(await page.locator('[data-test=plan-room]').innerText()), room - 100000000);
    assert.equal(fenOf(await page.locator('[data-test=plan-tranche-total]').innerText()), before.json.tranche_total_fen + 100000000);
  });
  const after = await officer.get(`/api/v1/plans/${rec.plan.id}`);
  const added = after.json.installments.filter((x) => x.milestone === MILESTONE);
  assert.equal(added.length, 1, 'added once');
  assert.equal(added[0].due_on, due);
  assert.equal(added[0].amount_fen, 100000000);
  noUncaught(page);
  await page.context().close();
});

test('the officer cancels a formula plan and its unverified installments lapse', async (t) => {
  const officer = await client(OFFICER);
  const employer = await client(EMPLOYER);
  const recs = await employer.get('/api/v1/recognitions?limit=50');
  assert.equal(recs.status, 200, recs.text);
  let rec = null;
  let plan = null;
  for (const r of recs.json.items) {
    if (!r.plan || !r.plan.id || r.plan.kind !== 'formula') continue;
    const p = await officer.get(`/api/v1/plans/${r.plan.id}`);
    assert.equal(p.status, 200, p.text);
    const open = p.json.installments.filter((x) => x.status === 'planned' && !x.payment && !(x.verification && x.verification.status === 'accepted'));
    if (p.json.status === 'active' && p.json.allowed_actions.includes('cancel') && open.length > 0) {
      rec = r;
      plan = p.json;
      break;
    }
  }
  assert.ok(rec, 'the employer has a recognition with an active formula plan');
  const lapsing = plan.installments.filter((x) => x.status === 'planned' && !x.payment && !(x.verification && x.verification.status === 'accepted'));

  const emp = await run.signedIn(t, EMPLOYER);
  await step(t, emp, 'the employer sees the plan without the officer\'s buttons', async () => {
    await emp.goto(`/recognitions/${rec.id}`);
    await emp.locator('[data-test=plan-installment]').first().waitFor();
    assert.equal(await emp.locator('[data-test=plan-cancel]').count(), 0);
    assert.equal(await emp.locator('[data-test=plan-add-tranche]').count(), 0);
  });
  noUncaught(emp);
  await emp.context().close();

  const page = await run.signedIn(t, OFFICER);
  await step(t, page, 'the formula plan offers no tranche', async () => {
    await page.goto(`/recognitions/${rec.id}`);
    await page.locator('[data-test=plan-status]', { hasText: '执行中' }).waitFor();
    assert.equal(await page.locator('[data-test=plan-add-tranche]').count(), 0);
    assert.equal(await page.locator('[data-test=plan-figures]').count(), 0);
  });
  await step(t, page, 'a cancellation without a reason is refused before it is sent', async () => {
    await page.locator('[data-test=plan-cancel]').click();
    await page.locator('[data-test=plan-cancel-dialog]').waitFor();
    await page.locator('[data-test=plan-cancel-submit]').click();
    await page.locator('[data-test=plan-cancel-reason-item] .el-form-item__error', { hasText: '请填写取消理由' }).waitFor();
    assert.equal((await officer.get(`/api/v1/plans/${plan.id}`)).json.status, 'active');
  });
  await step(t, page, 'the plan is cancelled with a reason and its unverified installments lapse', async () => {
    await page.locator('[data-test=plan-cancel-reason]').fill('本人辞职');
    await page.locator('[data-test=plan-cancel-submit]').click();
    await page.locator('[data-test=plan-status]', { hasText: '已取消' }).waitFor();
    await page.locator('[data-test=plan-cancellation-line]', { hasText: '本人辞职' }).waitFor();
    assert.equal(await page.locator('[data-test=plan-cancel]').count(), 0, 'no second cancellation');
    const rows = page.locator('[data-test=plan-installment]');
    assert.equal(await rows.count(), plan.installments.length);
    assert.equal(await page.locator('[data-test=plan-installment][data-status=lapsed]').count(), lapsing.length + plan.installments.filter((x) => x.status === 'lapsed').length);
    const statuses = await page.locator('[data-test=plan-installment][data-status=lapsed] [data-test=plan-installment-status]').allInnerTexts();
    assert.ok(statuses.every((s) => s.trim() === '已失效'), statuses.join(' '));
  });
  const after = await officer.get(`/api/v1/plans/${plan.id}`);
  assert.equal(after.json.status, 'cancelled');
  assert.equal(after.json.cancellation.reason, '本人辞职');
  for (const x of lapsing) assert.equal(after.json.installments.find((y) => y.id === x.id).status, 'lapsed', `installment ${x.id} lapsed`);
  noUncaught(page);
  await page.context().close();
});
