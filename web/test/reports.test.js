// The reports' pure logic (src/pages/reports/reports.js): download links, the address's forecast and register
// parameters, the charts' options (money only through formatMoney of the fen), a statement's plans for the talent's
// and the employer's views, and the routes' permissions.
import { describe, expect, it } from 'vitest';
import {
  chainName, distinctTalents, employerRows, forecastOption, forecastParams, installmentAmount, installmentStage, lastPayment,
  nextDue, planPaid, positionChainOption, positionYearOption, registerFilter, registerQuery, registerRangeBad, reportHref,
} from '../src/pages/reports/reports.js';
import routes from '../src/pages/reports/routes.js';
import { messages } from '../src/i18n/index.js';

describe('report downloads', () => {
  it('link to the same endpoint with the filter and the format', () => {
    expect(reportHref('/api/v1/reports/forecast', { from: 2026, years: 5 }, 'csv')).toBe('/api/v1/reports/forecast?from=2026&years=5&format=csv');
    expect(reportHref('/api/v1/reports/register', { from: '', talent: '6', org: undefined }, 'xlsx')).toBe('/api/v1/reports/register?talent=6&format=xlsx');
    expect(reportHref('/api/v1/reports/position', null, 'csv')).toBe('/api/v1/reports/position?format=csv');
  });
});

describe('forecast parameters', () => {
  it('take a year in 2000..9989 and 1..10 years, else null', () => {
    expect(forecastParams({ from: '2026', years: '3' })).toEqual({ from: 2026, years: 3 });
    expect(forecastParams({ from: '1999', years: '11' })).toEqual({ from: null, years: null });
    expect(forecastParams({ from: 'x', years: '2.5' })).toEqual({ from: null, years: null });
    expect(forecastParams({})).toEqual({ from: null, years: null });
    expect(forecastParams({ from: ['2027', '2028'] }).from).toBe(2027);
  });
});

describe('register filter', () => {
  it('keeps well-formed days and ids only', () => {
    expect(registerFilter({ from: '2026-01-01', to: '2026-12-31', talent: '6', org: '15', cursor: 'x' })).toEqual({ from: '2026-01-01', to: '2026-12-31', talent: '6', org: '15' });
    expect(registerFilter({ from: '2026-1-1', to: 'tomorrow', talent: '0', org: '-3' })).toEqual({ from: '', to: '', talent: '', org: '' });
    expect(registerFilter(undefined)).toEqual({ from: '', to: '', talent: '', org: '' });
  });
  it('as a query leaves out what is not set', () => {
    expect(registerQuery({ from: '2026-01-01', to: '', talent: '6', org: '' })).toEqual({ from: '2026-01-01', talent: '6' });
    expect(registerQuery({})).toEqual({});
  });
  it('knows a range ending before it starts', () => {
    expect(registerRangeBad({ from: '2026-05-01', to: '2026-04-30' })).toBe(true);
    expect(registerRangeBad({ from: '2026-05-01', to: '2026-05-01' })).toBe(false);
    expect(registerRangeBad({ from: '', to: '2026-04-30' })).toBe(false);
  });
});

const labels = { committed: 'C', uncommitted: 'U', committed_net: 'N', approved: 'A', paid: 'P', available: 'Av', year: (y) => `${y}年` };

describe('charts', () => {
  const rows = [
    { year: 2026, installments: 3, committed_fen: 510000000, uncommitted_fen: 0, total_fen: 510000000 },
    { year: 2027, installments: 3, committed_fen: 310000000, uncommitted_fen: 123, total_fen: 310000123 },
  ];
  it('forecast: committed and uncommitted stacked by due year, money in the tooltip', () => {
    const o = forecastOption(rows, 'zh-CN', labels);
    expect(o.xAxis.data).toEqual(['2026年', '2027年']);
    expect(o.series.map((s) => [s.name, s.stack, s.data])).toEqual([['C', 'due', [510000000, 310000000]], ['U', 'due', [0, 123]]]);
    expect(o.tooltip.formatter([{ dataIndex: 1 }])).toBe('2027年<br/>C ¥3,100,000.00<br/>U ¥1.23');
    expect(o.yAxis.axisLabel.formatter(510000000)).toBe('510万');
    expect(forecastOption(rows, 'en', labels).tooltip.formatter([{ dataIndex: 0 }])).toBe('2026年<br/>C CNY 5,100,000.00<br/>U CNY 0.00');
  });
  it('position by year: bars of movements and a line of the available balance', () => {
    const years = [{ year: 2026, committed_net_fen: 1330000000, approved_fen: 0, paid_fen: 5, end_balances: { fund_available: 298670000000 } }];
    const o = positionYearOption(years, 'zh-CN', labels);
    expect(o.series.map((s) => s.type)).toEqual(['bar', 'bar', 'bar', 'line']);
    expect(o.series[3].data).toEqual([298670000000]);
    expect(o.tooltip.formatter([{ dataIndex: 0 }])).toBe('2026年<br/>N ¥13,300,000.00<br/>A ¥0.00<br/>P ¥0.05<br/>Av ¥2,986,700,000.00');
  });
  it('position by chain: names in the language, three bars', () => {
    const chains = [{ chain: 'ai', name_zh: '人工智能', name_en: 'Artificial intelligence', committed_fen: 1, approved_fen: 2, paid_fen: 3 }];
    expect(positionChainOption(chains, 'en', labels).xAxis.data).toEqual(['Artificial intelligence']);
    expect(positionChainOption(chains, 'zh-CN', labels).series.map((s) => s.data[0])).toEqual([1, 2, 3]);
    expect(chainName({ chain: 'none' }, 'zh-CN', '无')).toBe('无');
    expect(chainName({ chain: 'x' }, 'en')).toBe('x');
  });
});

const inst = (over) => ({ id: 1, year: 1, due_on: '2025-03-01', amount_fen: 60000000, status: 'planned', committed_fen: 60000000, paid_fen: 0, verification: null, payments: [], ...over });

describe('a statement for its talent', () => {
  it('says where each installment stands', () => {
    const today = '2026-11-27';
    expect(installmentStage(inst({ due_on: '2027-03-01' }), today)).toBe('upcoming');
    expect(installmentStage(inst({}), today)).toBe('due');
    expect(installmentStage(inst({ verification: { status: 'open', accepted_fen: null } }), today)).toBe('verifying');
    expect(installmentStage(inst({ verification: { status: 'accepted', accepted_fen: 5 } }), today)).toBe('accepted');
    expect(installmentStage(inst({ verification: { status: 'accepted' }, payments: [{ id: 1, status: 'cancelled' }] }), today)).toBe('accepted');
    expect(installmentStage(inst({ verification: { status: 'accepted' }, payments: [{ id: 1, status: 'cancelled' }, { id: 2, status: 'approved' }] }), today)).toBe('approved');
    expect(installmentStage(inst({ paid_fen: 60000000, payments: [{ id: 3, status: 'paid' }] }), today)).toBe('paid');
    expect(installmentStage(inst({ status: 'lapsed' }), today)).toBe('lapsed');
    expect(lastPayment(inst({ payments: [{ id: 4, status: 'failed' }, { id: 2, status: 'paid' }] })).id).toBe(4);
  });
  it('finds the next due installment and the paid total', () => {
    const plan = { installments: [inst({ id: 1, due_on: '2025-03-01' }), inst({ id: 3, year: 3, due_on: '2027-03-01' }), inst({ id: 2, year: 2, due_on: '2026-03-01', paid_fen: 60000000 }), inst({ id: 4, year: 4, due_on: '2028-03-01', status: 'lapsed' })] };
    expect(nextDue(plan, '2026-11-27').id).toBe(3);
    expect(nextDue(plan, '2029-01-01')).toBe(null);
    expect(planPaid(plan)).toBe(60000000n);
    expect(installmentAmount(inst({ verification: { status: 'accepted', accepted_fen: 1234 } }))).toBe(1234);
    expect(installmentAmount(inst({ verification: { status: 'submitted', accepted_fen: null } }))).toBe(60000000);
  });
});

describe('the employer view', () => {
  it('rows per plan with the next due day and the plan\'s open verifications, soonest first', () => {
    const statements = [
      { talent: { id: 6, name: '雷启' }, plans: [{ id: 1, installments: [inst({ id: 1 }), inst({ id: 3, year: 3, due_on: '2027-03-01' })] }] },
      { talent: { id: 7, name: '安' }, plans: [{ id: 2, installments: [inst({ id: 5, due_on: '2026-12-01' })] }, { id: 9, installments: [] }] },
    ];
    const verifs = [
      { id: 4, status: 'open', plan: { id: 1 } }, { id: 1, status: 'returned', plan: { id: 1 } }, { id: 8, status: 'submitted', plan: { id: 1 } },
    ];
    const rows = employerRows(statements, verifs, '2026-11-27');
    expect(rows.map((r) => r.key)).toEqual(['7-2', '6-1', '7-9']);
    expect(rows[1].next.id).toBe(3);
    expect(rows[1].open.map((v) => v.id)).toEqual([1, 4]);
    expect(rows[2].next).toBe(null);
    expect(distinctTalents([{ talent: { id: 6, name: 'a' } }, { talent: { id: 7 } }, { talent: { id: 6 } }, {}]).map((x) => x.id)).toEqual([6, 7]);
  });
});

describe('routes', () => {
  const by = Object.fromEntries(routes.map((r) => [r.name, r.meta]));
  it('reports are staff pages of ledger_read under disbursement', () => {
    for (const n of ['report-forecast', 'report-position', 'report-register', 'report-statement']) {
      expect(by[n].perm).toBe('ledger_read');
      expect(by[n].staff).toBe(true);
    }
    expect(by['report-forecast'].menu.group).toBe('disbursement');
    expect(by['report-statement'].menu).toBeUndefined();
  });
  it('the talent\'s and the employer\'s views are for their roles', () => {
    expect(by['my-subsidy']).toMatchObject({ role: 'talent', menu: { group: 'my' } });
    expect(by['employer-subsidy']).toMatchObject({ role: 'employer', perm: 'verifications_read' });
  });
  it('every title is translated in both languages', () => {
    const get = (m, key) => key.split('.').reduce((o, k) => (o ? o[k] : undefined), m);
    for (const r of routes) {
      expect(typeof get(messages['zh-CN'], r.meta.title)).toBe('string');
      expect(typeof get(messages.en, r.meta.title)).toBe('string');
    }
  });
});
