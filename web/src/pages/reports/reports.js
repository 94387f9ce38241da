// The special fund's reports (docs/reports.md) as the pages show them: the
// download links of a report (the same endpoint with format=csv|xlsx), the
// forecast's years and the register's filter read from the address, the
// ECharts options of the forecast (committed vs planned-not-committed,
// stacked by due year) and of the fund position (by year, by chain), and a
// statement's plans summed up for a talent's or an employer's view (next
// due installment, verification and payment state). Amounts stay integer
// fen (BigInt where added up); chart bars are drawn from fen (an axis, not
// an amount anyone reads) and every label is formatMoney of the fen. Pure
// functions (test/reports.test.js).
import { buildUrl } from '../../api.js';
import { formatMoney, isChinese } from '../../format.js';
import { sumFen } from '../../money.js';
import { compactYuan } from '../ledger/ledger.js';

export const REPORT_FORMATS = ['csv', 'xlsx'];
export const FORECAST_YEARS = [1, 2, 3, 5, 10];
export const REGISTER_FILTER = ['from', 'to', 'talent', 'org'];
export const REGISTER_LIMIT = 50;
export const PAYMENT_STATUS_TYPE = { proposed: 'warning', approved: 'primary', paid: 'success', failed: 'danger', returned: 'danger', cancelled: 'info' };
export const VERIFICATION_STATUS_TYPE = { open: 'warning', submitted: 'primary', returned: 'warning', accepted: 'success', lapsed: 'info' };
export const COLORS = { committed: '#2563eb', uncommitted: '#f59e0b', approved: '#7c3aed', paid: '#16a34a', appropriated: '#64748b', available: '#0891b2' };

/** The address of a report as a file: path?…query&format=csv|xlsx (empty filters left out). */
export function reportHref(path, query, format) {
  return buildUrl(path, { ...(query || {}), format });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9]\d{0,17}$/;
const one = (v) => (Array.isArray(v) ? v[0] : v);

/** The forecast's first year and number of years from the address ({from, years}: numbers, or null when absent or out of range). */
export function forecastParams(query) {
  const from = Number(one((query || {}).from));
  const years = Number(one((query || {}).years));
  return {
    from: Number.isInteger(from) && from >= 2000 && from <= 9989 ? from : null,
    years: Number.isInteger(years) && years >= 1 && years <= 10 ? years : null,
  };
}

/** The register's filter from the address: from / to (days), talent / org (ids) as strings, '' when absent or malformed. */
export function registerFilter(query) {
  const q = query || {};
  const s = (k) => (typeof one(q[k]) === 'string' ? one(q[k]).trim() : '');
  return {
    from: DAY.test(s('from')) ? s('from') : '',
    to: DAY.test(s('to')) ? s('to') : '',
    talent: ID.test(s('talent')) ? s('talent') : '',
    org: ID.test(s('org')) ? s('org') : '',
  };
}

/** The filter as an address query / API query: only the fields set. */
export function registerQuery(filter) {
  const out = {};
  for (const k of REGISTER_FILTER) if (filter && filter[k]) out[k] = String(filter[k]);
  return out;
}

/** The register's filter has `to` before `from` (the server answers 400; the page says so first). */
export function registerRangeBad(filter) {
  return !!(filter && filter.from && filter.to && filter.to < filter.from);
}

const axis = (locale) => ({ type: 'value', axisLabel: { formatter: (v) => compactYuan(Math.round(v), locale) } });
/* A tooltip listing each series' amount of the hovered category from the original fen. */
function tooltip(title, series, locale) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params) => {
      const i = params && params[0] ? params[0].dataIndex : -1;
      if (i < 0) return '';
      const lines = series.map((s) => `${s.name} ${formatMoney(String(s.fen[i] ?? 0), locale)}`);
      return [title(i), ...lines].join('<br/>');
    },
  };
}
const n = (fen) => Number(BigInt(fen ?? 0));

/**
 * The forecast's chart: by due year, committed and planned-not-committed
 * stacked. labels: {committed, uncommitted, year(y)}.
 */
export function forecastOption(rows, locale, labels) {
  const list = rows || [];
  const series = [
    { key: 'committed', name: labels.committed, fen: list.map((r) => r.committed_fen ?? 0) },
    { key: 'uncommitted', name: labels.uncommitted, fen: list.map((r) => r.uncommitted_fen ?? 0) },
  ];
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: tooltip((i) => labels.year(list[i].year), series, locale),
    xAxis: { type: 'category', data: list.map((r) => labels.year(r.year)) },
    yAxis: axis(locale),
    series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'due', barMaxWidth: 56, itemStyle: { color: COLORS[s.key] }, data: s.fen.map(n) })),
  };
}

/** The position by year's chart: the year's committed (net), approved and paid as bars, the available balance at year end as a line. */
export function positionYearOption(years, locale, labels) {
  const list = years || [];
  const bars = ['committed_net', 'approved', 'paid'].map((k) => ({
    key: k === 'committed_net' ? 'committed' : k,
    name: labels[k],
    fen: list.map((y) => y[`${k}_fen`] ?? 0),
  }));
  const line = { key: 'available', name: labels.available, fen: list.map((y) => (y.end_balances && y.end_balances.fund_available) ?? 0) };
  const all = [...bars, line];
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: tooltip((i) => labels.year(list[i].year), all, locale),
    xAxis: { type: 'category', data: list.map((y) => labels.year(y.year)) },
    yAxis: axis(locale),
    series: [
      ...bars.map((s) => ({ type: 'bar', name: s.name, barMaxWidth: 40, itemStyle: { color: COLORS[s.key] }, data: s.fen.map(n) })),
      { type: 'line', name: line.name, itemStyle: { color: COLORS.available }, data: line.fen.map(n) },
    ],
  };
}

/** A chain row's name in the page's language. */
export function chainName(row, locale, none = 'none') {
  if (!row) return '';
  if (row.chain === 'none' && !row.name_zh && !row.name_en) return none;
  return (isChinese(locale) ? row.name_zh : row.name_en) || row.name_zh || row.chain;
}

/** The position by chain's chart: committed, approved and paid per chain, side by side. */
export function positionChainOption(chains, locale, labels) {
  const list = chains || [];
  const series = ['committed', 'approved', 'paid'].map((k) => ({ key: k, name: labels[k], fen: list.map((c) => c[`${k}_fen`] ?? 0) }));
  const names = list.map((c) => chainName(c, locale));
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: tooltip((i) => names[i], series, locale),
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, width: 80, overflow: 'break' } },
    yAxis: axis(locale),
    series: series.map((s) => ({ type: 'bar', name: s.name, barMaxWidth: 32, itemStyle: { color: COLORS[s.key] }, data: s.fen.map(n) })),
  };
}

/** The last payment of an installment (by id), or null. */
export function lastPayment(inst) {
  const list = (inst && inst.payments) || [];
  return list.reduce((last, p) => (!last || p.id > last.id ? p : last), null);
}

/**
 * Where an installment stands for its talent, one word: 'paid' (its paid
 * balance above zero), 'lapsed', the last payment's status (proposed,
 * approved, failed, returned …), 'accepted' (verified, not paid yet),
 * 'verifying' (a verification open, submitted or returned), 'due' (due by
 * today without a verification yet) or 'upcoming'.
 */
export function installmentStage(inst, today) {
  if (!inst) return 'upcoming';
  if (BigInt(inst.paid_fen ?? 0) > 0n) return 'paid';
  if (inst.status === 'lapsed' || (inst.verification && inst.verification.status === 'lapsed')) return 'lapsed';
  const p = lastPayment(inst);
  if (p && p.status !== 'cancelled') return p.status;
  const v = inst.verification;
  if (v && v.status === 'accepted') return 'accepted';
  if (v) return 'verifying';
  return inst.due_on && today && inst.due_on <= today ? 'due' : 'upcoming';
}

/** A plan's next installment: the earliest planned one due on or after today, or null. */
export function nextDue(plan, today) {
  const list = ((plan && plan.installments) || []).filter((i) => i.status === 'planned' && i.due_on && (!today || i.due_on >= today));
  list.sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : a.year - b.year));
  return list[0] || null;
}

/** A plan's paid balance (the installments' paid_fen added up, BigInt). */
export function planPaid(plan) {
  return sumFen(((plan && plan.installments) || []).map((i) => i.paid_fen));
}

/** The amount that counts for an installment: the accepted amount once verified, else the planned one (fen). */
export function installmentAmount(inst) {
  const v = inst && inst.verification;
  if (v && v.status === 'accepted' && v.accepted_fen !== null && v.accepted_fen !== undefined) return v.accepted_fen;
  return inst ? inst.amount_fen : null;
}

/**
 * The employer's view: one row per plan of its talents' statements, with
 * the talent, the plan's next due installment and the open verifications
 * of that plan (tasks: status open or returned, from GET /verifications).
 * Rows sorted by next due day (plans without one last), then talent name.
 */
export function employerRows(statements, verifications, today) {
  const open = new Map();
  for (const v of verifications || []) {
    if (!v || !v.plan || !['open', 'returned'].includes(v.status)) continue;
    if (!open.has(v.plan.id)) open.set(v.plan.id, []);
    open.get(v.plan.id).push(v);
  }
  const rows = [];
  for (const s of statements || []) {
    if (!s || !s.talent) continue;
    for (const plan of s.plans || []) {
      const next = nextDue(plan, today);
      rows.push({
        key: `${s.talent.id}-${plan.id}`,
        talent: s.talent,
        plan,
        next,
        paid_fen: planPaid(plan),
        open: (open.get(plan.id) || []).sort((a, b) => a.id - b.id),
      });
    }
  }
  rows.sort((a, b) => {
    const da = a.next ? a.next.due_on : '9999';
    const db = b.next ? b.next.due_on : '9999';
    if (da !== db) return da < db ? -1 : 1;
    return String(a.talent.name).localeCompare(String(b.talent.name));
  });
  return rows;
}

/** The distinct talents of recognitions (or verifications), in first-seen order: [{id, name}]. */
export function distinctTalents(items) {
  const seen = new Map();
  for (const x of items || []) if (x && x.talent && !seen.has(x.talent.id)) seen.set(x.talent.id, x.talent);
  return [...seen.values()];
}
