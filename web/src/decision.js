// A policy decision and a subsidy plan as the pages show them. Two shapes
// come from the server: the decision of a simulation or a hire
// ({recognized, tier, policy, version, installments: [{year, due,
// amount_fen, status: due|lapsed}], total_fen, trace}) and the plan of a
// recognition ({kind, contract_fen, start_on, total_fen, status,
// installments: [{year, due_on, base_fen, amount_fen, status:
// planned|lapsed}]}). Both become the same installment rows, so one table
// draws them. Pure functions (test/decision.test.js).

/** Element Plus tag types of installment statuses. */
export const INSTALLMENT_TYPE = { due: 'success', planned: 'primary', lapsed: 'info' };

function row(x, due) {
  const status = String(x.status || '');
  return {
    year: Number(x.year),
    due: due || '',
    base_fen: x.base_fen === undefined ? null : x.base_fen,
    amount_fen: x.amount_fen,
    status,
    lapsed: status === 'lapsed',
  };
}

/** The installment rows of a decision (simulation or hire), by year. */
export function decisionRows(decision) {
  const list = (decision && decision.installments) || [];
  return list.map((x) => row(x, x.due || x.due_on)).sort((a, b) => a.year - b.year);
}

/** The installment rows of a plan, by year. */
export function planRows(plan) {
  const list = (plan && plan.installments) || [];
  return list.map((x) => row(x, x.due_on || x.due)).sort((a, b) => a.year - b.year);
}

/** The sum of the rows that did not lapse, as a BigInt of fen. */
export function rowsTotal(rows) {
  let s = 0n;
  for (const r of rows || []) if (!r.lapsed && r.amount_fen !== null && r.amount_fen !== undefined) s += BigInt(r.amount_fen);
  return s;
}

/** The trace as lines: the API sends a list; a text with line breaks is split (blank lines dropped). */
export function traceLines(trace) {
  if (Array.isArray(trace)) return trace.map(String).filter((l) => l.trim() !== '');
  if (typeof trace === 'string') return trace.split(/\r?\n/).filter((l) => l.trim() !== '');
  return [];
}

/** A decision's head line: {recognized, tier, policy, version, total_fen, count (installments due)}. */
export function decisionSummary(decision) {
  const d = decision || {};
  const rows = decisionRows(d);
  return {
    recognized: !!(d.recognized ?? d.recognised),
    tier: d.tier || null,
    policy: d.policy || '',
    version: d.version || '',
    total_fen: d.total_fen ?? Number(rowsTotal(rows)),
    count: rows.filter((r) => !r.lapsed).length,
  };
}

/**
 * Rows of a decision all of the same amount ('3 × ¥600,000.00'): {n,
 * amount_fen} when every row that did not lapse has one amount, else null.
 */
export function evenInstallments(rows) {
  const live = (rows || []).filter((r) => !r.lapsed);
  if (!live.length) return null;
  const first = String(live[0].amount_fen);
  return live.every((r) => String(r.amount_fen) === first) ? { n: live.length, amount_fen: live[0].amount_fen } : null;
}
