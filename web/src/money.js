// Money as people type it and as the API takes it. The API wants yuan as a
// plain decimal string ("1200000.00": digits, at most two decimals, no
// sign, exponent or separators; src/core/money.h) and answers integer fen
// in `*_fen` fields. People type "1,200,000", "１２０００００" or "¥1200000.5":
// parseYuan() forgives the grouping, the currency sign and full-width
// digits (an IME's), refuses what could be a different amount (a sign, a
// third decimal, an exponent, two points) and gives the plain string to
// send with its fen as a BigInt. No float ever touches an amount.
import { fenParts } from './format.js';

/* 10^15 fen (10 trillion yuan): the server's GG_MONEY_MAX_FEN. */
export const MAX_FEN = 1000000000000000n;

/** Full-width digits and point (an IME's) → ASCII. */
function halfWidth(s) {
  return s.replace(/[\uFF10-\uFF19\uFF0E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Typed yuan text → {value, fen} (value: the plain decimal string the API
 * takes, two decimals; fen: BigInt), or {error} with error one of 'empty',
 * 'negative', 'decimals' (more than two), 'format', 'too_large'.
 */
export function parseYuan(text) {
  let s = halfWidth(String(text === null || text === undefined ? '' : text)).trim();
  s = s.replace(/^(CNY|RMB|[¥￥])\s*/i, '').replace(/[,，\s]/g, '');
  if (s === '') return { error: 'empty' };
  if (/^[-−]/.test(s)) return { error: 'negative' };
  if (s.startsWith('+')) return { error: 'format' };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && !m[2])) return { error: 'format' };
  const frac = m[2] || '';
  if (frac.length > 2) return { error: 'decimals' };
  const whole = (m[1] || '0').replace(/^0+(?=\d)/, '');
  const cents = frac.padEnd(2, '0');
  const fen = BigInt(whole) * 100n + BigInt(cents);
  if (fen > MAX_FEN) return { error: 'too_large' };
  return { value: `${whole}.${cents}`, fen };
}

/** Integer fen (number, BigInt or digit string) → the plain yuan text ('1200000.00'), for prefilling an input; '' when absent. */
export function fenToYuan(fen) {
  const p = fenParts(fen);
  return p ? `${p.sign}${p.yuan}.${p.cents}` : '';
}

/** The i18n key of a parseYuan error (money.errors.*). */
export function yuanErrorKey(error) {
  return `money.errors.${error}`;
}

/**
 * Checks one money field of a form: errors[field] gets the translated
 * message when the text does not parse (or is empty and required);
 * resolves the plain value ('' when empty and optional).
 */
export function checkYuan(text, field, errors, t, { required = true } = {}) {
  const r = parseYuan(text);
  if (r.error === 'empty' && !required) return '';
  if (r.error) {
    errors[field] = t(yuanErrorKey(r.error));
    return null;
  }
  return r.value;
}

/** Sum of integer fen (numbers, BigInts or digit strings) as a BigInt; absent values count 0. */
export function sumFen(list) {
  let s = 0n;
  for (const x of list || []) {
    if (x === null || x === undefined || x === '') continue;
    s += BigInt(typeof x === 'number' ? Math.trunc(x) : x);
  }
  return s;
}
