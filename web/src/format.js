// Money, dates and ages as people read them: the Chinese way in Chinese
// (¥1,234,567.89, 2024年7月13日) and the international way in English
// (CNY 1,234,567.89, 13 Jul 2024). Money arrives as integer fen and is
// formatted with integer arithmetic (no float ever touches it); civil dates
// (YYYY-MM-DD) are formatted without time zones; instants are shown in the
// bureau's time zone.

export const TIME_ZONE = 'Asia/Shanghai';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function isChinese(locale) {
  return String(locale || '').toLowerCase().startsWith('zh');
}

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Integer fen (number, BigInt or digit string) → {sign: '' or '-', yuan:
 * the whole yuan as digits, cents: two digits}; null when absent or not an integer.
 */
export function fenParts(fen) {
  if (fen === null || fen === undefined || fen === '') return null;
  let v;
  try {
    v = BigInt(typeof fen === 'number' ? Math.trunc(fen) : String(fen).trim());
  } catch {
    return null;
  }
  const neg = v < 0n;
  if (neg) v = -v;
  return { sign: neg ? '-' : '', yuan: (v / 100n).toString(), cents: (v % 100n).toString().padStart(2, '0') };
}

/** Integer fen (number, BigInt or decimal string) → '¥1,234,567.89' (zh) / 'CNY 1,234,567.89' (en); '' when absent. */
export function formatMoney(fen, locale) {
  const p = fenParts(fen);
  if (!p) return '';
  const yuan = group(p.yuan);
  return isChinese(locale) ? `${p.sign}¥${yuan}.${p.cents}` : `${p.sign}CNY ${yuan}.${p.cents}`;
}

/** Parses 'YYYY-MM-DD' (or the date part of an instant) into [y, m, d], or null. */
export function parseCivil(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(s || ''));
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return [y, mo, d];
}

/** A civil date '2024-07-13' → '2024年7月13日' (zh) / '13 Jul 2024' (en); '' when absent or malformed. */
export function formatDate(s, locale) {
  const p = parseCivil(s);
  if (!p) return '';
  const [y, m, d] = p;
  return isChinese(locale) ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
}

/** A year-month '2026-07' → '2026年7月' / 'Jul 2026'. */
export function formatMonth(s, locale) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(s || ''));
  if (!m) return '';
  const mo = Number(m[2]);
  return isChinese(locale) ? `${m[1]}年${mo}月` : `${MONTHS[mo - 1]} ${m[1]}`;
}

/** The civil date and time of an instant in the bureau's zone: [y, m, d, hh, mm]. */
function zoned(instant, timeZone) {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute')];
}

/** An instant '2026-11-26T13:05:00Z' → '2026年11月26日 21:05' / '26 Nov 2026, 21:05' (in TIME_ZONE). */
export function formatDateTime(instant, locale, timeZone = TIME_ZONE) {
  if (!instant) return '';
  const z = zoned(instant, timeZone);
  if (!z) return '';
  const [y, m, d, hh, mm] = z;
  const t = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
  return isChinese(locale) ? `${y}年${m}月${d}日 ${t}` : `${d} ${MONTHS[m - 1]} ${y}, ${t}`;
}

/** A count with grouping: 1234567 → '1,234,567' (both languages write it so). */
export function formatCount(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '';
  const v = Math.trunc(Number(n));
  return (v < 0 ? '-' : '') + group(String(Math.abs(v)));
}

/** Whole days from an instant to now (never negative). */
export function ageDays(instant, now = new Date()) {
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((now.getTime() - t) / 86400000));
}

/** Today as a civil day YYYY-MM-DD in the bureau's time zone (where the server counts days and years). */
export function todayCivil(now = new Date(), timeZone = TIME_ZONE) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The current year in the bureau's time zone. */
export function currentYear(now = new Date(), timeZone = TIME_ZONE) {
  return Number(todayCivil(now, timeZone).slice(0, 4));
}
