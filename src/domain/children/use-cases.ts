import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import {
  findCaseNote,
  findChildRecord,
  findChildWithRelationships,
  insertCaseNote,
  listOpenFollowUps,
  listTimeline,
  loadChildRelationships,
  markFollowUpDone,
  searchChildren as searchChildRows,
  updateChildDetails,
  updateSocialCareStatus,
  type ChildAdult,
  type ChildEnrolment,
  type EducationArrangement,
  type EducationProvider,
  type PreviousAddress,
  type PreviousName,
  recordPreviousAddress,
  type ChildRow,
  type ChildSummary,
  type FollowUpItem,
  type TimelineEntry,
} from '../../db/repositories/children.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { canGlobally, canOnChild, childScopeFor, timelineAudienceFor, visibilitiesForActor, type PolicySettings, type TimelineAudience } from '../auth/policies.ts';
import { adultsVisibleTo, childAddressVisibleTo } from './disclosure.ts';
import { childSubmissionsFor, type SubmissionSummary } from '../family/staff.ts';
import { contactPreferencesOf, type AdultContactPreferences } from '../family/notices-contact.ts';
import { MERGE_ROLES, mergesInto } from './merge.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { normalisePostcode, postcodeKey } from '../identifiers/postcode.ts';
import { parseInput } from '../validation.ts';
import { hasCaseworkRole } from '../auth/roles.ts';
import { caseNoteSchema, childDetailsSchema, childSearchSchema, followUpDoneSchema, PROTECTION_STATUSES, socialCareStatusSchema } from './schemas.ts';

export interface ChildRecordDeps {
  runInTransaction: RunInTransaction;
  policy: PolicySettings;
}

export const SEARCH_LIMIT = 50;

/**
 * Searches children by name, date of birth, postcode or UPN. Results are always narrowed to the
 * children the actor may see, and the search itself (criteria and who came back) is audited.
 */
export async function searchChildren(deps: ChildRecordDeps, ctx: UseCaseContext, input: unknown): Promise<{ results: ChildSummary[]; total: number; limit: number }> {
  if (!canGlobally(ctx.actor, 'child.search')) throw forbidden();
  const criteria = parseInput(childSearchSchema, input);
  const scope = childScopeFor(ctx.actor, ctx.now, deps.policy);
  return deps.runInTransaction(ctx, async (uow) => {
    const found = await searchChildRows(
      uow.tx,
      {
        name: criteria.name,
        dateOfBirth: criteria.dateOfBirth,
        postcodeKey: criteria.postcode ? postcodeKey(criteria.postcode) : undefined,
        upn: criteria.upn,
      },
      scope,
      SEARCH_LIMIT,
    );
    uow.audit({
      action: 'child.search',
      recordType: 'child',
      recordId: null,
      childId: null,
      details: { criteria, total: found.total, returned: found.results.map((r) => r.id) },
    });
    return { ...found, limit: SEARCH_LIMIT };
  });
}

/** A parent's own children: the only list of children a parent ever sees. */
export async function listMyChildren(deps: ChildRecordDeps, ctx: UseCaseContext): Promise<ChildSummary[]> {
  if (ctx.actor.role !== 'parent' || !ctx.actor.id) throw forbidden();
  const scope = childScopeFor(ctx.actor, ctx.now, deps.policy);
  return deps.runInTransaction(ctx, async (uow) => {
    const found = await searchChildRows(uow.tx, {}, scope, SEARCH_LIMIT);
    uow.audit({ action: 'child.list-own', recordType: 'child', recordId: null, childId: null, details: { returned: found.results.map((r) => r.id) } });
    return found.results;
  });
}

export interface MergeSummary {
  mergeId: string;
  mergedReference: string;
  mergedAt: Date;
  reason: string;
  /** Field group → which record the kept value came from. */
  provenance: Record<string, 'survivor' | 'merged'>;
}

async function mergeSummaries(tx: Parameters<typeof mergesInto>[0], childId: string): Promise<MergeSummary[]> {
  const merges = await mergesInto(tx, childId);
  return merges.map((m) => ({
    mergeId: m.id,
    mergedReference: (m.before as { merged: { laChildId: string } }).merged.laChildId,
    mergedAt: m.mergedAt,
    reason: m.reason,
    provenance: m.provenance as Record<string, 'survivor' | 'merged'>,
  }));
}

export interface ChildRecord {
  child: ChildRow;
  adults: ChildAdult[];
  enrolments: ChildEnrolment[];
  /** Only for council staff: special category and social care details, previous names, education. */
  staffDetails: {
    merges: MergeSummary[];
    previousNames: PreviousName[];
    previousAddresses: PreviousAddress[];
    education: EducationArrangement | null;
    providers: EducationProvider[];
    /** What the family sent through the family service that this member of staff may see. */
    fromFamily: SubmissionSummary[];
    /** How each parent or carer wants to be contacted. */
    contactPreferences: AdultContactPreferences[];
  } | null;
  audience: TimelineAudience;
  timeline: TimelineEntry[];
  allowed: { edit: boolean; editSocialCare: boolean; merge: boolean; addNote: boolean; viewNotes: boolean };
}

/** Loads a child and refuses (auditing the refusal) when the actor is not connected to them. */
async function loadChildFor(deps: ChildRecordDeps, ctx: UseCaseContext, uow: UnitOfWork, childId: string, action: 'child.edit' | 'case-note.add') {
  const found = await findChildWithRelationships(uow.tx, childId);
  if (!found) throw notFound('The child');
  if (!canOnChild(ctx.actor, action, found.relationships, ctx.now, deps.policy)) throw forbidden();
  return found;
}

/** Records a refused attempt in its own transaction, since the refused one rolls back. */
async function auditRefusal(deps: ChildRecordDeps, ctx: UseCaseContext, action: string, childId: string): Promise<void> {
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({ action: `${action}.refused`, recordType: 'child', recordId: childId, childId: null, details: {} });
  });
}

async function withRefusalAudit<T>(deps: ChildRecordDeps, ctx: UseCaseContext, action: string, childId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'forbidden') await auditRefusal(deps, ctx, action, childId);
    throw error;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertChildId(childId: string): void {
  if (!UUID.test(childId)) throw notFound('The child');
}

/** Opens a child's record: details, family, schools and the timeline the actor may see. Audited. */
export async function viewChildRecord(deps: ChildRecordDeps, ctx: UseCaseContext, childId: string): Promise<ChildRecord> {
  assertChildId(childId);
  return withRefusalAudit(deps, ctx, 'child.view', childId, () =>
    deps.runInTransaction(ctx, async (uow) => {
      const found = await findChildRecord(uow.tx, childId);
      if (!found) throw notFound('The child');
      const { child, relationships } = found;
      if (!canOnChild(ctx.actor, 'child.view', relationships, ctx.now, deps.policy)) throw forbidden();
      const viewNotes = canOnChild(ctx.actor, 'case-note.view', relationships, ctx.now, deps.policy);
      const audience = timelineAudienceFor(ctx.actor);
      const timeline = await listTimeline(uow.tx, childId, visibilitiesForActor(ctx.actor), viewNotes);
      uow.audit({ action: 'child.view', recordType: 'child', recordId: childId, childId, details: { audience } });
      const addressShown = childAddressVisibleTo(audience, child, found.adults, ctx.actor.id);
      return {
        child: addressShown ? child : { ...child, addressLine1: '', addressLine2: null, town: '', postcode: '', postcodeKey: '' },
        adults: adultsVisibleTo(audience, found.adults, ctx.actor.id),
        enrolments: found.enrolments,
        staffDetails:
          audience === 'staff'
            ? {
                merges: await mergeSummaries(uow.tx, childId),
                previousNames: found.previousNames,
                previousAddresses: found.previousAddresses,
                education: found.education,
                providers: found.providers,
                fromFamily: await childSubmissionsFor(uow.tx, ctx.actor, childId),
                contactPreferences: await contactPreferencesOf(uow.tx, childId),
              }
            : null,
        audience,
        timeline,
        allowed: {
          edit: canOnChild(ctx.actor, 'child.edit', relationships, ctx.now, deps.policy),
          editSocialCare: canOnChild(ctx.actor, 'social-care-status.edit', relationships, ctx.now, deps.policy),
          merge: MERGE_ROLES.includes(ctx.actor.role),
          addNote: canOnChild(ctx.actor, 'case-note.add', relationships, ctx.now, deps.policy),
          viewNotes,
        },
      };
    }),
  );
}

/**
 * Adds a case note. The note, its timeline event, the job that tells allocated workers and the
 * audit row commit together.
 */
export async function addCaseNote(deps: ChildRecordDeps, ctx: UseCaseContext, childId: string, input: unknown) {
  assertChildId(childId);
  const note = parseInput(caseNoteSchema, input);
  const today = ctx.now.toISOString().slice(0, 10);
  if (note.followUpBy && note.followUpBy < today) {
    throw new DomainError('validation', 'There is a problem', { followUpBy: 'Follow-up date must be today or in the future' });
  }
  if (ctx.actor.kind === 'system' || !ctx.actor.id) throw forbidden('Only a signed-in person or an API client can add a case note.');
  const authorId = ctx.actor.id;
  return withRefusalAudit(deps, ctx, 'case-note.add', childId, () =>
    deps.runInTransaction(ctx, async (uow) => {
      await loadChildFor(deps, ctx, uow, childId, 'case-note.add');
      const saved = await insertCaseNote(uow.tx, { childId, authorId, body: note.body, followUpBy: note.followUpBy ?? null, createdAt: ctx.now });
      uow.event({
        type: 'case-note.added',
        aggregateType: 'case_note',
        aggregateId: saved.id,
        childId,
        summary: 'Case note added',
        visibility: 'staff',
        payload: { followUpBy: saved.followUpBy },
      });
      uow.job({ queue: 'case-note-added', data: { noteId: saved.id } });
      uow.audit({ action: 'case-note.add', recordType: 'case_note', recordId: saved.id, childId, details: { followUpBy: saved.followUpBy, length: saved.body.length } });
      return saved;
    }),
  );
}

/** Changes a child's name, date of birth, sex or address, refusing an edit made on stale data. */
export async function changeChildDetails(deps: ChildRecordDeps, ctx: UseCaseContext, childId: string, input: unknown): Promise<ChildRow> {
  assertChildId(childId);
  const details = parseInput(childDetailsSchema, input);
  return withRefusalAudit(deps, ctx, 'child.edit', childId, () =>
    deps.runInTransaction(ctx, async (uow) => {
      const { child } = await loadChildFor(deps, ctx, uow, childId, 'child.edit');
      if (child.version !== details.version) throw staleVersion('child’s details');
      const postcode = normalisePostcode(details.postcode) ?? details.postcode;
      const change = {
        firstName: details.firstName,
        lastName: details.lastName,
        preferredName: details.preferredName ?? null,
        dateOfBirth: details.dateOfBirth,
        sex: details.sex,
        addressLine1: details.addressLine1,
        addressLine2: details.addressLine2 ?? null,
        town: details.town,
        postcode,
        postcodeKey: postcodeKey(postcode),
      };
      const changed = Object.fromEntries(
        Object.entries(change).filter(([key, value]) => child[key as keyof typeof change] !== value).map(([key, value]) => [key, { from: child[key as keyof typeof change], to: value }]),
      );
      const updated = await updateChildDetails(uow.tx, childId, details.version, change, ctx.now);
      if (!updated) throw staleVersion('child’s details');
      const moved = ['addressLine1', 'addressLine2', 'town', 'postcodeKey'].some((key) => key in changed);
      if (moved) await recordPreviousAddress(uow.tx, child, ctx.now.toISOString().slice(0, 10), 'officer', ctx.now);
      uow.event({
        type: 'child.details-changed',
        aggregateType: 'child',
        aggregateId: childId,
        childId,
        summary: `Details changed: ${Object.keys(changed).filter((k) => k !== 'postcodeKey').join(', ') || 'no changes'}`,
        visibility: 'staff',
        payload: { fields: Object.keys(changed) },
      });
      uow.audit({ action: 'child.edit', recordType: 'child', recordId: childId, childId, details: { changed } });
      return updated;
    }),
  );
}

/**
 * Children's social care records whether a child is looked after, a child in need, or subject to s47
 * enquiries or a child protection plan. Only social care staff may; the record keeps when protection
 * ended, because the council's consent to withdrawal can look back over a period.
 */
export async function changeSocialCareStatus(deps: ChildRecordDeps, ctx: UseCaseContext, childId: string, input: unknown): Promise<ChildRow> {
  assertChildId(childId);
  const status = parseInput(socialCareStatusSchema, input);
  return withRefusalAudit(deps, ctx, 'child.social-care-status', childId, () =>
    deps.runInTransaction(ctx, async (uow) => {
      const found = await findChildWithRelationships(uow.tx, childId);
      if (!found) throw notFound('The child');
      if (!canOnChild(ctx.actor, 'social-care-status.edit', found.relationships, ctx.now, deps.policy)) throw forbidden();
      const { child } = found;
      if (child.version !== status.version) throw staleVersion('child’s social care status');
      const wasProtected = child.protectionStatus !== 'none';
      const protectionEndedOn = wasProtected && status.protectionStatus === 'none' ? ctx.now.toISOString().slice(0, 10) : child.protectionEndedOn;
      const updated = await updateSocialCareStatus(uow.tx, childId, status.version, { lookedAfter: status.lookedAfter, childInNeed: status.childInNeed, protectionStatus: status.protectionStatus, protectionEndedOn }, ctx.now);
      if (!updated) throw staleVersion('child’s social care status');
      const changed = (['lookedAfter', 'childInNeed', 'protectionStatus'] as const).filter((key) => child[key] !== updated[key]);
      uow.event({
        type: 'child.social-care-status-changed',
        aggregateType: 'child',
        aggregateId: childId,
        childId,
        summary: `Social care status recorded: ${[updated.lookedAfter ? 'looked after' : 'not looked after', updated.childInNeed ? 'child in need' : 'not a child in need', PROTECTION_STATUSES[status.protectionStatus].toLowerCase()].join('; ')}`,
        visibility: 'social-care',
        payload: { changed },
      });
      uow.audit({ action: 'child.social-care-status', recordType: 'child', recordId: childId, childId, details: { changed } });
      return updated;
    }),
  );
}

/** Marks a note's follow-up as done. Only its author or a team manager may. */
export async function completeFollowUp(deps: ChildRecordDeps, ctx: UseCaseContext, noteId: string, input: unknown) {
  if (!UUID.test(noteId)) throw notFound('The case note');
  const { version } = parseInput(followUpDoneSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const note = await findCaseNote(uow.tx, noteId);
    if (!note) throw notFound('The case note');
    const relationships = await loadChildRelationships(uow.tx, note.childId);
    const mayAct = (ctx.actor.id === note.authorId || ctx.actor.role === 'team_manager') && canOnChild(ctx.actor, 'case-note.view', relationships, ctx.now, deps.policy);
    if (!mayAct) throw forbidden();
    if (note.followUpDoneAt) throw staleVersion('follow-up');
    const updated = await markFollowUpDone(uow.tx, noteId, version, ctx.now);
    if (!updated) throw staleVersion('follow-up');
    uow.event({ type: 'case-note.follow-up-done', aggregateType: 'case_note', aggregateId: noteId, childId: note.childId, summary: 'Follow-up marked as done', visibility: 'staff' });
    uow.audit({ action: 'case-note.follow-up-done', recordType: 'case_note', recordId: noteId, childId: note.childId });
    return updated;
  });
}

/** The signed-in worker's open follow-ups: overdue, and due in the next fortnight. */
export async function listMyWork(deps: ChildRecordDeps, ctx: UseCaseContext): Promise<{ overdue: FollowUpItem[]; upcoming: FollowUpItem[] }> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.id || ctx.actor.role === 'system' || !hasCaseworkRole(ctx.actor.role)) throw forbidden();
  const authorId = ctx.actor.id;
  const today = ctx.now.toISOString().slice(0, 10);
  const fortnight = new Date(ctx.now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
  return deps.runInTransaction(ctx, async (uow) => {
    const items = await listOpenFollowUps(uow.tx, { authorId, dueOnOrBefore: fortnight });
    const overdue = items.filter((i) => i.followUpBy < today);
    const upcoming = items.filter((i) => i.followUpBy >= today);
    uow.audit({ action: 'work.list', recordType: 'case_note', recordId: null, childId: null, details: { children: [...new Set(items.map((i) => i.childId))] } });
    return { overdue, upcoming };
  });
}

