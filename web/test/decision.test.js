// A decision (simulation or hire) and a plan (recognition) become the same
// installment rows; totals count only what did not lapse.
import { describe, expect, it } from 'vitest';
import { decisionRows, decisionSummary, evenInstallments, planRows, rowsTotal, traceLines } from '../src/decision.js';
import { allowedOf, allows } from '../src/workflow.js';

/* DOMAIN.md's first worked example: 1,200,000 → 3 × 600,000. */
const HIRE = {
  recognized: true,
  tier: 'leading_talent',
  policy: 'optics-valley-2024',
  version: '2024.1',
  installments: [
    { year: 2, due: '2026-07-01', amount_fen: 60000000, status: 'due' },
    { year: 1, due: '2025-07-01', amount_fen: 60000000, status: 'due' },
    { year: 3, due: '2027-07-01', amount_fen: 60000000, status: 'due' },
  ],
  total_fen: 180000000,
  trace: ['salary 1,200,000.00 ≥ threshold 1,000,000.00 (optics-valley-2024, from 2024-01-01)', 'recognised: leading_talent'],
};

describe('decisionRows', () => {
  it('orders the installments by year with their due day', () => {
    const rows = decisionRows(HIRE);
    expect(rows.map((r) => r.year)).toEqual([1, 2, 3]);
    expect(rows[0]).toEqual({ year: 1, due: '2025-07-01', base_fen: null, amount_fen: 60000000, status: 'due', lapsed: false });
  });
  it('gives no rows for a talent not recognised', () => {
    expect(decisionRows({ recognized: false, installments: [], total_fen: 0 })).toEqual([]);
    expect(decisionRows(null)).toEqual([]);
  });
  it('marks lapsed years, and the total leaves them out', () => {
    const rows = decisionRows({
      installments: [
        { year: 1, due: '2025-07-01', amount_fen: 60000000, status: 'due' },
        { year: 2, due: '2026-07-01', amount_fen: 45000000, status: 'lapsed' },
      ],
    });
    expect(rows[1].lapsed).toBe(true);
    expect(rowsTotal(rows)).toBe(60000000n);
  });
});

describe('planRows', () => {
  it('reads a recognition plan (due_on, base, planned)', () => {
    const rows = planRows({
      kind: 'formula',
      installments: [{ year: 1, due_on: '2025-07-01', base_fen: 120000000, amount_fen: 60000000, status: 'planned' }],
    });
    expect(rows).toEqual([{ year: 1, due: '2025-07-01', base_fen: 120000000, amount_fen: 60000000, status: 'planned', lapsed: false }]);
    expect(planRows(null)).toEqual([]);
  });
});

describe('decisionSummary and evenInstallments', () => {
  it('says recognised, the tier, the policy version and the total', () => {
    expect(decisionSummary(HIRE)).toEqual({
      recognized: true, tier: 'leading_talent', policy: 'optics-valley-2024', version: '2024.1', total_fen: 180000000, count: 3,
    });
    expect(evenInstallments(decisionRows(HIRE))).toEqual({ n: 3, amount_fen: 60000000 });
  });
  it('has no even split under the cap (8,000,000 → 4M, 4M, 2M)', () => {
    const rows = decisionRows({
      installments: [
        { year: 1, due: 'x', amount_fen: 400000000, status: 'due' },
        { year: 2, due: 'x', amount_fen: 400000000, status: 'due' },
        { year: 3, due: 'x', amount_fen: 200000000, status: 'due' },
      ],
    });
    expect(evenInstallments(rows)).toBe(null);
    expect(rowsTotal(rows)).toBe(1000000000n);
  });
  it('sums the rows when the total is absent, and reads a refusal', () => {
    expect(decisionSummary({ recognized: false, tier: null, installments: [] })).toMatchObject({ recognized: false, tier: null, total_fen: 0, count: 0 });
  });
});

describe('traceLines', () => {
  it('takes the list, or splits a text', () => {
    expect(traceLines(HIRE.trace)).toHaveLength(2);
    expect(traceLines('a\nb\n\n')).toEqual(['a', 'b']);
    expect(traceLines(undefined)).toEqual([]);
  });
});

describe('allowed_actions', () => {
  it('draws only what the server lists, in the page\'s order', () => {
    const r = { allowed_actions: ['reject', 'approve', 'unknown'] };
    expect(allows(r, 'approve')).toBe(true);
    expect(allows(r, 'submit')).toBe(false);
    expect(allows(null, 'approve')).toBe(false);
    expect(allows({}, 'approve')).toBe(false);
    expect(allowedOf(r, ['approve', 'return', 'reject'])).toEqual(['approve', 'reject']);
  });
});
