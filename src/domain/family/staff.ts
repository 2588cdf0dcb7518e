import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { adults, children, familyDocuments, familySubmissions, letters, users } from '../../db/schema/index.ts';
import type { Actor, UseCaseContext } from '../auth/actor.ts';
import { COUNCIL_CASEWORK_ROLES, SOCIAL_CARE_ROLES, type Role } from '../auth/roles.ts';
import { todayIn } from '../calendar/index.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { REPLY_RULES } from './enquiries.ts';
import { asFamily, loadFamily, SUBMISSION_KIND_LABELS, submissionsOf, type DocumentRow, type FamilyDeps, type SubmissionKind, type SubmissionRow, type SummaryLine } from './core.ts';

/**
 * What staff do with what families send: who sees which submission, the list of those still open,
 * one submission with its documents, and recording what the council did (acknowledged, done,
 * corrected or declined, a complaint's outcome). Also the family's own start page.
 */

/** Statuses in which a submission still waits for the council. */
export const OPEN_STATUSES = ['received', 'acknowledged', 'escalated'] as const;

export const STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  escalated: 'Escalated',
  done: 'Done',
  corrected: 'Corrected',
  declined: 'Declined',
  upheld: 'Upheld',
  'partly-upheld': 'Partly upheld',
  'not-upheld': 'Not upheld',
};

/** Where a submission may go next, by kind; an outcome in words is needed for the closing ones. */
export function nextStatuses(kind: string, status: string): string[] {
  const closing = kind === 'complaint' ? ['upheld', 'partly-upheld', 'not-upheld'] : kind === 'correction-request' ? ['corrected', 'declined'] : ['done'];
  if (status === 'received') return ['acknowledged', ...closing];
  if (status === 'acknowledged') return closing;
  if (status === 'escalated') return kind === 'complaint' ? ['acknowledged', ...closing] : closing;
  return [];
}

function isSocialCareMatter(row: Pick<SubmissionRow, 'kind' | 'socialCareEpisodeId' | 'details'>): boolean {
  return row.socialCareEpisodeId !== null || (row.kind === 'complaint' && (row.details as { about?: string }).about === 'social-care');
}

function hasRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.role !== 'system' && roles.includes(actor.role);
}

/**
 * Complaints go to team managers; anything about a social care episode stays with social care;
 * the rest is for council caseworkers and data officers (who handle corrections).
 */
export function staffMaySee(actor: Actor, row: Pick<SubmissionRow, 'kind' | 'socialCareEpisodeId' | 'details'>): boolean {
  if (actor.role === 'system') return true;
  if (row.kind === 'complaint') return hasRole(actor, ['team_manager']);
  if (isSocialCareMatter(row)) return hasRole(actor, SOCIAL_CARE_ROLES);
  return hasRole(actor, [...COUNCIL_CASEWORK_ROLES, 'data_officer']);
}

function isStaff(actor: Actor): boolean {
  return hasRole(actor, [...COUNCIL_CASEWORK_ROLES, 'data_officer']);
}

export interface SubmissionSummary {
  id: string;
  reference: string;
  kind: string;
  kindLabel: string;
  status: string;
  statusLabel: string;
  receivedOn: string;
  dueOn: string | null;
  childId: string | null;
  childName: string | null;
  fromName: string;
  assignedToName: string | null;
  outcome: string | null;
}

const assignee = sql<string | null>`(select u.display_name from ${users} u where u.id = ${familySubmissions.assignedTo})`;

async function summaries(tx: Tx, where: ReturnType<typeof and>): Promise<(SubmissionSummary & { row: SubmissionRow })[]> {
  const rows = await tx
    .select({ s: familySubmissions, firstName: children.firstName, lastName: children.lastName, adultFirst: adults.firstName, adultLast: adults.lastName, assignedToName: assignee })
    .from(familySubmissions)
    .innerJoin(adults, eq(adults.id, familySubmissions.adultId))
    .leftJoin(children, eq(children.id, familySubmissions.childId))
    .where(where)
    .orderBy(asc(familySubmissions.createdAt));
  return rows.map(({ s, firstName, lastName, adultFirst, adultLast, assignedToName }) => ({
    row: s,
    id: s.id,
    reference: s.reference,
    kind: s.kind,
    kindLabel: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind,
    status: s.status,
    statusLabel: STATUS_LABELS[s.status] ?? s.status,
    receivedOn: todayIn(s.createdAt),
    dueOn: s.dueOn,
    childId: s.childId,
    childName: firstName === null ? null : `${firstName} ${lastName}`,
    fromName: `${adultFirst} ${adultLast}`,
    assignedToName,
    outcome: s.outcome,
  }));
}

const listSchema = z.object({ status: z.enum(['open', 'all']).default('open') }).default({ status: 'open' });

/** The submissions waiting for this member of staff's team (or all of them), oldest first, with what is due. */
export async function listFamilySubmissions(deps: FamilyDeps, ctx: UseCaseContext, input?: unknown): Promise<{ items: SubmissionSummary[]; status: 'open' | 'all' }> {
  if (!isStaff(ctx.actor)) throw forbidden();
  const { status } = parseInput(listSchema, input ?? {});
  return deps.runInTransaction(ctx, async (uow) => {
    const found = await summaries(uow.tx, status === 'open' ? and(inArray(familySubmissions.status, [...OPEN_STATUSES])) : and(sql`true`));
    const items = found.filter((s) => staffMaySee(ctx.actor, s.row)).map(({ row: _row, ...rest }) => rest);
    uow.audit({ action: 'family-submissions.list', recordType: 'family-submission', recordId: null, childId: null, details: { status, returned: items.map((i) => i.id) } });
    return { items, status };
  });
}

/**
 * What the family has sent about one child that this member of staff may see, newest first. For a
 * caller that has already authorised and audited reading the child's record (the record page).
 */
export async function childSubmissionsFor(tx: Tx, actor: Actor, childId: string): Promise<SubmissionSummary[]> {
  if (!isStaff(actor)) return [];
  const found = await summaries(tx, and(eq(familySubmissions.childId, childId)));
  return found
    .filter((s) => staffMaySee(actor, s.row))
    .map(({ row: _row, ...rest }) => rest)
    .reverse();
}

/** What the family has sent about one child, for the child's record. */
export async function listChildFamilySubmissions(deps: FamilyDeps, ctx: UseCaseContext, childId: string): Promise<SubmissionSummary[]> {
  if (!isStaff(ctx.actor)) throw forbidden();
  return deps.runInTransaction(ctx, async (uow) => {
    const items = await childSubmissionsFor(uow.tx, ctx.actor, childId);
    uow.audit({ action: 'family-submissions.list-child', recordType: 'child', recordId: childId, childId, details: { returned: items.map((i) => i.id) } });
    return items;
  });
}

export interface DocumentSummary {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
}

export interface SubmissionView {
  submission: SubmissionSummary;
  version: number;
  lines: SummaryLine[];
  documents: DocumentSummary[];
  acknowledgedOn: string | null;
  handledOn: string | null;
  handledByName: string | null;
  letter: { id: string; subject: string } | null;
  eheEpisodeId: string | null;
  socialCareEpisodeId: string | null;
  /** What this actor may record next (staff only). */
  nextStatuses: { value: string; text: string }[];
  viewer: 'staff' | 'family';
}

async function documentsOf(tx: Tx, submissionId: string): Promise<DocumentSummary[]> {
  return tx
    .select({ id: familyDocuments.id, fileName: familyDocuments.fileName, mediaType: familyDocuments.mediaType, sizeBytes: familyDocuments.sizeBytes })
    .from(familyDocuments)
    .where(eq(familyDocuments.submissionId, submissionId))
    .orderBy(asc(familyDocuments.createdAt));
}

async function viewOf(tx: Tx, summary: SubmissionSummary & { row: SubmissionRow }, viewer: 'staff' | 'family'): Promise<SubmissionView> {
  const { row, ...rest } = summary;
  const [handler] = row.handledBy ? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, row.handledBy)) : [];
  const [letter] = row.letterId ? await tx.select({ id: letters.id, subject: letters.subject }).from(letters).where(eq(letters.id, row.letterId)) : [];
  return {
    submission: rest,
    version: row.version,
    lines: ((row.details as { lines?: SummaryLine[] }).lines ?? []).filter((l) => typeof l.label === 'string' && typeof l.value === 'string'),
    documents: await documentsOf(tx, row.id),
    acknowledgedOn: row.acknowledgedOn,
    handledOn: row.handledOn,
    handledByName: handler?.name ?? null,
    letter: letter ?? null,
    eheEpisodeId: row.eheEpisodeId,
    socialCareEpisodeId: row.socialCareEpisodeId,
    nextStatuses: viewer === 'staff' ? nextStatuses(row.kind, row.status).map((value) => ({ value, text: STATUS_LABELS[value] ?? value })) : [],
    viewer,
  };
}

/**
 * One submission with its documents: for staff who may see it, or for the parent who sent it.
 * Anyone else is told it was not found, and the attempt is audited.
 */
export async function viewFamilySubmission(deps: FamilyDeps, ctx: UseCaseContext, submissionId: string): Promise<SubmissionView> {
  if (!z.uuid().safeParse(submissionId).success) throw notFound('The item');
  if (ctx.actor.role === 'parent') {
    return asFamily(deps, ctx, 'family-submission.view', async (uow, family) => {
      const [found] = await summaries(uow.tx, and(eq(familySubmissions.id, submissionId), eq(familySubmissions.adultId, family.adult.id)));
      if (!found) throw notFound('The item');
      uow.audit({ action: 'family-submission.view', recordType: 'family-submission', recordId: found.id, childId: found.childId });
      return viewOf(uow.tx, found, 'family');
    });
  }
  if (!isStaff(ctx.actor)) throw forbidden();
  const view = await deps.runInTransaction(ctx, async (uow) => {
    const [found] = await summaries(uow.tx, and(eq(familySubmissions.id, submissionId)));
    if (!found || !staffMaySee(ctx.actor, found.row)) return null;
    uow.audit({ action: 'family-submission.view', recordType: 'family-submission', recordId: found.id, childId: found.childId });
    return viewOf(uow.tx, found, 'staff');
  });
  if (view === null) {
    await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: 'family-submission.view.refused', recordType: 'family-submission', recordId: submissionId, childId: null }));
    throw notFound('The item');
  }
  return view;
}

const handleSchema = z.object({
  status: z.string({ error: 'Select what the council has done' }).min(1, 'Select what the council has done'),
  outcome: z
    .string()
    .trim()
    .max(5000, 'The outcome must be 5,000 characters or fewer')
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  version: z.coerce.number({ error: 'The form is out of date. Reload the page and try again' }).int(),
});

/** Staff record what the council did with a submission; closing steps need the outcome in words. */
export async function handleFamilySubmission(deps: FamilyDeps, ctx: UseCaseContext, submissionId: string, input: unknown): Promise<SubmissionRow> {
  if (!isStaff(ctx.actor)) throw forbidden();
  const data = parseInput(handleSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(familySubmissions).where(eq(familySubmissions.id, submissionId)).for('update');
    if (!row || !staffMaySee(ctx.actor, row)) throw notFound('The item');
    if (row.version !== data.version) throw staleVersion('item');
    const allowed = nextStatuses(row.kind, row.status);
    if (!allowed.includes(data.status)) throw new DomainError('validation', 'There is a problem', { status: 'Select what the council has done' });
    const closing = data.status !== 'acknowledged';
    if (closing && !data.outcome) {
      const message = data.status === 'declined' ? 'Explain why the council will not make the correction' : 'Enter what the council did, in words the family will read';
      throw new DomainError('validation', 'There is a problem', { outcome: message });
    }
    const today = todayIn(ctx.now);
    const [updated] = await uow.tx
      .update(familySubmissions)
      .set({
        status: data.status,
        acknowledgedOn: row.acknowledgedOn ?? today,
        ...(closing ? { outcome: data.outcome ?? null, handledBy: ctx.actor.id, handledOn: today } : {}),
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(and(eq(familySubmissions.id, row.id), eq(familySubmissions.version, row.version)))
      .returning();
    if (!updated) throw staleVersion('item');
    const label = SUBMISSION_KIND_LABELS[row.kind as SubmissionKind] ?? row.kind;
    uow.audit({ action: 'family-submission.handle', recordType: 'family-submission', recordId: row.id, childId: row.childId, details: { from: row.status, to: data.status } });
    uow.event({
      type: 'family.submission-handled',
      aggregateType: 'family-submission',
      aggregateId: row.id,
      childId: row.childId,
      summary: `${label} ${row.reference}: ${(STATUS_LABELS[data.status] ?? data.status).toLowerCase()}${data.outcome ? `. ${data.outcome}` : ''}`,
      visibility: isSocialCareMatter(row) ? 'social-care' : 'family',
      payload: { reference: row.reference, status: data.status },
    });
    return updated;
  });
}

/** A document a family sent: for the parent who sent it, or staff who may see its submission. */
export async function downloadFamilyDocument(deps: FamilyDeps, ctx: UseCaseContext, documentId: string): Promise<Pick<DocumentRow, 'fileName' | 'mediaType' | 'content' | 'sha256'>> {
  if (!z.uuid().safeParse(documentId).success) throw notFound('The document');
  const load = async (tx: Tx) => {
    const [found] = await tx.select({ d: familyDocuments, s: familySubmissions }).from(familyDocuments).innerJoin(familySubmissions, eq(familySubmissions.id, familyDocuments.submissionId)).where(eq(familyDocuments.id, documentId));
    return found ?? null;
  };
  if (ctx.actor.role === 'parent') {
    return asFamily(deps, ctx, 'family-document.download', async (uow, family) => {
      const found = await load(uow.tx);
      if (!found || found.d.adultId !== family.adult.id) throw notFound('The document');
      uow.audit({ action: 'family-document.download', recordType: 'family-document', recordId: found.d.id, childId: found.d.childId });
      return found.d;
    });
  }
  if (!isStaff(ctx.actor)) throw forbidden();
  const result = await deps.runInTransaction(ctx, async (uow) => {
    const found = await load(uow.tx);
    if (!found || !staffMaySee(ctx.actor, found.s)) return null;
    uow.audit({ action: 'family-document.download', recordType: 'family-document', recordId: found.d.id, childId: found.d.childId });
    return found.d;
  });
  if (result === null) {
    await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: 'family-document.download.refused', recordType: 'family-document', recordId: documentId, childId: null }));
    throw notFound('The document');
  }
  return result;
}

export interface FamilyHome {
  adultName: string;
  children: { childId: string; name: string; dateOfBirth: string }[];
  /** Letters to this parent that ask for a reply and have none yet from them. */
  lettersToAnswer: number;
  /** This parent's submissions still with the council. */
  open: SubmissionSummary[];
  recent: SubmissionSummary[];
}

/** The family's start page: their children, what is waiting for them, and what they have sent. */
export async function viewFamilyHome(deps: FamilyDeps, ctx: UseCaseContext): Promise<FamilyHome> {
  return asFamily(deps, ctx, 'family.home', async (uow, family) => {
    const own = await submissionsOf(uow.tx, family);
    const all = own.length === 0 ? [] : await summaries(uow.tx, and(inArray(familySubmissions.id, own.map((s) => s.id))));
    const items = all.map(({ row: _row, ...rest }) => rest).reverse();
    const [letterCount] = await uow.tx
      .select({ n: sql<number>`count(*)::int` })
      .from(letters)
      .where(
        and(
          eq(letters.recipientAdultId, family.adult.id),
          inArray(letters.templateKey, Object.keys(REPLY_RULES)),
          sql`not exists (select 1 from ${familySubmissions} f where f.letter_id = ${letters.id} and f.adult_id = ${family.adult.id})`,
        ),
      );
    uow.audit({ action: 'family.home', recordType: 'family', recordId: family.adult.id, childId: null, details: { children: family.children.map((c) => c.childId) } });
    return {
      adultName: `${family.adult.firstName} ${family.adult.lastName}`,
      children: family.children.map((c) => ({ childId: c.childId, name: `${c.firstName} ${c.lastName}`, dateOfBirth: c.dateOfBirth })),
      lettersToAnswer: letterCount?.n ?? 0,
      open: items.filter((i) => (OPEN_STATUSES as readonly string[]).includes(i.status)),
      recent: items.slice(0, 10),
    };
  });
}

export { loadFamily };
