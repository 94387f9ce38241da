// Imports and exports of the registry through the API and the command line,
// with the invented people and organisations of fixtures.mjs only.
// Uploads are multipart/form-data: CSV as UTF-8 with a BOM and as GB18030
// (made with iconv, as Excel on a Chinese Windows saves it); a workbook is
// refused with 415 and the advice to save it as CSV; a file with a bad row
// answers 422 with the line, column and reason of each problem and writes
// nothing; skip_invalid writes the good rows; the same file again changes
// nothing. Exports: CSV (BOM, CRLF, Chinese headers) masked for an employer
// (its own people only) and a leader, unmasked only with pii_read and then
// audited; XLSX opened with python3's zipfile keeps the 18-character ID as
// text. The command line's unmasked export imports into a fresh
// installation and exports again to the same bytes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ORGS, PEOPLE, SPARE, residentId, wrongCheck } from './fixtures.mjs';
import { addUser, initDir, listAll, problemOf, rawExchange, removeDir, run, runOk, setup, tempDir } from './lib.mjs';

const UPLOAD_MAX = 65536;
const BODY_MAX = 4096; /* JSON bodies: uploads are allowed more */
const BOM = '\uFEFF';
const TALENT_HEAD = ['姓名', '拉丁名', '性别', '出生日期', '国籍', '证件类型', '证件号码', '手机', '电子邮箱',
  '单位统一社会信用代码', '单位名称', '职务', '籍贯', '研究领域', '关键词', '产业链环节', '荣誉', '人才层次', '状态', '备注'];
const ORG_HEAD = ['名称', '统一社会信用代码', '类型', '园区', '产业链环节', '已核实'];

let inst;
let officer;
let employer;
let leader;
let admin;
const tmp = [];

/* RFC 4180: quote a cell holding a comma, quote, CR or LF. */
function csvCell(v) {
  const s = v == null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
function csv(rows) { return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'; }

/* Talent rows: person i works at ORGS[org] (by credit code, or by name when byName). */
const ORG_OF = [0, 1, 2, 0, null];
function talentRow(p, i) {
  const o = ORG_OF[i] === null ? null : ORGS[ORG_OF[i]];
  const byName = i === 1;
  return [p.name, p.latin_name, p.gender, p.birth_date, p.nationality, p.document.type, p.document.number,
    p.phone, p.email, o && !byName ? o.uscc : '', o && byName ? o.name : '', p.title, p.city,
    p.fields.join(';'), p.keywords.join(';'), p.segments.join(';'),
    p.honours.map((h) => `${h.kind}:${h.year}`).join(';'), p.tier, p.status,
    i === 0 ? '第一行\n第二行, 带逗号' : ''];
}
const orgsCsv = () => csv([ORG_HEAD, ...ORGS.map((o) => [o.name, o.uscc, o.kind, o.park, o.segments.join(';'), 'true'])]);

function gb18030(text) {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
  assert.equal(r.status, 0, `iconv: ${r.stderr}`);
  return r.stdout;
}

/* POST a file as multipart/form-data (part "file", optional "skip_invalid"). */
function upload(client, which, bytes, { filename = '人才.csv', type = 'text/csv', skip } = {}) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes], { type }), filename);
  if (skip !== undefined) fd.append('skip_invalid', String(skip));
  return client.req('POST', `/api/v1/imports/${which}`, { body: fd, contentType: null });
}

async function talentCount() {
  return (await listAll(officer, '/api/v1/talents')).length;
}

async function auditRows(action) {
  return listAll(admin, `/api/v1/audit?action=${encodeURIComponent(action)}`);
}

before(async () => {
  inst = await setup({
    args: ['--max-upload-bytes', String(UPLOAD_MAX), '--max-body-bytes', String(BODY_MAX)],
    users: [
      { name: 'officer', roles: ['bureau_officer'] },
      { name: 'leader', roles: ['leader'] },
      { name: 'boss', roles: ['bureau_admin'] },
    ],
  });
  officer = inst.server.client();
  leader = inst.server.client();
  admin = inst.server.client();
  await officer.login('officer');
  await leader.login('leader');
  await admin.login('boss');
});

after(async () => {
  for (const d of tmp) await removeDir(d);
  const r = await inst.close();
  assert.equal(r.code, 0, `server exit on SIGTERM: ${JSON.stringify(r)}`);
});

test('organisations and talents import from UTF-8 with a BOM and from GB18030', async () => {
  let r = await upload(officer, 'orgs', Buffer.from(orgsCsv(), 'utf8'), { filename: '单位.csv' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json, errors: r.json.errors.length },
    { rows: 3, created: 3, updated: 0, unchanged: 0, invalid: 0, errors_total: 0, errors: 0, report: null });
  const orgs = await listAll(officer, '/api/v1/orgs');
  assert.deepEqual(orgs.map((o) => o.uscc).sort(), ORGS.map((o) => o.uscc).sort());
  assert.equal(orgs.find((o) => o.uscc === ORGS[0].uscc).id, 1, 'the first organisation of the file is org 1');

  r = await upload(officer, 'talents', Buffer.from(csv([TALENT_HEAD, ...PEOPLE.slice(0, 3).map(talentRow)]), 'utf8'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rows, 3);
  assert.equal(r.json.created, 3);
  assert.equal(r.json.invalid, 0);

  const gb = gb18030(csv([TALENT_HEAD, ...PEOPLE.slice(3).map((p, i) => talentRow(p, i + 3))]));
  assert.ok(!gb.includes(Buffer.from(PEOPLE[3].name, 'utf8')), 'the GB18030 file is not UTF-8');
  r = await upload(officer, 'talents', gb);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);

  const all = await listAll(officer, '/api/v1/talents');
  assert.deepEqual(all.map((t) => t.name).sort(), PEOPLE.map((p) => p.name).sort());
  const deng = all.find((t) => t.name === PEOPLE[3].name);
  assert.equal(deng.org.id, 1);
  assert.equal(deng.latin_name, PEOPLE[3].latin_name);
  assert.deepEqual(deng.honours, [{ kind: 'cae_academician', year: 2019 }]);
  const ai = all.find((t) => t.name === PEOPLE[0].name);
  assert.equal(ai.notes, '第一行\n第二行, 带逗号');
  assert.equal(all.find((t) => t.name === PEOPLE[1].name).org.id, 2, 'matched by organisation name');
});

test('the same file again changes nothing and writes no audit row', async () => {
  const before = (await auditRows('talent.')).length;
  const gb = gb18030(csv([TALENT_HEAD, ...PEOPLE.slice(3).map((p, i) => talentRow(p, i + 3))]));
  const r = await upload(officer, 'talents', gb);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 0);
  assert.equal(r.json.updated, 0);
  assert.equal(r.json.unchanged, 2);
  assert.equal((await auditRows('talent.')).length, before);
});

test('an XLSX workbook is refused with 415 and the advice to save it as CSV', async () => {
  const bytes = Buffer.from(await (await fetch(`${inst.server.url}/api/v1/talents/export?format=xlsx`, {
    headers: { Cookie: `gg_session=${officer.cookie}` },
  })).arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  const r = await upload(officer, 'talents', bytes, {
    filename: '人才.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const p = problemOf(assert, r, 415, 'unsupported_media_type');
  assert.match(p.detail, /save the sheet as CSV/);
});

test('an upload must be multipart/form-data within max_upload_bytes', async () => {
  const text = csv([TALENT_HEAD]);
  problemOf(assert, await officer.req('POST', '/api/v1/imports/talents', { body: text, contentType: 'text/csv' }),
    415, 'unsupported_media_type');
  problemOf(assert, await officer.req('POST', '/api/v1/imports/talents', { body: text, contentType: 'multipart/form-data' }),
    415, 'unsupported_media_type');
  problemOf(assert, await officer.req('POST', '/api/v1/imports/talents',
    { body: 'no parts here', contentType: 'multipart/form-data; boundary=xyz' }), 400, 'invalid_input');
  const fd = new FormData();
  fd.append('other', 'x');
  problemOf(assert, await officer.req('POST', '/api/v1/imports/orgs', { body: fd, contentType: null }),
    400, 'invalid_input', 'file');
  /* Larger than a JSON body may be, within the upload limit: read (an extra part is ignored). */
  const padded = new FormData();
  padded.append('file', new Blob([orgsCsv()], { type: 'text/csv' }), 'orgs.csv');
  padded.append('padding', 'p'.repeat(BODY_MAX * 4));
  const ok = await officer.req('POST', '/api/v1/imports/orgs', { body: padded, contentType: null });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.unchanged, 3);
  /* Announced beyond the upload limit: 413 before the body is read. */
  const raw = await rawExchange(inst.server.port, [
    'POST /api/v1/imports/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\n'
    + `Cookie: gg_session=${officer.cookie}\r\nX-CSRF-Token: ${officer.csrf}\r\n`
    + `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${UPLOAD_MAX + 1}\r\n\r\n`,
  ]);
  assert.match(raw.data, /^HTTP\/1\.1 413 /, raw.data);
  assert.match(raw.data, /"code":"body_too_large"/);
  /* A file with a missing column is refused as a whole. */
  problemOf(assert, await upload(officer, 'orgs', Buffer.from(csv([['名称'], ['某单位']]), 'utf8')),
    400, 'invalid_input', 'file');
});

test('a file with an invalid row answers 422 with line, column and reason and writes nothing', async () => {
  const count = await talentCount();
  const good = { ...PEOPLE[0], name: '新样人', document: { type: 'resident_id', number: SPARE.residentId },
    phone: '', email: '', birth_date: '1978-05-12', tier: 'other' };
  const bad = { ...PEOPLE[0], name: '坏号码', document: { type: 'resident_id', number: wrongCheck(residentId('420111', '1970-01-01', 5)) },
    phone: '', email: '', birth_date: '1970-01-01' };
  const damaged = { ...PEOPLE[0], name: '表格坏', document: { type: 'resident_id', number: '4.20101E+17' },
    phone: '', email: '', birth_date: '' };
  const text = csv([TALENT_HEAD, talentRow(good, 4), talentRow(bad, 4), talentRow(damaged, 4)]);
  const r = await upload(officer, 'talents', Buffer.from(text, 'utf8'));
  const p = problemOf(assert, r, 422, 'rule_refused');
  assert.equal(p.rows, 3);
  assert.equal(p.invalid, 2);
  assert.equal(p.created, 0);
  assert.ok(p.errors.some((e) => e.line === 3 && e.column === '证件号码' && /check character/.test(e.reason)), r.text);
  assert.ok(p.errors.some((e) => e.line === 4 && e.column === '证件号码' && /Excel/.test(e.reason)), r.text);
  assert.ok(p.report.startsWith(`${BOM}行号,列,原因\r\n`), p.report);
  assert.equal(await talentCount(), count, 'nothing was written');

  const s = await upload(officer, 'talents', Buffer.from(text, 'utf8'), { skip: true });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.created, 1);
  assert.equal(s.json.invalid, 2);
  assert.equal(s.json.errors.length, 2);
  assert.equal(await talentCount(), count + 1);
  problemOf(assert, await upload(officer, 'talents', Buffer.from(text, 'utf8'), { skip: 'maybe' }),
    400, 'invalid_input', 'skip_invalid');
});

/* GET of a file as the client's session: status, headers and the text with its BOM kept. */
async function download(client, p) {
  const res = await fetch(inst.server.url + p, { headers: { Cookie: `gg_session=${client.cookie}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

/* Parses a CSV export: BOM, CRLF lines, quoted cells. */
function parseCsv(text) {
  assert.ok(text.startsWith(BOM), 'no BOM');
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else {
      assert.notEqual(c, '\n', 'a bare LF ends a line');
      cell += c;
    }
  }
  assert.equal(cell + row.join(''), '', 'the file ends with CRLF');
  return rows;
}

test('exports: masked for employer (its own people) and leader, unmasked only with pii_read', async () => {
  /* the employer of org 1, the first organisation the import made (a scope names a record) */
  await addUser(inst.dir, 'employer', [{ role: 'employer', scope: 'org:1' }]);
  employer = await inst.server.loggedIn('employer');
  let r = await download(employer, '/api/v1/talents/export');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="__-\d{8}\.csv"; filename\*=UTF-8''%E4%BA%BA%E6%89%8D-\d{8}\.csv$/);
  let rows = parseCsv(r.text);
  assert.deepEqual(rows[0], TALENT_HEAD);
  assert.deepEqual(rows.slice(1).map((x) => x[0]).sort(), [PEOPLE[0].name, PEOPLE[3].name].sort());
  for (const p of PEOPLE) {
    assert.ok(!r.text.includes(p.document.number), 'an ID number in the employer export');
    assert.ok(!r.text.includes(p.phone) && !r.text.includes(p.email), 'a phone or e-mail in the employer export');
  }
  assert.ok(rows.slice(1).every((x) => /^\d{3}\*+\d{4}$/.test(x[6])), 'masked ID numbers');
  problemOf(assert, await employer.get('/api/v1/talents/export?unmasked=true'), 403, 'forbidden');
  r = await download(employer, '/api/v1/orgs/export?lang=en');
  assert.equal(r.status, 200, r.text);
  rows = parseCsv(r.text);
  assert.deepEqual(rows[0], ['name', 'uscc', 'kind', 'park', 'segments', 'verified']);
  assert.deepEqual(rows.slice(1).map((x) => x[1]), [ORGS[0].uscc]);

  r = await download(leader, '/api/v1/talents/export?lang=en');
  assert.equal(r.status, 200, r.text);
  rows = parseCsv(r.text);
  assert.equal(rows[0][0], 'name');
  assert.equal(rows.length - 1, await talentCount());
  for (const p of PEOPLE) assert.ok(!r.text.includes(p.document.number), 'an ID number in the leader export');
  problemOf(assert, await leader.get('/api/v1/talents/export?unmasked=true'), 403, 'forbidden');
  problemOf(assert, await leader.get('/api/v1/talents/export?format=pdf'), 400, 'invalid_input', 'format');

  /* Filters apply: the officer's export of one tier. */
  r = await download(officer, '/api/v1/talents/export?tier=top_scientist');
  rows = parseCsv(r.text);
  assert.deepEqual(rows.slice(1).map((x) => x[0]).sort(),
    PEOPLE.filter((p) => p.tier === 'top_scientist').map((p) => p.name).sort());

  const before = (await auditRows('talent.export')).length;
  r = await download(officer, '/api/v1/talents/export?unmasked=true');
  assert.equal(r.status, 200, r.text);
  for (const p of PEOPLE) assert.ok(r.text.includes(p.document.number), `${p.name}'s number is not in the unmasked export`);
  const audits = await auditRows('talent.export');
  assert.equal(audits.length, before + 1);
  const changes = Object.fromEntries(audits[0].changes.map((c) => [c.field, c.new]));
  assert.equal(changes.unmasked, 'true');
  assert.equal(changes.rows, String(await talentCount()));
  assert.equal(audits[0].actor, 'officer');
});

test('an XLSX export keeps the 18-character ID as text', async () => {
  const res = await fetch(`${inst.server.url}/api/v1/talents/export?format=xlsx&unmasked=true`, {
    headers: { Cookie: `gg_session=${officer.cookie}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const dir = await tempDir('guanggu-xlsx-');
  tmp.push(dir);
  const file = path.join(dir, 't.xlsx');
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  const py = `
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
import xml.etree.ElementTree as ET
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns):
        shared.append(''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])))
cells = []
for c in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}c' % ns['m']):
    t = c.get('t')
    if t == 's':
        v = shared[int(c.find('m:v', ns).text)]
    elif t == 'inlineStr':
        v = ''.join(x.text or '' for x in c.iter('{%s}t' % ns['m']))
    else:
        v = c.find('m:v', ns).text if c.find('m:v', ns) is not None else None
    cells.append({'ref': c.get('r'), 'type': t, 'value': v})
print(json.dumps(cells, ensure_ascii=False))
`;
  const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cells = JSON.parse(r.stdout);
  const id = PEOPLE[0].document.number;
  const cell = cells.find((c) => c.value === id);
  assert.ok(cell, `no cell holds ${id.length} characters of the ID`);
  assert.ok(['s', 'inlineStr', 'str'].includes(cell.type), `the ID cell is of type ${cell.type}, not text`);
  assert.ok(cells.some((c) => c.ref === 'A1' && c.value === '姓名'), 'A1 is the Chinese header');
});

test('command line: an unmasked export imports into a fresh installation and exports to the same bytes', async () => {
  const dir = await tempDir('guanggu-roundtrip-');
  tmp.push(dir);
  const t1 = path.join(dir, 't1.csv');
  const o1 = path.join(dir, 'o1.csv');
  await runOk(['export', 'talents', '--output', t1, '--dir', inst.dir]);
  const out = await runOk(['export', 'orgs', '--output', o1, '--dir', inst.dir]);
  assert.match(out.stdout, /^export: 3 orgs to /m);
  const t1b = await readFile(t1);
  assert.ok(t1b.includes(Buffer.from(PEOPLE[1].document.number)), 'the CLI export is unmasked');

  /* Back into the same installation, as GB18030: nothing changes. */
  const gbFile = path.join(dir, 't1-gb.csv');
  await writeFile(gbFile, gb18030(t1b.toString('utf8')));
  let r = await runOk(['import', 'talents', gbFile, '--dir', inst.dir]);
  assert.match(r.stdout, /^import: (\d+) rows, 0 created, 0 updated, \1 unchanged, 0 invalid$/m);

  const fresh = path.join(dir, 'fresh');
  await initDir(fresh);
  await runOk(['import', 'orgs', o1, '--dir', fresh]);
  r = await runOk(['import', 'talents', gbFile, '--dir', fresh]);
  assert.match(r.stdout, /^import: (\d+) rows, \1 created, 0 updated, 0 unchanged, 0 invalid$/m);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  const t2 = path.join(dir, 't2.csv');
  const o2 = path.join(dir, 'o2.csv');
  await runOk(['export', 'talents', '--output', t2, '--dir', fresh]);
  await runOk(['export', 'orgs', '--output', o2, '--dir', fresh]);
  assert.ok(t1b.equals(await readFile(t2)), 'talents differ after the round trip');
  assert.ok((await readFile(o1)).equals(await readFile(o2)), 'organisations differ after the round trip');

  /* Without --output the file goes to stdout. */
  r = await runOk(['export', 'orgs', '--lang', 'en', '--dir', fresh]);
  assert.ok(r.stdout.startsWith(`${BOM}name,uscc,kind,park,segments,verified\r\n`), r.stdout);
});

test('command line: invalid rows exit 1 with a report, --skip-invalid exits 0', async () => {
  const dir = await tempDir('guanggu-cli-import-');
  tmp.push(dir);
  const file = path.join(dir, 'bad.csv');
  const report = path.join(dir, 'report.csv');
  await writeFile(file, csv([['name', 'kind', 'uscc'], ['样例新单位', 'other', ''], ['坏类型单位', 'spaceship', '']]));
  let r = await run(['import', 'orgs', file, '--report', report, '--dir', inst.dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^import: 2 rows, 0 created, 0 updated, 0 unchanged, 1 invalid$/m);
  assert.match(r.stderr, /line 3, kind: /);
  const rep = await readFile(report, 'utf8');
  assert.ok(rep.startsWith(`${BOM}line,column,reason\r\n3,kind,`), rep);
  r = await run(['import', 'orgs', file, '--skip-invalid', '--report', report, '--dir', inst.dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^import: 2 rows, 1 created, 0 updated, 0 unchanged, 1 invalid$/m);
  /* A file that is no CSV at all: exit 1, and the report says why. */
  await writeFile(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]));
  r = await run(['import', 'talents', file, '--report', report, '--dir', inst.dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /save the sheet as CSV/);
  assert.match(await readFile(report, 'utf8'), /xlsx files are not imported/);
});
