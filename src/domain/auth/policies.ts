import type { Actor } from './actor.ts';
import { COUNCIL_CASEWORK_ROLES, SOCIAL_CARE_ROLES, type Role } from './roles.ts';

/**
 * Who may do what, as small pure rules. Use cases call `can` before they act; views call it to show
 * only what the user may do. A rule combines the actor's role with their relationship to the record
 * (parent of, school of, allocated to), supplied as facts the use case loads.
 */

/** What Cairn knows about who is connected to a child, loaded before any decision about them. */
export interface ChildRelationships {
  childId: string;
  /** Users who are a parent or carer of the child. */
  parentUserIds: readonly string[];
  /** The child's enrolments: school and the date they left (null while on roll). */
  enrolments: readonly { schoolId: string; endDate: string | null }[];
  /** Users currently allocated to the child. */
  allocatedUserIds: readonly string[];
}

export interface PolicySettings {
  /** How long after leaving a roll a school may still see the child. */
  schoolRecentLeaverDays: number;
}

export type ChildAction = 'child.view' | 'child.edit' | 'social-care-status.edit' | 'case-note.view' | 'case-note.add';
export type GlobalAction = 'child.search' | 'outbox.view-all' | 'audit.view';

const COUNCIL_RECORD_ROLES: readonly Role[] = [...COUNCIL_CASEWORK_ROLES, 'data_officer'];

function hasRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.role !== 'system' && roles.includes(actor.role);
}

function isoDaysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** True when the school is the child's school now, or was within the recent-leaver window. */
export function isSchoolOfChild(schoolId: string, child: ChildRelationships, now: Date, settings: PolicySettings): boolean {
  const cutoff = isoDaysBefore(now, settings.schoolRecentLeaverDays);
  return child.enrolments.some((e) => e.schoolId === schoolId && (e.endDate === null || e.endDate >= cutoff));
}

/** Decides a child-record action for an actor. */
export function canOnChild(actor: Actor, action: ChildAction, child: ChildRelationships, now: Date, settings: PolicySettings): boolean {
  if (actor.role === 'system') return true;
  const council = hasRole(actor, COUNCIL_RECORD_ROLES);
  const casework = hasRole(actor, COUNCIL_CASEWORK_ROLES);
  const isParent = actor.id !== null && child.parentUserIds.includes(actor.id);
  const isAllocated = actor.id !== null && child.allocatedUserIds.includes(actor.id);
  const isSchool = actor.role === 'school_user' && actor.schoolId !== null && isSchoolOfChild(actor.schoolId, child, now, settings);

  switch (action) {
    case 'child.view':
      if (council) return true;
      if (actor.role === 'parent') return isParent;
      if (actor.role === 'school_user') return isSchool;
      if (actor.role === 'health_visitor') return isAllocated;
      return false;
    case 'child.edit':
      return council;
    case 'social-care-status.edit':
      return hasRole(actor, SOCIAL_CARE_ROLES);
    case 'case-note.view':
    case 'case-note.add':
      return casework;
  }
}

/** Decides an action that is not about one record. */
export function canGlobally(actor: Actor, action: GlobalAction): boolean {
  if (actor.role === 'system') return true;
  switch (action) {
    case 'child.search':
      return hasRole(actor, [...COUNCIL_RECORD_ROLES, 'school_user', 'health_visitor']);
    case 'outbox.view-all':
    case 'audit.view':
      return hasRole(actor, ['administrator']);
  }
}

/** Which children a search may return for this actor; searches are always narrowed by this. */
export type SearchScope =
  | { kind: 'all' }
  | { kind: 'school'; schoolId: string; leftOnOrAfter: string }
  | { kind: 'allocated'; userId: string }
  | { kind: 'parent'; userId: string }
  | { kind: 'none' };

export function childScopeFor(actor: Actor, now: Date, settings: PolicySettings): SearchScope {
  if (actor.role === 'system' || hasRole(actor, COUNCIL_RECORD_ROLES)) return { kind: 'all' };
  if (actor.role === 'school_user' && actor.schoolId) {
    return { kind: 'school', schoolId: actor.schoolId, leftOnOrAfter: isoDaysBefore(now, settings.schoolRecentLeaverDays) };
  }
  if (actor.role === 'health_visitor' && actor.id) return { kind: 'allocated', userId: actor.id };
  if (actor.role === 'parent' && actor.id) return { kind: 'parent', userId: actor.id };
  return { kind: 'none' };
}

/** How much of a child's timeline an actor may see. */
export type TimelineAudience = 'staff' | 'partners' | 'family';

export function timelineAudienceFor(actor: Actor): TimelineAudience {
  if (actor.role === 'system' || hasRole(actor, COUNCIL_RECORD_ROLES)) return 'staff';
  if (actor.role === 'parent') return 'family';
  return 'partners';
}

/**
 * The event visibilities an actor may see: social care staff see everything, other council staff all
 * but social care detail, partners partner and family items, and families their own.
 */
export function visibilitiesForActor(actor: Actor): readonly string[] {
  const audience = timelineAudienceFor(actor);
  if (audience === 'staff' && (actor.role === 'system' || hasRole(actor, SOCIAL_CARE_ROLES))) return ['social-care', ...visibilitiesFor(audience)];
  return visibilitiesFor(audience);
}

/** The event visibilities an audience may see: staff see all but social care detail; partners see partner and family items. */
export function visibilitiesFor(audience: TimelineAudience): readonly string[] {
  switch (audience) {
    case 'staff':
      return ['staff', 'partners', 'family'];
    case 'partners':
      return ['partners', 'family'];
    case 'family':
      return ['family'];
  }
}
