// Roles with scopes as the account forms send them and check them before sending.
import { describe, expect, it } from 'vitest';
import { checkGrants, formatScope, grantsPayload, parseScope, rowsOf, sameGrants, scopeKindsOf, withoutField } from '../src/grants.js';

const DEFS = [
  { role: 'bureau_admin', scopes: [] },
  { role: 'employer', scopes: ['org'] },
  { role: 'station_operator', scopes: ['station'] },
  { role: 'talent', scopes: ['talent'] },
];
const MSGS = { none: 'none', role: 'role', scope: 'scope', scope_kind: 'kind', twice: 'twice' };

describe('scopes', () => {
  it('parses and formats kind:id', () => {
    expect(parseScope('org:12')).toEqual({ kind: 'org', id: 12 });
    expect(parseScope('station:3')).toEqual({ kind: 'station', id: 3 });
    expect(parseScope('org:0')).toBeNull();
    expect(parseScope('org:')).toBeNull();
    expect(parseScope('city:1')).toBeNull();
    expect(parseScope(null)).toBeNull();
    expect(formatScope('talent', 5)).toBe('talent:5');
    expect(formatScope('station', '7')).toBe('station:7');
    expect(formatScope('station', 0)).toBeNull();
    expect(formatScope('station', 2.5)).toBeNull();
    expect(formatScope('', 3)).toBeNull();
  });
  it('knows the scope kinds of each role', () => {
    expect(scopeKindsOf(DEFS, 'employer')).toEqual(['org']);
    expect(scopeKindsOf(DEFS, 'bureau_admin')).toEqual([]);
    expect(scopeKindsOf(DEFS, 'nobody')).toEqual([]);
  });
});

describe('grantsPayload', () => {
  it('sends a scope only with a role that takes one', () => {
    expect(
      grantsPayload(
        [
          { role: 'bureau_admin', scope: 'org:1' },
          { role: 'employer', scope: 'org:5' },
          { role: 'talent', scope: null },
        ],
        DEFS,
      ),
    ).toEqual([{ role: 'bureau_admin' }, { role: 'employer', scope: 'org:5' }, { role: 'talent', scope: null }]);
  });
});

describe('checkGrants', () => {
  it('wants at least one role', () => {
    expect(checkGrants([], DEFS, MSGS)).toEqual({ roles: 'none' });
  });
  it('names the row and part in the server form', () => {
    const rows = [
      { role: 'bureau_admin', scope: null },
      { role: '', scope: null },
      { role: 'employer', scope: null },
      { role: 'station_operator', scope: 'org:4' },
      { role: 'talent', scope: 'talent:9' },
    ];
    expect(checkGrants(rows, DEFS, MSGS)).toEqual({ 'roles.1.role': 'role', 'roles.2.scope': 'scope', 'roles.3.scope': 'kind' });
  });
  it('refuses the same role and scope twice, not the same role with another scope', () => {
    const rows = [
      { role: 'employer', scope: 'org:1' },
      { role: 'employer', scope: 'org:2' },
      { role: 'employer', scope: 'org:1' },
    ];
    expect(checkGrants(rows, DEFS, MSGS)).toEqual({ 'roles.2.role': 'twice' });
  });
});

describe('rows', () => {
  it('copies an account roles and compares grants in any order', () => {
    const rows = rowsOf({ roles: [{ role: 'employer', scope: 'org:5' }, { role: 'bureau_admin', scope: null }] });
    expect(rows).toEqual([{ role: 'employer', scope: 'org:5' }, { role: 'bureau_admin', scope: null }]);
    expect(sameGrants(rows, [{ role: 'bureau_admin', scope: null }, { role: 'employer', scope: 'org:5' }])).toBe(true);
    expect(sameGrants(rows, [{ role: 'employer', scope: 'org:6' }, { role: 'bureau_admin', scope: null }])).toBe(false);
    expect(sameGrants(rows, rows.slice(0, 1))).toBe(false);
  });
  it('drops the errors of the field being edited', () => {
    const errors = { roles: 'x', 'roles.0.scope': 'y', username: 'z', rolesx: 'w' };
    expect(withoutField(errors, 'roles')).toEqual({ username: 'z', rolesx: 'w' });
    expect(withoutField(errors, 'username')).toEqual({ roles: 'x', 'roles.0.scope': 'y', rolesx: 'w' });
  });
});
