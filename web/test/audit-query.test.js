// The audit page's filters: address ↔ filters ↔ API query, whole days in the bureau's zone.
import { describe, expect, it } from 'vitest';
import { apiQuery, entityRoute, filtersFromQuery, nextDay, queryFromFilters, zonedMidnight } from '../src/pages/audit/query.js';

describe('filters in the address', () => {
  it('keeps valid values and drops the rest', () => {
    const f = filtersFromQuery({ actor_id: '4', action: 'user.', entity: 'user', entity_id: 'x', from: '2026-11-01', to: '11/26/2026', other: '1' });
    expect(f).toEqual({ actor_id: '4', action: 'user.', entity: 'user', entity_id: '', from: '2026-11-01', to: '' });
    expect(filtersFromQuery({ actor_id: ['1', '2'] }).actor_id).toBe('');
    expect(filtersFromQuery({ actor_id: '0' }).actor_id).toBe('');
  });
  it('writes only the filters set', () => {
    expect(queryFromFilters({ actor_id: '', action: 'user.update', entity: '', entity_id: '', from: '', to: '2026-11-26' })).toEqual({ action: 'user.update', to: '2026-11-26' });
  });
});

describe('days', () => {
  it('steps over month and year ends and leap days', () => {
    expect(nextDay('2026-11-30')).toBe('2026-12-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2027-02-28')).toBe('2027-03-01');
    expect(nextDay('bad')).toBe('');
  });
  it('writes midnight with the offset of the zone', () => {
    expect(zonedMidnight('2026-11-26', 'Asia/Shanghai')).toBe('2026-11-26T00:00:00+08:00');
    expect(zonedMidnight('2026-11-26', 'UTC')).toBe('2026-11-26T00:00:00+00:00');
    expect(zonedMidnight('2026-07-01', 'America/New_York')).toBe('2026-07-01T00:00:00-04:00');
    expect(zonedMidnight('2026-01-15', 'America/New_York')).toBe('2026-01-15T00:00:00-05:00');
  });
});

describe('API query', () => {
  it('includes the end day and sends entity_id only with entity', () => {
    const q = apiQuery({ actor_id: '2', action: '', entity: '', entity_id: '9', from: '2026-11-01', to: '2026-11-26' }, 'Asia/Shanghai');
    expect(q).toEqual({ actor_id: '2', from: '2026-11-01T00:00:00+08:00', to: '2026-11-27T00:00:00+08:00' });
    expect(apiQuery({ entity: 'user', entity_id: '9' })).toEqual({ entity: 'user', entity_id: '9' });
  });
});

describe('record links', () => {
  it('links users, talents and organisations only', () => {
    expect(entityRoute('user', 3)).toEqual({ name: 'user', params: { id: 3 } });
    expect(entityRoute('talent', 5)).toEqual({ name: 'talent', params: { id: 5 } });
    expect(entityRoute('session', 5)).toBeNull();
    expect(entityRoute('user', 0)).toBeNull();
  });
});
