// Browser tests of the special fund's reports against a real `guanggu
// serve` with the demo data: a leader opens the forecast from the menu and
// sees the chart's canvas and the demo's commitments (¥5,100,000.00 due
// this year, ¥8,200,000.00 in all, as the API answers), the year selector
// changes the address and the table; finance opens the fund position by
// year (the appropriation and the net commitment) and by chain (a canvas,
// the totals) and the register with its download links; the demo talent
// opens "my subsidy" on a phone (360 px) and sees its plan with the next
// installment and each installment's verification, without sideways
// scrolling; the demo employer sees its talents' plans and open
// verifications.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { noUncaught, step, useDemo } from './lib.mjs';

const run = useDemo();

/* The API's answer as the signed-in demo account. */
async function apiAs(user) {
  const api = new Client(run.demo.url);
  await api.login(user, run.demo.accounts[user]);
  return api;
}
/* integer fen → '¥1,234.56' (the page's Chinese money). */
const yuan = (fen) => `¥${(BigInt(fen) / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(BigInt(fen) % 100n).toString().padStart(2, '0')}`;

test('a leader opens the forecast: a chart and the demo\'s commitments by due year', async (t) => {
  const api = await apiAs('leader');
  const forecast = await api.get('/api/v1/reports/forecast');
  assert.equal(forecast.status, 200);
  const first = forecast.json.rows[0];
  const page = await run.signedIn(t, 'leader');

  await step(t, page, 'the menu leads to the forecast', async () => {
    await page.locator('[data-test=nav-report-forecast]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/reports/forecast');
  });
  await step(t, page, 'the chart draws on a canvas and the table shows the figures', async () => {
    await page.locator('[data-test=forecast-chart] canvas').first().waitFor();
    await page.locator(`[data-test=forecast-committed-${first.year}]`, { hasText: yuan(first.committed_fen) }).waitFor();
    await page.locator('[data-test=forecast-total]', { hasText: yuan(forecast.json.total.total_fen) }).waitFor();
  });
  await step(t, page, 'the downloads link to the same report as files', async () => {
    const href = await page.locator('[data-test=forecast-csv]').getAttribute('href');
    assert.match(href, /^\/api\/v1\/reports\/forecast\?.*format=csv/);
  });
  await step(t, page, 'three years are three rows, kept in the address', async () => {
    await page.locator('[data-test=forecast-years-3]').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('years') === '3');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=forecast-table] .el-table__body tr').length === 3);
  });
  noUncaught(page);
});

test('finance opens the fund position by year and by chain, and the register', async (t) => {
  const api = await apiAs('finance');
  const byYear = await api.get('/api/v1/reports/position?by=year');
  const byChain = await api.get('/api/v1/reports/position?by=chain');
  assert.equal(byYear.status, 200);
  const y = byYear.json.years[0];
  const page = await run.signedIn(t, 'finance');

  await step(t, page, 'by year: a chart and the year\'s appropriation and commitment', async () => {
    await page.goto('/reports/position');
    await page.locator('[data-test=position-chart] canvas').first().waitFor();
    await page.locator(`[data-test=position-appropriated-${y.year}]`, { hasText: yuan(y.appropriated_fen) }).waitFor();
    await page.locator(`[data-test=position-committed_net-${y.year}]`, { hasText: yuan(y.committed_net_fen) }).waitFor();
  });
  await step(t, page, 'by chain: a chart and the totals', async () => {
    await page.locator('[data-test=position-by-chain]').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('by') === 'chain');
    await page.locator('[data-test=position-chart] canvas').first().waitFor();
    await page.locator('[data-test=position-total]', { hasText: yuan(byChain.json.total.committed_fen) }).waitFor();
    const href = await page.locator('[data-test=position-xlsx]').getAttribute('href');
    assert.equal(href, '/api/v1/reports/position?by=chain&format=xlsx');
  });
  await step(t, page, 'the register keeps its filter in the address and in its files', async () => {
    await page.goto('/reports/register?from=2026-01-01&to=2026-12-31');
    await page.locator('[data-test=register-table]').first().waitFor();
    const href = await page.locator('[data-test=register-csv]').getAttribute('href');
    assert.equal(href, '/api/v1/reports/register?from=2026-01-01&to=2026-12-31&format=csv');
  });
  noUncaught(page);
});

test('the demo talent opens "my subsidy" on a phone', async (t) => {
  const page = await run.signedIn(t, 'talent', { width: 360, height: 740 });
  await step(t, page, 'its plan with the next installment and each installment\'s verification', async () => {
    await page.goto('/my/subsidy');
    const plan = page.locator('[data-test^=my-plan-]').first();
    await plan.waitFor();
    await plan.locator('[data-test=my-next]').waitFor();
    assert.match(await plan.locator('[data-test=my-next]').innerText(), /¥[\d,]+\.\d\d/);
    await plan.locator('[data-test=my-installment-1] [data-test=my-verification]').waitFor();
  });
  await step(t, page, 'no sideways scrolling at 360 px', async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow})`);
  });
  noUncaught(page);
});

test('the demo employer sees its talents\' plans and open verifications', async (t) => {
  const page = await run.signedIn(t, 'employer');
  await step(t, page, 'the subsidy view lists plans and tasks', async () => {
    await page.locator('[data-test=nav-employer-subsidy]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/subsidy');
    await page.locator('[data-test=employer-plans] .el-table__body tr').first().waitFor();
    await page.locator('[data-test^=employer-task-open-]').first().waitFor();
  });
  noUncaught(page);
});
