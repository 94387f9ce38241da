// The talent form's bodies: a create sends what was filled in, an edit
// only what changed; masked personal data is never sent back.
import { describe, expect, it } from 'vitest';
import { FORM_FIELDS, createBody, emptyTalentForm, patchBody, talentMasks, talentToForm } from '../src/pages/talents/talentForm.js';
import { unplacedErrors } from '../src/errors.js';

const TALENT = {
  id: 4, name: '王金桥', latin_name: 'Wang Jinqiao', pinyin: 'wang jin qiao', gender: 'male', birth_date: '1975-03-02',
  nationality: 'CN', document: { type: 'resident_id', number: '420***********1237' }, phone: '138****0000', email: 'w***@example.com',
  masked: true, org: { id: 6, name: '武汉人工智能研究院' }, title: '院长', city: null, fields: ['人工智能'], keywords: ['紫东太初'],
  segments: ['multimodal_models'], honours: [{ kind: 'national_award', year: 2015 }], tier: 'leading_talent', status: 'serving',
  notes: null, commissioner_id: null, merged_into: null, version: 3,
};

describe('createBody', () => {
  it('sends the filled members, trimmed, and leaves the empty ones out', () => {
    const f = emptyTalentForm();
    Object.assign(f, { name: ' 张三 ', nationality: 'cn', doc_number: ' 420106198001011231 ', phone: '13800000000', fields: [' 光电 ', '', '光电'], honours: [{ kind: 'nobel', year: '' }], org_id: 6 });
    expect(createBody(f)).toEqual({
      name: '张三', nationality: 'CN', status: 'prospect', org_id: 6, fields: ['光电'],
      honours: [{ kind: 'nobel', year: null }], document: { type: 'resident_id', number: '420106198001011231' }, phone: '13800000000',
    });
  });
  it('sends a date picked as a Date as YYYY-MM-DD', () => {
    const f = { ...emptyTalentForm(), name: 'x', birth_date: new Date(1980, 0, 9) };
    expect(createBody(f).birth_date).toBe('1980-01-09');
  });
});

describe('talentToForm and patchBody', () => {
  it('starts personal data empty, keeping the masks as hints', () => {
    const f = talentToForm(TALENT);
    expect(f.doc_number).toBe('');
    expect(f.phone).toBe('');
    expect(f.doc_type).toBe('resident_id');
    expect(f.org_id).toBe(6);
    expect(f.city).toBe('');
    expect(talentMasks(TALENT)).toEqual({ document: '420***********1237', phone: '138****0000', email: 'w***@example.com' });
  });
  it('sends nothing when nothing changed', () => {
    expect(patchBody(talentToForm(TALENT), talentToForm(TALENT))).toEqual({});
  });
  it('sends only the changed members; an emptied one as null', () => {
    const f = talentToForm(TALENT);
    f.title = '名誉院长';
    f.latin_name = '';
    f.segments = ['multimodal_models', 'ai_computing'];
    f.honours[0].year = 2016;
    expect(patchBody(f, talentToForm(TALENT))).toEqual({
      title: '名誉院长', latin_name: null, segments: ['multimodal_models', 'ai_computing'], honours: [{ kind: 'national_award', year: 2016 }],
    });
  });
  it('sends personal data only when typed, null when asked to remove it', () => {
    const f = talentToForm(TALENT);
    f.doc_type = 'passport';
    f.doc_number = 'E12345678';
    f.clear.phone = true;
    expect(patchBody(f, talentToForm(TALENT))).toEqual({ document: { type: 'passport', number: 'E12345678' }, phone: null });
    const g = talentToForm(TALENT);
    g.clear.document = true;
    g.email = 'new@example.com';
    expect(patchBody(g, talentToForm(TALENT))).toEqual({ document: null, email: 'new@example.com' });
  });
  it('clears the organisation with null', () => {
    const f = talentToForm(TALENT);
    f.org_id = null;
    expect(patchBody(f, talentToForm(TALENT))).toEqual({ org_id: null });
  });
});

describe('unplacedErrors', () => {
  it('keeps only the errors of fields the form does not show', () => {
    const errors = [
      { field: 'document.number', message: 'check digit' },
      { field: 'honours.0.year', message: 'year' },
      { field: 'fields.3', message: 'too long' },
      { field: 'merged_into', message: 'no' },
      { field: 'version', message: 'x' },
    ];
    expect(unplacedErrors(errors, FORM_FIELDS).map((e) => e.field)).toEqual(['merged_into', 'version']);
    expect(unplacedErrors(undefined, FORM_FIELDS)).toEqual([]);
  });
});
