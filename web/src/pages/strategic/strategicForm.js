// A strategic-scientist decision's form → the body of POST
// /api/v1/strategic-decisions {talent_id, decided_on, rationale,
// package_total, items: [{title, amount}]}: money as decimal strings; the items are
// optional, but when given their amounts must add up to the total (in
// fen, exactly). The cap in force is the server's to check. Field names as
// the server's (`items.1.amount`), so both kinds of error show at the same
// place. Pure functions (test/strategic-form.test.js).
import { parseYuan, yuanErrorKey } from '../../money.js';

export const FORM_FIELDS = ['talent_id', 'decided_on', 'rationale', 'package_total', 'items'];
export const ITEMS_MAX = 20; /* the server's limit */
export const ITEM_TITLE_MAX = 50;

export function emptyDecision(today = '') {
  return { talent_id: null, decided_on: today, rationale: '', package_total: '', items: [] };
}

/** The items' amounts that parse, summed in fen (BigInt); rows with an empty amount count 0. */
export function itemsSum(items) {
  let s = 0n;
  for (const it of items || []) {
    const r = parseYuan(it.amount);
    if (!r.error) s += r.fen;
  }
  return s;
}

/** Items filled in: a row with neither title nor amount is dropped. */
function filled(items) {
  return (items || []).map((it, i) => ({ ...it, i })).filter((it) => String(it.title || '').trim() || String(it.amount || '').trim());
}

/** The form → {body} or {errors} (translated with t; money with its formatter for the sum message). */
export function decisionBody(f, t, money = (fen) => String(fen)) {
  const errors = {};
  const body = {};
  const talent = Number(f.talent_id);
  if (!f.talent_id || !Number.isInteger(talent) || talent < 1) errors.talent_id = t('strategic.form.talent_required');
  else body.talent_id = talent;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(f.decided_on || ''))) errors.decided_on = t('strategic.form.date_required');
  else body.decided_on = f.decided_on;
  const rationale = String(f.rationale || '').trim();
  if (!rationale) errors.rationale = t('strategic.form.rationale_required');
  else body.rationale = rationale;
  const total = parseYuan(f.package_total);
  if (total.error) errors.package_total = t(yuanErrorKey(total.error));
  else body.package_total = total.value;
  const items = filled(f.items);
  if (items.length) {
    body.items = [];
    let ok = true;
    for (const it of items) {
      const title = String(it.title || '').trim();
      if (!title) {
        errors[`items.${it.i}.title`] = t('strategic.form.item_title_required');
        ok = false;
      }
      const a = parseYuan(it.amount);
      if (a.error) {
        errors[`items.${it.i}.amount`] = t(yuanErrorKey(a.error));
        ok = false;
      }
      if (ok) body.items.push({ title, amount: a.value });
    }
    if (ok && !total.error) {
      const sum = itemsSum(items);
      if (sum !== total.fen) errors.items = t('strategic.form.items_sum', { sum: money(String(sum)), total: money(String(total.fen)) });
    }
  }
  return Object.keys(errors).length ? { errors } : { body };
}
