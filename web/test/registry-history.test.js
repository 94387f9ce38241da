// Audit rows of a registry record as people read them.
import { describe, expect, it } from 'vitest';
import { actionLabel, describeEntry, fieldLabel, valueText } from '../src/history.js';

const STRINGS = {
  'talents.fields.tier': '人才层次', 'talents.fields.document_number': '证件号码', 'talents.fields.honours': '荣誉',
  'talents.fields.birth_date': '出生日期', 'talents.fields.merged_from': '合并自', 'orgs.fields.verified': '核实状态',
  'orgs.contact.phone': '电话', 'talents.history.actions.talent_update': '修改', 'talents.pii.document': '证件',
  'talents.pii.phone': '手机', 'common.yes': '是', 'common.no': '否',
};
const LABELS = { tiers: { leading_talent: '3551光谷领军人才' }, honours: { nobel: '诺贝尔奖获得者', cas_academician: '中国科学院院士' }, segments: { lasers: '激光' } };
const ctx = {
  t: (k, p) => {
    if (k === 'talents.history.contact_field') return `联系人 #${p.id} ${p.what}`;
    if (k === 'talents.history.pii_fields') return '查看内容';
    if (k === 'talents.history.pii_purpose') return '事由';
    return STRINGS[k] ?? k;
  },
  te: (k) => k in STRINGS,
  label: (list, token) => (LABELS[list] && LABELS[list][token]) || token,
  date: (s) => (s === '1975-03-02' ? '1975年3月2日' : ''),
  chinese: true,
};

describe('history', () => {
  it('names fields, dotted ones and contacts', () => {
    expect(fieldLabel('talent', 'document.number', ctx)).toBe('证件号码');
    expect(fieldLabel('org', 'verified', ctx)).toBe('核实状态');
    expect(fieldLabel('org', 'contacts.9.phone', ctx)).toBe('联系人 #9 电话');
    expect(fieldLabel('talent', 'unheard_of', ctx)).toBe('unheard_of');
    expect(fieldLabel('talent', 'fields', ctx, 'talent.pii_read')).toBe('查看内容');
  });
  it('reads values through the vocabulary, dates, yes/no and lists', () => {
    expect(valueText('tier', 'leading_talent', ctx)).toBe('3551光谷领军人才');
    expect(valueText('honours', 'nobel:2001;cas_academician', ctx)).toBe('诺贝尔奖获得者 (2001)、中国科学院院士');
    expect(valueText('segments', 'lasers;unknown_seg', ctx)).toBe('激光、unknown_seg');
    expect(valueText('birth_date', '1975-03-02', ctx)).toBe('1975年3月2日');
    expect(valueText('verified', 'true', ctx)).toBe('是');
    expect(valueText('verified', 'false', ctx)).toBe('否');
    expect(valueText('merged_from', '46', ctx)).toBe('#46');
    expect(valueText('fields', 'document;phone', ctx, 'talent.pii_read')).toBe('证件、手机');
    expect(valueText('title', null, ctx)).toBe('');
    expect(valueText('phone', '138****0000', ctx)).toBe('138****0000');
  });
  it('describes an entry, dropping changes empty on both sides and marking merged records', () => {
    const e = describeEntry(
      {
        id: 9, at: '2026-11-26T22:07:00Z', actor: 'officer', action: 'talent.update', entity: 'talent', entity_id: 46, request_id: 'r',
        changes: [
          { field: 'tier', old: null, new: 'leading_talent' },
          { field: 'fields', old: '', new: null },
        ],
      },
      45,
      ctx,
    );
    expect(e.action).toBe('修改');
    expect(e.kind).toBe('update');
    expect(e.record).toBe(46);
    expect(e.changes).toEqual([{ field: 'tier', label: '人才层次', old: '', new: '3551光谷领军人才' }]);
    expect(describeEntry({ id: 1, action: 'talent.create', entity: 'talent', entity_id: 45, changes: [] }, '45', ctx).record).toBe(null);
    expect(actionLabel('talent.teleport', ctx)).toBe('talent.teleport');
  });
});
