// Browser tests of the administration pages against a real `guanggu serve`
// with the demo data, signed in as the demo bureau administrator: an
// account made on the Users page with a scoped role and a generated
// password logs in (changing that password first) and sees its scope; an
// invitation made on the Invitations page is activated through the public
// activation page (a weak password is refused at its field, a used link
// says so); two look-alike talents created through the API open a
// duplicate_review task in the inbox whose link opens the duplicates page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../api/lib.mjs';
import { login, newPage, noUncaught, pickOption, searchAndPick, step, useDemo } from './lib.mjs';

const ADMIN = 'bureau_admin';

const run = useDemo();

/* GET a JSON API path with the page's session (the caller's view of the server). */
async function apiGet(page, p) {
  return page.evaluate(async (url) => {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, p);
}

test('an account made on the Users page with a scoped role logs in and sees its scope', async (t) => {
  const page = await run.signedIn(t, ADMIN);
  const username = `hr.${Date.now().toString(36)}`;
  let password;
  let orgId;
  await step(t, page, 'open the create dialog', async () => {
    await page.goto('/users');
    await page.locator('[data-test=users-table]').waitFor();
    await page.locator('[data-test=users-new]').click();
    await page.locator('[data-test=user-username]').fill(username);
    await page.locator('[data-test=user-display-name]').fill('光迅人事');
  });
  await step(t, page, 'a scoped role without its scope is refused at the row', async () => {
    await pickOption(page, '[data-test=role-select-0]', '用人单位');
    await page.locator('[data-test=user-create-submit]').click();
    await page.locator('[data-test=role-row-0] .el-form-item__error').waitFor();
  });
  await step(t, page, 'pick the organisation by search and create', async () => {
    await searchAndPick(page, '[data-test=scope-0]', '光迅', '光迅');
    await page.locator('[data-test=user-create-submit]').click();
    await page.locator('[data-test=user-password-once-value]').waitFor();
    password = (await page.locator('[data-test=user-password-once-value]').innerText()).trim();
    assert.ok(password.length >= 10, 'a generated password is shown once');
  });
  await step(t, page, 'the account page shows the role with the organisation', async () => {
    await page.locator('[data-test=user-open]').click();
    await page.locator('[data-test=user-card]').waitFor();
    await page.locator('[data-test=user-roles]', { hasText: '光迅' }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const u = await apiGet(page, `/api/v1/users/${id}`);
    assert.equal(u.body.username, username);
    assert.equal(u.body.roles.length, 1);
    assert.equal(u.body.roles[0].role, 'employer');
    assert.match(u.body.roles[0].scope, /^org:\d+$/);
    orgId = Number(u.body.roles[0].scope.split(':')[1]);
  });
  await page.context().close();

  const hr = await newPage(run.browser, { url: run.demo.url, viewport: { width: 1280, height: 900 } });
  const fresh = 'Guanggu-HR-2026!';
  await step(t, hr, 'the new account logs in and must change the password', async () => {
    await login(hr, username, password);
    await hr.waitForURL((u) => new URL(u).pathname === '/account/password');
    await hr.locator('[data-test=password-current]').fill(password);
    await hr.locator('[data-test=password-new]').fill(fresh);
    await hr.locator('[data-test=password-confirm]').fill(fresh);
    await hr.locator('[data-test=password-submit]').click();
    await hr.waitForURL((u) => new URL(u).pathname === '/dashboard');
  });
  await step(t, hr, 'it sees its own organisation only', async () => {
    const me = await apiGet(hr, '/api/v1/me');
    assert.deepEqual(me.body.user.roles, [{ role: 'employer', scope: `org:${orgId}` }]);
    const orgs = await apiGet(hr, '/api/v1/orgs');
    assert.deepEqual(orgs.body.items.map((o) => o.id), [orgId]);
    assert.equal(await hr.locator('[data-test=nav-users]').count(), 0, 'no administration menu');
  });
  noUncaught(hr);
  await hr.context().close();
});

test('an invitation is made, activated through the activation page, and works once', async (t) => {
  const page = await run.signedIn(t, ADMIN);
  const username = `inv.${Date.now().toString(36)}`;
  let token;
  await step(t, page, 'create the invitation for a talent', async () => {
    await page.goto('/invitations');
    await page.locator('[data-test=invitation-new]').click();
    await page.locator('[data-test=invitation-username]').fill(username);
    await page.locator('[data-test=invitation-display-name]').fill('王金桥');
    await pickOption(page, '[data-test=invitation-role]', '人才');
    await searchAndPick(page, '[data-test=invitation-scope]', 'wjq', '王金桥');
    await page.locator('[data-test=invitation-submit]').click();
    const link = (await page.locator('[data-test=invitation-link-value]').innerText()).trim();
    token = new URL(link).searchParams.get('token');
    assert.ok(token, 'the activation link carries its token');
    await page.locator('[data-test=invitation-done]').click();
    await page.locator(`[data-test="invitation-state-${username}"]`, { hasText: '待激活' }).waitFor();
  });

  const guest = await newPage(run.browser, { url: run.demo.url, viewport: { width: 360, height: 740 } });
  const password = 'Wang-Jinqiao-2026!';
  await step(t, guest, 'the activation page shows the invitation', async () => {
    await guest.goto(`/activate?token=${encodeURIComponent(token)}`);
    assert.equal((await guest.locator('[data-test=activate-username]').innerText()).trim(), username);
    const width = await guest.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the activation page fits a phone (${width} px)`);
  });
  await step(t, guest, 'a weak password is refused at its field, the input stays', async () => {
    await guest.locator('[data-test=activate-password]').fill('short');
    await guest.locator('[data-test=activate-confirm]').fill('short');
    await guest.locator('[data-test=activate-submit]').click();
    await guest.locator('.el-form-item.is-error [data-test=activate-password]').waitFor();
    assert.equal(await guest.locator('[data-test=activate-password]').inputValue(), 'short');
  });
  await step(t, guest, 'a good password activates the account', async () => {
    await guest.locator('[data-test=activate-password]').fill(password);
    await guest.locator('[data-test=activate-confirm]').fill(password);
    await guest.locator('[data-test=activate-submit]').click();
    await guest.locator('[data-test=activate-done]').waitFor();
    await guest.locator('[data-test=activate-login]').click();
    await guest.waitForURL((u) => new URL(u).pathname === '/login');
  });
  await step(t, guest, 'the new account logs in to its own page', async () => {
    await guest.locator('[data-test=login-username]').fill(username);
    await guest.locator('[data-test=login-password]').fill(password);
    await guest.locator('[data-test=login-submit]').click();
    await guest.waitForURL((u) => new URL(u).pathname === '/me');
    assert.equal((await guest.locator('[data-test=me-name]').innerText()).trim(), '王金桥');
  });
  await step(t, guest, 'the used link says so', async () => {
    await guest.goto(`/activate?token=${encodeURIComponent(token)}`);
    await guest.locator('[data-test=activate-dead]', { hasText: '链接已失效' }).waitFor();
  });
  await step(t, page, 'the list shows the invitation activated', async () => {
    await page.reload();
    await page.locator(`[data-test="invitation-state-${username}"]`, { hasText: '已激活' }).waitFor();
  });
  noUncaught(page);
  noUncaught(guest);
  await guest.context().close();
  await page.context().close();
});

test('two look-alike talents open a duplicate review task whose link opens the duplicates page', async (t) => {
  const page = await run.signedIn(t, ADMIN);
  const api = new Client(run.demo.url);
  await api.login(ADMIN, run.demo.accounts[ADMIN]);
  let a;
  let b;
  await step(t, page, 'create two look-alike talents through the API (same pinyin and birth date)', async () => {
    a = await api.post('/api/v1/talents', { name: '欧阳晓东', birth_date: '1981-03-04' });
    b = await api.post('/api/v1/talents', { name: '欧阳小东', birth_date: '1981-03-04' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
  });
  let row;
  await step(t, page, 'the inbox lists the task', async () => {
    await page.goto('/tasks?kind=duplicate_review');
    row = page.locator('[data-test=tasks-table] .el-table__row', { hasText: '欧阳' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /疑似重复人才/);
  });
  await step(t, page, 'its link opens the duplicates page of the pair', async () => {
    await row.locator('[data-test^=task-link-]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/talents/duplicates');
    const talent = Number(new URL(page.url()).searchParams.get('talent'));
    assert.ok([a.json.id, b.json.id].includes(talent), 'the task links one of the two talents');
    await page.getByText('欧阳晓东').first().waitFor();
  });
  noUncaught(page);
  await page.context().close();
});
