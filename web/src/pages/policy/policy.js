// The policy page's rules: the packs of GET /api/v1/policy/packs as rows
// (parameters with their value and legal reference, the versions in force
// on a day), and the simulator's form → the body of POST
// /api/v1/policy/simulate (money as decimal strings, the optional members
// left out). Pure functions (test/policy-page.test.js).
import { parseYuan, yuanErrorKey } from '../../money.js';

/** The employer kinds the simulator offers (the CLI's --employer-kind). */
export const EMPLOYER_KINDS = ['leading_enterprise', 'rd_unit', 'other'];

/* Parameters whose value lists tokens of a vocabulary list. */
const TOKEN_LISTS = { eligible_employer_kinds: 'org_kinds', high_level_tiers: 'tiers', tier: 'tiers', lapse_rules: 'lapse_rules' };

/**
 * A version's parameters as rows [{name, value, value_fen, text,
 * reference}], from the API's object keyed by name ({text, value or
 * value_fen for amounts, reference}) or a list of {name, ...}.
 */
export function paramRows(version) {
  const p = (version && (version.params || version.parameters)) || [];
  const row = (name, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? { name, value: x.value ?? null, value_fen: x.value_fen ?? null, text: x.text ?? null, reference: x.reference || '' }
      : { name, value: x, value_fen: null, text: null, reference: '' };
  return Array.isArray(p) ? p.map((x) => row(x.name, x)) : Object.entries(p).map(([name, x]) => row(name, x));
}

/** A version is in force on day (YYYY-MM-DD): from <= day < to (no `to`: open-ended). */
export function inForce(version, day) {
  const from = version.from || version.effective_from || '';
  const to = version.to || version.effective_to || '';
  return (!from || from <= day) && (!to || day < to);
}

/** A parameter's value as tokens when it lists vocabulary tokens ('a, b' or ['a', 'b']), else null. */
export function valueTokens(name, value) {
  if (!TOKEN_LISTS[name]) return null;
  const list = Array.isArray(value) ? value : String(value ?? '').split(/[,\s]+/);
  return { list: TOKEN_LISTS[name], tokens: list.map((x) => String(x).trim()).filter(Boolean) };
}

/**
 * A parameter's value as the page shows it. ctx: {money(fen), label(list,
 * token), percent(text), word(name, value): a word for a plain value or
 * null}; row: the parameter's row (value_fen, text).
 * Amounts (value_fen, or yuan text of names ending _cny) as money, basis
 * points with the percentage beside, token lists by their labels, else
 * the value (or the server's text).
 */
export function paramText(name, value, ctx, row = {}) {
  if (row.value_fen !== null && row.value_fen !== undefined) return ctx.money(String(row.value_fen));
  if ((value === null || value === undefined) && row.text) return row.text;
  if (value === null || value === undefined) return '—';
  const tokens = valueTokens(name, value);
  if (tokens) return tokens.tokens.map((x) => ctx.label(tokens.list, x)).join('、');
  if (/_cny$/.test(name)) {
    const r = parseYuan(String(value));
    if (!r.error) return ctx.money(String(r.fen));
  }
  if (/_bp$/.test(name) && /^\d+$/.test(String(value))) return `${value} bp (${ctx.percent(String(Number(value) / 100))})`;
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return (ctx.word && ctx.word(name, String(value))) || String(value);
}

export function emptySimulation() {
  return { salary: '', employer_kind: 'leading_enterprise', start: '', paid: [], end_after_years: null, policy: '' };
}

/**
 * The form → {body} or {errors: {field: message}} (translated with t). The
 * paid salaries are years 1..n in order: an empty one in the middle is an
 * error (a year is either given or not, and only the trailing ones may be
 * left to the contract).
 */
export function simulationBody(form, t) {
  const errors = {};
  const body = {};
  const salary = parseYuan(form.salary);
  if (salary.error) errors.salary = t(yuanErrorKey(salary.error));
  else body.salary = salary.value;
  if (form.employer_kind) body.employer_kind = form.employer_kind;
  if (form.start) body.start = form.start;
  const paid = [...(form.paid || [])];
  while (paid.length && String(paid[paid.length - 1] ?? '').trim() === '') paid.pop();
  if (paid.length) {
    body.paid = [];
    paid.forEach((x, i) => {
      const r = parseYuan(x);
      if (r.error) errors[`paid.${i}`] = t(yuanErrorKey(r.error));
      else body.paid.push(r.value);
    });
  }
  const n = form.end_after_years;
  if (n !== null && n !== undefined && n !== '') {
    if (!Number.isInteger(Number(n)) || Number(n) < 0) errors.end_after_years = t('policy.sim.end_invalid');
    else body.end_after_years = Number(n);
  }
  if (form.policy) body.policy = form.policy;
  return Object.keys(errors).length ? { errors } : { body };
}
