// A plan as the recognition's page shows it, and the tranche and
// cancellation inputs checked before they are sent (src/plan.js).
import { describe, expect, it } from 'vitest';
import { cancelRequest, countLapsed, emptyCancellation, emptyTranche, planAllows, planInstallments, strategicFigures, trancheRequest } from '../src/plan.js';
import { messages } from '../src/i18n/index.js';

const t = (key, args) => {
  const text = key.split('.').reduce((o, p) => (o ? o[p] : undefined), messages.en);
  if (typeof text !== 'string') throw new Error(`no string ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, k) => String(args && args[k]));
};

const strategic = {
  id: 7,
  kind: 'strategic',
  status: 'active',
  total_fen: 5000000000,
  limit_fen: 5000000000,
  tranche_total_fen: 100000000,
  room_fen: 4900000000,
  allowed_actions: ['add_tranche', 'cancel'],
  installments: [
    { id: 12, year: 2, due_on: '2027-06-30', base_fen: 0, amount_fen: 50000000, status: 'planned', milestone: '团队组建', committed_fen: 0, verification: null, payment: null },
    { id: 11, year: 1, due_on: '2026-12-31', base_fen: 0, amount_fen: 50000000, status: 'planned', milestone: '实验室建成', committed_fen: 50000000, verification: { id: 3, status: 'accepted' }, payment: { id: 9, status: 'approved' } },
  ],
};

describe('planInstallments', () => {
  it('orders the rows by year with milestone, commitment, verification and payment', () => {
    const rows = planInstallments(strategic);
    expect(rows.map((r) => r.year)).toEqual([1, 2]);
    expect(rows[0]).toMatchObject({ id: 11, milestone: '实验室建成', committed_fen: 50000000, lapsed: false, verification: { id: 3, status: 'accepted' }, payment: { id: 9, status: 'approved' } });
    expect(rows[1]).toMatchObject({ verification: null, payment: null, committed_fen: 0 });
  });
  it('marks lapsed rows and tolerates a missing list', () => {
    const rows = planInstallments({ installments: [{ year: 1, due_on: '2025-03-01', amount_fen: 0, status: 'lapsed' }] });
    expect(rows[0]).toMatchObject({ lapsed: true, milestone: '', committed_fen: 0, verification: null });
    expect(planInstallments(null)).toEqual([]);
    expect(planInstallments({})).toEqual([]);
    expect(countLapsed({ installments: [{ year: 1, status: 'lapsed' }, { year: 2, status: 'planned' }, { year: 3, status: 'lapsed' }] })).toBe(2);
  });
});

describe('strategicFigures and planAllows', () => {
  it('gives the limit, the tranches total and the room of a strategic plan only', () => {
    expect(strategicFigures(strategic)).toEqual({ limit_fen: 5000000000, tranche_total_fen: 100000000, room_fen: 4900000000 });
    expect(strategicFigures({ kind: 'formula', total_fen: 1 })).toBeNull();
    expect(strategicFigures(null)).toBeNull();
  });
  it('follows allowed_actions only', () => {
    expect(planAllows(strategic, 'add_tranche')).toBe(true);
    expect(planAllows(strategic, 'cancel')).toBe(true);
    expect(planAllows({ allowed_actions: ['cancel'] }, 'add_tranche')).toBe(false);
    expect(planAllows({}, 'cancel')).toBe(false);
    expect(planAllows(null, 'cancel')).toBe(false);
  });
});

describe('trancheRequest', () => {
  it('sends the milestone trimmed, the day and the amount as a plain decimal string', () => {
    expect(trancheRequest({ milestone: '  实验室建成 ', due_on: '2026-12-31', amount: '¥1,000,000' }, t)).toEqual({
      body: { milestone: '实验室建成', due_on: '2026-12-31', amount: '1000000.00' },
    });
  });
  it('places each mistake at its field', () => {
    const r = trancheRequest(emptyTranche(), t);
    expect(r.body).toBeUndefined();
    expect(Object.keys(r.errors).sort()).toEqual(['amount', 'due_on', 'milestone']);
    expect(trancheRequest({ milestone: 'x', due_on: '2026-12-31', amount: '0' }, t).errors).toEqual({ amount: 'The amount must be more than zero' });
    expect(trancheRequest({ milestone: 'x', due_on: '2026-12-31', amount: '1.005' }, t).errors.amount).toBeTruthy();
    expect(trancheRequest({ milestone: 'x'.repeat(501), due_on: '2026-12-31', amount: '1' }, t).errors).toEqual({ milestone: 'At most 500 characters' });
  });
});

describe('cancelRequest', () => {
  it('starts ended today and sends the reason trimmed', () => {
    expect(emptyCancellation('2026-11-27')).toEqual({ reason: '', ended_on: '2026-11-27' });
    expect(cancelRequest({ reason: ' 离职 ', ended_on: '2026-11-27' }, t, '2026-11-27')).toEqual({ body: { reason: '离职', ended_on: '2026-11-27' } });
  });
  it('requires a reason and a day not after today', () => {
    expect(cancelRequest({ reason: '', ended_on: '' }, t, '2026-11-27').errors).toEqual({ reason: 'Enter the reason', ended_on: 'Pick the day employment ended' });
    expect(cancelRequest({ reason: '离职', ended_on: '2026-11-28' }, t, '2026-11-27').errors).toEqual({ ended_on: 'The day cannot be after today' });
  });
});
