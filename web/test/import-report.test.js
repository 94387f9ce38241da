// The files the import page builds: the problem report and the template
// (CSV with BOM, RFC 4180 quoting, CRLF, Chinese kept), and the outcome
// of an import from a 200 answer or a 422 refusal.
import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvText, importOutcome, reportCsv, templateCsv } from '../src/pages/import/report.js';

describe('csvCell', () => {
  it('leaves plain text and Chinese as it is', () => {
    expect(csvCell('证件号码')).toBe('证件号码');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
  });
  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('王，金桥')).toBe('王，金桥'); /* a full-width comma is no separator */
  });
  it('keeps a formula as text but leaves signed numbers alone', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell('+3.5')).toBe('+3.5');
  });
});

describe('reportCsv', () => {
  const errors = [
    { line: 4, column: '证件号码', reason: "resident id check character is '1', expected '7' (GB 11643 MOD 11-2)" },
    { line: null, column: '', reason: 'the header row is wrong' },
    { line: 9, column: '人才层次', reason: "unknown tier '=cmd'" },
  ];
  it('starts with a BOM and a Chinese header, one CRLF row per problem', () => {
    const text = reportCsv(errors, 'zh');
    expect(text.startsWith(BOM)).toBe(true);
    const rows = text.slice(1).split('\r\n');
    expect(rows).toEqual([
      '行号,列,原因',
      `4,证件号码,"resident id check character is '1', expected '7' (GB 11643 MOD 11-2)"`,
      ',,the header row is wrong',
      "9,人才层次,unknown tier '=cmd'",
      '',
    ]);
  });
  it('writes the English header and says how many were not listed', () => {
    const text = reportCsv(errors.slice(0, 1), 'en', 1500);
    expect(text.slice(1).split('\r\n')[0]).toBe('line,column,reason');
    expect(text).toContain(',,1500 more problems are not listed\r\n');
    expect(reportCsv([], 'zh', 3)).toContain('另有 3 个问题未列出');
  });
  it('encodes to UTF-8 bytes with EF BB BF first and the hanzi intact', () => {
    const bytes = new TextEncoder().encode(reportCsv([{ line: 2, column: '姓名', reason: '缺少' }]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('2,姓名,缺少\r\n');
  });
});

describe('templateCsv', () => {
  it('is the header line of each sheet in either language', () => {
    expect(templateCsv('orgs', 'zh')).toBe(`${BOM}名称,统一社会信用代码,类型,园区,产业链环节,已核实\r\n`);
    expect(templateCsv('orgs', 'en')).toBe(`${BOM}name,uscc,kind,park,segments,verified\r\n`);
    const talents = templateCsv('talents', 'zh').slice(1).trim().split(',');
    expect(talents[0]).toBe('姓名');
    expect(talents).toContain('证件号码');
    expect(talents).toHaveLength(20);
  });
  it('is written with csvText, so both agree', () => {
    expect(csvText([['a', 'b']])).toBe(`${BOM}a,b\r\n`);
  });
});

describe('importOutcome', () => {
  it('reads the counts of a 200 answer', () => {
    const o = importOutcome({ rows: 3, created: 1, updated: 1, unchanged: 0, invalid: 1, errors_total: 1, errors: [{ line: 3, column: '姓名', reason: 'x' }], report: 'R' });
    expect(o).toMatchObject({ refused: false, rows: 3, created: 1, updated: 1, unchanged: 0, invalid: 1, errorsTotal: 1, report: 'R' });
  });
  it('reads a refusal that kept its problem document', () => {
    const err = { status: 422, code: 'rule_refused', errors: [], problem: { rows: 40, invalid: 2, errors_total: 2, errors: [{ line: 2 }, { line: 5 }], report: 'R' } };
    expect(importOutcome(null, err)).toMatchObject({ refused: true, rows: 40, invalid: 2, created: 0, errorsTotal: 2, report: 'R' });
  });
  it('falls back to the listed problems when only they are known', () => {
    const err = { status: 422, code: 'rule_refused', errors: [{ line: 2, column: 'a', reason: 'x' }, { line: 2, column: 'b', reason: 'y' }, { line: 7, column: 'a', reason: 'z' }] };
    const o = importOutcome(null, err);
    expect(o).toMatchObject({ refused: true, rows: null, invalid: 2, errorsTotal: 3, report: null });
    expect(o.errors).toHaveLength(3);
  });
});
