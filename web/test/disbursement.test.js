// Disbursement's pure logic: verifications (submission, evidence files, queue
// query, overdue), payment runs (periods, bank result report, outcome, totals),
// the payee's account number, the ledger's balances and chart, the
// Idempotency-Key of money-moving requests, and the pages' routes.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../src/api.js';
import { currentYear, todayCivil } from '../src/format.js';
import { idempotentAction, keepKeyAfter, newIdempotencyKey } from '../src/idempotency.js';
import { accountDigits, maskAccount } from '../src/payee.js';
import { messages } from '../src/i18n/index.js';
import {
  decisionBody, fileProblem, formInput, isOverdue, queueQuery, submitBody, typeByContent, typeByName, MAX_FILES,
} from '../src/pages/verifications/verification.js';
import {
  countByStatus, payeeOf, paymentsTotal, periodOptions, personName, resultErrorRows, resultSummary, skippedByReason,
} from '../src/pages/payments/payments.js';
import { balanceRows, chartOption, compactYuan, isBalanced } from '../src/pages/ledger/ledger.js';
import verificationRoutes from '../src/pages/verifications/routes.js';
import paymentRoutes from '../src/pages/payments/routes.js';
import ledgerRoutes from '../src/pages/ledger/routes.js';

const t = (k, p) => (p ? `${k}:${JSON.stringify(p)}` : k);
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]);

describe('verification submission', () => {
  it('sends the salary as the decimal string and leaves end_on out while employed', () => {
    expect(submitBody({ employed: true, end_on: '2025-01-01', salary_paid: '1,200,000', tax_record_no: ' T-42 ' }, t)).toEqual({
      body: { employed: true, salary_paid: '1200000.00', tax_record_no: 'T-42' },
    });
  });
  it('needs the end day when the employment ended', () => {
    expect(submitBody({ employed: false, end_on: '', salary_paid: '0', tax_record_no: 'x' }, t).errors).toEqual({ end_on: 'verifications.form.end_on_required' });
    expect(submitBody({ employed: false, end_on: '2025-06-30', salary_paid: '0', tax_record_no: 'x' }, t).body).toEqual({
      employed: false, end_on: '2025-06-30', salary_paid: '0.00', tax_record_no: 'x',
    });
  });
  it('refuses a missing choice, a third decimal, a negative salary and a long tax number at their fields', () => {
    const r = submitBody({ employed: null, end_on: '', salary_paid: '1.001', tax_record_no: 'x'.repeat(65) }, t);
    expect(Object.keys(r.errors).sort()).toEqual(['employed', 'salary_paid', 'tax_record_no']);
    expect(r.errors.salary_paid).toBe('money.errors.decimals');
    expect(submitBody({ employed: true, salary_paid: '-5', tax_record_no: 'x' }, t).errors.salary_paid).toBe('money.errors.negative');
    expect(submitBody({ employed: true, salary_paid: '', tax_record_no: '' }, t).errors).toEqual({
      salary_paid: 'money.errors.empty', tax_record_no: 'verifications.form.tax_required',
    });
  });
  it('prefills a returned verification from what was sent', () => {
    expect(formInput({ employed: false, end_on: '2025-03-01', salary_paid_fen: 99999999, tax_record_no: 'N1' })).toEqual({
      employed: false, end_on: '2025-03-01', salary_paid: '999999.99', tax_record_no: 'N1',
    });
    expect(formInput({ employed: null, salary_paid_fen: null })).toEqual({ employed: null, end_on: '', salary_paid: '', tax_record_no: '' });
  });
  it('gives return and lapse their reason, accept nothing', () => {
    expect(decisionBody('accept', { reason: 'x' })).toEqual({});
    expect(decisionBody('return', { reason: '  missing tax certificate ' })).toEqual({ reason: 'missing tax certificate' });
    expect(decisionBody('lapse', { reason: 'no answer' })).toEqual({ reason: 'no answer' });
  });
});

describe('evidence files', () => {
  it('knows PDF, PNG and JPEG by content and by name', () => {
    expect([typeByContent(PDF), typeByContent(PNG), typeByContent(JPEG), typeByContent(new Uint8Array([1, 2, 3]))]).toEqual(['pdf', 'png', 'jpeg', null]);
    expect([typeByName('a.PDF'), typeByName('b.jpg'), typeByName('c.jpeg'), typeByName('d.png'), typeByName('e.docx'), typeByName('noext')]).toEqual(['pdf', 'jpeg', 'jpeg', 'png', null, null]);
  });
  it('refuses what the server would refuse', () => {
    const f = (name, size) => ({ name, size });
    expect(fileProblem(f('contract.pdf', 1000), PDF)).toBe(null);
    expect(fileProblem(f('contract.pdf', 1000), PNG)).toBe('mismatch');
    expect(fileProblem(f('scan.jpg', 1000), PDF)).toBe('mismatch');
    expect(fileProblem(f('contract.docx', 1000), PDF)).toBe('extension');
    expect(fileProblem(f('x.pdf', 1000), new Uint8Array([0, 1]))).toBe('content');
    expect(fileProblem(f('x.pdf', 0), PDF)).toBe('empty');
    expect(fileProblem(f('x.pdf', 10 * 1024 * 1024 + 1), PDF)).toBe('too_large');
    expect(fileProblem(f('x.pdf', 10 * 1024 * 1024), PDF)).toBe(null);
    expect(fileProblem(f('x.pdf', 10), PDF, { count: MAX_FILES })).toBe('count');
    expect(fileProblem(f('x.pdf', 10), PDF, { count: MAX_FILES - 1 })).toBe(null);
  });
});

describe('verification lists', () => {
  it('makes the queue tabs the API filters', () => {
    expect(queueQuery('submitted', { status: 'accepted', org: '5', tab: '' })).toEqual({ status: 'submitted', org: '5' });
    expect(queueQuery('overdue', { status: 'open', year: '2026' })).toEqual({ overdue: 'true', year: '2026' });
    expect(queueQuery('all', { status: 'lapsed' })).toEqual({ status: 'lapsed' });
    expect(queueQuery('', { overdue: 'true', tab: 'x' })).toEqual({ overdue: 'true' });
  });
  it('takes the server\'s overdue, else open or returned past the deadline', () => {
    expect(isOverdue({ overdue: true, status: 'submitted' }, '2020-01-01')).toBe(true);
    expect(isOverdue({ overdue: false, status: 'open', deadline_on: '2020-01-01' }, '2026-01-01')).toBe(false);
    expect(isOverdue({ status: 'open', deadline_on: '2026-01-01' }, '2026-01-02')).toBe(true);
    expect(isOverdue({ status: 'returned', deadline_on: '2026-01-02' }, '2026-01-02')).toBe(false);
    expect(isOverdue({ status: 'submitted', deadline_on: '2020-01-01' }, '2026-01-02')).toBe(false);
    expect(isOverdue(null, '2026-01-02')).toBe(false);
  });
});

describe('payment runs', () => {
  it('offers the current year and the years before it, never a future one', () => {
    expect(periodOptions(2026, 3)).toEqual([2026, 2025, 2024, 2023]);
    expect(currentYear(new Date('2025-12-31T16:30:00Z'))).toBe(2026); /* already 2026 in Shanghai */
    expect(todayCivil(new Date('2025-12-31T15:59:00Z'))).toBe('2025-12-31');
  });
  it('lists the rows of a refused bank result as the server names them', () => {
    const err = {
      status: 422,
      problem: {
        code: 'invalid_input',
        errors: [
          { field: 'rows.4.amount', message: 'amount 600000.01 is not the payment\'s 600000.00', reference: 'GG2026-00000002' },
          { field: 'rows.2.reference', message: 'unknown reference GG2026-99999999' },
          { row: 3, column: 'status', message: 'status must be paid, failed or returned' },
          { field: 'file', message: 'the reference GG2026-00000001 is in the file twice' },
        ],
      },
    };
    expect(resultErrorRows(err)).toEqual([
      { row: 2, reference: '', column: 'reference', message: 'unknown reference GG2026-99999999' },
      { row: 3, reference: '', column: 'status', message: 'status must be paid, failed or returned' },
      { row: 4, reference: 'GG2026-00000002', column: 'amount', message: 'amount 600000.01 is not the payment\'s 600000.00' },
      { row: null, reference: '', column: 'file', message: 'the reference GG2026-00000001 is in the file twice' },
    ]);
    expect(resultErrorRows({ problem: { rows: [{ line: 7, reference: 'R', reason: 'bad date' }], errors: [{ field: 'x' }] } })).toEqual([
      { row: 7, reference: 'R', column: '', message: 'bad date' },
    ]);
    expect(resultErrorRows(null)).toEqual([]);
  });
  it('counts an applied result and knows a replay', () => {
    expect(resultSummary({ paid: 2, failed: 1, run: { status: 'approved' } })).toEqual({ replayed: false, paid: 2, failed: 1, returned: 0, closed: false });
    expect(resultSummary({ counts: { paid: 3 }, status: 'closed' }).closed).toBe(true);
    expect(resultSummary({ already_applied: true }).replayed).toBe(true);
    /* the server's answer (api_payments.c): flat counts and `closed` */
    expect(resultSummary({ already_applied: false, detail: 'applied', rows: 3, paid: 2, failed: 1, returned: 0, closed: true })).toEqual({ replayed: false, paid: 2, failed: 1, returned: 0, closed: true });
    /* the run's refusal: rows {line, reference, reason} */
    expect(resultErrorRows({ problem: { rows: [{ line: 3, reference: 'GG2026-00000001', reason: 'amount differs' }] } })).toEqual([{ row: 3, reference: 'GG2026-00000001', column: '', message: 'amount differs' }]);
    /* a payment's payee as the API answers it: {payee: {name, bank, account (masked)}} */
    expect(payeeOf({ payee: { name: '示例人才', bank: '中国银行', account: '**** 7890' } })).toEqual({ name: '示例人才', bank: '中国银行', account: '**** 7890' });
    expect(payeeOf(null)).toEqual({ name: '', bank: '', account: '' });
    expect(resultSummary({}, new Headers({ 'Idempotent-Replayed': 'true' })).replayed).toBe(true);
  });
  it('adds the payments in fen and groups what was skipped', () => {
    expect(paymentsTotal([{ amount_fen: 60000000 }, { amount_fen: '60000001' }]).toString()).toBe('120000001');
    expect(countByStatus([{ status: 'paid' }, { status: 'paid' }, { status: 'failed' }])).toEqual({ paid: 2, failed: 1 });
    expect(skippedByReason([{ reason: 'no confirmed payee' }, { reason: 'b' }, { reason: 'no confirmed payee' }])).toEqual([
      { reason: 'no confirmed payee', n: 2 }, { reason: 'b', n: 1 },
    ]);
    expect([personName({ id: 3, name: '张三' }), personName('李四'), personName(7), personName(null)]).toEqual(['张三', '李四', '#7', '']);
  });
});

describe('payee account', () => {
  it('takes 8 to 32 digits, forgiving groups and full-width digits', () => {
    expect(accountDigits('6222 0212 3456 7890')).toBe('6222021234567890');
    expect(accountDigits('６２２２-０２１２')).toBe('62220212');
    expect(accountDigits('1234567')).toBe(null);
    expect(accountDigits('1'.repeat(33))).toBe(null);
    expect(accountDigits('62220212345678a0')).toBe(null);
    expect(maskAccount('6222021234567890')).toBe('**** 7890');
  });
});

describe('ledger balances', () => {
  const data = {
    accounts: [
      { code: 'fund_appropriations', name_zh: '专项资金拨入', name_en: 'Fund appropriations', balance_fen: -1000000000 },
      { code: 'fund_available', name_zh: '可用额度', name_en: 'Fund available', balance_fen: 820000000 },
      { code: 'fund_committed', name_zh: '已承诺额度', name_en: 'Fund committed', balance_fen: 120000000 },
      { code: 'fund_approved', name_zh: '已审批待支付', name_en: 'Fund approved', balance_fen: 0 },
      { code: 'fund_paid', name_zh: '已支付', name_en: 'Fund paid', balance_fen: 60000000 },
    ],
    total_debit_fen: 1500000000,
    total_credit_fen: 1500000000,
  };
  it('puts each balance on its side, named in the language', () => {
    const rows = balanceRows(data, 'zh-CN');
    expect(rows.map((r) => [r.name, r.side, r.amount_fen.toString()])).toEqual([
      ['专项资金拨入', 'credit', '1000000000'], ['可用额度', 'debit', '820000000'], ['已承诺额度', 'debit', '120000000'],
      ['已审批待支付', '', '0'], ['已支付', 'debit', '60000000'],
    ]);
    expect(balanceRows(data, 'en')[0].name).toBe('Fund appropriations');
  });
  it('holds the trial balance only when debits equal credits and the balances sum to zero', () => {
    expect(isBalanced(data)).toBe(true);
    expect(isBalanced({ ...data, total_credit_fen: 1 })).toBe(false);
    expect(isBalanced({ ...data, accounts: data.accounts.slice(1) })).toBe(false);
    expect(isBalanced(null)).toBe(false);
  });
  it('draws a bar per account and labels the axis in short yuan', () => {
    const rows = balanceRows(data, 'en');
    const o = chartOption(rows, 'en', (s) => s);
    expect(o.xAxis.data).toHaveLength(5);
    expect(o.series[0].data.map((d) => d.value)).toEqual([1000000000, 820000000, 120000000, 0, 60000000]);
    expect(o.tooltip.formatter([{ dataIndex: 1 }])).toBe('Fund available<br/>debit CNY 8,200,000.00');
    expect([compactYuan(1000000000, 'zh-CN'), compactYuan(120000000, 'zh-CN'), compactYuan(500, 'zh-CN')]).toEqual(['1000万', '120万', '5']);
    expect([compactYuan(1000000000, 'en'), compactYuan(250000000000, 'zh-CN'), compactYuan(150000, 'en')]).toEqual(['10M', '25亿', '1.5K']);
  });
});

describe('Idempotency-Key', () => {
  const saved = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = saved;
  });
  it('makes version 4 UUIDs, also without randomUUID', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(re);
    expect(newIdempotencyKey({ getRandomValues: (b) => b.fill(255) })).toMatch(re);
    expect(newIdempotencyKey(null)).toMatch(re);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
  it('keeps one key per action until done or renewed', () => {
    let n = 0;
    const a = idempotentAction(() => `k${++n}`);
    expect(a.key()).toBe('k1');
    expect(a.key()).toBe('k1');
    a.done();
    expect(a.key()).toBe('k2');
    a.renew();
    expect(a.key()).toBe('k3');
  });
  it('keeps the key when the outcome is unknown or still running, not after a decided refusal', () => {
    expect([0, 408, 409, 429, 500, 503].map((status) => keepKeyAfter({ status }))).toEqual([true, true, true, true, true, true]);
    expect([400, 403, 404, 412, 422].map((status) => keepKeyAfter({ status }))).toEqual([false, false, false, false, false]);
  });
  it('is sent as a header by the API client', async () => {
    let sent = null;
    globalThis.fetch = async (url, init) => {
      sent = init.headers;
      return new Response(JSON.stringify({ id: 1 }), { status: 201, headers: { 'Content-Type': 'application/json' } });
    };
    const r = await request('POST', '/api/v1/payment-runs', { body: { period: 2026 }, idempotencyKey: 'abc-123' });
    expect(r.status).toBe(201);
    expect(sent['Idempotency-Key']).toBe('abc-123');
    await request('GET', '/api/v1/payment-runs');
    expect(sent['Idempotency-Key']).toBeUndefined();
  });
});

describe('disbursement pages', () => {
  const all = [...verificationRoutes, ...paymentRoutes, ...ledgerRoutes];
  const byName = Object.fromEntries(all.map((r) => [r.name, r]));
  it('are behind their permissions, in the disbursement menu', () => {
    expect(byName.verifications.meta).toMatchObject({ perm: 'verifications_read', menu: { group: 'disbursement' } });
    expect(byName['verification-queue'].meta).toMatchObject({ perm: 'verifications_review', menu: { group: 'disbursement' } });
    expect(byName['payment-runs'].meta).toMatchObject({ perm: 'payments_read', menu: { group: 'disbursement' } });
    expect(byName.ledger.meta).toMatchObject({ perm: 'ledger_read', menu: { group: 'disbursement' } });
    expect(byName['payment-run-sheet']).toMatchObject({ path: '/payment-runs/:id(\\d+)/sheet', meta: { bare: true, perm: 'payments_read' } });
  });
  it('have their titles and the menu group in both languages', () => {
    for (const loc of ['zh-CN', 'en']) {
      expect(messages[loc].nav.disbursement).toBeTruthy();
      for (const r of all) {
        const v = r.meta.title.split('.').reduce((o, k) => (o ? o[k] : undefined), messages[loc]);
        expect(typeof v, `${loc} ${r.meta.title}`).toBe('string');
      }
    }
  });
});
