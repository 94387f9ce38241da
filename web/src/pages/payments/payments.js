// Payment runs and payments as the pages show them (contract of issue 6,
// part B): statuses and tag colours, the years an officer may propose a
// run for, the bank result's refusal as rows (the server lists every bad
// row and applies nothing), its outcome when applied, and a run's totals.
// Pure functions (test/payments.test.js).
import { sumFen } from '../../money.js';

export const RUN_STATUSES = ['proposed', 'approved', 'rejected', 'closed'];
export const RUN_STATUS_TYPE = { proposed: 'warning', approved: 'primary', rejected: 'danger', closed: 'success' };
export const PAYMENT_STATUSES = ['proposed', 'approved', 'paid', 'failed', 'returned', 'cancelled'];
export const PAYMENT_STATUS_TYPE = { proposed: 'warning', approved: 'primary', paid: 'success', failed: 'danger', returned: 'danger', cancelled: 'info' };

/* The run's actions (allowed_actions) in the page's order; approve and reject move money and send an Idempotency-Key. */
export const RUN_ACTIONS = ['approve', 'reject', 'bank_file', 'bank_result'];
export const BANK_FORMATS = ['csv', 'xlsx'];
export const RESULT_COLUMNS = ['reference', 'amount', 'status', 'bank_txn_id', 'date', 'reason'];

/** The years a run may be proposed for: the current year first, then `back` years before it. */
export function periodOptions(currentYear, back = 4) {
  const y = Number(currentYear);
  return Array.from({ length: back + 1 }, (_, i) => y - i);
}

/* 'rows.3.amount', 'row 3', 'line 4' → {row, column}. */
function fieldPlace(field) {
  const m = /^(?:rows?|lines?)[.[\s]*(\d+)\]?(?:\.(\w+))?$/i.exec(String(field || '').trim());
  return m ? { row: Number(m[1]), column: m[2] || '' } : null;
}

/**
 * The rows a refused bank result names, from the ApiError (or its problem
 * document): the problem's `rows` when it has them, else its `errors`.
 * Each entry becomes {row, reference, column, message}; row is the line
 * of the file when the server says it (from row / line, or a field such as
 * rows.3.amount), else null. Sorted by row, unnumbered ones last.
 */
export function resultErrorRows(err) {
  const problem = (err && (err.problem || err)) || {};
  const list = Array.isArray(problem.rows) && problem.rows.length ? problem.rows : Array.isArray(problem.errors) ? problem.errors : [];
  const out = list.map((e) => {
    const place = fieldPlace(e && e.field);
    const row = e && (e.row ?? e.line);
    return {
      row: row !== undefined && row !== null && row !== '' ? Number(row) : place ? place.row : null,
      reference: (e && e.reference) || '',
      column: (e && e.column) || (place ? place.column : '') || (e && e.field && !place ? e.field : ''),
      message: (e && (e.message || e.reason || e.detail)) || '',
    };
  });
  return out.sort((a, b) => (a.row === null) - (b.row === null) || (a.row || 0) - (b.row || 0));
}

/**
 * The outcome of an applied bank result (200) in a few counts:
 * {replayed (the same file again: "already applied"), paid, failed,
 * returned, closed (the run closed)}. Fields the server leaves out count 0.
 */
export function resultSummary(data, headers = null) {
  const d = data || {};
  const counts = d.counts || d;
  const num = (k) => Number(counts[k] || 0);
  const replayedHeader = headers && typeof headers.get === 'function' && headers.get('Idempotent-Replayed') === 'true';
  return {
    replayed: !!(d.already_applied || replayedHeader),
    paid: num('paid'),
    failed: num('failed'),
    returned: num('returned'),
    closed: d.closed === true || (d.run ? d.run.status === 'closed' : d.status === 'closed'),
  };
}

/**
 * A payment's payee as the API answers it ({payee: {name, bank, account}},
 * the account masked `**** 1234`), tolerant of flat fields:
 * {name, bank, account}.
 */
export function payeeOf(p) {
  const x = (p && p.payee) || {};
  return {
    name: x.name || x.payee_name || (p && p.payee_name) || '',
    bank: x.bank || (p && p.bank) || '',
    account: x.account || (p && p.account) || '',
  };
}

/** The sum of a run's payments (BigInt fen), to be compared with its total_fen. */
export function paymentsTotal(payments) {
  return sumFen((payments || []).map((p) => p.amount_fen));
}

/** The run's payments with one status (counted). */
export function countByStatus(payments) {
  const out = {};
  for (const p of payments || []) out[p.status] = (out[p.status] || 0) + 1;
  return out;
}

/** A person of the run ({id, name} or a bare name or id) as text. */
export function personName(p) {
  if (!p) return '';
  if (typeof p === 'string') return p;
  if (typeof p === 'number') return `#${p}`;
  return p.display_name || p.name || p.username || (p.id ? `#${p.id}` : '');
}

/** The run's skipped installments ({installment_id, talent, reason}) grouped by reason: [{reason, n}], most first. */
export function skippedByReason(skipped) {
  const m = new Map();
  for (const s of skipped || []) {
    const r = (s && (s.reason || s.why)) || '';
    m.set(r, (m.get(r) || 0) + 1);
  }
  return [...m.entries()].map(([reason, n]) => ({ reason, n })).sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason));
}
