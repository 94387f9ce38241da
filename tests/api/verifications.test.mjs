// Annual verification over HTTP (docs/verification.md): two hires of a
// leading enterprise started 2024-03-01, the clock at 2026-03-10, so years
// 1 and 2 are due; open-due opens them once (idempotent); the employer
// uploads evidence (type by content and name, size and count limits, the
// same bytes stored once) and submits; the officer accepts (a reduced
// salary prices the year lower and releases the difference) or returns
// it; a lapse is refused before the deadline and allowed after; another
// employer gets 404 and the employer may not accept (403); a talent reads
// its own; a stored file changed on disk is a 500, never its bytes; money
// is a decimal string (a JSON number is 400); the ledger balances after.

import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Server, addUser, listAll, problemOf, runOk, setupBureau } from './lib.mjs';

const ENV = { GUANGGU_TEST_NOW: '2026-03-10T02:00:00Z' };
const SERVER_ENV = { ...ENV, GUANGGU_UPLOAD_MAX_BYTES: '2048' };
const URL = '/api/v1/verifications';
const c = {};
let inst;
let lead;
let other;
const t = {};
const PDF = Buffer.from('%PDF-1.4\n% verification evidence\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

function multipart(parts) {
  const boundary = 'gg-verification-boundary';
  const chunks = [];
  for (const p of parts) {
    const disp = p.filename ? `; filename="${p.filename}"` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${disp}\r\n`
      + (p.filename ? 'Content-Type: application/octet-stream\r\n' : '') + '\r\n'));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(client, id, kind, filename, data) {
  return client.req('POST', `${URL}/${id}/files`, multipart([{ name: 'kind', data: kind }, { name: 'file', filename, data }]));
}

async function balances() {
  const r = await runOk(['ledger', 'balance', '--format', 'json', '--dir', inst.dir], { env: ENV });
  return JSON.parse(r.stdout);
}

async function verificationOf(name, year) {
  const items = await listAll(c.officer1, `${URL}?talent=${t[name]}`);
  return items.find((v) => v.installment.year === year);
}

before(async () => {
  inst = await setupBureau(c, { env: SERVER_ENV });
  await runOk(['ledger', 'appropriate', '--amount', '100000000', '--memo', 'budget 2026', '--dir', inst.dir], { env: ENV });
  for (const [name, kind] of [['核查示例光电', 'leading_enterprise'], ['核查示例别家', 'leading_enterprise']]) {
    const r = await c.officer1.post('/api/v1/orgs', { name, kind });
    assert.equal(r.status, 201, r.text);
    if (!lead) lead = r.json.id; else other = r.json.id;
  }
  for (const name of ['核一', '核二']) {
    const r = await c.officer1.post('/api/v1/talents', { name, org_id: lead });
    assert.equal(r.status, 201, r.text);
    t[name] = r.json.id;
  }
  for (const [name, salary] of [['核一', '1200000'], ['核二', '1000000']]) {
    const o = await c.officer1.post('/api/v1/orders', {
      org_id: lead, title: `岗位 ${name}`, salary, segment: 'optical_communication', description: '负责研发',
    });
    assert.equal(o.status, 201, o.text);
    const h = await c.officer1.post(`/api/v1/orders/${o.json.id}/hires`, { talent_id: t[name], contract_salary: salary, term_years: 3, start_on: '2024-03-01' });
    assert.equal(h.status, 201, h.text);
  }
  await addUser(inst.dir, 'hr1', [{ role: 'employer', scope: `org:${lead}` }], undefined, ENV);
  await addUser(inst.dir, 'hr9', [{ role: 'employer', scope: `org:${other}` }], undefined, ENV);
  await addUser(inst.dir, 'self', [{ role: 'talent', scope: `talent:${t['核一']}` }], undefined, ENV);
  for (const u of ['hr1', 'hr9', 'self']) c[u] = await inst.server.loggedIn(u);
});

after(async () => {
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}`);
});

test('open-due opens the due years once, each with its deadline and answer task', async () => {
  problemOf(assert, await c.hr1.post(`${URL}/open-due`), 403, 'forbidden');
  const r = await c.officer1.post(`${URL}/open-due`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.opened, 4);
  assert.equal((await c.officer1.post(`${URL}/open-due`)).json.opened, 0);
  const v1 = await verificationOf('核一', 1);
  assert.equal(v1.status, 'open');
  assert.equal(v1.installment.due_on, '2025-03-01');
  assert.equal(v1.deadline_on, '2025-04-30');
  assert.equal(v1.overdue, true);
  assert.deepEqual(v1.org, { id: lead, name: '核查示例光电' });
  assert.deepEqual(v1.plan.contract_fen, 120000000);
  assert.equal(v1.amount_fen, null);
  assert.deepEqual(v1.allowed_actions, ['submit', 'upload', 'lapse']); /* late answers are still taken */
  assert.deepEqual((await c.hr1.get(`${URL}/${v1.id}`)).json.allowed_actions, ['submit', 'upload']);
  const v2 = await verificationOf('核一', 2);
  assert.equal(v2.overdue, false);
  assert.equal(v2.deadline_on, '2026-04-30');
  const overdue = await listAll(c.officer1, `${URL}?overdue=true`);
  assert.equal(overdue.length, 2);
  assert.equal((await listAll(c.officer1, `${URL}?year=2026`)).length, 2);
  const tasks = await c.hr1.get('/api/v1/tasks');
  assert.equal(tasks.json.items.filter((x) => x.kind === 'verification_answer').length, 4);
  problemOf(assert, await c.officer1.get(`${URL}?status=done`), 400, null, 'status');
});

test('scope: another employer sees nothing, the talent its own, the employer may not accept', async () => {
  const v = await verificationOf('核一', 2);
  assert.equal((await listAll(c.hr9, URL)).length, 0);
  problemOf(assert, await c.hr9.get(`${URL}/${v.id}`), 404, 'not_found');
  problemOf(assert, await c.hr9.post(`${URL}/${v.id}/submit`, {
    employed: true, salary_paid: '1200000', tax_record_no: 'T-1',
  }), 404, 'not_found');
  const mine = await listAll(c.self, URL);
  assert.deepEqual(mine.map((x) => x.talent.id).sort(), [t['核一'], t['核一']]);
  const hrView = await c.hr1.get(`${URL}/${v.id}`);
  assert.equal(hrView.status, 200);
  assert.deepEqual(hrView.json.allowed_actions, ['submit', 'upload']);
  assert.equal(hrView.headers.get('etag'), `"${hrView.json.version}"`);
  problemOf(assert, await c.hr1.post(`${URL}/${v.id}/accept`), 403, 'forbidden');
});

test('evidence files: type by content and name, size, count, stored once, read back in scope', async () => {
  const v = await verificationOf('核一', 2);
  let r = await upload(c.hr1, v.id, 'contract', '劳动合同.pdf', PDF);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.files.length, 1);
  const f = r.json.files[0];
  assert.equal(f.content_type, 'application/pdf');
  assert.equal(f.name, '劳动合同.pdf');
  assert.equal(f.size, PDF.length);
  problemOf(assert, await upload(c.hr1, v.id, 'other', 'scan.png', PDF), 415, 'unsupported_media_type', 'file');
  problemOf(assert, await upload(c.hr1, v.id, 'other', 'notes.txt', 'just text'), 415, 'unsupported_media_type', 'file');
  problemOf(assert, await upload(c.hr1, v.id, 'other', 'big.pdf', Buffer.concat([PDF, Buffer.alloc(3000)])), 413, null, 'file');
  problemOf(assert, await upload(c.hr1, v.id, 'passport', 'a.pdf', PDF), 400, null, 'kind');
  r = await upload(c.hr1, v.id, 'tax_certificate', 'tax.pdf', PDF);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.files[1].sha256, f.sha256);
  const sub = f.sha256.slice(0, 2);
  assert.deepEqual(await readdir(path.join(inst.dir, 'files', sub)), [f.sha256]);
  for (let i = 2; i < 10; i++) assert.equal((await upload(c.hr1, v.id, 'other', `p${i}.png`, PNG)).status, 201);
  const full = await c.hr1.get(`${URL}/${v.id}`);
  assert.deepEqual(full.json.allowed_actions, ['submit']);
  problemOf(assert, await upload(c.hr1, v.id, 'other', 'p11.png', PNG), 422, 'rule_refused', 'file');
  const back = await c.self.get(`/api/v1/files/${f.id}`);
  assert.equal(back.status, 200);
  assert.equal(back.headers.get('content-type'), 'application/pdf');
  assert.equal(back.text, PDF.toString());
  problemOf(assert, await c.hr9.get(`/api/v1/files/${f.id}`), 404, 'not_found');
});

test('submit and accept: a reduced salary prices the year lower and releases the difference', async () => {
  const v = await verificationOf('核一', 2);
  problemOf(assert, await c.hr1.post(`${URL}/${v.id}/submit`, {
    employed: true, salary_paid: 1100000, tax_record_no: 'T-1',
  }), 400, null, 'salary_paid');
  problemOf(assert, await c.hr1.post(`${URL}/${v.id}/submit`, {
    employed: false, salary_paid: '1100000', tax_record_no: 'T-1',
  }), 400, null, 'end_on');
  problemOf(assert, await c.hr1.post(`${URL}/${v.id}/submit`, {
    employed: true, salary_paid: '1100000', tax_record_no: 'T-1',
  }, { headers: { 'If-Match': '"999"' } }), 412, 'stale_etag');
  const before = await balances();
  let r = await c.hr1.post(`${URL}/${v.id}/submit`, { employed: true, salary_paid: '1100000.00', tax_record_no: '税-2026-0001' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.salary_paid_fen, 110000000);
  assert.equal(r.json.submitted_by.name !== undefined, true);
  problemOf(assert, await upload(c.hr1, v.id, 'other', 'late.pdf', PDF), 409, 'conflict');
  r = await c.officer1.post(`${URL}/${v.id}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  assert.equal(r.json.amount_fen, 55000000);
  assert.ok(r.json.trace.some((l) => l.includes('base 1,100,000.00 x 5000 bp = 550,000.00')), r.json.trace.join('\n'));
  assert.deepEqual(r.json.allowed_actions, []);
  const after = await balances();
  const acct = (b, code) => b.accounts.find((a) => a.code === code).balance_fen;
  assert.equal(acct(before, 'fund_committed') - acct(after, 'fund_committed'), 5000000);
  assert.equal(after.total_debit_fen, after.total_credit_fen);
});

test('return needs a reason and reopens the answer; lapse only past the deadline', async () => {
  const v = await verificationOf('核二', 2);
  let r = await c.hr1.post(`${URL}/${v.id}/submit`, { employed: true, salary_paid: '1000000', tax_record_no: 'T-2' });
  assert.equal(r.status, 200, r.text);
  problemOf(assert, await c.officer1.post(`${URL}/${v.id}/return`, {}), 400, null, 'reason');
  r = await c.officer1.post(`${URL}/${v.id}/return`, { reason: '税单不清晰' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.reason, '税单不清晰');
  problemOf(assert, await c.officer1.post(`${URL}/${v.id}/lapse`, { reason: '逾期' }), 409, 'conflict');
  const old = await verificationOf('核二', 1);
  problemOf(assert, await c.officer1.post(`${URL}/${old.id}/lapse`, {}), 400, null, 'reason');
  r = await c.officer1.post(`${URL}/${old.id}/lapse`, { reason: '逾期未提交核查材料' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'lapsed');
  assert.equal(r.json.installment.status, 'lapsed');
  const b = await balances();
  assert.equal(b.total_debit_fen, b.total_credit_fen);
});

test('a stored file changed on disk is a 500, never its bytes', async () => {
  const v = await verificationOf('核一', 2);
  const f = v.files[0];
  await writeFile(path.join(inst.dir, 'files', f.sha256.slice(0, 2), f.sha256), '%PDF-1.4\n% forged evidence!!!!!\n');
  const r = await c.officer1.get(`/api/v1/files/${f.id}`);
  assert.equal(r.status, 500);
  assert.ok(!r.text.includes('forged'));
});

test('subsidy open-due on the command line', async () => {
  const r = await runOk(['subsidy', 'open-due', '--on', '2026-03-10', '--dir', inst.dir], { env: ENV });
  assert.equal(r.stdout, 'opened 0 verifications\n');
});

test('the server opens the verifications that fell due when it starts', async () => {
  const tl = await c.officer1.post('/api/v1/talents', { name: '核三', org_id: lead });
  assert.equal(tl.status, 201, tl.text);
  const o = await c.officer1.post('/api/v1/orders', {
    org_id: lead, title: '岗位 核三', salary: '2000000', segment: 'optical_communication', description: '负责研发',
  });
  assert.equal(o.status, 201, o.text);
  const h = await c.officer1.post(`/api/v1/orders/${o.json.id}/hires`, {
    talent_id: tl.json.id, contract_salary: '2000000', term_years: 3, start_on: '2025-03-01',
  });
  assert.equal(h.status, 201, h.text);
  assert.equal((await listAll(c.officer1, `${URL}?talent=${tl.json.id}`)).length, 0);
  const stopped = await inst.server.stop();
  assert.equal(stopped.code, 0);
  inst.server = await Server.start(inst.dir, { env: SERVER_ENV });
  const officer = await inst.server.loggedIn('officer1');
  const got = await listAll(officer, `${URL}?talent=${tl.json.id}`);
  assert.equal(got.length, 1);
  assert.equal(got[0].installment.due_on, '2026-03-01');
  assert.equal(got[0].status, 'open');
});
