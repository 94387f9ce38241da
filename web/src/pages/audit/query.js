// The audit filters as the page keeps them in its address (so a link from an
// account opens the trail already filtered) and as the API takes them. The
// page's date range is whole days in the bureau's time zone, both ends
// included; the API takes a half-open range of instants [from, to), so the
// end day becomes the midnight after it, written with the zone's offset.
import { TIME_ZONE } from '../../format.js';

export const FILTER_KEYS = ['actor_id', 'action', 'entity', 'entity_id', 'from', 'to'];
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ID_RE = /^[1-9][0-9]{0,17}$/;

/** The route query → filters (strings; invalid values dropped). */
export function filtersFromQuery(query) {
  const one = (k) => (typeof query[k] === 'string' ? query[k].trim() : '');
  const f = {};
  for (const k of FILTER_KEYS) f[k] = one(k);
  if (!ID_RE.test(f.actor_id)) f.actor_id = '';
  if (!ID_RE.test(f.entity_id)) f.entity_id = '';
  if (!DATE_RE.test(f.from)) f.from = '';
  if (!DATE_RE.test(f.to)) f.to = '';
  return f;
}

/** Filters → route query (empty ones left out). */
export function queryFromFilters(f) {
  const q = {};
  for (const k of FILTER_KEYS) if (f[k] !== undefined && f[k] !== null && String(f[k]).trim() !== '') q[k] = String(f[k]).trim();
  return q;
}

/** The civil date after 'YYYY-MM-DD' (calendar arithmetic in UTC, no zone involved). */
export function nextDay(civil) {
  const m = DATE_RE.exec(civil);
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return d.toISOString().slice(0, 10);
}

/** Offset of timeZone from UTC at the instant ms, in minutes (+480 for Asia/Shanghai). */
export function zoneOffsetMinutes(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** Midnight at the start of civil date in timeZone, as 'YYYY-MM-DDT00:00:00+08:00'. */
export function zonedMidnight(civil, timeZone = TIME_ZONE) {
  const m = DATE_RE.exec(civil);
  if (!m) return '';
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  /* the offset at that midnight: ask once at the guess, then again at the corrected instant */
  let off = zoneOffsetMinutes(guess, timeZone);
  off = zoneOffsetMinutes(guess - off * 60000, timeZone);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${civil}T00:00:00${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Filters → the query of GET /api/v1/audit (the end day included). */
export function apiQuery(f, timeZone = TIME_ZONE) {
  const q = {};
  if (f.actor_id) q.actor_id = f.actor_id;
  if (f.action) q.action = f.action;
  if (f.entity) q.entity = f.entity;
  if (f.entity && f.entity_id) q.entity_id = f.entity_id;
  if (f.from) q.from = zonedMidnight(f.from, timeZone);
  if (f.to) q.to = zonedMidnight(nextDay(f.to), timeZone);
  return q;
}

/** The route of the record an audit row is about, when the UI has a page for it. */
export function entityRoute(entity, id) {
  if (!id) return null;
  const names = { user: 'user', talent: 'talent', org: 'org' };
  return names[entity] ? { name: names[entity], params: { id } } : null;
}
