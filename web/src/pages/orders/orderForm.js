// The recruitment order's forms → request bodies: a new order (POST
// /api/v1/orders {org_id, title, segment, salary, description}) and the
// registration of a hire (POST /api/v1/orders/{id}/hires {talent_id,
// contract_salary, start_on, term_years}). Money goes as the decimal string
// the user typed (normalised), never a number. What the server will refuse
// anyway is caught here first with the same field names, so both kinds of
// error show at the same field. Pure functions (test/order-form.test.js).
import { parseYuan, yuanErrorKey } from '../../money.js';

/** Element Plus tag types of order statuses (open → filled by its hire, or closed). */
export const ORDER_STATUS_TYPE = { open: 'success', filled: 'primary', closed: 'info' };
export const ORDER_STATUSES = ['open', 'filled', 'closed'];

/** The fields the forms show, for placing the server's field errors. */
export const ORDER_FIELDS = ['org_id', 'title', 'segment', 'salary', 'description'];
export const HIRE_FIELDS = ['talent_id', 'contract_salary', 'start_on', 'term_years'];

export const TERM_DEFAULT = 3;
export const TERM_MAX = 30;

export function emptyOrder(orgId = null) {
  return { org_id: orgId, title: '', segment: '', salary: '', description: '' };
}

/** The hires of an order: its one hire (`hire`), or a list (`hires`). */
export function hiresOf(order) {
  if (!order) return [];
  if (Array.isArray(order.hires)) return order.hires;
  return order.hire ? [order.hire] : [];
}

export function emptyHire(salary = '') {
  return { talent_id: null, contract_salary: salary, start_on: '', term_years: TERM_DEFAULT };
}

function money(text, field, errors, body, t) {
  const r = parseYuan(text);
  if (r.error) errors[field] = t(yuanErrorKey(r.error));
  else body[field] = r.value;
}

/** New order form → {body} or {errors} (translated with t). */
export function orderBody(f, t) {
  const errors = {};
  const body = {};
  const org = Number(f.org_id);
  if (!Number.isInteger(org) || org < 1) errors.org_id = t('orders.form.org_required');
  else body.org_id = org;
  const title = String(f.title || '').trim();
  if (!title) errors.title = t('orders.form.title_required');
  else body.title = title;
  if (!f.segment) errors.segment = t('orders.form.segment_required');
  else body.segment = f.segment;
  money(f.salary, 'salary', errors, body, t);
  const d = String(f.description || '').trim();
  if (d) body.description = d;
  return Object.keys(errors).length ? { errors } : { body };
}

/** Hire form → {body} or {errors}. */
export function hireBody(f, t) {
  const errors = {};
  const body = {};
  const talent = Number(f.talent_id);
  if (!f.talent_id || !Number.isInteger(talent) || talent < 1) errors.talent_id = t('orders.hire.talent_required');
  else body.talent_id = talent;
  money(f.contract_salary, 'contract_salary', errors, body, t);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(f.start_on || ''))) errors.start_on = t('orders.hire.start_required');
  else body.start_on = f.start_on;
  const term = Number(f.term_years);
  if (!Number.isInteger(term) || term < 1 || term > TERM_MAX) errors.term_years = t('orders.hire.term_invalid', { max: TERM_MAX });
  else body.term_years = term;
  return Object.keys(errors).length ? { errors } : { body };
}

