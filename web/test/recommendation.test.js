// The recruitment list: buttons from allowed_actions only, the bodies of
// the form and of the officer's decisions, the quota gauge, the history.
import { describe, expect, it } from 'vitest';
import { actionBody, actionsOf, createBody, emptyRecommendation, historyEntries, patchBody, quotaGauge, recommendationToForm } from '../src/pages/recommendations/recommendation.js';

describe('actionsOf', () => {
  it('keeps the known actions the server allows, in button order', () => {
    expect(actionsOf({ allowed_actions: ['withdraw', 'submit', 'update'] })).toEqual(['edit', 'submit', 'withdraw']);
    expect(actionsOf({ allowed_actions: ['reject', 'return', 'approve'] })).toEqual(['approve', 'return', 'reject']);
    expect(actionsOf({ allowed_actions: ['review'] })).toEqual(['review']);
    expect(actionsOf({ allowed_actions: [] })).toEqual([]);
    expect(actionsOf({})).toEqual([]);
    expect(actionsOf(null)).toEqual([]);
  });
});

describe('the form', () => {
  it('creates with what was filled in', () => {
    expect(createBody({ talent_id: 5, proposed_tier: 'high_level', justification: ' 理由 ' })).toEqual({ talent_id: 5, proposed_tier: 'high_level', justification: '理由' });
    expect(createBody(emptyRecommendation())).toEqual({});
  });
  it('patches only what changed', () => {
    const original = recommendationToForm({ talent: { id: 5, name: '甲' }, proposed_tier: 'high_level', justification: 'a' });
    expect(patchBody({ ...original }, original)).toEqual({});
    expect(patchBody({ ...original, justification: 'b' }, original)).toEqual({ justification: 'b' });
    expect(patchBody({ ...original, proposed_tier: '' }, original)).toEqual({ proposed_tier: null });
  });
});

describe('actionBody', () => {
  it('sends the tier and the reason of an approval', () => {
    expect(actionBody('approve', { tier: 'leading_talent', reason: ' 成果突出 ' })).toEqual({ tier: 'leading_talent', reason: '成果突出' });
  });
  it('sends a reject or a return with its reason, and no tier', () => {
    expect(actionBody('reject', { tier: 'leading_talent', reason: '材料不足' })).toEqual({ reason: '材料不足' });
    expect(actionBody('return', { reason: '补充' })).toEqual({ reason: '补充' });
  });
  it('leaves an empty reason out, so the server says it is missing at the field', () => {
    expect(actionBody('reject', { reason: '   ' })).toEqual({});
  });
  it('sends nothing for the confirmations', () => {
    expect(actionBody('submit', { reason: 'x' })).toEqual({});
  });
});

describe('quotaGauge', () => {
  it('reads used of the quota', () => {
    expect(quotaGauge({ year: 2026, quota: 5, used: 2 })).toEqual({ quota: 5, used: 2, remaining: 3, percent: 40, full: false, year: 2026 });
    expect(quotaGauge({ year: 2026, quota: 5, used: 5, remaining: 0 })).toMatchObject({ remaining: 0, percent: 100, full: true });
    expect(quotaGauge({ quota: 0, used: 0 })).toMatchObject({ full: true, percent: 100 });
    expect(quotaGauge(null)).toBe(null);
  });
});

describe('historyEntries', () => {
  it('reads the entries in the order they happened', () => {
    const rec = {
      history: [
        { at: '2026-01-02T08:00:00Z', action: 'submit', from: 'draft', to: 'submitted', by: { id: 3, name: '晶澜人事' } },
        { at: '2026-01-05T08:00:00Z', action: 'reject', from: 'under_review', to: 'rejected', by: { id: 2, name: '局审核员' }, reason: '材料不足' },
      ],
    };
    expect(historyEntries({ history: [...rec.history].reverse() }).map((e) => e.action)).toEqual(['submit', 'reject']);
    const api = {
      history: [{ at: '2026-01-02T08:00:00Z', action: 'create', from_status: null, to_status: 'draft', actor: { id: 7, name: 'employer' }, reason: null }],
    };
    const h = historyEntries(rec);
    expect(h.map((e) => e.action)).toEqual(['submit', 'reject']);
    expect(h[1]).toMatchObject({ actor: '局审核员', reason: '材料不足', to: 'rejected' });
    expect(historyEntries(api)).toEqual([{ at: '2026-01-02T08:00:00Z', action: 'create', from: null, to: 'draft', actor: 'employer', reason: null, tier: null }]);
    expect(historyEntries({})).toEqual([]);
  });
});
