// The tasks inbox: old tasks, safe links, the API query; invitation states.
import { describe, expect, it } from 'vitest';
import { OLD_AFTER_DAYS, isOld, routerPath, tasksQuery } from '../src/pages/tasks/tasks.js';
import { invitationState } from '../src/pages/invitations/status.js';

describe('old tasks', () => {
  it('marks open tasks waiting longer than the limit or past due', () => {
    expect(isOld({ status: 'open', age_days: OLD_AFTER_DAYS }, '2026-11-26')).toBe(false);
    expect(isOld({ status: 'open', age_days: OLD_AFTER_DAYS + 1 }, '2026-11-26')).toBe(true);
    expect(isOld({ status: 'open', age_days: 1, due_on: '2026-11-25' }, '2026-11-26')).toBe(true);
    expect(isOld({ status: 'open', age_days: 1, due_on: '2026-11-26' }, '2026-11-26')).toBe(false);
    expect(isOld({ status: 'closed', age_days: 100 }, '2026-11-26')).toBe(false);
  });
});

describe('task links', () => {
  it('follows paths inside the UI only', () => {
    expect(routerPath('/talents/duplicates?talent=12')).toBe('/talents/duplicates?talent=12');
    expect(routerPath('//evil.example/x')).toBeNull();
    expect(routerPath('https://evil.example/')).toBeNull();
    expect(routerPath('javascript:alert(1)')).toBeNull();
    expect(routerPath('/\\evil.example')).toBeNull();
    expect(routerPath('/api/v1/tasks')).toBeNull();
    expect(routerPath(null)).toBeNull();
  });
});

describe('tasks query', () => {
  it('sends status always, kind and age only when set', () => {
    expect(tasksQuery({ status: 'open', kind: '', older_than_days: null })).toEqual({ status: 'open' });
    expect(tasksQuery({ status: 'closed', kind: 'duplicate_review', older_than_days: 0 })).toEqual({ status: 'closed', kind: 'duplicate_review', older_than_days: 0 });
    expect(tasksQuery({ status: 'x', older_than_days: 7 })).toEqual({ status: 'open', older_than_days: 7 });
    expect(tasksQuery({ status: 'open', older_than_days: 5000 })).toEqual({ status: 'open' });
    expect(tasksQuery({ status: 'open', older_than_days: '' })).toEqual({ status: 'open' });
  });
});

describe('invitation states', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('is accepted once used, expired after its time, pending before', () => {
    expect(invitationState({ accepted_at: '2026-11-25T00:00:00Z', expires_at: '2026-11-20T00:00:00Z' }, now)).toBe('accepted');
    expect(invitationState({ accepted_at: null, expires_at: '2026-11-26T12:00:00Z' }, now)).toBe('expired');
    expect(invitationState({ accepted_at: null, expires_at: '2026-11-27T00:00:00Z' }, now)).toBe('pending');
  });
});
