import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, dispositionFilename } from '../src/api.js';
import { errorText, fieldErrors } from '../src/errors.js';

describe('buildUrl', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildUrl('/api/v1/talents', { q: '金桥', tier: '', cursor: null, limit: 50 })).toBe(
      '/api/v1/talents?q=%E9%87%91%E6%A1%A5&limit=50',
    );
    expect(buildUrl('/api/v1/x', {})).toBe('/api/v1/x');
    expect(buildUrl('/api/v1/x?a=1', { b: 2 })).toBe('/api/v1/x?a=1&b=2');
  });
});

describe('dispositionFilename', () => {
  it('prefers the RFC 6266 UTF-8 name', () => {
    expect(dispositionFilename(`attachment; filename="talents.xlsx"; filename*=UTF-8''%E4%BA%BA%E6%89%8D.xlsx`, 'x')).toBe('人才.xlsx');
    expect(dispositionFilename('attachment; filename="talents.csv"', 'x')).toBe('talents.csv');
    expect(dispositionFilename(null, 'fallback.csv')).toBe('fallback.csv');
  });
});

describe('ApiError and its messages', () => {
  const problem = {
    code: 'invalid_input', detail: 'invalid input', request_id: 'r1',
    errors: [{ field: 'document.number', message: 'check digit should be X' }, { field: 'honours.0.year', message: 'too early' }],
  };
  const t = (k, p) => (p ? `${k}:${JSON.stringify(p)}` : k);
  const te = (k) => ['errors.invalid_input', 'errors.too_many_requests'].includes(k);

  it('keeps field errors by dotted name and by their head', () => {
    const e = new ApiError(400, problem);
    expect(e.code).toBe('invalid_input');
    expect(fieldErrors(e)).toEqual({
      'document.number': 'check digit should be X',
      document: 'check digit should be X',
      'honours.0.year': 'too early',
      honours: 'too early',
    });
  });
  it('translates by code, falls back to the detail', () => {
    expect(errorText(t, te, new ApiError(400, problem))).toBe('errors.invalid_input');
    expect(errorText(t, te, new ApiError(500, { code: 'new_code', detail: 'something new' }))).toBe('something new');
  });
  it('names the network when the server cannot be reached', () => {
    const e = new ApiError(0, { code: 'network' });
    expect(e.code).toBe('network');
  });
});

describe('sharedGet', () => {
  it('asks once, shares the request, keeps the answer and forgets a failure', async () => {
    const { sharedGet } = await import('../src/api.js');
    const saved = globalThis.fetch;
    let calls = 0;
    let fail = true;
    globalThis.fetch = async () => {
      calls += 1;
      if (fail) return new Response(JSON.stringify({ code: 'busy' }), { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
      return new Response(JSON.stringify({ items: [1, 2] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const store = { items: null };
    const load = sharedGet('/api/v1/roles', store, 'items', (r) => r.items);
    await expect(load()).rejects.toMatchObject({ code: 'busy' });
    expect(store.items).toBe(null);
    fail = false;
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toEqual([1, 2]);
    expect(b).toBe(a);
    expect(calls).toBe(2);
    await load();
    expect(calls).toBe(2);
    globalThis.fetch = saved;
  });
});
