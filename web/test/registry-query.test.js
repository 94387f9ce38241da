// The registry lists keep their filter and sort in the address.
import { describe, expect, it } from 'vitest';
import { filterFromQuery, queryFromFilter, sameQuery, sortState, sortToken } from '../src/query.js';

const SPEC = { q: '', tier: '', org: '', sort: '' };
const COLUMNS = { name: 'pinyin', updated_at: 'updated' };

describe('filter in the address', () => {
  it('reads the known keys, first of a repeated one, defaults for the rest', () => {
    expect(filterFromQuery({ q: '金桥', tier: ['a', 'b'], junk: 'x' }, SPEC)).toEqual({ q: '金桥', tier: 'a', org: '', sort: '' });
    expect(filterFromQuery(undefined, { q: '', sort: 'pinyin' })).toEqual({ q: '', sort: 'pinyin' });
  });
  it('writes trimmed, non-empty, non-default values only', () => {
    expect(queryFromFilter({ q: '  wjq ', tier: '', org: 6, sort: 'pinyin' }, { ...SPEC, sort: 'pinyin' })).toEqual({ q: 'wjq', org: '6' });
    expect(queryFromFilter({ q: '   ' }, SPEC)).toEqual({});
  });
  it('round-trips', () => {
    const f = { q: '王', tier: 'leading_talent', org: '3', sort: '-updated' };
    expect(filterFromQuery(queryFromFilter(f, SPEC), SPEC)).toEqual(f);
  });
  it('compares queries by value', () => {
    expect(sameQuery({ q: 'a', org: '3' }, { org: 3, q: 'a' })).toBe(true);
    expect(sameQuery({ q: 'a' }, { q: 'a', org: '3' })).toBe(false);
    expect(sameQuery({ q: 'a', tier: '' }, { q: 'a' })).toBe(true);
  });
});

describe('sort', () => {
  it('maps table sorting to the server token and back', () => {
    expect(sortToken({ prop: 'name', order: 'ascending' }, COLUMNS)).toBe('pinyin');
    expect(sortToken({ prop: 'updated_at', order: 'descending' }, COLUMNS)).toBe('-updated');
    expect(sortToken({ prop: 'updated_at', order: null }, COLUMNS)).toBe('');
    expect(sortToken({ prop: 'phone', order: 'ascending' }, COLUMNS)).toBe('');
    expect(sortState('-updated', COLUMNS)).toEqual({ prop: 'updated_at', order: 'descending' });
    expect(sortState('pinyin', COLUMNS)).toEqual({ prop: 'name', order: 'ascending' });
    expect(sortState('', COLUMNS)).toEqual({});
    expect(sortState('bogus', COLUMNS)).toEqual({});
  });
});
