import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { familySubmissions, socialCareEpisodes, users } from '../../db/schema/index.ts';
import { loadWorkingDayCalendar } from '../../db/repositories/calendar.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { todayIn, type IsoDate } from '../calendar/index.ts';
import { DomainError, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { asFamily, childOfFamily, insertSubmission, submissionsOf, type Family, type FamilyDeps, type SubmissionRow } from './core.ts';

/**
 * Complaints from parents and carers, and asking for one to be looked at again. A complaint goes to a
 * team manager with a reply due within 10 working days; the council records that it has
 * acknowledged it and then the outcome (upheld, partly upheld or not upheld), which the parent sees
 * here. A parent not satisfied with the outcome escalates it to stage 2, due within 25 working days;
 * after that, the Local Government and Social Care Ombudsman can look at it.
 */

/** Working days the council has to answer, at each stage of its complaints procedure. */
export const COMPLAINT_WORKING_DAYS = 10;
export const ESCALATED_COMPLAINT_WORKING_DAYS = 25;

export const COMPLAINT_TOPICS = {
  'home-education': 'Home education',
  'social-care': 'Children’s social care',
  'something-else': 'Something else',
} as const;
type Topic = keyof typeof COMPLAINT_TOPICS;

export const COMPLAINT_STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  upheld: 'Upheld',
  'partly-upheld': 'Partly upheld',
  'not-upheld': 'Not upheld',
  escalated: 'Being looked at again',
};
const OUTCOMES = ['upheld', 'partly-upheld', 'not-upheld'];

const UUID = z.uuid();
const required = (message: string, max: number) => z.string({ error: message }).trim().min(1, message).max(max, `Enter ${max.toLocaleString('en-GB')} characters or fewer`);
const blankAsNull = (v: unknown) => (v === undefined || v === null || (typeof v === 'string' && (v.trim() === '' || v === 'none')) ? null : v);

export const complaintSchema = z.object({
  about: z.enum(Object.keys(COMPLAINT_TOPICS) as [Topic, ...Topic[]], { error: 'Select what your complaint is about' }),
  childId: z.preprocess(blankAsNull, z.uuid({ error: 'Select which child the complaint is about' }).nullable()),
  whatHappened: required('Tell us what happened', 5000),
  wantedOutcome: required('Tell us what you would like to happen', 5000),
  socialCareEpisodeId: z.preprocess(blankAsNull, z.uuid().nullable()).optional(),
});

export const escalationSchema = z.object({
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(1),
  reason: required('Tell us why you are not satisfied with the outcome', 5000),
});

export interface ComplaintView {
  submission: SubmissionRow;
  about: string;
  statusLabel: string;
  /** 1 until the parent escalates, then 2. */
  stage: 1 | 2;
  /** The outcome at stage 1, kept once the complaint is escalated. */
  firstOutcome: { status: string; outcome: string | null } | null;
  hasOutcome: boolean;
  canEscalate: boolean;
}

function present(row: SubmissionRow): ComplaintView {
  const details = (row.details ?? {}) as { about?: string; stage?: number; escalation?: { stage1Status?: string; stage1Outcome?: string | null } };
  const stage = details.stage === 2 ? 2 : 1;
  const hasOutcome = OUTCOMES.includes(row.status);
  return {
    submission: row,
    about: COMPLAINT_TOPICS[details.about as Topic] ?? 'Something else',
    statusLabel: COMPLAINT_STATUS_LABELS[row.status] ?? row.status,
    stage,
    firstOutcome: details.escalation ? { status: COMPLAINT_STATUS_LABELS[details.escalation.stage1Status ?? ''] ?? '', outcome: details.escalation.stage1Outcome ?? null } : null,
    hasOutcome,
    canEscalate: hasOutcome && stage === 1,
  };
}

async function complaintOfFamily(uow: UnitOfWork, family: Family, submissionId: string): Promise<SubmissionRow> {
  if (!UUID.safeParse(submissionId).success) throw notFound('The complaint');
  const [row] = await uow.tx
    .select()
    .from(familySubmissions)
    .where(and(eq(familySubmissions.id, submissionId), eq(familySubmissions.adultId, family.adult.id), eq(familySubmissions.kind, 'complaint')));
  if (!row) throw notFound('The complaint');
  return row;
}

/** The team manager a complaint goes to: the first by name, if the council has several. */
async function teamManager(uow: UnitOfWork): Promise<string | null> {
  const [manager] = await uow.tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'team_manager'), eq(users.active, true))).orderBy(asc(users.displayName)).limit(1);
  return manager?.id ?? null;
}

/** The children a parent may name in a complaint. */
export async function complaintFormOptions(deps: FamilyDeps, ctx: UseCaseContext) {
  return asFamily(deps, ctx, 'family.complaint.form', async (uow, family) => {
    uow.audit({ action: 'family.complaint.form', recordType: 'family', recordId: family.adult.id, childId: null });
    return { children: family.children.map((c) => ({ childId: c.childId, name: `${c.firstName} ${c.lastName}` })) };
  });
}

/** This parent's complaints, newest first, with where each has got to. */
export async function listFamilyComplaints(deps: FamilyDeps, ctx: UseCaseContext): Promise<ComplaintView[]> {
  return asFamily(deps, ctx, 'family.complaint.list', async (uow, family) => {
    const rows = await submissionsOf(uow.tx, family, { kinds: ['complaint'] });
    uow.audit({ action: 'family.complaint.list', recordType: 'family', recordId: family.adult.id, childId: null, details: { complaints: rows.map((r) => r.reference) } });
    return rows.map(present);
  });
}

/** One of this parent's complaints; anyone else's is "not found". Audited. */
export async function viewFamilyComplaint(deps: FamilyDeps, ctx: UseCaseContext, submissionId: string): Promise<ComplaintView> {
  return asFamily(deps, ctx, 'family.complaint.view', async (uow, family) => {
    const row = await complaintOfFamily(uow, family, submissionId);
    uow.audit({ action: 'family.complaint.view', recordType: 'family-submission', recordId: row.id, childId: row.childId });
    return present(row);
  });
}

/**
 * A parent complains: what it is about, which child (if any), what happened and what they would like
 * to happen. It goes to a team manager, with a reply due within 10 working days.
 */
export async function makeFamilyComplaint(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.complaint', async (uow, family) => {
    const c = parseInput(complaintSchema, input);
    const child = c.childId ? childOfFamily(uow, family, c.childId) : null;
    let episodeId: string | null = null;
    // A complaint made from a social care case is linked to it, when it is about social care.
    if (c.socialCareEpisodeId && c.about === 'social-care') {
      const [episode] = await uow.tx.select({ id: socialCareEpisodes.id, childId: socialCareEpisodes.childId }).from(socialCareEpisodes).where(eq(socialCareEpisodes.id, c.socialCareEpisodeId));
      if (!episode || !family.children.some((fc) => fc.childId === episode.childId && fc.parentalResponsibility)) throw notFound('The social care episode');
      if (child && child.childId !== episode.childId) throw new DomainError('validation', 'There is a problem', { childId: 'Select the child the case is about' });
      episodeId = episode.id;
    }
    const calendar = await loadWorkingDayCalendar(uow.tx);
    const today: IsoDate = todayIn(ctx.now);
    return insertSubmission(uow, family, {
      kind: 'complaint',
      childId: child?.childId ?? null,
      socialCareEpisodeId: episodeId,
      details: {
        lines: [
          { label: 'What it is about', value: COMPLAINT_TOPICS[c.about] },
          ...(child ? [{ label: 'Child', value: `${child.firstName} ${child.lastName}` }] : []),
          { label: 'What happened', value: c.whatHappened },
          { label: 'What I would like to happen', value: c.wantedOutcome },
        ],
        about: c.about,
        whatHappened: c.whatHappened,
        wantedOutcome: c.wantedOutcome,
        stage: 1,
      },
      dueOn: calendar.addWorkingDays(today, COMPLAINT_WORKING_DAYS),
      assignedTo: await teamManager(uow),
      summary: 'The family made a complaint',
      visibility: c.about === 'social-care' ? 'social-care' : 'family',
    });
  });
}

/**
 * A parent not satisfied with the outcome asks for the complaint to be looked at again (stage 2),
 * with a reply due within 25 working days. The stage 1 outcome is kept; version-checked and audited.
 */
export async function escalateFamilyComplaint(deps: FamilyDeps, ctx: UseCaseContext, submissionId: string, input: unknown): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.complaint.escalate', async (uow, family) => {
    const row = await complaintOfFamily(uow, family, submissionId);
    const e = parseInput(escalationSchema, input);
    if (row.version !== e.version) throw staleVersion('complaint');
    const view = present(row);
    if (!view.canEscalate) {
      throw new DomainError('validation', view.stage === 2 ? 'This complaint has already been looked at again. You can now ask the Local Government and Social Care Ombudsman.' : 'You can ask for your complaint to be looked at again once we have told you the outcome.');
    }
    const details = (row.details ?? {}) as { lines?: { label: string; value: string }[]; about?: string } & Record<string, unknown>;
    const today = todayIn(ctx.now);
    const calendar = await loadWorkingDayCalendar(uow.tx);
    const [updated] = await uow.tx
      .update(familySubmissions)
      .set({
        status: 'escalated',
        dueOn: calendar.addWorkingDays(today, ESCALATED_COMPLAINT_WORKING_DAYS),
        acknowledgedOn: null,
        outcome: null,
        handledBy: null,
        handledOn: null,
        details: {
          ...details,
          lines: [...(details.lines ?? []), { label: 'Outcome at stage 1', value: `${view.statusLabel}${row.outcome ? `: ${row.outcome}` : ''}` }, { label: 'Why I am not satisfied with the outcome', value: e.reason }],
          stage: 2,
          escalation: { reason: e.reason, on: today, stage1Status: row.status, stage1Outcome: row.outcome, stage1HandledBy: row.handledBy, stage1HandledOn: row.handledOn },
        },
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(and(eq(familySubmissions.id, row.id), eq(familySubmissions.version, e.version), inArray(familySubmissions.status, OUTCOMES)))
      .returning();
    if (!updated) throw staleVersion('complaint');
    uow.audit({ action: 'family.complaint.escalate', recordType: 'family-submission', recordId: row.id, childId: row.childId, details: { reference: row.reference, from: row.status } });
    uow.event({
      type: 'family.complaint-escalated',
      aggregateType: 'family-submission',
      aggregateId: row.id,
      childId: row.childId,
      summary: 'The family asked for their complaint to be looked at again',
      visibility: details.about === 'social-care' ? 'social-care' : 'family',
      payload: { reference: row.reference },
    });
    return updated;
  });
}
