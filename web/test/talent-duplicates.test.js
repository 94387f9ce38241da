// A pair of likely duplicates compared field by field.
import { describe, expect, it } from 'vitest';
import { comparedRows } from '../src/pages/talents/duplicates.js';

const ctx = { label: (list, token) => (token ? `${list}:${token}` : ''), date: (s) => (s ? `D${s}` : '') };
const base = { latin_name: null, gender: null, birth_date: null, document: null, phone: null, email: null, org: null, title: null, city: null, tier: null, status: 'prospect', fields: [], segments: [], honours: [] };

describe('comparedRows', () => {
  it('shows the fields present on either side and marks those that differ', () => {
    const a = { ...base, name: '王金桥', birth_date: '1975-03-02', phone: '139****5678', org: { id: 6, name: '研究院' }, status: 'serving', honours: [{ kind: 'nobel', year: 2001 }] };
    const b = { ...base, name: '汪金桥', birth_date: '1975-03-02', phone: '139****5678', org: { id: 6, name: '研究院' }, title: '研究员' };
    const rows = comparedRows(a, b, ctx);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(Object.keys(byKey)).toEqual(['birth_date', 'phone', 'org', 'title', 'status', 'honours']);
    expect(byKey.birth_date).toMatchObject({ a: 'D1975-03-02', b: 'D1975-03-02', differs: false, label: 'talents.fields.birth_date' });
    expect(byKey.status).toMatchObject({ a: 'statuses:serving', b: 'statuses:prospect', differs: true });
    expect(byKey.title.differs).toBe(false); /* one side empty: missing, not contradicting */
    expect(byKey.honours.a).toBe('honours:nobel 2001');
  });
});
