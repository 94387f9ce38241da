// The talent form's model and the request bodies made from it. Personal
// data (document number, phone, e-mail) comes back masked from the server,
// so the edit form starts those inputs empty (the masked value is shown as
// a hint) and sends one only when it was typed, or null when the user
// asked to remove it. A PATCH carries only the members that changed.
// Pure functions (test/talent-form.test.js).

const TEXT = ['name', 'latin_name', 'gender', 'birth_date', 'nationality', 'title', 'city', 'tier', 'status', 'notes'];
const LISTS = ['fields', 'keywords', 'segments'];
const IDS = ['org_id', 'commissioner_id'];
export const PII = ['phone', 'email'];

/** The fields the form shows, for placing the server's field errors (the rest go to the form's alert). */
export const FORM_FIELDS = [...TEXT, ...LISTS, ...IDS, ...PII, 'document', 'document.type', 'document.number', 'honours'];

export function emptyTalentForm() {
  return {
    name: '', latin_name: '', gender: '', birth_date: '', nationality: '',
    doc_type: 'resident_id', doc_number: '', phone: '', email: '',
    org_id: null, title: '', city: '', fields: [], keywords: [], segments: [],
    honours: [], tier: '', status: 'prospect', notes: '', commissioner_id: null,
    clear: { document: false, phone: false, email: false },
  };
}

/** The form of a talent read from the API (personal data left empty: only its masks are known). */
export function talentToForm(t) {
  const f = emptyTalentForm();
  for (const k of TEXT) f[k] = t[k] === null || t[k] === undefined ? '' : String(t[k]);
  for (const k of LISTS) f[k] = [...(t[k] || [])];
  f.org_id = t.org ? t.org.id : null;
  f.commissioner_id = t.commissioner_id || null;
  f.doc_type = t.document ? t.document.type : 'resident_id';
  f.honours = (t.honours || []).map((h) => ({ kind: h.kind, year: h.year === null || h.year === undefined ? null : h.year }));
  return f;
}

/** The masked personal data of a talent, for the hints of the empty inputs. */
export function talentMasks(t) {
  return {
    document: t.document ? t.document.number : '',
    phone: t.phone || '',
    email: t.email || '',
  };
}

function text(v) {
  return v === null || v === undefined ? '' : String(v).trim();
}

function cleanList(list) {
  const out = [];
  for (const v of list || []) {
    const s = text(v);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

function honours(list) {
  return (list || []).map((h) => {
    const y = h.year === '' || h.year === null || h.year === undefined ? null : Number(h.year);
    return { kind: h.kind || '', year: Number.isFinite(y) ? y : null };
  });
}

/** A date picker may hand a Date; the API takes 'YYYY-MM-DD'. */
function civil(v) {
  if (v instanceof Date) {
    const p = (n) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}`;
  }
  return text(v);
}

/** The members every body is made of: {member: value or null}. */
function members(f) {
  const m = {};
  for (const k of TEXT) m[k] = k === 'birth_date' ? civil(f[k]) || null : text(f[k]) || null;
  if (m.nationality) m.nationality = m.nationality.toUpperCase();
  for (const k of LISTS) m[k] = cleanList(f[k]);
  for (const k of IDS) m[k] = f[k] ? Number(f[k]) : null;
  m.honours = honours(f.honours);
  return m;
}

/** POST /api/v1/talents body: what was filled in (empty members left out). */
export function createBody(f) {
  const m = members(f);
  const body = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    body[k] = v;
  }
  body.name = text(f.name);
  const number = text(f.doc_number);
  if (number) body.document = { type: f.doc_type || 'resident_id', number };
  for (const k of PII) if (text(f[k])) body[k] = text(f[k]);
  return body;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * PATCH body: the members that differ from the original form (null
 * clears; the name is always sent as text), personal data when typed or
 * asked to be removed. An empty object means nothing changed.
 */
export function patchBody(f, original) {
  const now = members(f);
  const before = members(original);
  const body = {};
  for (const k of Object.keys(now)) if (!same(now[k], before[k])) body[k] = now[k];
  if ('name' in body) body.name = text(f.name);
  const number = text(f.doc_number);
  if (number) body.document = { type: f.doc_type || 'resident_id', number };
  else if (f.clear && f.clear.document) body.document = null;
  for (const k of PII) {
    if (text(f[k])) body[k] = text(f[k]);
    else if (f.clear && f.clear[k]) body[k] = null;
  }
  return body;
}
