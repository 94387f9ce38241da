// The special fund's balances (GET /api/v1/ledger/balances?on=DAY) as the
// page shows them: each account with its name in the page's language, the
// side of its balance (debit when debits exceed credits, else credit) and
// the amount on that side, the trial balance (total debits = total
// credits), and the ECharts option of the bar chart. Amounts stay integer
// fen; the chart's bars are drawn from fen (an axis, not an amount anyone
// reads) and its labels are formatMoney of the fen. Pure functions
// (test/ledger.test.js).
import { fenParts, formatMoney, isChinese } from '../../format.js';

/** The accounts as rows: {code, name, balance_fen (BigInt, debits − credits), side: 'debit'|'credit'|'', amount_fen (BigInt ≥ 0)}. */
export function balanceRows(data, locale) {
  const zh = isChinese(locale);
  return ((data && data.accounts) || []).map((a) => {
    const b = BigInt(a.balance_fen ?? 0);
    return {
      code: a.code,
      name: (zh ? a.name_zh : a.name_en) || a.name || a.code,
      balance_fen: b,
      side: b > 0n ? 'debit' : b < 0n ? 'credit' : '',
      amount_fen: b < 0n ? -b : b,
    };
  });
}

/** The trial balance holds: total debits equal total credits (and the accounts' balances sum to zero). */
export function isBalanced(data) {
  if (!data) return false;
  const sum = ((data.accounts) || []).reduce((s, a) => s + BigInt(a.balance_fen ?? 0), 0n);
  return BigInt(data.total_debit_fen ?? 0) === BigInt(data.total_credit_fen ?? 0) && sum === 0n;
}

/** An axis label: yuan shortened (zh: 万 / 亿; en: K / M / B), from fen. */
export function compactYuan(fen, locale) {
  const p = fenParts(fen);
  if (!p) return '';
  const yuan = Number(p.yuan);
  const fmt = (x, unit) => `${p.sign}${Number.isInteger(x) ? x : x.toFixed(x < 10 ? 2 : 1).replace(/\.?0+$/, '')}${unit}`;
  if (isChinese(locale)) {
    if (yuan >= 1e8) return fmt(yuan / 1e8, '亿');
    if (yuan >= 1e4) return fmt(yuan / 1e4, '万');
    return `${p.sign}${yuan}`;
  }
  if (yuan >= 1e9) return fmt(yuan / 1e9, 'B');
  if (yuan >= 1e6) return fmt(yuan / 1e6, 'M');
  if (yuan >= 1e3) return fmt(yuan / 1e3, 'K');
  return `${p.sign}${yuan}`;
}

/** The ECharts option: one bar per account (the amount on its side), the money in the tooltip. sideText(side) names a side. */
export function chartOption(rows, locale, sideText = (s) => s) {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const r = rows[params[0].dataIndex];
        return r ? `${r.name}<br/>${sideText(r.side)} ${formatMoney(String(r.amount_fen), locale)}` : '';
      },
    },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, hideOverlap: false, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => compactYuan(Math.round(v), locale) } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        data: rows.map((r) => ({ value: Number(r.amount_fen), itemStyle: { color: r.side === 'credit' ? '#b91c1c' : '#2563eb' } })),
      },
    ],
  };
}
