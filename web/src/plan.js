// A subsidy plan as GET /api/v1/plans/{id} gives it (docs/ledger.md
// "Strategic tranches", "Cancellation"): its installments with the
// tranche's milestone, what each has committed, its verification and its
// live payment; a strategic plan's package limit, tranches total and
// room; the cancellation; allowed_actions. And the two officer actions'
// inputs checked before they are sent: a milestone tranche ({milestone,
// due_on, amount}: the amount a decimal string, never a number) and the
// cancellation ({reason, ended_on}: not in the future). Pure functions
// (test/plan.test.js).
import { parseYuan, yuanErrorKey } from './money.js';

/* The server's limits: at most 10 tranches, a milestone and a reason of at most 500 characters. */
export const MAX_TRANCHES = 10;
export const TEXT_MAX = 500;

/** Element Plus tag types of a plan's statuses. */
export const PLAN_STATUS_TYPE = { active: 'success', cancelled: 'info', replaced: 'info' };

/** The installments of a plan as rows, by year (a tranche's number for strategic plans). */
export function planInstallments(plan) {
  const list = (plan && Array.isArray(plan.installments) && plan.installments) || [];
  return list
    .map((x) => {
      const status = String(x.status || '');
      return {
        id: x.id ?? null,
        year: Number(x.year),
        due_on: x.due_on || x.due || '',
        milestone: x.milestone || '',
        base_fen: x.base_fen ?? null,
        amount_fen: x.amount_fen ?? 0,
        committed_fen: x.committed_fen ?? 0,
        status,
        lapsed: status === 'lapsed',
        verification: x.verification && x.verification.status ? x.verification : null,
        payment: x.payment && x.payment.status ? x.payment : null,
      };
    })
    .sort((a, b) => a.year - b.year);
}

/** A strategic plan's figures {limit_fen, tranche_total_fen, room_fen}; null for a formula plan (or when the server sent none). */
export function strategicFigures(plan) {
  if (!plan || plan.kind !== 'strategic' || plan.limit_fen === undefined || plan.limit_fen === null) return null;
  return {
    limit_fen: plan.limit_fen,
    tranche_total_fen: plan.tranche_total_fen ?? 0,
    room_fen: plan.room_fen ?? 0,
  };
}

/** Whether the server offers this action on the plan (allowed_actions: add_tranche, cancel). */
export function planAllows(plan, action) {
  return !!(plan && Array.isArray(plan.allowed_actions) && plan.allowed_actions.includes(action));
}

/** How many installments of the plan lapsed. */
export function countLapsed(plan) {
  return planInstallments(plan).filter((r) => r.lapsed).length;
}

/** An empty tranche form. */
export function emptyTranche() {
  return { milestone: '', due_on: '', amount: '' };
}

/**
 * A tranche form → {body} to POST (milestone trimmed, due_on, amount the
 * plain yuan string) or {errors: {field: message}}. The package and the
 * cap are the server's to check (422 on amount, naming the total and the
 * room). t: the i18n function (plans.errors.*, money.errors.*).
 */
export function trancheRequest(form, t) {
  const errors = {};
  const milestone = String(form.milestone || '').trim();
  if (!milestone) errors.milestone = t('plans.errors.milestone');
  else if ([...milestone].length > TEXT_MAX) errors.milestone = t('plans.errors.too_long', { n: TEXT_MAX });
  const due = String(form.due_on || '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) errors.due_on = t('plans.errors.due_on');
  const amount = parseYuan(form.amount);
  if (amount.error) errors.amount = t(yuanErrorKey(amount.error));
  else if (amount.fen === 0n) errors.amount = t('plans.errors.amount_zero');
  if (Object.keys(errors).length) return { errors };
  return { body: { milestone, due_on: due, amount: amount.value } };
}

/** An empty cancellation form, ended today. */
export function emptyCancellation(today) {
  return { reason: '', ended_on: today || '' };
}

/**
 * A cancellation form → {body} ({reason trimmed, ended_on}) or {errors}:
 * the reason required, the day a date not after today (YYYY-MM-DD, the
 * bureau's day).
 */
export function cancelRequest(form, t, today) {
  const errors = {};
  const reason = String(form.reason || '').trim();
  if (!reason) errors.reason = t('plans.errors.reason');
  else if ([...reason].length > TEXT_MAX) errors.reason = t('plans.errors.too_long', { n: TEXT_MAX });
  const ended = String(form.ended_on || '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ended)) errors.ended_on = t('plans.errors.ended_on');
  else if (today && ended > today) errors.ended_on = t('plans.errors.ended_future');
  if (Object.keys(errors).length) return { errors };
  return { body: { reason, ended_on: ended } };
}
