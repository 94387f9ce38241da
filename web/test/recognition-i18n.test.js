// Every string the recognition pages ask for exists in both languages: the
// keys written out in their sources (t('…')) and those they build from a
// list (an action, a status, a basis), so a missing translation fails
// here rather than showing a key on screen.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messages } from '../src/i18n/index.js';
import { ACTIONS, ACTION_ORDER, STATUSES } from '../src/pages/recommendations/recommendation.js';
import { BASES } from '../src/pages/recognitions/recognition.js';
import { ORDER_STATUSES } from '../src/pages/orders/orderForm.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const AREAS = ['pages/orders', 'pages/recognitions', 'pages/recommendations', 'pages/strategic', 'pages/policy'];
const COMPONENTS = ['DecisionCard.vue', 'InstallmentTable.vue', 'TraceList.vue', 'MoneyInput.vue', 'TalentSelect.vue'];

function sources() {
  const files = AREAS.flatMap((d) => readdirSync(SRC + d).map((f) => `${SRC}${d}/${f}`));
  return [...files, ...COMPONENTS.map((f) => `${SRC}components/${f}`)].map((f) => readFileSync(f, 'utf8'));
}

function has(locale, key) {
  let o = messages[locale];
  for (const p of key.split('.')) {
    if (!o || typeof o !== 'object' || !(p in o)) return false;
    o = o[p];
  }
  return typeof o === 'string';
}

const built = [
  ...ACTION_ORDER.map((a) => `recommendations.actions.${a}`),
  ...STATUSES.map((s) => `recommendations.status.${s}`),
  ...['submit', 'withdraw', 'review'].map((a) => `recommendations.confirm.${a}`),
  ...ACTION_ORDER.filter((a) => !ACTIONS[a].edit).map((a) => `recommendations.done.${a}`),
  ...ACTION_ORDER.filter((a) => ACTIONS[a].dialog).flatMap((a) => [`recommendations.dialog.${a}_lead`, `recommendations.dialog.${a}_reason`]),
  ...BASES.flatMap((b) => [`recognitions.basis.${b}`, `recognitions.notice.statement_${b}`]),
  ...['formula', 'strategic'].map((k) => `recognitions.plan_kind.${k}`),
  ...ORDER_STATUSES.map((s) => `orders.status.${s}`),
  ...['due', 'planned', 'lapsed'].map((s) => `decision.status.${s}`),
  ...['empty', 'negative', 'decimals', 'format', 'too_large'].map((e) => `money.errors.${e}`),
  'nav.recognition',
];

describe('the recognition pages\' strings', () => {
  const written = [...new Set(sources().flatMap((s) => [...s.matchAll(/\bt\(\s*'([a-z_]+(?:\.[a-z_0-9]+)+)'/g)].map((m) => m[1])))];
  it('finds the keys in the sources', () => {
    expect(written.length).toBeGreaterThan(100);
  });
  for (const locale of ['zh-CN', 'en']) {
    it(`has every key written in the pages in ${locale}`, () => {
      expect(written.filter((k) => !has(locale, k))).toEqual([]);
    });
    it(`has every key built from a list in ${locale}`, () => {
      expect(built.filter((k) => !has(locale, k))).toEqual([]);
    });
  }
});
