// The special fund's balances over HTTP (GET /api/v1/ledger/balances,
// permission ledger_read): the same figures as `guanggu ledger balance
// --format json`, each account with both names, entries posted after
// `on` left out, a malformed `on` refused, and callers without the
// permission refused.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { problemOf, runOk, setupBureau } from './lib.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-02T02:00:00Z' };
const URL = '/api/v1/ledger/balances';
const c = {};
let inst;

const balanceOf = (b, code) => b.accounts.find((a) => a.code === code).balance_fen;

before(async () => {
  inst = await setupBureau(c, { env: ENV });
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('an empty fund: five accounts of the chart, all zero', async () => {
  const r = await c.leader1.get(URL);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.accounts.map((a) => a.code),
    ['fund_appropriations', 'fund_available', 'fund_committed', 'fund_approved', 'fund_paid']);
  assert.deepEqual(r.json.accounts.map((a) => a.balance_fen), [0, 0, 0, 0, 0]);
  assert.equal(r.json.accounts[1].name_zh, '可用额度');
  assert.equal(r.json.accounts[1].name_en, 'Fund available');
  assert.equal(r.json.entries, 0);
  assert.equal(r.json.on, null);
});

test('an appropriation shows as the command line prints it, and not before its day', async () => {
  await runOk(['ledger', 'appropriate', '--amount', '3000000000', '--memo', '专项资金', '--dir', inst.dir],
    { env: ENV });
  const r = await c.officer1.get(URL);
  assert.equal(r.status, 200, r.text);
  assert.equal(balanceOf(r.json, 'fund_available'), 300000000000);
  assert.equal(balanceOf(r.json, 'fund_appropriations'), -300000000000);
  assert.equal(r.json.total_debit_fen, 300000000000);
  assert.equal(r.json.total_credit_fen, 300000000000);
  assert.equal(r.json.entries, 1);

  const cli = JSON.parse((await runOk(['ledger', 'balance', '--format', 'json', '--dir', inst.dir], { env: ENV })).stdout);
  assert.deepEqual(cli.accounts.map((a) => [a.code, a.balance_fen]), r.json.accounts.map((a) => [a.code, a.balance_fen]));
  assert.equal(cli.total_debit_fen, r.json.total_debit_fen);

  const before = await c.officer1.get(`${URL}?on=2026-03-01`);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.on, '2026-03-01');
  assert.equal(before.json.entries, 0);
  assert.equal(balanceOf(before.json, 'fund_available'), 0);
});

test('a malformed day is refused naming on', async () => {
  problemOf(assert, await c.officer1.get(`${URL}?on=2026-02-30`), 400, 'invalid_input', 'on');
  problemOf(assert, await c.officer1.get(`${URL}?on=yesterday`), 400, 'invalid_input', 'on');
});
