// Browser tests of the shell around every page: the navigation shows each
// role exactly the entries its permissions allow (the expected sets are
// written out by hand from the grants of src/domain/role.c and the routes'
// meta, so a change of either shows here); the init `admin` must change
// its password before anything else; a lost session (401) leads to the
// login page and back to the page the user wanted; the language switch
// works both ways and survives a reload; the talent's own page works on a
// 360 px phone without horizontal scrolling.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, newPage, noUncaught, step, useDemo } from './lib.mjs';

const run = useDemo();

/*
 * The navigation entries per role, by hand from role.c and the routes:
 *  bureau_admin: every permission → dashboard (talents_read), tasks (everyone),
 *    talents (talents_read), duplicates (talents_merge), orgs (orgs_read),
 *    import (registry_import), users (users_read), invitations
 *    (invitations_create), audit (audit_read), orders (orders_read),
 *    recommendations (recommendations_read), the review queue
 *    (recommendations_review), recognitions and strategic scientists
 *    (recognitions_read), policy (policy_read), annual verifications
 *    (verifications_read) and their review queue (verifications_review),
 *    payment runs (payments_read), the fund's balances and the forecast,
 *    position and register reports (ledger_read); not `me`, my
 *    recognitions, my subsidy nor my payments (role talent only), nor the
 *    employer's subsidy view (role employer).
 *  employer: orgs_read, talents_read, talents_write, registry_export,
 *    policy_read, orders_read/write, recognitions_read,
 *    recommendations_read/write → dashboard, tasks, talents, orgs, orders,
 *    recommendations, recognitions, strategic scientists, policy;
 *    verifications_read → its verification inbox and its talents' subsidy
 *    (role employer); no merge, import, review queue, payment runs,
 *    ledger or administration.
 *  talent: talents_read, pii_read, recognitions_read, but only the role
 *    talent, so the staff pages (dashboard, talents, orgs, recognitions)
 *    stay hidden → tasks, me, my recognitions, my subsidy
 *    (recognitions_read), my payments (payments_read) and my card
 *    (cards_read).
 *  bureau_admin also holds every card permission → the card register,
 *    the bank's queue and the provider's verify page (cards_issue,
 *    benefits_redeem) and the benefit catalogue.
 */
const NAV = {
  bureau_admin: [
    'nav-audit', 'nav-benefit-catalogue', 'nav-card-bank', 'nav-card-verify', 'nav-cards', 'nav-dashboard', 'nav-duplicates',
    'nav-import', 'nav-invitations', 'nav-ledger', 'nav-orders', 'nav-orgs',
    'nav-payment-runs', 'nav-policy', 'nav-recognitions', 'nav-recommendation-queue', 'nav-recommendations', 'nav-report-forecast',
    'nav-report-position', 'nav-report-register', 'nav-strategic', 'nav-talents', 'nav-tasks', 'nav-users', 'nav-verification-queue',
    'nav-verifications',
  ],
  employer: [
    'nav-dashboard', 'nav-employer-subsidy', 'nav-orders', 'nav-orgs', 'nav-policy', 'nav-recognitions', 'nav-recommendations',
    'nav-strategic', 'nav-talents', 'nav-tasks', 'nav-verifications',
  ],
  talent: ['nav-me', 'nav-my-card', 'nav-my-payments', 'nav-my-recognitions', 'nav-my-subsidy', 'nav-tasks'],
};
/* Where '/' leads: the allowed route with the lowest meta.home. */
const HOME = { bureau_admin: '/dashboard', employer: '/dashboard', talent: '/me' };

/* The data-test names of the navigation entries shown (the side menu, or the drawer on a phone). */
async function navEntries(page) {
  await page.locator('[data-test=nav] [data-test^="nav-"]').first().waitFor();
  const names = await page.locator('[data-test=nav] [data-test^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')));
  return [...new Set(names)].sort();
}


for (const role of Object.keys(NAV)) {
  test(`${role} sees exactly its menu entries and lands on its home page`, async (t) => {
    const page = await newPage(run.browser, { url: run.demo.url, viewport: { width: 1280, height: 900 } });
    await step(t, page, 'login leads to the home page', async () => {
      await login(page, role, run.demo.accounts[role]);
      await page.waitForURL((u) => new URL(u).pathname === HOME[role]);
    });
    await step(t, page, 'menu entries', async () => {
      assert.deepEqual(await navEntries(page), NAV[role]);
    });
    await step(t, page, 'a page outside the menu is refused', async () => {
      const refused = role === 'bureau_admin' ? '/me' : '/users';
      await page.goto(refused);
      await page.locator('[data-test=forbidden]').waitFor();
    });
    noUncaught(page);
    await page.context().close();
  });
}

test('opening the site root with a session leads to the home page', async (t) => {
  const page = await run.signedIn(t, 'talent', { width: 360, height: 740 });
  await step(t, page, 'a fresh load of / (the address people type) leads to the own page', async () => {
    await page.goto('/');
    await page.waitForURL((u) => new URL(u).pathname === HOME.talent);
    await page.locator('[data-test=me-name]').waitFor();
  });
  noUncaught(page);
  await page.context().close();
});

test('the init admin changes its forced password first, then sees the administrator menu', async (t) => {
  const page = await newPage(run.browser, { url: run.demo.url, viewport: { width: 1280, height: 900 } });
  const fresh = 'Admin-Changed-2026!';
  await step(t, page, 'login with the init password', async () => {
    await page.goto('/login');
    await page.locator('[data-test=login-username]').fill('admin');
    await page.locator('[data-test=login-password]').fill(run.demo.adminPassword);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/account/password');
  });
  await step(t, page, 'other pages wait for the change', async () => {
    await page.goto('/users');
    await page.waitForURL((u) => new URL(u).pathname === '/account/password');
  });
  await step(t, page, 'change the password', async () => {
    await page.locator('[data-test=password-current]').fill(run.demo.adminPassword);
    await page.locator('[data-test=password-new]').fill(fresh);
    await page.locator('[data-test=password-confirm]').fill(fresh);
    await page.locator('[data-test=password-submit]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/users');
  });
  await step(t, page, 'the administrator menu', async () => {
    assert.deepEqual(await navEntries(page), NAV.bureau_admin);
  });
  await step(t, page, 'the new password logs in', async () => {
    await page.context().clearCookies();
    await login(page, 'admin', fresh);
    await page.waitForURL((u) => new URL(u).pathname === HOME.bureau_admin);
  });
  noUncaught(page);
  await page.context().close();
});

test('a lost session leads to the login page and back to the page wanted', async (t) => {
  const page = await run.signedIn(t, 'bureau_admin');
  await step(t, page, 'open the audit trail', async () => {
    await page.goto('/audit');
    await page.locator('[data-test=audit-table]').waitFor();
  });
  await step(t, page, 'the session cookie goes; the next request answers 401', async () => {
    await page.context().clearCookies();
    await page.locator('[data-test=nav-users]').first().click();
    await page.waitForURL((u) => new URL(u).pathname === '/login' && new URL(u).searchParams.get('next') === '/users');
  });
  await step(t, page, 'log in again and come back', async () => {
    await page.locator('[data-test=login-username]').fill('bureau_admin');
    await page.locator('[data-test=login-password]').fill(run.demo.accounts.bureau_admin);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/users');
    await page.locator('[data-test=users-table]').waitFor();
  });
  await step(t, page, 'a reload without session also comes back', async () => {
    await page.goto('/audit?action=user.');
    await page.locator('[data-test=audit-table]').waitFor();
    await page.context().clearCookies();
    await page.reload();
    await page.waitForURL((u) => new URL(u).pathname === '/login' && new URL(u).searchParams.get('next') === '/audit?action=user.');
    await page.locator('[data-test=login-username]').fill('bureau_admin');
    await page.locator('[data-test=login-password]').fill(run.demo.accounts.bureau_admin);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/audit' && new URL(u).searchParams.get('action') === 'user.');
  });
  noUncaught(page);
  await page.context().close();
});

test('the language switches to English and back, and the choice survives a reload', async (t) => {
  const page = await run.signedIn(t, 'bureau_admin');
  const usersEntry = page.locator('[data-test=nav] [data-test=nav-users]').first();
  await step(t, page, 'Chinese by default', async () => {
    await page.goto('/users');
    await page.locator('[data-test=users-table]').waitFor();
    assert.match(await usersEntry.innerText(), /账户与角色/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });
  await step(t, page, 'switch to English', async () => {
    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction(() => document.querySelector('[data-test=nav] [data-test=nav-users]').innerText.includes('Accounts and roles'));
    assert.match(await page.locator('h1.page-title').innerText(), /Accounts and roles/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
  await step(t, page, 'English survives a reload', async () => {
    await page.reload();
    await page.locator('[data-test=users-table]').waitFor();
    assert.match(await usersEntry.innerText(), /Accounts and roles/);
  });
  await step(t, page, 'switch back to Chinese', async () => {
    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction(() => document.querySelector('[data-test=nav] [data-test=nav-users]').innerText.includes('账户与角色'));
    await page.reload();
    await page.locator('[data-test=users-table]').waitFor();
    assert.match(await usersEntry.innerText(), /账户与角色/);
  });
  noUncaught(page);
  await page.context().close();
});

test("the talent's own page works on a 360 px phone", async (t) => {
  const page = await newPage(run.browser, { url: run.demo.url, viewport: { width: 360, height: 740 } });
  const noHorizontalScroll = async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide, more than the 360 px screen`);
  };
  await step(t, page, 'login leads to the own page', async () => {
    await login(page, 'talent', run.demo.accounts.talent);
    await page.waitForURL((u) => new URL(u).pathname === '/me');
  });
  await step(t, page, 'the own record as cards', async () => {
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    const scope = me.user.roles.find((g) => g.role === 'talent').scope;
    const record = await page.evaluate(async (id) => (await fetch(`/api/v1/talents/${id}`)).json(), scope.split(':')[1]);
    assert.equal((await page.locator('[data-test=me-name]').innerText()).trim(), record.name);
    const keys = ['me-name', 'me-org', 'me-document', 'me-phone', 'me-email'];
    if (record.tier) keys.push('me-tier');
    for (const key of keys) {
      const el = page.locator(`[data-test=${key}]`);
      await el.waitFor();
      assert.ok(await el.isVisible(), `${key} is visible`);
      const box = await el.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 360, `${key} lies within the screen`);
    }
    assert.match(await page.locator('[data-test=me-phone]').innerText(), /\*/, 'the phone is masked at first');
    await noHorizontalScroll();
  });
  await step(t, page, 'show the phone in full: the read is listed', async () => {
    const before = await page.locator('[data-test=me-read]').count();
    await page.locator('[data-test=me-phone-show]').click();
    await page.waitForFunction(() => !document.querySelector('[data-test=me-phone]').innerText.includes('*'));
    assert.match(await page.locator('[data-test=me-phone]').innerText(), /^\+?\d{6,}$/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=me-read]').length > n, before);
    assert.match(await page.locator('[data-test=me-read]').first().innerText(), /本人查看/);
    await noHorizontalScroll();
  });
  await step(t, page, 'in English too', async () => {
    await page.locator('[data-test=lang-switch]').click();
    await page.locator('[data-test=me-personal]', { hasText: 'My personal data' }).waitFor();
    await noHorizontalScroll();
  });
  await step(t, page, 'the menu drawer holds the talent entries', async () => {
    await page.locator('[data-test=nav-open]').click();
    assert.deepEqual(await navEntries(page), NAV.talent);
    await noHorizontalScroll();
  });
  noUncaught(page);
  await page.context().close();
});
