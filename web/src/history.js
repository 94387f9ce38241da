// The audit rows of a registry record (GET /api/v1/talents/{id}/history,
// GET /api/v1/audit?entity=org&entity_id=) as people read them: the action
// and every changed field named in the UI's language, and the values
// through the vocabulary (tier, status, segments, honours "nobel:2001"),
// the date format and yes/no. Pure: the page passes in t, te, the
// vocabulary labeller and the date formatter (test/registry-history.test.js).

/* Fields whose value is a token of a vocabulary list. */
const VOCAB_FIELDS = {
  tier: 'tiers',
  status: 'statuses',
  gender: 'genders',
  'document.type': 'doc_types',
  kind: 'org_kinds',
};
/* Fields holding several values separated by ';'. */
const LIST_FIELDS = new Set(['segments', 'fields', 'keywords', 'honours']);
const DATE_FIELDS = new Set(['birth_date']);
const BOOL_FIELDS = new Set(['verified']);
const RECORD_FIELDS = new Set(['merged_into', 'merged_from', 'not_duplicate_of', 'org_id', 'commissioner_id']);

/**
 * ctx: {t, te, label(list, token), date(civil), chinese: bool}. The label
 * of an audit field (a personal-data read names what was read and why): '<entity>.fields.<field with dots as _>' when
 * translated, contacts.<id>.<what> as "contact #id: <what>", else the field.
 */
export function fieldLabel(entity, field, ctx, action = '') {
  if (action.endsWith('.pii_read') && (field === 'fields' || field === 'purpose'))
    return ctx.t(`talents.history.pii_${field}`);
  const contact = /^contacts\.(\d+)\.(\w+)$/.exec(field);
  if (contact) {
    const what = ctx.te(`orgs.contact.${contact[2]}`) ? ctx.t(`orgs.contact.${contact[2]}`) : contact[2];
    return ctx.t('talents.history.contact_field', { id: contact[1], what });
  }
  const area = entity === 'org' ? 'orgs' : 'talents';
  const key = `${area}.fields.${field.replace(/\./g, '_')}`;
  return ctx.te(key) ? ctx.t(key) : field;
}

function honourText(item, ctx) {
  const [kind, year] = item.split(':');
  const name = ctx.label('honours', kind);
  return year ? `${name} (${year})` : name;
}

/** One audit value (a string or null) for reading; '' when empty. */
export function valueText(field, value, ctx, action = '') {
  if (value === null || value === undefined || value === '') return '';
  const sep = ctx.chinese ? '、' : ', ';
  if (action.endsWith('.pii_read') && field === 'fields')
    return value
      .split(';')
      .map((f) => (ctx.te(`talents.pii.${f}`) ? ctx.t(`talents.pii.${f}`) : f))
      .join(sep);
  if (VOCAB_FIELDS[field]) return ctx.label(VOCAB_FIELDS[field], value);
  if (LIST_FIELDS.has(field)) {
    const items = value.split(';').filter((x) => x !== '');
    if (field === 'segments') return items.map((s) => ctx.label('segments', s)).join(sep);
    if (field === 'honours') return items.map((h) => honourText(h, ctx)).join(sep);
    return items.join(sep);
  }
  if (DATE_FIELDS.has(field)) return ctx.date(value) || value;
  if (BOOL_FIELDS.has(field)) return value === 'true' || value === '1' ? ctx.t('common.yes') : ctx.t('common.no');
  if (RECORD_FIELDS.has(field)) return `#${value}`;
  return value;
}

/** The action's name ('talent.update' → 修改), the action itself when not translated. */
export function actionLabel(action, ctx) {
  const key = `talents.history.actions.${action.replace(/\./g, '_')}`;
  return ctx.te(key) ? ctx.t(key) : action;
}

/**
 * An audit row → {id, at, actor, action, record, changes: [{field, label,
 * old, new}]}; changes where both sides read empty are left out (a merge
 * lists lists that stayed empty). record is the row's entity id when it is
 * another record than the one shown (a record merged into it).
 */
export function describeEntry(entry, shownId, ctx) {
  const changes = [];
  for (const c of entry.changes || []) {
    const oldText = valueText(c.field, c.old, ctx, entry.action);
    const newText = valueText(c.field, c.new, ctx, entry.action);
    if (oldText === '' && newText === '') continue;
    changes.push({ field: c.field, label: fieldLabel(entry.entity, c.field, ctx, entry.action), old: oldText, new: newText });
  }
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: actionLabel(entry.action, ctx),
    kind: entry.action.split('.').pop(),
    record: Number(entry.entity_id) !== Number(shownId) ? entry.entity_id : null,
    requestId: entry.request_id,
    changes,
  };
}
