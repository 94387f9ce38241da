import { describe, expect, it } from 'vitest';
import { ageDays, formatCount, formatDate, formatDateTime, formatMoney, formatMonth, parseCivil } from '../src/format.js';

describe('formatMoney', () => {
  it('writes fen the Chinese way in Chinese', () => {
    expect(formatMoney(123456789, 'zh-CN')).toBe('¥1,234,567.89');
    expect(formatMoney(5, 'zh-CN')).toBe('¥0.05');
    expect(formatMoney(0, 'zh-CN')).toBe('¥0.00');
    expect(formatMoney(-150, 'zh-CN')).toBe('-¥1.50');
  });
  it('writes fen the international way in English', () => {
    expect(formatMoney(123456789, 'en')).toBe('CNY 1,234,567.89');
    expect(formatMoney(50000000, 'en')).toBe('CNY 500,000.00');
  });
  it('is exact beyond the float range (BigInt strings)', () => {
    expect(formatMoney('900719925474099199', 'zh-CN')).toBe('¥9,007,199,254,740,991.99');
  });
  it('gives nothing for absent or malformed amounts', () => {
    expect(formatMoney(null, 'zh-CN')).toBe('');
    expect(formatMoney('12.5', 'zh-CN')).toBe('');
  });
});

describe('formatDate', () => {
  it('writes civil dates without a time zone shift', () => {
    expect(formatDate('2024-07-13', 'zh-CN')).toBe('2024年7月13日');
    expect(formatDate('2024-07-13', 'en')).toBe('13 Jul 2024');
    expect(formatDate('2024-01-01', 'en')).toBe('1 Jan 2024');
  });
  it('refuses malformed dates', () => {
    expect(formatDate('2024-13-01', 'zh-CN')).toBe('');
    expect(formatDate('13/07/2024', 'zh-CN')).toBe('');
    expect(parseCivil('')).toBe(null);
  });
  it('writes months', () => {
    expect(formatMonth('2026-11', 'zh-CN')).toBe('2026年11月');
    expect(formatMonth('2026-11', 'en')).toBe('Nov 2026');
  });
});

describe('formatDateTime', () => {
  it('shows instants in the bureau time zone (UTC+8)', () => {
    expect(formatDateTime('2026-11-26T17:05:00Z', 'zh-CN')).toBe('2026年11月27日 01:05');
    expect(formatDateTime('2026-11-26T17:05:00Z', 'en')).toBe('27 Nov 2026, 01:05');
  });
  it('gives nothing for garbage', () => {
    expect(formatDateTime('yesterday', 'en')).toBe('');
  });
});

describe('counts and ages', () => {
  it('groups digits', () => {
    expect(formatCount(1000000)).toBe('1,000,000');
    expect(formatCount(-1234)).toBe('-1,234');
  });
  it('counts whole days, never negative', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(ageDays('2026-11-20T13:00:00Z', now)).toBe(5);
    expect(ageDays('2026-11-27T00:00:00Z', now)).toBe(0);
  });
});
