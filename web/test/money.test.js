// Money typed as yuan: what is forgiven (grouping, currency sign, full-width
// digits), what is refused (a sign, a third decimal, an exponent), and the
// exact fen of what is sent.
import { describe, expect, it } from 'vitest';
import { checkYuan, fenToYuan, parseYuan, sumFen } from '../src/money.js';

describe('parseYuan', () => {
  it('gives the plain decimal string the API takes, with its fen', () => {
    expect(parseYuan('1200000')).toEqual({ value: '1200000.00', fen: 120000000n });
    expect(parseYuan('1200000.5')).toEqual({ value: '1200000.50', fen: 120000050n });
    expect(parseYuan('999999.99')).toEqual({ value: '999999.99', fen: 99999999n });
    expect(parseYuan('0.01')).toEqual({ value: '0.01', fen: 1n });
    expect(parseYuan('.5')).toEqual({ value: '0.50', fen: 50n });
    expect(parseYuan('12.')).toEqual({ value: '12.00', fen: 1200n });
    expect(parseYuan('007')).toEqual({ value: '7.00', fen: 700n });
  });
  it('forgives grouping, a currency sign, spaces and full-width digits', () => {
    expect(parseYuan(' 1,200,000.00 ').value).toBe('1200000.00');
    expect(parseYuan('¥1 200 000').value).toBe('1200000.00');
    expect(parseYuan('￥１２０００００．５').value).toBe('1200000.50');
    expect(parseYuan('CNY 8000000').value).toBe('8000000.00');
    expect(parseYuan('1，000，000').value).toBe('1000000.00');
  });
  it('refuses what could be another amount', () => {
    expect(parseYuan('')).toEqual({ error: 'empty' });
    expect(parseYuan('  ')).toEqual({ error: 'empty' });
    expect(parseYuan(null)).toEqual({ error: 'empty' });
    expect(parseYuan('-5')).toEqual({ error: 'negative' });
    expect(parseYuan('1000000.005')).toEqual({ error: 'decimals' });
    expect(parseYuan('1e6')).toEqual({ error: 'format' });
    expect(parseYuan('1.2.3')).toEqual({ error: 'format' });
    expect(parseYuan('+5')).toEqual({ error: 'format' });
    expect(parseYuan('.')).toEqual({ error: 'format' });
    expect(parseYuan('abc')).toEqual({ error: 'format' });
    expect(parseYuan('Infinity')).toEqual({ error: 'format' });
  });
  it('is exact beyond the float range and stops at the server\'s limit', () => {
    expect(parseYuan('9007199254740.99')).toEqual({ value: '9007199254740.99', fen: 900719925474099n });
    expect(parseYuan('10000000000000').fen).toBe(1000000000000000n);
    expect(parseYuan('10000000000000.01')).toEqual({ error: 'too_large' });
  });
});

describe('fenToYuan and sumFen', () => {
  it('writes fen back as plain yuan for an input', () => {
    expect(fenToYuan(120000000)).toBe('1200000.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan('100000000000')).toBe('1000000000.00');
    expect(fenToYuan(-150)).toBe('-1.50');
    expect(fenToYuan(null)).toBe('');
    expect(fenToYuan('x')).toBe('');
  });
  it('sums fen exactly', () => {
    expect(sumFen([60000000, '60000000', 60000000n, null])).toBe(180000000n);
    expect(sumFen([])).toBe(0n);
  });
});

describe('checkYuan', () => {
  const t = (k) => k;
  it('puts the translated reason at the field', () => {
    const errors = {};
    expect(checkYuan('1.234', 'salary', errors, t)).toBe(null);
    expect(errors).toEqual({ salary: 'money.errors.decimals' });
  });
  it('lets an optional empty amount through', () => {
    const errors = {};
    expect(checkYuan('', 'x', errors, t, { required: false })).toBe('');
    expect(checkYuan('', 'y', errors, t)).toBe(null);
    expect(errors).toEqual({ y: 'money.errors.empty' });
  });
});
