// Browser tests of the registry pages (talents, organisations' export,
// import) against a real `guanggu serve` with the demo data, signed in as
// the demo bureau officer: the one search box finds 王金桥 by `金桥` and by
// the initials `wjq` and keeps its filter in the address; a resident ID with
// a wrong check digit is refused at the document number field and the rest
// of the input stays; a GB18030 CSV (made with the system's iconv) imports
// through the page, the refused variant gives a per-row report to download;
// the XLSX export of the current filter holds the listed talents.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../api/lib.mjs';
import { noUncaught, step, useDemo } from './lib.mjs';
import { readSheet, sheetRows } from './xlsx.mjs';

const OFFICER = 'bureau_officer';

const run = useDemo();
let work;

before(async () => {
  work = await tempDir('guanggu-e2e-registry-');
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/* The names in the talent table once it has loaded (the loading mask gone). */
async function listedNames(page) {
  await page.locator('[data-test=talent-table]').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-test=talent-table] .el-loading-mask:not([style*="display: none"])'));
  return page.locator('[data-test=talent-row-name]').allInnerTexts();
}

/* Types q into the talent search box and submits; resolves the names listed for it. */
async function search(page, q) {
  const box = page.locator('[data-test=talent-search]');
  await box.fill(q);
  await box.press('Enter');
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === q);
  await page.locator('[data-test=talent-row-name]', { hasText: '王金桥' }).first().waitFor();
  return listedNames(page);
}


test('the talent search finds 王金桥 by 金桥 and by wjq, and the filter lives in the address', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  let all;
  await step(t, page, 'open the talent list', async () => {
    await page.goto('/talents');
    all = await listedNames(page);
    assert.ok(all.length > 5, 'the demo talents are listed');
  });
  await step(t, page, 'search 金桥', async () => {
    assert.ok((await search(page, '金桥')).includes('王金桥'));
  });
  await step(t, page, 'search wjq', async () => {
    const names = await search(page, 'wjq');
    assert.ok(names.includes('王金桥'));
    assert.ok(names.length < all.length, 'the initials narrow the list');
  });
  await step(t, page, 'reload keeps the filter', async () => {
    await page.reload();
    assert.equal(await page.locator('[data-test=talent-search]').inputValue(), 'wjq');
    await page.locator('[data-test=talent-row-name]', { hasText: '王金桥' }).first().waitFor();
  });
  await step(t, page, 'back returns to the previous filter', async () => {
    await page.goBack();
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === '金桥');
    await page.waitForFunction(() => document.querySelector('[data-test=talent-search]').value === '金桥');
  });
  await step(t, page, 'open the record', async () => {
    await page.locator('[data-test=talent-row-name]', { hasText: '王金桥' }).first().click();
    await page.waitForURL(/\/talents\/\d+$/);
    await page.locator('[data-test=talent-title]', { hasText: '王金桥' }).waitFor();
    await page.locator('[data-test=history-entry]').first().waitFor();
  });
  noUncaught(page);
  await page.context().close();
});

test('a resident ID with a wrong check digit is refused at the document number field; the input stays', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  const wrong = '420106198001011231'; /* GB 11643 MOD 11-2 wants 7 as the last character */
  await step(t, page, 'fill the new talent form', async () => {
    await page.goto('/talents/new');
    await page.locator('[data-test=tf-name]').fill('测试甲乙');
    await page.locator('[data-test=tf-title]').fill('高级工程师');
    await page.locator('[data-test=tf-city]').fill('武汉');
    await page.locator('[data-test=tf-doc-number]').fill(wrong);
    await page.locator('[data-test=tf-phone]').fill('13912345678');
    await page.locator('[data-test=tf-submit]').click();
  });
  await step(t, page, 'the error shows under the document number', async () => {
    const error = page.locator('[data-test=tf-doc-number-item] .el-form-item__error');
    await error.waitFor();
    assert.match(await error.innerText(), /check character is '1', expected '7'/);
    assert.equal(new URL(page.url()).pathname, '/talents/new');
    await page.locator('[data-test=form-error]').waitFor();
  });
  await step(t, page, 'the input is still there', async () => {
    assert.equal(await page.locator('[data-test=tf-name]').inputValue(), '测试甲乙');
    assert.equal(await page.locator('[data-test=tf-title]').inputValue(), '高级工程师');
    assert.equal(await page.locator('[data-test=tf-city]').inputValue(), '武汉');
    assert.equal(await page.locator('[data-test=tf-doc-number]').inputValue(), wrong);
    assert.equal(await page.locator('[data-test=tf-phone]').inputValue(), '13912345678');
  });
  await step(t, page, 'the corrected number creates the talent', async () => {
    await page.locator('[data-test=tf-doc-number]').fill('420106198001011237');
    await page.locator('[data-test=tf-submit]').click();
    await page.waitForURL(/\/talents\/\d+$/);
    await page.locator('[data-test=talent-title]', { hasText: '测试甲乙' }).waitFor();
    assert.equal(await page.locator('[data-test=talent-document]').innerText(), '居民身份证 420***********1237');
  });
  noUncaught(page);
  await page.context().close();
});

/* text → its GB18030 bytes through the system's iconv, checked both ways. */
function gb18030(text) {
  const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
  assert.equal(new TextDecoder('gb18030').decode(bytes), text);
  assert.notDeepEqual(bytes, Buffer.from(text, 'utf8'), 'GB18030 bytes differ from UTF-8 for hanzi');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'not valid UTF-8');
  return bytes;
}

/* Uploads file on the import page (talents, mode 'all' or 'skip'). */
async function upload(page, file, mode = 'all') {
  await page.goto('/import');
  await page.locator('[data-test=import-sheet-talents]').click();
  await page.locator('[data-test=import-upload] input[type=file]').setInputFiles(file);
  await page.locator(`[data-test=import-mode-${mode}]`).click();
  await page.locator('[data-test=import-submit]').click();
  await page.locator('[data-test=import-result]').waitFor();
}

const statistic = (page, name) => page.locator(`[data-test=import-${name}] .el-statistic__number`).innerText();

test('a GB18030 CSV imports through the page; a refused one gives a per-row report', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  const good = path.join(work, '人才导入.csv');
  await writeFile(
    good,
    gb18030('姓名,性别,出生日期,单位名称,研究领域\r\n欧阳光谷,男,1985-06-01,武汉光迅科技股份有限公司,光通信\r\n司马青山,女,1990-02-03,,激光雷达\r\n'),
  );
  await step(t, page, 'import the GB18030 file', async () => {
    await upload(page, good);
    await page.locator('[data-test=import-done]').waitFor();
    assert.equal(await statistic(page, 'rows'), '2');
    assert.equal(await statistic(page, 'created'), '2');
    assert.equal(await statistic(page, 'invalid'), '0');
  });
  await step(t, page, 'the new talents are found, hanzi intact', async () => {
    await page.goto(`/talents?q=${encodeURIComponent('欧阳光谷')}`);
    await page.locator('[data-test=talent-row-name]', { hasText: '欧阳光谷' }).waitFor();
    await page.goto('/talents?q=simaqingshan');
    await page.locator('[data-test=talent-row-name]', { hasText: '司马青山' }).waitFor();
  });
  await step(t, page, 'the same file again changes nothing', async () => {
    await upload(page, good);
    assert.equal(await statistic(page, 'created'), '0');
    assert.equal(await statistic(page, 'updated'), '0');
    assert.equal(await statistic(page, 'unchanged'), '2');
  });

  const bad = path.join(work, '有错误.csv');
  await writeFile(bad, gb18030('姓名,证件类型,证件号码\r\n令狐远,居民身份证,420106198001011231\r\n上官明月,,\r\n'));
  await step(t, page, 'a file with an invalid row is refused as a whole', async () => {
    await upload(page, bad, 'all');
    await page.locator('[data-test=import-refused]').waitFor();
    const row = page.locator('[data-test=import-errors] .el-table__body tr').first();
    assert.match(await row.innerText(), /^2\s+证件号码\s+resident id check character is '1', expected '7'/);
  });
  await step(t, page, 'the report downloads as a CSV with a BOM', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=import-report]').click()]);
    const file = path.join(work, 'report.csv');
    await download.saveAs(file);
    const bytes = await readFile(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    assert.equal(lines[0], '行号,列,原因');
    assert.match(lines[1], /^2,证件号码,"resident id check character is '1', expected '7'/);
  });
  await step(t, page, 'skipping invalid rows imports the good one', async () => {
    await upload(page, bad, 'skip');
    await page.locator('[data-test=import-partly]').waitFor();
    assert.equal(await statistic(page, 'created'), '1');
    assert.equal(await statistic(page, 'invalid'), '1');
  });
  noUncaught(page);
  await page.context().close();
});

test('two records of one person are reviewed side by side and merged into the chosen one', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  const file = path.join(work, 'duplicates.csv');
  /* the same name and birth date at two organisations: two records, one likely duplicate pair (UTF-8 with BOM this time) */
  await writeFile(file, '\uFEFF姓名,出生日期,单位名称,职务\r\n诸葛明辉,1970-01-01,武汉光迅科技股份有限公司,首席科学家\r\n诸葛明辉,1970-01-01,武汉理工大学,教授\r\n');
  await step(t, page, 'import the two records', async () => {
    await upload(page, file);
    assert.equal(await statistic(page, 'created'), '2');
  });
  const pair = page.locator('[data-test^=pair-]', { hasText: '诸葛明辉' });
  let keep;
  await step(t, page, 'the pair is listed with its reason', async () => {
    await page.goto('/talents/duplicates');
    await pair.waitFor();
    assert.match(await pair.locator('[data-test=pair-reason]').first().innerText(), /姓名和出生日期相同/);
    keep = await pair.locator('[data-test=merge-into-a]').innerText();
    assert.match(keep, /^合并到 诸葛明辉 #\d+$/);
  });
  await step(t, page, 'merge after the confirmation', async () => {
    await pair.locator('[data-test=merge-into-a]').click();
    const dialog = page.locator('[data-test=merge-dialog]');
    await dialog.getByText('不能撤销').waitFor();
    await page.locator('[data-test=merge-confirm]').click();
    await pair.waitFor({ state: 'detached' });
  });
  await step(t, page, 'one record is left, and its history shows the merge', async () => {
    await page.goto(`/talents?q=${encodeURIComponent('诸葛明辉')}`);
    await page.locator('[data-test=talent-row-name]', { hasText: '诸葛明辉' }).first().waitFor();
    assert.deepEqual(await listedNames(page), ['诸葛明辉']);
    await page.locator('[data-test=talent-row-name]', { hasText: '诸葛明辉' }).click();
    await page.waitForURL(new RegExp(`/talents/${/#(\d+)$/.exec(keep)[1]}$`));
    await page.locator('[data-test=history-entry]', { hasText: '合并' }).first().waitFor();
  });
  noUncaught(page);
  await page.context().close();
});

test('the XLSX export holds the talents of the current filter', async (t) => {
  const page = await run.signedIn(t, OFFICER);
  let names;
  await step(t, page, 'filter the list', async () => {
    await page.goto('/talents?q=wjq');
    await page.locator('[data-test=talent-row-name]', { hasText: '王金桥' }).first().waitFor();
    names = await listedNames(page);
  });
  await step(t, page, 'export XLSX and read the workbook', async () => {
    await page.locator('[data-test=export]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = path.join(work, 'talents.xlsx');
    await download.saveAs(file);
    const cells = readSheet(await readFile(file));
    assert.equal(cells.A1, '姓名');
    const rows = sheetRows(cells);
    const header = rows[0];
    assert.ok(header.includes('证件号码') && header.includes('单位名称'), `header: ${header}`);
    const exported = rows.slice(1).map((r) => r[0]);
    assert.ok(exported.includes('王金桥'));
    assert.deepEqual([...exported].sort(), [...names].sort(), 'the export has exactly the listed talents');
    const wang = rows.find((r) => r[0] === '王金桥');
    assert.equal(wang[header.indexOf('单位名称')], '武汉人工智能研究院');
  });
  noUncaught(page);
  await page.context().close();
});
