// Every visible string exists in both languages, and every error code of
// the server's table (src/core/err.tbl) has a translation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messages } from '../src/i18n/index.js';

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('translations', () => {
  it('has the same keys in Chinese and English', () => {
    const zh = new Set(keys(messages['zh-CN']));
    const en = new Set(keys(messages.en));
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });
  it('has no empty string', () => {
    for (const loc of ['zh-CN', 'en']) {
      const empty = keys(messages[loc]).filter((k) => k.split('.').reduce((o, p) => o[p], messages[loc]) === '');
      expect(empty).toEqual([]);
    }
  });
  it('translates every error code of err.tbl', () => {
    const tbl = readFileSync(fileURLToPath(new URL('../../src/core/err.tbl', import.meta.url)), 'utf8');
    const codes = [...tbl.matchAll(/^GG_ERR\(\w+,\s*"([a-z0-9_]+)"/gm)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    for (const loc of ['zh-CN', 'en']) {
      expect(codes.filter((c) => !messages[loc].errors[c])).toEqual([]);
    }
  });
});
