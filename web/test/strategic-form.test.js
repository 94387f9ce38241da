// A strategic-scientist decision: the package's total and its items, which
// must add up to it to the fen.
import { describe, expect, it } from 'vitest';
import { decisionBody, emptyDecision, itemsSum } from '../src/pages/strategic/strategicForm.js';

const t = (k, p) => (p ? `${k} ${JSON.stringify(p)}` : k);
const base = { ...emptyDecision('2026-03-01'), talent_id: 9, rationale: '一事一议：……', package_total: '100000000' };

describe('decisionBody', () => {
  it('sends the decision without items', () => {
    expect(decisionBody(base, t)).toEqual({ body: { talent_id: 9, decided_on: '2026-03-01', rationale: '一事一议：……', package_total: '100000000.00' } });
  });
  it('sends items that add up to the total', () => {
    const f = { ...base, package_total: '50,000,000', items: [{ title: '科研经费', amount: '30000000' }, { title: '安家补贴', amount: '20000000.00' }] };
    expect(decisionBody(f, t).body.items).toEqual([
      { title: '科研经费', amount: '30000000.00' },
      { title: '安家补贴', amount: '20000000.00' },
    ]);
  });
  it('refuses items that do not add up, by one fen', () => {
    const f = { ...base, package_total: '1000.00', items: [{ title: 'a', amount: '500' }, { title: 'b', amount: '499.99' }] };
    expect(decisionBody(f, t).errors).toEqual({ items: 'strategic.form.items_sum {"sum":"99999","total":"100000"}' });
  });
  it('marks each item\'s own problem at its row', () => {
    const f = { ...base, items: [{ title: '', amount: '1' }, { title: 'b', amount: '1.001' }] };
    expect(decisionBody(f, t).errors).toEqual({ 'items.0.title': 'strategic.form.item_title_required', 'items.1.amount': 'money.errors.decimals' });
  });
  it('marks the missing members', () => {
    expect(decisionBody(emptyDecision(''), t).errors).toEqual({
      talent_id: 'strategic.form.talent_required', decided_on: 'strategic.form.date_required',
      rationale: 'strategic.form.rationale_required', package_total: 'money.errors.empty',
    });
  });
});

describe('itemsSum', () => {
  it('adds what parses', () => {
    expect(itemsSum([{ amount: '1.5' }, { amount: '' }, { amount: 'x' }, { amount: '2' }])).toBe(350n);
  });
});
