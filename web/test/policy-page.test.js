// The policy page: a pack's parameters as rows with readable values, the
// versions in force, and the calculator's body.
import { describe, expect, it } from 'vitest';
import { emptySimulation, inForce, paramRows, paramText, simulationBody } from '../src/pages/policy/policy.js';
import { noticeNumber, policyStamp } from '../src/pages/recognitions/recognition.js';

const t = (k) => k;
const ctx = { money: (fen) => `¥${fen}`, label: (list, token) => `${list}:${token}`, percent: (p) => `${p}%` };

describe('paramRows', () => {
  it('reads parameters keyed by name or listed', () => {
    const keyed = { params: { threshold_cny: { value: '1000000.00', reference: '《光谷招聘令》' }, years: { value: 3, reference: 'r' } } };
    expect(paramRows(keyed)).toEqual([
      { name: 'threshold_cny', value: '1000000.00', value_fen: null, text: null, reference: '《光谷招聘令》' },
      { name: 'years', value: 3, value_fen: null, text: null, reference: 'r' },
    ]);
    expect(paramRows({ parameters: [{ name: 'rate_bp', value: '5000', reference: 'x' }] })).toEqual([
      { name: 'rate_bp', value: '5000', value_fen: null, text: null, reference: 'x' },
    ]);
  });
  it('reads the API\'s shape: text, value or value_fen, reference', () => {
    const v = { params: { threshold_cny: { text: '1000000.00', value_fen: 100000000, reference: 'r' }, rate_bp: { text: '5000', value: 5000, reference: 'q' } } };
    const rows = paramRows(v);
    expect(rows[0]).toEqual({ name: 'threshold_cny', value: null, value_fen: 100000000, text: '1000000.00', reference: 'r' });
    expect(paramText(rows[0].name, rows[0].value, ctx, rows[0])).toBe('¥100000000');
    expect(paramText(rows[1].name, rows[1].value, ctx, rows[1])).toBe('5000 bp (50%)');
    expect(paramText('lapse_rules', null, ctx, { text: 'paid_below_threshold, employment_ended' })).toBe('paid_below_threshold, employment_ended');
    expect(paramRows({})).toEqual([]);
  });
});

describe('paramText', () => {
  it('shows yuan as money, basis points with the percentage, token lists by label', () => {
    expect(paramText('threshold_cny', '1000000.00', ctx)).toBe('¥100000000');
    expect(paramText('rate_bp', 5000, ctx)).toBe('5000 bp (50%)');
    expect(paramText('rate_bp', '4250', ctx)).toBe('4250 bp (42.5%)');
    expect(paramText('eligible_employer_kinds', ['leading_enterprise', 'rd_unit'], ctx)).toBe('org_kinds:leading_enterprise、org_kinds:rd_unit');
    expect(paramText('high_level_tiers', 'top_scientist, leading_talent', ctx)).toBe('tiers:top_scientist、tiers:leading_talent');
    expect(paramText('years', 3, ctx)).toBe('3');
    expect(paramText('cap_scope', 'total', ctx)).toBe('total');
    expect(paramText('x', null, ctx)).toBe('—');
  });
});

describe('inForce', () => {
  it('is half-open [from, to)', () => {
    const v = { from: '2024-01-01', to: '2025-01-01' };
    expect(inForce(v, '2023-12-31')).toBe(false);
    expect(inForce(v, '2024-01-01')).toBe(true);
    expect(inForce(v, '2024-12-31')).toBe(true);
    expect(inForce(v, '2025-01-01')).toBe(false);
    expect(inForce({ from: '2024-01-01', to: null }, '2030-01-01')).toBe(true);
  });
});

describe('simulationBody', () => {
  it('sends the salary as a decimal string and leaves the empty options out', () => {
    expect(simulationBody({ ...emptySimulation(), salary: '1200000' }, t)).toEqual({ body: { salary: '1200000.00', employer_kind: 'leading_enterprise' } });
  });
  it('sends every option given', () => {
    const f = { salary: '1000000.01', employer_kind: 'rd_unit', start: '2024-07-01', paid: ['1200000', '900000', ''], end_after_years: 2, policy: 'optics-valley-2024' };
    expect(simulationBody(f, t)).toEqual({
      body: { salary: '1000000.01', employer_kind: 'rd_unit', start: '2024-07-01', paid: ['1200000.00', '900000.00'], end_after_years: 2, policy: 'optics-valley-2024' },
    });
  });
  it('marks a bad salary and a bad paid year at their fields', () => {
    const r = simulationBody({ ...emptySimulation(), salary: '1e6', paid: ['', '5'] }, t);
    expect(r.errors).toEqual({ salary: 'money.errors.format', 'paid.0': 'money.errors.empty' });
  });
});

describe('the notice', () => {
  it('numbers a notice by its year and id', () => {
    expect(noticeNumber({ id: 42, effective_on: '2025-07-01' })).toBe('GGRD-2025-000042');
    expect(noticeNumber(null)).toBe('');
  });
  it('writes the policy stamp', () => {
    expect(policyStamp({ pack: 'optics-valley-2024', version: '2024.1', hash: 'sha256:0123456789abcdef0123' }, { short: true })).toBe('optics-valley-2024 2024.1 · sha256:01234…');
    expect(policyStamp(null)).toBe('');
  });
});
