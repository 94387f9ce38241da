// A record's segments grouped under their chain (SegmentChains on the detail pages).
import { afterEach, describe, expect, it } from 'vitest';
import { segmentsByChain, vocabulary } from '../src/vocabulary.js';

afterEach(() => {
  vocabulary.data = null;
});

describe('segmentsByChain', () => {
  it('groups in order of first appearance, unknown segments under the empty chain', () => {
    vocabulary.data = {
      chains: [
        { token: 'optics', segments: [{ token: 'laser' }, { token: 'fibre' }] },
        { token: 'chips', segments: [{ token: 'design' }] },
      ],
    };
    expect(segmentsByChain(['design', 'laser', 'mystery', 'fibre'])).toEqual([
      { chain: 'chips', segments: ['design'] },
      { chain: 'optics', segments: ['laser', 'fibre'] },
      { chain: '', segments: ['mystery'] },
    ]);
  });
  it('is empty for no segments', () => {
    expect(segmentsByChain([])).toEqual([]);
    expect(segmentsByChain(undefined)).toEqual([]);
  });
});
