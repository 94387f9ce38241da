// The demo data over HTTP: after `guanggu demo` on a fresh installation the
// registry finds 王金桥 by 金桥, by `wang jinqiao` and by `wjq`; the real
// people of the article carry no personal identifier while the invented
// ones do; a second `guanggu demo` changes nothing (no record, no audit
// row); `guanggu demo --synthetic 200` adds 200 talents, and with --csv it
// writes an import file without needing an installation.

import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { listAll, removeDir, run, runOk, setup, tempDir } from './lib.mjs';

const REAL = ['姚斌', '陈十一', '张清杰', '王金桥'];

let inst;
let admin;
let firstLoad;
const dirs = [];

before(async () => {
  inst = await setup({ users: [{ name: 'demoboss', roles: ['bureau_admin'] }] });
  admin = inst.server.client();
  await admin.login('demoboss');
  firstLoad = await runOk(['demo', '--dir', inst.dir]);
});

after(async () => {
  for (const d of dirs) await removeDir(d);
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

async function search(q) {
  const r = await admin.get(`/api/v1/talents?q=${encodeURIComponent(q)}&limit=200`);
  assert.equal(r.status, 200, `GET /talents?q=${q}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), r.text);
  return r.json.items;
}

async function auditCount() {
  return (await listAll(admin, '/api/v1/audit')).length;
}

test('the first load reports what it created', () => {
  assert.match(firstLoad.stdout, /^demo: 20 organisations \(20 created, 0 updated, 0 unchanged\), 44 talents \(44 created/m,
    firstLoad.stdout);
});

test('王金桥 is found by 金桥, wang jinqiao, wangjinqiao and wjq', async () => {
  for (const q of ['金桥', '王金桥', 'wang jinqiao', 'wangjinqiao', 'wjq', 'Wang Jinqiao']) {
    const items = await search(q);
    const hit = items.find((t) => t.name === '王金桥');
    assert.ok(hit, `q=${q} did not find 王金桥: ${JSON.stringify(items.map((t) => t.name))}`);
    assert.equal(hit.tier, 'leading_talent');
    assert.equal(hit.org.name, '武汉人工智能研究院');
    assert.ok(hit.keywords.includes('紫东太初'), JSON.stringify(hit.keywords));
  }
  // a query that is not his name does not find him
  const other = await search('wjx');
  assert.ok(!other.some((t) => t.name === '王金桥'), 'wjx found 王金桥');
});

test('the real people carry no personal identifier; the invented ones do', async () => {
  for (const name of REAL) {
    const items = (await search(name)).filter((t) => t.name === name);
    assert.equal(items.length, 1, `exactly one ${name}: ${items.length}`);
    const t = items[0];
    assert.equal(t.document, null, `${name} document`);
    assert.equal(t.phone, null, `${name} phone`);
    assert.equal(t.email, null, `${name} email`);
    assert.equal(t.birth_date, null, `${name} birth_date`);
    assert.ok(t.org && t.org.name, `${name} has an organisation`);
    // nothing to reveal either
    const rev = await admin.post(`/api/v1/talents/${t.id}/reveal`,
      { fields: ['document', 'phone', 'email'], purpose: 'demo test' });
    assert.equal(rev.status, 200, rev.text);
    assert.equal(rev.json.document, null);
    assert.equal(rev.json.phone, null);
    assert.equal(rev.json.email, null);
  }
  const zhang = (await search('张清杰')).find((t) => t.name === '张清杰');
  assert.equal(zhang.org.name, '武汉理工大学');
  assert.ok(zhang.keywords.some((k) => k.includes('58')), JSON.stringify(zhang.keywords));
  assert.ok(zhang.honours.some((h) => h.kind === 'cas_academician'), JSON.stringify(zhang.honours));

  const all = await listAll(admin, '/api/v1/talents');
  assert.equal(all.length, 44);
  const invented = all.filter((t) => !REAL.includes(t.name));
  assert.equal(invented.length, 40);
  for (const t of invented) {
    assert.match(t.notes, /虚构示例人物/, `${t.name} notes`);
    assert.equal(t.document.type, 'resident_id', `${t.name}`);
    assert.match(t.document.number, /^\d{3}\*{11}\d{3}[\dX]$/, `${t.name} masked document`);
    assert.match(t.phone, /^166\*{4}\d{4}$/, `${t.name} masked phone`);
    assert.match(t.email, /@example\.(com|cn)$/, `${t.name} email`);
    assert.match(t.birth_date, /^\d{4}-\d{2}-\d{2}$/);
  }
  // spread: every tier, status and honour kind but nobel appears
  const tiers = new Set(all.map((t) => t.tier).filter((x) => x));
  assert.equal(tiers.size, 5, [...tiers].join(','));
  assert.equal(new Set(all.map((t) => t.status)).size, 5);
  const honours = new Set(all.flatMap((t) => t.honours.map((h) => h.kind)));
  for (const h of ['cas_academician', 'cae_academician', 'foreign_academy', 'national_award']) {
    assert.ok(honours.has(h), `honour ${h} missing`);
  }
});

test('the organisations of the article are there; real ones have no credit code', async () => {
  const orgs = await listAll(admin, '/api/v1/orgs');
  assert.equal(orgs.length, 20);
  const byName = Object.fromEntries(orgs.map((o) => [o.name, o]));
  for (const name of ['华扬科瑞', '鑫赛尔', '武汉高德红外股份有限公司', '武汉光迅科技股份有限公司', '武汉人工智能研究院',
    '武汉产业创新发展研究院', '武汉人工智能计算中心', '武汉理工大学', '田长霖中心']) {
    assert.ok(byName[name], `organisation ${name} missing`);
    assert.equal(byName[name].uscc, null, `${name} has a credit code`);
  }
  assert.equal(byName['武汉理工大学'].kind, 'university');
  assert.equal(byName['田长霖中心'].kind, 'platform');
  const banks = orgs.filter((o) => o.kind === 'bank');
  assert.equal(banks.length, 2);
  for (const b of banks) assert.match(b.uscc, /^91[0-9A-HJ-NPQRTUW-Y]{16}$/, b.name);
});

test('a second load changes nothing', async () => {
  const before1 = await auditCount();
  const r = await runOk(['demo', '--dir', inst.dir]);
  assert.match(r.stdout, /^demo: already loaded \(20 organisations, 44 talents unchanged\)$/m, r.stdout);
  assert.equal(await auditCount(), before1);
  assert.equal((await listAll(admin, '/api/v1/talents')).length, 44);
});

test('--synthetic 200 adds 200 talents, once', async () => {
  const before1 = (await listAll(admin, '/api/v1/talents')).length;
  const r = await runOk(['demo', '--synthetic', '200', '--dir', inst.dir]);
  assert.match(r.stdout, /200 synthetic talents \(200 created, 0 updated, 0 unchanged\)/, r.stdout);
  const all = await listAll(admin, '/api/v1/talents');
  assert.equal(all.length, before1 + 200);
  assert.equal(all.filter((t) => /synthetic/.test(t.notes || '')).length, 200);
  const again = await runOk(['demo', '--synthetic', '200', '--dir', inst.dir]);
  assert.match(again.stdout, /200 synthetic talents \(0 created, 0 updated, 200 unchanged\)/, again.stdout);
  assert.equal((await listAll(admin, '/api/v1/talents')).length, before1 + 200);
});

test('--csv writes the import file without an installation', async () => {
  const d = await tempDir();
  dirs.push(d);
  const missing = path.join(d, 'no-installation');
  const file = path.join(d, 'talents.csv');
  const orgsFile = path.join(d, 'orgs.csv');
  const r = await runOk(['demo', '--synthetic', '50', '--seed', '3', '--csv', file, '--orgs-csv', orgsFile,
    '--dir', missing]);
  assert.match(r.stdout, /wrote 50 synthetic talents/);
  await assert.rejects(stat(missing), 'the command made no installation');
  const lines = (await readFile(file, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.equal(lines.length, 51);
  assert.equal(lines[0], 'name,latin_name,gender,birth_date,nationality,doc_type,doc_number,phone,email,org_uscc,'
    + 'org_name,title,city,fields,keywords,segments,honours,tier,status,notes');
  const orgLines = (await readFile(orgsFile, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.equal(orgLines.length, 1001);
  // the same seed gives the same bytes; --offset continues where a file ended
  const file2 = path.join(d, 'again.csv');
  await runOk(['demo', '--synthetic', '50', '--seed', '3', '--csv', file2]);
  assert.equal(await readFile(file2, 'utf8'), await readFile(file, 'utf8'));
  const file3 = path.join(d, 'tail.csv');
  await runOk(['demo', '--synthetic', '20', '--offset', '30', '--seed', '3', '--csv', file3]);
  const tail = (await readFile(file3, 'utf8')).split('\r\n').filter((l) => l !== '');
  assert.deepEqual(tail, [lines[0], ...lines.slice(31)]);
  // another seed: other people
  const file4 = path.join(d, 'other.csv');
  await runOk(['demo', '--synthetic', '50', '--seed', '4', '--csv', file4]);
  assert.notEqual(await readFile(file4, 'utf8'), await readFile(file, 'utf8'));
});

test('usage: bad arguments are refused; --help names what is not loaded yet', async () => {
  for (const args of [['--synthetic'], ['--synthetic', '-1'], ['--synthetic', 'x'], ['--csv', 'f.csv'], ['--offset', '5'],
    ['--synthetic', '10', '--offset', '49999995'], ['extra']]) {
    const r = await run(['demo', ...args, '--dir', inst.dir]);
    assert.equal(r.code, 2, `demo ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /usage: guanggu demo/);
  }
  const h = await runOk(['demo', '--help']);
  assert.match(h.stdout, /stations and academician projects follow in later issues/);
});
