import { and, asc, desc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  adults,
  allocations,
  caseNotes,
  childAddresses,
  childAdults,
  childPreviousNames,
  children,
  domainEvents,
  educationArrangements,
  educationProviders,
  enrolments,
  schools,
  users,
} from '../schema/index.ts';
import type { ChildRelationships, SearchScope } from '../../domain/auth/policies.ts';

export type ChildRow = typeof children.$inferSelect;

export interface ChildSearchCriteria {
  name?: string | undefined;
  dateOfBirth?: string | undefined;
  postcodeKey?: string | undefined;
  upn?: string | undefined;
}

export interface ChildSummary {
  id: string;
  laChildId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string;
  postcode: string;
  upn: string | null;
}

const summaryColumns = {
  id: children.id,
  laChildId: children.laChildId,
  firstName: children.firstName,
  lastName: children.lastName,
  preferredName: children.preferredName,
  dateOfBirth: children.dateOfBirth,
  postcode: children.postcode,
  upn: children.upn,
};

function scopeCondition(scope: SearchScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'none':
      return sql`false`;
    case 'school':
      return sql`exists (select 1 from ${enrolments} e where e.child_id = ${children.id} and e.school_id = ${scope.schoolId} and (e.end_date is null or e.end_date >= ${scope.leftOnOrAfter}))`;
    case 'allocated':
      return sql`exists (select 1 from ${allocations} a where a.child_id = ${children.id} and a.user_id = ${scope.userId} and a.ended_on is null)`;
    case 'parent':
      return sql`exists (select 1 from ${childAdults} ca join ${adults} ad on ad.id = ca.adult_id where ca.child_id = ${children.id} and ad.user_id = ${scope.userId})`;
  }
}

/** Finds children matching every given criterion, only ever within the actor's scope. */
export async function searchChildren(
  executor: Executor,
  criteria: ChildSearchCriteria,
  scope: SearchScope,
  limit: number,
): Promise<{ results: ChildSummary[]; total: number }> {
  // A record merged into another is kept for its history but is never found on its own.
  const conditions: SQL[] = [isNull(children.mergedInto)];
  const scoped = scopeCondition(scope);
  if (scoped) conditions.push(scoped);
  if (criteria.name) {
    for (const term of criteria.name.toLowerCase().split(/\s+/).filter(Boolean)) {
      const pattern = `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const condition = or(
        sql`lower(${children.firstName}) like ${pattern}`,
        sql`lower(${children.lastName}) like ${pattern}`,
        sql`lower(coalesce(${children.preferredName}, '')) like ${pattern}`,
      );
      if (condition) conditions.push(condition);
    }
  }
  if (criteria.dateOfBirth) conditions.push(eq(children.dateOfBirth, criteria.dateOfBirth));
  if (criteria.postcodeKey) conditions.push(eq(children.postcodeKey, criteria.postcodeKey));
  if (criteria.upn) conditions.push(eq(children.upn, criteria.upn));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  // One round trip: the page of results, each row carrying the total count of matches.
  const rows = await executor
    .select({ ...summaryColumns, total: sql<number>`(count(*) over ())::int` })
    .from(children)
    .where(where)
    .orderBy(asc(children.lastName), asc(children.firstName), asc(children.id))
    .limit(limit);
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { results: rows.map(({ total: _total, ...summary }) => summary), total };
}

export async function findChildById(executor: Executor, id: string): Promise<ChildRow | undefined> {
  const [row] = await executor.select().from(children).where(eq(children.id, id)).limit(1);
  return row;
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const relationshipColumns = (childId: SQL | string) => ({
  parents: sql<unknown>`(select coalesce(json_agg(a.user_id), '[]'::json) from ${childAdults} ca join ${adults} a on a.id = ca.adult_id
      where ca.child_id = ${childId} and a.user_id is not null)`,
  schoolLinks: sql<unknown>`(select coalesce(json_agg(json_build_object('schoolId', e.school_id, 'endDate', e.end_date)), '[]'::json) from ${enrolments} e
      where e.child_id = ${childId})`,
  allocated: sql<unknown>`(select coalesce(json_agg(al.user_id), '[]'::json) from ${allocations} al
      where al.child_id = ${childId} and al.ended_on is null)`,
});

function relationshipsFrom(childId: string, row: { parents: unknown; schoolLinks: unknown; allocated: unknown }): ChildRelationships {
  return {
    childId,
    parentUserIds: parseJson<string[]>(row.parents),
    enrolments: parseJson<{ schoolId: string; endDate: string | null }[]>(row.schoolLinks),
    allocatedUserIds: parseJson<string[]>(row.allocated),
  };
}

/** The facts the policies need about who is connected to a child, in one round trip. */
export async function loadChildRelationships(executor: Executor, childId: string): Promise<ChildRelationships> {
  const [row] = await executor.select(relationshipColumns(childId)).from(sql`(select 1) as one`);
  if (!row) throw new Error('Relationship query returned no row');
  return relationshipsFrom(childId, row);
}

/** A child with the relationships every decision about them needs, in one round trip. */
export async function findChildWithRelationships(executor: Executor, childId: string): Promise<{ child: ChildRow; relationships: ChildRelationships } | undefined> {
  const [row] = await executor
    .select({ child: children, ...relationshipColumns(childId) })
    .from(children)
    .where(eq(children.id, childId))
    .limit(1);
  return row ? { child: row.child, relationships: relationshipsFrom(childId, row) } : undefined;
}

export interface ChildAdult {
  id: string;
  userId: string | null;
  firstName: string;
  lastName: string;
  relationship: string;
  parentalResponsibility: boolean;
  livesWith: boolean;
  providesEducation: boolean;
  phone: string | null;
  email: string | null;
  addressLine1: string | null;
  town: string | null;
  postcode: string | null;
  doNotDiscloseAddress: boolean;
  contactPreference: string;
  contactFormat: string | null;
  contactLanguage: string | null;
}

export interface PreviousName {
  firstName: string;
  lastName: string;
  usedUntil: string | null;
  source: string;
}

/** An address the child lived at before the current one. */
export interface PreviousAddress {
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  livedFrom: string | null;
  livedTo: string | null;
  source: string;
}

export interface EducationProvider {
  id: string;
  name: string;
  type: string;
  addressOrWebsite: string;
  hoursPerWeek: number | null;
  hoursWithoutParentPerWeek: number | null;
  source: string;
  recordedAt: string;
}

export interface EducationArrangement {
  parentHoursPerWeek: number | null;
  otherHoursPerWeek: number | null;
  source: string;
  recordedAt: string;
}

export interface ChildEnrolment {
  schoolName: string;
  urn: string;
  startDate: string;
  endDate: string | null;
  deletionGround: string | null;
}

/** Everything a child's record page shows apart from the timeline, in one round trip. */
export async function findChildRecord(
  executor: Executor,
  childId: string,
): Promise<
  | {
      child: ChildRow;
      relationships: ChildRelationships;
      adults: ChildAdult[];
      enrolments: ChildEnrolment[];
      previousNames: PreviousName[];
      previousAddresses: PreviousAddress[];
      education: EducationArrangement | null;
      providers: EducationProvider[];
    }
  | undefined
> {
  const [row] = await executor
    .select({
      child: children,
      ...relationshipColumns(childId),
      adultList: sql<unknown>`(select coalesce(json_agg(json_build_object('id', a.id, 'userId', a.user_id, 'firstName', a.first_name, 'lastName', a.last_name,
          'relationship', ca.relationship, 'parentalResponsibility', ca.parental_responsibility, 'livesWith', ca.lives_with,
          'providesEducation', ca.provides_education, 'phone', a.phone, 'email', a.email, 'addressLine1', a.address_line_1,
          'town', a.town, 'postcode', a.postcode, 'doNotDiscloseAddress', a.do_not_disclose_address,
          'contactPreference', a.contact_preference, 'contactFormat', a.contact_format, 'contactLanguage', a.contact_language)
          order by a.last_name, a.first_name), '[]'::json)
        from ${childAdults} ca join ${adults} a on a.id = ca.adult_id where ca.child_id = ${childId})`,
      enrolmentList: sql<unknown>`(select coalesce(json_agg(json_build_object('schoolName', s.name, 'urn', s.urn, 'startDate', e.start_date,
          'endDate', e.end_date, 'deletionGround', e.deletion_ground) order by e.start_date desc), '[]'::json)
        from ${enrolments} e join ${schools} s on s.id = e.school_id where e.child_id = ${childId})`,
      previousNameList: sql<unknown>`(select coalesce(json_agg(json_build_object('firstName', n.first_name, 'lastName', n.last_name,
          'usedUntil', n.used_until, 'source', n.source) order by n.used_until desc nulls last), '[]'::json)
        from ${childPreviousNames} n where n.child_id = ${childId})`,
      previousAddressList: sql<unknown>`(select coalesce(json_agg(json_build_object('addressLine1', ad.address_line_1, 'addressLine2', ad.address_line_2,
          'town', ad.town, 'postcode', ad.postcode, 'livedFrom', ad.lived_from, 'livedTo', ad.lived_to, 'source', ad.source)
          order by ad.lived_to desc nulls last, ad.recorded_at desc), '[]'::json)
        from ${childAddresses} ad where ad.child_id = ${childId})`,
      education: sql<unknown>`(select json_build_object('parentHoursPerWeek', ea.parent_hours_per_week, 'otherHoursPerWeek', ea.other_hours_per_week,
          'source', ea.source, 'recordedAt', ea.recorded_at)
        from ${educationArrangements} ea where ea.child_id = ${childId} order by ea.recorded_at desc limit 1)`,
      providerList: sql<unknown>`(select coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'type', p.type, 'addressOrWebsite', p.address_or_website,
          'hoursPerWeek', p.hours_per_week, 'hoursWithoutParentPerWeek', p.hours_without_parent_per_week, 'source', p.source,
          'recordedAt', p.recorded_at) order by p.name), '[]'::json)
        from ${educationProviders} p where p.child_id = ${childId} and p.ended_on is null)`,
    })
    .from(children)
    .where(eq(children.id, childId))
    .limit(1);
  if (!row) return undefined;
  return {
    child: row.child,
    relationships: relationshipsFrom(childId, row),
    adults: parseJson<ChildAdult[]>(row.adultList),
    enrolments: parseJson<ChildEnrolment[]>(row.enrolmentList),
    previousNames: parseJson<PreviousName[]>(row.previousNameList),
    previousAddresses: parseJson<PreviousAddress[]>(row.previousAddressList),
    education: row.education === null ? null : parseJson<EducationArrangement>(row.education),
    providers: parseJson<EducationProvider[]>(row.providerList),
  };
}

export interface TimelineEntry {
  id: number;
  type: string;
  summary: string;
  actorLabel: string;
  occurredAt: Date;
  noteBody: string | null;
  noteFollowUpBy: string | null;
  noteFollowUpDoneAt: Date | null;
  noteId: string | null;
  noteVersion: number | null;
  noteAuthorId: string | null;
}

/** The child's timeline, newest first, limited to the visibilities the viewer may see. */
export async function listTimeline(
  executor: Executor,
  childId: string,
  visibilities: readonly string[],
  includeNotes: boolean,
  limit = 200,
): Promise<TimelineEntry[]> {
  const rows = await executor
    .select({
      id: domainEvents.id,
      type: domainEvents.type,
      summary: domainEvents.summary,
      actorLabel: domainEvents.actorLabel,
      occurredAt: domainEvents.occurredAt,
      noteId: caseNotes.id,
      noteBody: caseNotes.body,
      noteFollowUpBy: caseNotes.followUpBy,
      noteFollowUpDoneAt: caseNotes.followUpDoneAt,
      noteVersion: caseNotes.version,
      noteAuthorId: caseNotes.authorId,
    })
    .from(domainEvents)
    .leftJoin(caseNotes, and(eq(domainEvents.aggregateType, 'case_note'), eq(sql`${caseNotes.id}::text`, domainEvents.aggregateId)))
    .where(and(eq(domainEvents.childId, childId), inArray(domainEvents.visibility, [...visibilities])))
    .orderBy(desc(domainEvents.occurredAt), desc(domainEvents.id))
    .limit(limit);
  return rows.map((r) =>
    includeNotes ? r : { ...r, noteId: null, noteBody: null, noteFollowUpBy: null, noteFollowUpDoneAt: null, noteVersion: null, noteAuthorId: null },
  );
}

export type ChildDetailsChange = Pick<
  ChildRow,
  'firstName' | 'lastName' | 'preferredName' | 'dateOfBirth' | 'sex' | 'addressLine1' | 'addressLine2' | 'town' | 'postcode' | 'postcodeKey'
>;

/** Updates only if nobody changed the record since `expectedVersion`; returns the new row or undefined. */
export async function updateChildDetails(
  executor: Executor,
  id: string,
  expectedVersion: number,
  change: ChildDetailsChange,
  now: Date,
): Promise<ChildRow | undefined> {
  return updateChildVersioned(executor, id, expectedVersion, change, now);
}

/** The next council identifier (CIN census LAchildID) after the highest NS number in use. */
export async function nextLaChildId(executor: Executor): Promise<string> {
  const [row] = await executor
    .select({ highest: sql<string | null>`max(cast(substring(${children.laChildId} from 3) as bigint))` })
    .from(children)
    .where(sql`${children.laChildId} ~ '^NS[0-9]+$'`);
  return `NS${Number(row?.highest ?? 100_000) + 1}`;
}

export async function updateSocialCareStatus(
  executor: Executor,
  id: string,
  expectedVersion: number,
  change: Pick<ChildRow, 'lookedAfter' | 'childInNeed' | 'protectionStatus' | 'protectionEndedOn'>,
  now: Date,
): Promise<ChildRow | undefined> {
  return updateChildVersioned(executor, id, expectedVersion, change, now);
}

/** Writes a change to a child only if nobody has since the version was read; bumps the version. */
async function updateChildVersioned(executor: Executor, id: string, expectedVersion: number, change: Partial<typeof children.$inferInsert>, now: Date): Promise<ChildRow | undefined> {
  const [row] = await executor
    .update(children)
    .set({ ...change, version: sql`${children.version} + 1`, updatedAt: now })
    .where(and(eq(children.id, id), eq(children.version, expectedVersion)))
    .returning();
  return row;
}

/**
 * Keeps the address a child is moving from in their address history: lived there until `movedOn`,
 * and from the day the previous history entry ended, when there is one.
 */
export async function recordPreviousAddress(
  executor: Executor,
  child: Pick<ChildRow, 'id' | 'addressLine1' | 'addressLine2' | 'town' | 'postcode'>,
  movedOn: string,
  source: string,
  now: Date,
): Promise<void> {
  const [latest] = await executor
    .select({ livedTo: childAddresses.livedTo })
    .from(childAddresses)
    .where(eq(childAddresses.childId, child.id))
    .orderBy(sql`${childAddresses.livedTo} desc nulls last`)
    .limit(1);
  await executor.insert(childAddresses).values({
    childId: child.id,
    addressLine1: child.addressLine1,
    addressLine2: child.addressLine2,
    town: child.town,
    postcode: child.postcode,
    livedFrom: latest?.livedTo ?? null,
    livedTo: movedOn,
    source,
    recordedAt: now,
  });
}

export type CaseNoteRow = typeof caseNotes.$inferSelect;

export async function insertCaseNote(executor: Executor, note: typeof caseNotes.$inferInsert): Promise<CaseNoteRow> {
  const [row] = await executor.insert(caseNotes).values(note).returning();
  if (!row) throw new Error('Insert returned no row');
  return row;
}

export async function findCaseNote(executor: Executor, id: string): Promise<CaseNoteRow | undefined> {
  const [row] = await executor.select().from(caseNotes).where(eq(caseNotes.id, id)).limit(1);
  return row;
}

export async function markFollowUpDone(executor: Executor, id: string, expectedVersion: number, now: Date): Promise<CaseNoteRow | undefined> {
  const [row] = await executor
    .update(caseNotes)
    .set({ followUpDoneAt: now, version: sql`${caseNotes.version} + 1` })
    .where(and(eq(caseNotes.id, id), eq(caseNotes.version, expectedVersion), isNull(caseNotes.followUpDoneAt)))
    .returning();
  return row;
}

export interface FollowUpItem {
  noteId: string;
  noteVersion: number;
  childId: string;
  laChildId: string;
  childName: string;
  followUpBy: string;
  body: string;
  authorId: string;
  authorName: string;
  authorEmail: string;
}

/** Open follow-ups due on or before `dueBy`, for one author or all authors. */
export async function listOpenFollowUps(executor: Executor, options: { authorId?: string; dueOnOrBefore?: string; dueFrom?: string }): Promise<FollowUpItem[]> {
  const conditions: SQL[] = [isNull(caseNotes.followUpDoneAt), sql`${caseNotes.followUpBy} is not null`];
  if (options.authorId) conditions.push(eq(caseNotes.authorId, options.authorId));
  if (options.dueOnOrBefore) conditions.push(sql`${caseNotes.followUpBy} <= ${options.dueOnOrBefore}`);
  if (options.dueFrom) conditions.push(gte(caseNotes.followUpBy, options.dueFrom));
  const rows = await executor
    .select({
      noteId: caseNotes.id,
      noteVersion: caseNotes.version,
      childId: children.id,
      laChildId: children.laChildId,
      firstName: children.firstName,
      lastName: children.lastName,
      followUpBy: caseNotes.followUpBy,
      body: caseNotes.body,
      authorId: users.id,
      authorName: users.displayName,
      authorEmail: users.email,
    })
    .from(caseNotes)
    .innerJoin(children, eq(children.id, caseNotes.childId))
    .innerJoin(users, eq(users.id, caseNotes.authorId))
    .where(and(...conditions))
    .orderBy(asc(caseNotes.followUpBy), asc(children.lastName));
  return rows.map((r) => ({
    noteId: r.noteId,
    noteVersion: r.noteVersion,
    childId: r.childId,
    laChildId: r.laChildId,
    childName: `${r.firstName} ${r.lastName}`,
    followUpBy: r.followUpBy ?? '',
    body: r.body,
    authorId: r.authorId,
    authorName: r.authorName,
    authorEmail: r.authorEmail,
  }));
}

/** Users allocated to a child, to tell them of changes. */
export async function listAllocatedUsers(executor: Executor, childId: string) {
  return executor
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(allocations)
    .innerJoin(users, eq(users.id, allocations.userId))
    .where(and(eq(allocations.childId, childId), isNull(allocations.endedOn), eq(users.active, true)));
}
