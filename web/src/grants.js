// Roles with scopes as the account forms edit them: rows {role, scope}
// where scope is 'org:12', 'station:3', 'talent:5' or null. The server is
// the judge (400 with fields `roles.N.role` / `roles.N.scope`); these
// helpers only shape the request and catch the obvious before sending, with
// the same dotted field names, so both kinds of error show at the same row.

const SCOPE_RE = /^(org|station|talent):([1-9][0-9]*)$/;

/** 'org:12' → {kind: 'org', id: 12}; anything else → null. */
export function parseScope(scope) {
  const m = SCOPE_RE.exec(String(scope || ''));
  return m ? { kind: m[1], id: Number(m[2]) } : null;
}

/** kind + positive integer id → 'kind:id'; null when either is missing or invalid. */
export function formatScope(kind, id) {
  const n = Number(id);
  if (!kind || !Number.isInteger(n) || n < 1) return null;
  return `${kind}:${n}`;
}

/** The scope kinds a role takes (from GET /api/v1/roles items), [] when none or unknown. */
export function scopeKindsOf(defs, role) {
  const d = (defs || []).find((r) => r.role === role);
  return d ? d.scopes || [] : [];
}

/** Rows → the `roles` member of a create/update request (scope only when the role takes one). */
export function grantsPayload(rows, defs) {
  return (rows || []).map((r) => {
    const out = { role: r.role };
    if (scopeKindsOf(defs, r.role).length > 0) out.scope = r.scope || null;
    return out;
  });
}

/**
 * Client-side check of rows, keyed like the server's field errors:
 * {'roles': msg} for no row, {'roles.N.role': msg}, {'roles.N.scope': msg}.
 * msgs: {none, role, scope, scope_kind, twice} (already translated).
 */
export function checkGrants(rows, defs, msgs) {
  const out = {};
  if (!rows || rows.length === 0) {
    out.roles = msgs.none;
    return out;
  }
  const seen = new Set();
  rows.forEach((r, i) => {
    if (!r.role) {
      out[`roles.${i}.role`] = msgs.role;
      return;
    }
    const kinds = scopeKindsOf(defs, r.role);
    if (kinds.length > 0) {
      const p = parseScope(r.scope);
      if (!p) out[`roles.${i}.scope`] = msgs.scope;
      else if (!kinds.includes(p.kind)) out[`roles.${i}.scope`] = msgs.scope_kind;
    }
    const key = `${r.role}|${kinds.length ? r.scope || '' : ''}`;
    if (seen.has(key)) out[`roles.${i}.role`] = msgs.twice;
    seen.add(key);
  });
  return out;
}

/** Rows of an account (its roles) as editable copies. */
export function rowsOf(user) {
  return ((user && user.roles) || []).map((g) => ({ role: g.role, scope: g.scope || null }));
}

/** The same grants, in any order. */
export function sameGrants(a, b) {
  const key = (rows) =>
    (rows || [])
      .map((r) => `${r.role}|${r.scope || ''}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** Field errors without those of field head ('roles' drops 'roles' and 'roles.N.…'): the user is fixing it. */
export function withoutField(errors, head) {
  const out = {};
  for (const [k, v] of Object.entries(errors || {})) if (k !== head && !k.startsWith(`${head}.`)) out[k] = v;
  return out;
}
