// The organisation form's bodies, contacts with their masked personal data.
import { describe, expect, it } from 'vitest';
import { emptyContact, emptyOrgForm, orgCreateBody, orgPatchBody, orgToForm } from '../src/pages/orgs/orgForm.js';

const ORG = {
  id: 21, name: '测试单位', uscc: '91350100M000100Y43', kind: 'bank', park: null, segments: [], verified: false,
  contacts: [{ id: 9, name: '张三', title: null, phone: '139****5678', email: null }], version: 1,
};

describe('orgCreateBody', () => {
  it('upper-cases the credit code, leaves empty members out, sends new contacts whole', () => {
    const f = emptyOrgForm();
    Object.assign(f, { name: ' 光谷新材 ', uscc: '91350100m000100y43', kind: 'leading_enterprise' });
    f.contacts.push({ ...emptyContact(), name: '李四', phone: '13912345678' });
    expect(orgCreateBody(f)).toEqual({
      name: '光谷新材', kind: 'leading_enterprise', verified: false, uscc: '91350100M000100Y43',
      contacts: [{ name: '李四', title: null, phone: '13912345678', email: null }],
    });
  });
});

describe('orgPatchBody', () => {
  it('sends nothing when nothing changed', () => {
    expect(orgPatchBody(orgToForm(ORG), orgToForm(ORG))).toEqual({});
  });
  it('keeps an existing contact by id without its masked phone', () => {
    const f = orgToForm(ORG);
    f.park = '光谷软件园';
    f.contacts[0].title = '经理';
    expect(orgPatchBody(f, orgToForm(ORG))).toEqual({ park: '光谷软件园', contacts: [{ id: 9, name: '张三', title: '经理' }] });
  });
  it('replaces typed personal data, removes on request, adds and drops contacts', () => {
    const f = orgToForm(ORG);
    f.contacts[0].clear.phone = true;
    f.contacts[0].email = 'z@x.cn';
    f.contacts.push({ ...emptyContact(), name: '王五' });
    expect(orgPatchBody(f, orgToForm(ORG)).contacts).toEqual([
      { id: 9, name: '张三', title: null, phone: null, email: 'z@x.cn' },
      { name: '王五', title: null, phone: null, email: null },
    ]);
    const g = orgToForm(ORG);
    g.contacts = [];
    expect(orgPatchBody(g, orgToForm(ORG))).toEqual({ contacts: [] });
  });
  it('clears the credit code with null', () => {
    const f = orgToForm(ORG);
    f.uscc = '';
    expect(orgPatchBody(f, orgToForm(ORG))).toEqual({ uscc: null });
  });
});
