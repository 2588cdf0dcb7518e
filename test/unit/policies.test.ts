import { describe, expect, test } from 'vitest';
import type { Actor } from '../../src/domain/auth/actor.ts';
import { canGlobally, canOnChild, childScopeFor, timelineAudienceFor, type ChildAction, type ChildRelationships } from '../../src/domain/auth/policies.ts';
import { ROLES, type Role } from '../../src/domain/auth/roles.ts';

const now = new Date('2026-11-22T12:00:00Z');
const settings = { schoolRecentLeaverDays: 90 };
const SCHOOL = 'school-1';
const OTHER_SCHOOL = 'school-2';

const actor = (role: Role, id = `user-${role}`, schoolId: string | null = role === 'school_user' ? SCHOOL : null): Actor => ({ kind: 'user', id, label: role, role, schoolId });

const unrelatedChild: ChildRelationships = { childId: 'c1', parentUserIds: ['someone-else'], enrolments: [{ schoolId: OTHER_SCHOOL, endDate: null }], allocatedUserIds: [] };

describe('child record actions for a child the actor has no relationship with', () => {
  const expected: Record<Role, Record<ChildAction, boolean>> = {
    ehe_officer: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': false, 'case-note.view': true, 'case-note.add': true },
    cme_officer: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': false, 'case-note.view': true, 'case-note.add': true },
    mash_worker: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': true, 'case-note.view': true, 'case-note.add': true },
    social_worker: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': true, 'case-note.view': true, 'case-note.add': true },
    team_manager: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': true, 'case-note.view': true, 'case-note.add': true },
    data_officer: { 'child.view': true, 'child.edit': true, 'social-care-status.edit': false, 'case-note.view': false, 'case-note.add': false },
    school_user: { 'child.view': false, 'child.edit': false, 'social-care-status.edit': false, 'case-note.view': false, 'case-note.add': false },
    health_visitor: { 'child.view': false, 'child.edit': false, 'social-care-status.edit': false, 'case-note.view': false, 'case-note.add': false },
    parent: { 'child.view': false, 'child.edit': false, 'social-care-status.edit': false, 'case-note.view': false, 'case-note.add': false },
    administrator: { 'child.view': false, 'child.edit': false, 'social-care-status.edit': false, 'case-note.view': false, 'case-note.add': false },
  };
  const cases = ROLES.flatMap((role) => (Object.keys(expected[role]) as ChildAction[]).map((action) => [role, action, expected[role][action]] as const));
  test.each(cases)('%s %s → %s', (role, action, allowed) => {
    expect(canOnChild(actor(role), action, unrelatedChild, now, settings)).toBe(allowed);
  });
});

describe('relationships open a child record to the people connected to it', () => {
  test('a parent sees their own child, not another', () => {
    const parent = actor('parent', 'parent-1');
    expect(canOnChild(parent, 'child.view', { ...unrelatedChild, parentUserIds: ['parent-1'] }, now, settings)).toBe(true);
    expect(canOnChild(parent, 'child.view', unrelatedChild, now, settings)).toBe(false);
    expect(canOnChild(parent, 'case-note.view', { ...unrelatedChild, parentUserIds: ['parent-1'] }, now, settings)).toBe(false);
  });

  test.each([
    ['on roll', null, true],
    ['left 30 days ago', '2026-10-23', true],
    ['left exactly 90 days ago', '2026-08-24', true],
    ['left 91 days ago', '2026-08-23', false],
    ['left two years ago', '2024-11-01', false],
  ])('a school user sees a child %s → %s', (_label, endDate, allowed) => {
    const child: ChildRelationships = { ...unrelatedChild, enrolments: [{ schoolId: SCHOOL, endDate }] };
    expect(canOnChild(actor('school_user'), 'child.view', child, now, settings)).toBe(allowed);
  });

  test('a school user without a school sees nothing', () => {
    const child: ChildRelationships = { ...unrelatedChild, enrolments: [{ schoolId: SCHOOL, endDate: null }] };
    expect(canOnChild(actor('school_user', 'u', null), 'child.view', child, now, settings)).toBe(false);
  });

  test('a health visitor sees only children allocated to them', () => {
    const hv = actor('health_visitor', 'hv-1');
    expect(canOnChild(hv, 'child.view', { ...unrelatedChild, allocatedUserIds: ['hv-1'] }, now, settings)).toBe(true);
    expect(canOnChild(hv, 'child.edit', { ...unrelatedChild, allocatedUserIds: ['hv-1'] }, now, settings)).toBe(false);
    expect(canOnChild(hv, 'child.view', unrelatedChild, now, settings)).toBe(false);
  });
});

describe('actions not about one record', () => {
  test.each(ROLES.map((role) => [role, !['parent', 'administrator'].includes(role)] as const))('%s may search children → %s', (role, allowed) => {
    expect(canGlobally(actor(role), 'child.search')).toBe(allowed);
  });
  test.each(ROLES.map((role) => [role, role === 'administrator'] as const))('%s may read every message → %s', (role, allowed) => {
    expect(canGlobally(actor(role), 'outbox.view-all')).toBe(allowed);
  });
});

describe('search scope and timeline audience follow the role', () => {
  test.each([
    ['social_worker', 'all', 'staff'],
    ['data_officer', 'all', 'staff'],
    ['school_user', 'school', 'partners'],
    ['health_visitor', 'allocated', 'partners'],
    ['parent', 'parent', 'family'],
    ['administrator', 'none', 'partners'],
  ] as const)('%s → scope %s, timeline %s', (role, scope, audience) => {
    expect(childScopeFor(actor(role), now, settings).kind).toBe(scope);
    expect(timelineAudienceFor(actor(role))).toBe(audience);
  });

  test('a school scope carries the recent-leaver cut-off date', () => {
    expect(childScopeFor(actor('school_user'), now, settings)).toEqual({ kind: 'school', schoolId: SCHOOL, leftOnOrAfter: '2026-08-24' });
  });
});
