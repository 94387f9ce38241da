// The dashboard's figures and charts from GET /api/v1/stats/registry and
// the vocabulary: which tiers count as high-level (the vocabulary says so,
// `high_level`), the month now, and ECharts options whose labels are the
// vocabulary's in the UI's language. Pure functions, so they are tested
// without a browser.

/** The label of an item {token, zh, en} in the language of locale. */
function itemLabel(item, locale) {
  return String(locale || '').toLowerCase().startsWith('zh') ? item.zh : item.en;
}

/**
 * The headline figures: total talents, high-level talents (sum over the
 * tiers the vocabulary marks high_level, with each of those tiers and its
 * count), organisations (null when the answer has none: no orgs_read) and
 * talents new this month (the last month of created_by_month).
 */
export function figures(stats, vocab) {
  const t = (stats && stats.talents) || {};
  const high = new Set(((vocab && vocab.tiers) || []).filter((x) => x.high_level).map((x) => x.token));
  const highTiers = (t.by_tier || []).filter((r) => r.tier && high.has(r.tier));
  const months = t.created_by_month || [];
  return {
    total: t.total || 0,
    highLevel: highTiers.reduce((s, r) => s + (r.count || 0), 0),
    highTiers,
    orgs: stats && stats.orgs ? stats.orgs.total : null,
    newThisMonth: months.length ? months[months.length - 1].count : 0,
    thisMonth: months.length ? months[months.length - 1].month : null,
  };
}

/** [{token|null, label, count}] of a by_* list in vocabulary order; null tokens get nullLabel. */
export function labelled(rows, key, list, locale, nullLabel) {
  return (rows || []).map((r) => {
    const token = r[key];
    const item = token ? (list || []).find((x) => x.token === token) : null;
    return { token: token || null, label: token ? (item ? itemLabel(item, locale) : token) : nullLabel, count: r.count || 0 };
  });
}

const COLORS = ['#1d4ed8', '#0891b2', '#059669', '#d97706', '#dc2626', '#7c3aed', '#db2777', '#4b5563'];

/** A horizontal bar chart of labelled rows (long Chinese labels read best on the left). */
export function barOption(rows, { name = '', color = COLORS[0], narrow = false } = {}) {
  const shown = [...rows].reverse(); /* first row on top */
  return {
    color: [color],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.label),
      axisLabel: { width: narrow ? 96 : 180, overflow: 'truncate' },
    },
    series: [{ name, type: 'bar', data: shown.map((r) => r.count), barMaxWidth: 22, label: { show: true, position: 'right' } }],
  };
}

/** A pie (ring) chart of labelled rows, zero rows left out. */
export function pieOption(rows, { name = '', narrow = false } = {}) {
  return {
    color: COLORS,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        name,
        type: 'pie',
        radius: narrow ? ['30%', '55%'] : ['34%', '58%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        label: { show: !narrow, formatter: '{b}: {c}', width: 110, overflow: 'break' },
        data: rows.filter((r) => r.count > 0).map((r) => ({ name: r.label, value: r.count })),
      },
    ],
  };
}

/** A line chart of created_by_month; monthLabel formats 'YYYY-MM' for the axis. */
export function monthsOption(months, monthLabel, { name = '' } = {}) {
  return {
    color: [COLORS[0]],
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: (months || []).map((m) => monthLabel(m.month)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name, type: 'line', smooth: false, areaStyle: { opacity: 0.12 }, data: (months || []).map((m) => m.count) }],
  };
}
