// A pair of likely duplicates as rows to compare: each field of both
// records in reading form (vocabulary labels, dates, masked personal data
// as the server sends it), and whether the two differ, so the reviewer
// sees at a glance what speaks for and against one person.
// Pure (test/talent-duplicates.test.js).

const SEP = ' · ';

/**
 * The rows [{key, label (i18n key), a, b, differs}] for talents a and b,
 * leaving out fields empty on both; ctx: {label(list, token), date(civil)}.
 */
export function comparedRows(a, b, ctx) {
  const read = {
    latin_name: (x) => x.latin_name || '',
    gender: (x) => ctx.label('genders', x.gender),
    birth_date: (x) => ctx.date(x.birth_date),
    document_number: (x) => (x.document ? `${ctx.label('doc_types', x.document.type)} ${x.document.number}` : ''),
    phone: (x) => x.phone || '',
    email: (x) => x.email || '',
    org: (x) => (x.org ? x.org.name : ''),
    title: (x) => x.title || '',
    city: (x) => x.city || '',
    tier: (x) => ctx.label('tiers', x.tier),
    status: (x) => ctx.label('statuses', x.status),
    fields: (x) => (x.fields || []).join(SEP),
    segments: (x) => (x.segments || []).map((s) => ctx.label('segments', s)).join(SEP),
    honours: (x) => (x.honours || []).map((h) => (h.year ? `${ctx.label('honours', h.kind)} ${h.year}` : ctx.label('honours', h.kind))).join(SEP),
  };
  const rows = [];
  for (const [key, fn] of Object.entries(read)) {
    const va = fn(a);
    const vb = fn(b);
    if (va === '' && vb === '') continue; /* nothing on either side: nothing to compare */
    rows.push({ key, label: `talents.fields.${key}`, a: va, b: vb, differs: va !== '' && vb !== '' && va !== vb });
  }
  return rows;
}
