// Files the import page makes in the browser: the per-row problem report
// as CSV (when the server's own report is not in the answer, as in a
// refused import) and the template header line of each sheet; both UTF-8
// with a BOM and CRLF line ends, so Excel on a Chinese Windows opens them
// right. Also the outcome of an import read from a 200 answer or from a
// 422 refusal. Pure (test/import-report.test.js).

export const BOM = '\uFEFF';

/* The columns of the import files, as GET /api/v1/talents/export and /orgs/export write them. */
export const TEMPLATE_COLUMNS = {
  talents: {
    zh: ['姓名', '拉丁名', '性别', '出生日期', '国籍', '证件类型', '证件号码', '手机', '电子邮箱', '单位统一社会信用代码', '单位名称', '职务', '籍贯', '研究领域', '关键词', '产业链环节', '荣誉', '人才层次', '状态', '备注'],
    en: ['name', 'latin_name', 'gender', 'birth_date', 'nationality', 'doc_type', 'doc_number', 'phone', 'email', 'org_uscc', 'org_name', 'title', 'city', 'fields', 'keywords', 'segments', 'honours', 'tier', 'status', 'notes'],
  },
  orgs: {
    zh: ['名称', '统一社会信用代码', '类型', '园区', '产业链环节', '已核实'],
    en: ['name', 'uscc', 'kind', 'park', 'segments', 'verified'],
  },
};
/* The columns a file must have. */
export const REQUIRED_COLUMNS = {
  talents: { zh: ['姓名'], en: ['name'] },
  orgs: { zh: ['名称', '类型'], en: ['name', 'kind'] },
};

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line
 * break or edge spaces, quotes doubled. A text that a spreadsheet would
 * run as a formula (=, +, -, @ first, and not a number) gets a leading
 * apostrophe, so a report quoting a hostile cell stays text.
 */
export function csvCell(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Rows (arrays of cells) → CSV text with a BOM, CRLF after every row. */
export function csvText(rows) {
  return BOM + rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
}

/** The problems [{line, column, reason}] as a report CSV, header in lang ('zh' | 'en'). */
export function reportCsv(errors, lang = 'zh', more = 0) {
  const head = lang === 'en' ? ['line', 'column', 'reason'] : ['行号', '列', '原因'];
  const rows = [head, ...(errors || []).map((e) => [e.line === null || e.line === undefined ? '' : e.line, e.column || '', e.reason || ''])];
  if (more > 0) rows.push(['', '', lang === 'en' ? `${more} more problems are not listed` : `另有 ${more} 个问题未列出`]);
  return csvText(rows);
}

/** The header line of a sheet ('talents' | 'orgs') as a template CSV. */
export function templateCsv(sheet, lang = 'zh') {
  return csvText([TEMPLATE_COLUMNS[sheet][lang === 'en' ? 'en' : 'zh']]);
}

const COUNTS = ['rows', 'created', 'updated', 'unchanged', 'invalid'];

/**
 * What an import did, from the 200 answer (`result`) or the error of a
 * refused one (ApiError of status 422, whose problem document carries the
 * same members when the client keeps them as `problem`; otherwise the
 * listed problems are all there is): {refused, rows, created, updated,
 * unchanged, invalid, errorsTotal, errors, report}. Counts not known are null.
 */
export function importOutcome(result, error = null) {
  if (!error) {
    const r = result || {};
    const out = { refused: false, errors: r.errors || [], errorsTotal: r.errors_total ?? (r.errors || []).length, report: r.report || null };
    for (const k of COUNTS) out[k] = r[k] ?? 0;
    return out;
  }
  const p = error.problem && typeof error.problem === 'object' ? error.problem : {};
  const errors = Array.isArray(p.errors) ? p.errors : error.errors || [];
  const lines = new Set(errors.filter((e) => e && e.line !== null && e.line !== undefined).map((e) => e.line));
  const out = {
    refused: true,
    errors,
    errorsTotal: p.errors_total ?? errors.length,
    report: p.report || null,
    rows: p.rows ?? null,
    created: 0,
    updated: 0,
    unchanged: 0,
    invalid: p.invalid ?? (lines.size || null),
  };
  return out;
}
