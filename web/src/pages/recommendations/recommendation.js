// The recruitment list's rules as the pages apply them: statuses and
// their colours, the actions a recommendation may list in
// allowed_actions with what each asks for (a dialog with a tier and/or a
// reason, or a confirmation), the request bodies, the quota as a gauge,
// and the history entries. The server decides which actions are allowed
// and whether a reason is missing; nothing here copies its state machine.
// Pure functions (test/recommendation.test.js).

export const STATUSES = ['draft', 'submitted', 'under_review', 'approved', 'rejected', 'returned', 'withdrawn'];
export const STATUS_TYPE = {
  draft: 'info',
  submitted: 'warning',
  under_review: 'primary',
  approved: 'success',
  rejected: 'danger',
  returned: 'warning',
  withdrawn: 'info',
};
/** What the officer's queue shows. */
export const QUEUE_STATUSES = ['submitted', 'under_review'];

/**
 * The actions the pages know, in the order their buttons appear, with
 * what each needs: `dialog` (a tier and/or a reason, in a dialog),
 * `confirm` (a yes/no), `edit` (the form), `danger` (drawn as such).
 */
export const ACTIONS = {
  edit: { edit: true },
  submit: { confirm: true, primary: true },
  withdraw: { confirm: true },
  review: { confirm: true, primary: true },
  approve: { dialog: true, tier: true, reason: true, primary: true },
  return: { dialog: true, reason: true },
  reject: { dialog: true, reason: true, danger: true },
};
export const ACTION_ORDER = Object.keys(ACTIONS);

/** The known actions of allowed_actions, in button order ('update' and 'patch' name the edit too). */
export function actionsOf(rec) {
  const allowed = (rec && Array.isArray(rec.allowed_actions) && rec.allowed_actions) || [];
  const has = (a) => allowed.includes(a) || (a === 'edit' && (allowed.includes('update') || allowed.includes('patch')));
  return ACTION_ORDER.filter(has);
}

/** The fields the form and the dialogs show, for placing the server's field errors. */
export const FORM_FIELDS = ['talent_id', 'proposed_tier', 'justification'];
export const DIALOG_FIELDS = ['tier', 'reason'];

export function emptyRecommendation() {
  return { talent_id: null, proposed_tier: '', justification: '' };
}

export function recommendationToForm(r) {
  return {
    talent_id: r.talent ? r.talent.id : r.talent_id || null,
    proposed_tier: r.proposed_tier || '',
    justification: r.justification || '',
  };
}

/** The form → a create body (what was filled in; the server says what is missing). */
export function createBody(f) {
  const body = {};
  if (f.talent_id) body.talent_id = Number(f.talent_id);
  if (f.proposed_tier) body.proposed_tier = f.proposed_tier;
  const j = String(f.justification || '').trim();
  if (j) body.justification = j;
  return body;
}

/** The form against the loaded one → a PATCH body of what changed ({} when nothing). */
export function patchBody(f, original) {
  const now = createBody(f);
  const before = createBody(original);
  const body = {};
  for (const k of ['talent_id', 'proposed_tier', 'justification']) {
    if (now[k] !== before[k]) body[k] = k in now ? now[k] : null;
  }
  return body;
}

/**
 * A dialog's input → the body of POST /recommendations/{id}/{action}: the
 * tier (approve) and the reason, trimmed. An empty reason is sent as it is
 * (an absent member), so the server's refusal, with its field, is what
 * the user reads; the dialog marks the reason as required.
 */
export function actionBody(action, input) {
  const spec = ACTIONS[action] || {};
  const body = {};
  if (spec.tier && input.tier) body.tier = input.tier;
  const reason = String(input.reason || '').trim();
  if (spec.reason && reason) body.reason = reason;
  return body;
}

/**
 * The quota answer ({quota, used, remaining?, year}) as a gauge: {quota,
 * used, remaining, percent (0..100), full}. null when there is no quota.
 */
export function quotaGauge(q) {
  if (!q || q.quota === null || q.quota === undefined) return null;
  const quota = Number(q.quota);
  const used = Number(q.used || 0);
  const remaining = q.remaining !== undefined && q.remaining !== null ? Number(q.remaining) : Math.max(0, quota - used);
  const percent = quota > 0 ? Math.min(100, Math.round((used * 100) / quota)) : 100;
  return { quota, used, remaining, percent, full: remaining <= 0, year: q.year };
}

/**
 * History entries in the order they happened (oldest first, as a process
 * reads), each {at, action, from, to, actor, reason, tier} (the API's
 * members under their usual names).
 */
export function historyEntries(rec) {
  const list = (rec && (rec.history || rec.events)) || [];
  return list
    .map((e) => ({
      at: e.at || e.created_at || '',
      action: e.action || e.event || '',
      from: e.from || e.from_status || null,
      to: e.to || e.status || e.to_status || null,
      actor: (e.by && e.by.name) || (e.actor && (e.actor.name || e.actor)) || e.actor_name || '',
      reason: e.reason || null,
      tier: e.tier || null,
    }))
    .sort((a, b) => String(a.at).localeCompare(String(b.at)));
}
