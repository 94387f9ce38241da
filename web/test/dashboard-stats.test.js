// The dashboard's figures and chart options from the stats answer and the vocabulary.
import { describe, expect, it } from 'vitest';
import { barOption, figures, labelled, monthsOption, pieOption } from '../src/pages/dashboard/stats.js';

const VOCAB = {
  tiers: [
    { token: 'strategic_scientist', zh: '战略科学家', en: 'Strategic scientist', high_level: true },
    { token: 'leading_talent', zh: '领军人才', en: 'Leading talent', high_level: true },
    { token: 'other', zh: '其他', en: 'Other', high_level: false },
  ],
  chains: [{ token: 'ai', zh: '人工智能', en: 'AI', segments: [] }],
};
const STATS = {
  as_of: '2026-11-26T21:00:00Z',
  talents: {
    total: 44,
    by_tier: [
      { tier: 'strategic_scientist', count: 3 },
      { tier: 'leading_talent', count: 0 },
      { tier: 'other', count: 11 },
      { tier: null, count: 30 },
    ],
    by_chain: [{ chain: 'ai', count: 12 }],
    created_by_month: [
      { month: '2026-10', count: 2 },
      { month: '2026-11', count: 5 },
    ],
  },
  orgs: { total: 20, by_kind: [] },
};

describe('figures', () => {
  it('counts high-level talents by the vocabulary flag only', () => {
    const f = figures(STATS, VOCAB);
    expect(f.total).toBe(44);
    expect(f.highLevel).toBe(3);
    expect(f.highTiers.map((r) => r.tier)).toEqual(['strategic_scientist', 'leading_talent']);
    expect(f.orgs).toBe(20);
    expect(f.newThisMonth).toBe(5);
    expect(f.thisMonth).toBe('2026-11');
  });
  it('has no organisations figure when the answer has none (no orgs_read)', () => {
    const f = figures({ ...STATS, orgs: undefined }, VOCAB);
    expect(f.orgs).toBeNull();
  });
  it('is all zero for an empty answer', () => {
    expect(figures({ talents: { total: 0, by_tier: [], created_by_month: [] } }, VOCAB)).toMatchObject({ total: 0, highLevel: 0, newThisMonth: 0, thisMonth: null });
  });
});

describe('labels', () => {
  it('labels in the UI language, null as given, unknown tokens as themselves', () => {
    const rows = [...STATS.talents.by_tier, { tier: 'new_tier', count: 1 }];
    expect(labelled(rows, 'tier', VOCAB.tiers, 'zh-CN', '未认定').map((r) => r.label)).toEqual(['战略科学家', '领军人才', '其他', '未认定', 'new_tier']);
    expect(labelled(rows, 'tier', VOCAB.tiers, 'en', 'Not recognised').map((r) => r.label)).toEqual(['Strategic scientist', 'Leading talent', 'Other', 'Not recognised', 'new_tier']);
  });
});

describe('chart options', () => {
  it('puts the first row on top of a bar chart', () => {
    const rows = labelled(STATS.talents.by_tier, 'tier', VOCAB.tiers, 'en', 'None');
    const o = barOption(rows);
    expect(o.yAxis.data).toEqual(['None', 'Other', 'Leading talent', 'Strategic scientist']);
    expect(o.series[0].data).toEqual([30, 11, 0, 3]);
  });
  it('leaves zero slices out of a pie', () => {
    const o = pieOption([{ label: 'a', count: 2 }, { label: 'b', count: 0 }]);
    expect(o.series[0].data).toEqual([{ name: 'a', value: 2 }]);
  });
  it('labels the months with the given formatter', () => {
    const o = monthsOption(STATS.talents.created_by_month, (m) => `M${m}`);
    expect(o.xAxis.data).toEqual(['M2026-10', 'M2026-11']);
    expect(o.series[0].data).toEqual([2, 5]);
  });
});
