// The recruitment order's forms: money sent as decimal strings, the
// employer's organisation, the hire's start and term; errors keyed like
// the server's fields.
import { describe, expect, it } from 'vitest';
import { emptyHire, emptyOrder, hireBody, hiresOf, orderBody } from '../src/pages/orders/orderForm.js';

const t = (k, p) => (p ? `${k} ${JSON.stringify(p)}` : k);

describe('orderBody', () => {
  it('sends the order with the salary as a decimal string', () => {
    const f = { ...emptyOrder(7), title: ' 首席光学科学家 ', segment: 'lasers', salary: '1,200,000', description: ' 负责… ' };
    expect(orderBody(f, t)).toEqual({ body: { org_id: 7, title: '首席光学科学家', segment: 'lasers', salary: '1200000.00', description: '负责…' } });
  });
  it('leaves the description out when empty', () => {
    expect(orderBody({ ...emptyOrder(7), title: 'x', segment: 'lasers', salary: '1000000' }, t)).toEqual({ body: { org_id: 7, title: 'x', segment: 'lasers', salary: '1000000.00' } });
  });
  it('marks each missing or malformed field', () => {
    expect(orderBody({ ...emptyOrder(null), salary: '1000000.001' }, t)).toEqual({
      errors: { org_id: 'orders.form.org_required', title: 'orders.form.title_required', segment: 'orders.form.segment_required', salary: 'money.errors.decimals' },
    });
    expect(orderBody({ ...emptyOrder(3), title: 'x', segment: 'lasers', salary: '-1' }, t).errors).toEqual({ salary: 'money.errors.negative' });
  });
});

describe('hireBody', () => {
  it('prefills the salary and the term of three years', () => {
    expect(emptyHire('1200000.00')).toEqual({ talent_id: null, contract_salary: '1200000.00', start_on: '', term_years: 3 });
  });
  it('sends the hire', () => {
    const f = { talent_id: 12, contract_salary: '1200000.00', start_on: '2025-07-01', term_years: 3 };
    expect(hireBody(f, t)).toEqual({ body: { talent_id: 12, contract_salary: '1200000.00', start_on: '2025-07-01', term_years: 3 } });
  });
  it('refuses a float with three decimals, no talent, no start, a term of 0', () => {
    const r = hireBody({ talent_id: null, contract_salary: '1200000.123', start_on: '', term_years: 0 }, t);
    expect(r.errors).toEqual({
      talent_id: 'orders.hire.talent_required',
      contract_salary: 'money.errors.decimals',
      start_on: 'orders.hire.start_required',
      term_years: 'orders.hire.term_invalid {"max":30}',
    });
  });
});

describe('hiresOf', () => {
  it('reads the order\'s one hire, or a list', () => {
    expect(hiresOf({ hire: { id: 1 } })).toEqual([{ id: 1 }]);
    expect(hiresOf({ hire: null })).toEqual([]);
    expect(hiresOf({ hires: [{ id: 1 }, { id: 2 }] })).toHaveLength(2);
    expect(hiresOf(null)).toEqual([]);
  });
});
