// The organisation form's model and the request bodies made from it.
// Contacts keep their id, so an edit changes a contact in place; their
// phone and e-mail come back masked, so an existing contact's inputs start
// empty (the mask is the hint) and are sent only when typed (the server
// keeps the current value of a contact sent without them) or removed on
// request (null). A PATCH carries only the members that changed.
// Pure functions (test/org-form.test.js).

export const ORG_FORM_FIELDS = ['name', 'uscc', 'kind', 'park', 'segments', 'verified', 'contacts'];

export function emptyContact() {
  return { id: null, name: '', title: '', phone: '', email: '', mask: { phone: '', email: '' }, clear: { phone: false, email: false } };
}

export function emptyOrgForm() {
  return { name: '', uscc: '', kind: '', park: '', segments: [], verified: false, contacts: [] };
}

export function orgToForm(o) {
  return {
    name: o.name || '',
    uscc: o.uscc || '',
    kind: o.kind || '',
    park: o.park || '',
    segments: [...(o.segments || [])],
    verified: !!o.verified,
    contacts: (o.contacts || []).map((c) => ({
      id: c.id,
      name: c.name || '',
      title: c.title || '',
      phone: '',
      email: '',
      mask: { phone: c.phone || '', email: c.email || '' },
      clear: { phone: false, email: false },
    })),
  };
}

const text = (v) => (v === null || v === undefined ? '' : String(v).trim());

/** One contact as the API takes it (personal data only when typed or to be removed). */
function contactBody(c) {
  const out = {};
  if (c.id) out.id = c.id;
  out.name = text(c.name);
  out.title = text(c.title) || null;
  for (const k of ['phone', 'email']) {
    if (text(c[k])) out[k] = text(c[k]);
    else if (c.id && c.clear && c.clear[k]) out[k] = null;
    else if (!c.id) out[k] = null;
  }
  return out;
}

function members(f) {
  return {
    name: text(f.name),
    uscc: text(f.uscc).toUpperCase() || null,
    kind: text(f.kind),
    park: text(f.park) || null,
    segments: [...(f.segments || [])],
    verified: !!f.verified,
  };
}

/** POST /api/v1/orgs body. */
export function orgCreateBody(f) {
  const m = members(f);
  const body = { name: m.name, kind: m.kind, verified: m.verified };
  if (m.uscc) body.uscc = m.uscc;
  if (m.park) body.park = m.park;
  if (m.segments.length) body.segments = m.segments;
  if ((f.contacts || []).length) body.contacts = f.contacts.map(contactBody);
  return body;
}

/** A contact list changed: a contact added, removed, reordered, renamed, or its personal data typed or removed. */
function contactsChanged(now, before) {
  if (now.length !== before.length) return true;
  return now.some((c, i) => {
    const b = before[i];
    return (
      c.id !== b.id ||
      text(c.name) !== text(b.name) ||
      text(c.title) !== text(b.title) ||
      text(c.phone) !== '' ||
      text(c.email) !== '' ||
      !!(c.clear && (c.clear.phone || c.clear.email))
    );
  });
}

/** PATCH /api/v1/orgs/{id} body: what differs from the original form; {} when nothing changed. */
export function orgPatchBody(f, original) {
  const now = members(f);
  const before = members(original);
  const body = {};
  for (const k of Object.keys(now)) if (JSON.stringify(now[k]) !== JSON.stringify(before[k])) body[k] = now[k];
  if (contactsChanged(f.contacts || [], original.contacts || [])) body.contacts = f.contacts.map(contactBody);
  return body;
}
