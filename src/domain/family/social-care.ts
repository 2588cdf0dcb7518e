import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { letters, socialCareEpisodes, socialCareSteps } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import { loadWorkingDayCalendar } from '../../db/repositories/calendar.ts';
import type { Letter } from '../../letters/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { DomainError, notFound } from '../errors.ts';
import type { SocialCareStatus } from '../social-care/lifecycle.ts';
import { ASSESSMENT_OUTCOMES, addFamilyCommentsToAssessment, noteWrittenClosureAskedFor, setStepWithheldFromFamily } from '../social-care/use-cases.ts';
import { parseInput } from '../validation.ts';
import { asFamily, attachDocuments, checkUpload, insertSubmission, MAX_UPLOADS_PER_SUBMISSION, submissionsOf, type Family, type FamilyChild, type FamilyDeps, type SubmissionKind, type SubmissionRow, type UploadInput, type CheckedUpload } from './core.ts';
import { escalateFamilyComplaint, listFamilyComplaints, makeFamilyComplaint, viewFamilyComplaint, complaintFormOptions } from './complaints.ts';
import { describeStepForFamily, FAMILY_STAGE_LABELS, FAMILY_WHAT_NEXT, familyStage, isVoluntaryStage, upcomingMeeting } from './social-care-stages.ts';

/**
 * A parent following a children's social care episode about their child: where it is, what happens
 * next, the dates the council must keep, and what they may do at each stage. Under section 17 they
 * may say no to a visit; they read a shared assessment and add their comments and their child's;
 * they send views for a conference or review; and once the case is closed they may ask for written
 * confirmation. Only parents with parental responsibility for the child see its episodes, and never a
 * step a social worker has withheld from the family.
 */

type EpisodeRow = typeof socialCareEpisodes.$inferSelect;
type StepRow = typeof socialCareSteps.$inferSelect;

const UUID = z.uuid();
const SOCIAL_CARE_KINDS: readonly SubmissionKind[] = ['visit-declined', 'assessment-comment', 'closure-confirmation-request', 'views-for-meeting'];
const OPEN_STATUSES = ['received', 'acknowledged'];

const optional = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max, `Enter ${max.toLocaleString('en-GB')} characters or fewer`).optional());
const required = (message: string, max: number) => z.string({ error: message }).trim().min(1, message).max(max, `Enter ${max.toLocaleString('en-GB')} characters or fewer`);
const version = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1);

/** Why a visit cannot be declined once the work is no longer voluntary; shown on the page and as the refusal. */
export const NOT_VOLUNTARY_MESSAGE =
  'You cannot say no to a visit at this stage. Section 47 enquiries and child protection plans are not voluntary: the council must make enquiries to keep your child safe. You can still send us your views and your child’s views, and get independent advice.';

export const declineVisitSchema = z.object({
  reason: optional(2000),
  preferInstead: optional(2000),
});

export const assessmentCommentSchema = z.object({
  comments: required('Enter your comments on the assessment', 5000),
  childComments: optional(5000),
});

export const closureConfirmationSchema = z.object({ version });

export const meetingViewsSchema = z.object({
  parentViews: optional(5000),
  childViews: optional(5000),
});

interface LoadedEpisode {
  episode: EpisodeRow;
  child: FamilyChild;
  /** Only the steps the family may see. */
  steps: StepRow[];
  stage: SocialCareStatus;
}

/** One of the family's episodes, or "not found" for anyone else's (audited by `asFamily`). */
async function loadFamilyEpisode(uow: UnitOfWork, family: Family, episodeId: string): Promise<LoadedEpisode> {
  if (!UUID.safeParse(episodeId).success) throw notFound('The social care episode');
  const [episode] = await uow.tx.select().from(socialCareEpisodes).where(eq(socialCareEpisodes.id, episodeId));
  // Social care detail goes to those with parental responsibility, as its letters do.
  const child = episode ? family.children.find((c) => c.childId === episode.childId && c.parentalResponsibility) : undefined;
  if (!episode || !child) throw notFound('The social care episode');
  const steps = await uow.tx.select().from(socialCareSteps).where(eq(socialCareSteps.episodeId, episode.id)).orderBy(asc(socialCareSteps.createdAt));
  const stage = familyStage(episode.status as SocialCareStatus, steps);
  return { episode, child, steps: steps.filter((s) => !s.withheldFromFamily), stage };
}

function auditRead(uow: UnitOfWork, action: string, loaded: LoadedEpisode) {
  uow.audit({ action, recordType: 'social_care_episode', recordId: loaded.episode.id, childId: loaded.episode.childId });
}

const isClosed = (loaded: LoadedEpisode) => loaded.episode.closedOn !== null && loaded.stage === 'closed';

export interface SharedAssessment {
  stepId: string;
  completedOn: IsoDate;
  sharedOn: IsoDate;
  summary: string;
  educationSection: string;
  outcome: string;
  servicesOffered: string | null;
}

function sharedAssessment(steps: readonly StepRow[]): SharedAssessment | null {
  const step = [...steps].reverse().find((s) => s.kind === 'assessment' && Boolean((s.details as { sharedOn?: string | null }).sharedOn));
  if (!step) return null;
  const d = step.details as { completedOn?: string; sharedOn: string; summary?: string; educationSection?: string; outcome?: string; servicesOffered?: string | null };
  return {
    stepId: step.id,
    completedOn: d.completedOn ?? step.startedOn,
    sharedOn: d.sharedOn,
    summary: d.summary ?? '',
    educationSection: d.educationSection ?? '',
    outcome: ASSESSMENT_OUTCOMES[d.outcome as keyof typeof ASSESSMENT_OUTCOMES] ?? '',
    servicesOffered: d.servicesOffered ?? null,
  };
}

export interface DueDate {
  what: string;
  dueOn: IsoDate;
  rule: string;
  passed: boolean;
}

function dueDates(loaded: LoadedEpisode, today: IsoDate): DueDate[] {
  const { episode, stage, steps } = loaded;
  const due: Omit<DueDate, 'passed'>[] = [];
  if (stage === 'initial-enquiries') due.push({ what: 'We must decide what happens next by', dueOn: episode.decisionDueOn, rule: 'Within 1 working day of the referral' });
  if (stage === 'assessment' && episode.assessmentDueOn) due.push({ what: 'The assessment must be finished by', dueOn: episode.assessmentDueOn, rule: 'Within 45 working days of the referral' });
  const meeting = upcomingMeeting(stage, steps);
  if (meeting?.step.dueOn) {
    const rules: Record<string, { what: string; rule: string }> = {
      's47-enquiry': { what: 'The initial child protection conference must be held by', rule: 'Within 15 working days of the strategy discussion' },
      'cp-plan': { what: 'The next review conference must be held by', rule: 'The first within 3 months of the initial conference, then at least every 6 months' },
      'cin-plan': { what: 'The next review of the plan is due by', rule: 'The council reviews child in need plans regularly' },
    };
    const r = rules[meeting.step.kind];
    if (r) due.push({ ...r, dueOn: meeting.step.dueOn });
  }
  if (isClosed(loaded) && episode.familyToldOn === null && episode.closureNoticeDueOn) due.push({ what: 'We must tell you that the case is closed by', dueOn: episode.closureNoticeDueOn, rule: 'The council tells every family when a case closes' });
  for (const step of steps) {
    if ((step.kind === 'escalation' || step.kind === 'complaint') && step.status === 'open' && step.dueOn) {
      due.push({ what: step.kind === 'complaint' ? 'We must reply to your complaint by' : 'A team manager must reply to you by', dueOn: step.dueOn, rule: 'Within 10 working days' });
    }
  }
  return due.map((d) => ({ ...d, passed: d.dueOn < today }));
}

export interface FamilyEpisodeSummary {
  episodeId: string;
  childName: string;
  stageLabel: string;
  referralDate: IsoDate;
  closed: boolean;
}

/** The social care episodes about the parent's children, newest first. Each read is audited. */
export async function listFamilySocialCareEpisodes(deps: FamilyDeps, ctx: UseCaseContext): Promise<FamilyEpisodeSummary[]> {
  return asFamily(deps, ctx, 'family.social-care.list', async (uow, family) => {
    const childIds = family.children.filter((c) => c.parentalResponsibility).map((c) => c.childId);
    if (childIds.length === 0) return [];
    const episodes = await uow.tx.select().from(socialCareEpisodes).where(inArray(socialCareEpisodes.childId, childIds)).orderBy(desc(socialCareEpisodes.referralDate), desc(socialCareEpisodes.createdAt));
    const steps = episodes.length === 0 ? [] : await uow.tx.select().from(socialCareSteps).where(inArray(socialCareSteps.episodeId, episodes.map((e) => e.id))).orderBy(asc(socialCareSteps.createdAt));
    return episodes.map((episode) => {
      const child = family.children.find((c) => c.childId === episode.childId)!;
      const stage = familyStage(episode.status as SocialCareStatus, steps.filter((s) => s.episodeId === episode.id));
      uow.audit({ action: 'family.social-care.list', recordType: 'social_care_episode', recordId: episode.id, childId: episode.childId });
      return { episodeId: episode.id, childName: `${child.firstName} ${child.lastName}`, stageLabel: FAMILY_STAGE_LABELS[stage], referralDate: episode.referralDate, closed: stage === 'closed' && episode.closedOn !== null };
    });
  });
}

export interface FamilyEpisodeView {
  episode: { id: string; referralDate: IsoDate; closedOn: IsoDate | null; familyToldOn: IsoDate | null; familyToldHow: string | null; version: number };
  child: FamilyChild;
  stage: SocialCareStatus;
  stageLabel: string;
  whatNext: readonly string[];
  /** Section 17 help, which the family may decline; false for section 47 enquiries and child protection plans. */
  voluntary: boolean;
  closed: boolean;
  dueDates: DueDate[];
  steps: { date: IsoDate; label: string; text: string }[];
  assessment: SharedAssessment | null;
  meeting: { stepId: string; label: string; dueOn: IsoDate | null } | null;
  /** What this parent sent about the episode; another parent's stay with them. */
  submissions: SubmissionRow[];
  openClosureRequest: SubmissionRow | null;
  letters: { id: string; subject: string; createdAt: Date; status: string }[];
  can: { declineVisit: boolean; comment: boolean; sendViews: boolean; askForClosureConfirmation: boolean };
  today: IsoDate;
}

async function presentEpisode(uow: UnitOfWork, family: Family, loaded: LoadedEpisode): Promise<FamilyEpisodeView> {
  const today = todayIn(uow.ctx.now);
  const { episode, stage, steps } = loaded;
  const submissions = (await submissionsOf(uow.tx, family, { kinds: SOCIAL_CARE_KINDS })).filter((s) => s.socialCareEpisodeId === episode.id);
  const sent = await uow.tx
    .select({ id: letters.id, subject: letters.subject, createdAt: letters.createdAt, status: letters.status })
    .from(letters)
    .where(and(eq(letters.socialCareEpisodeId, episode.id), eq(letters.recipientAdultId, family.adult.id), ne(letters.status, 'failed')))
    .orderBy(desc(letters.createdAt));
  const meeting = upcomingMeeting(stage, steps);
  const closed = isClosed(loaded);
  const assessment = sharedAssessment(steps);
  const openClosureRequest = submissions.find((s) => s.kind === 'closure-confirmation-request' && OPEN_STATUSES.includes(s.status)) ?? null;
  return {
    episode: { id: episode.id, referralDate: episode.referralDate, closedOn: closed ? episode.closedOn : null, familyToldOn: closed ? episode.familyToldOn : null, familyToldHow: closed ? episode.familyToldHow : null, version: episode.version },
    child: loaded.child,
    stage,
    stageLabel: FAMILY_STAGE_LABELS[stage],
    whatNext: FAMILY_WHAT_NEXT[stage],
    voluntary: isVoluntaryStage(stage),
    closed,
    dueDates: dueDates(loaded, today),
    steps: steps.map((s) => describeStepForFamily(s)).filter((s) => s !== null),
    assessment,
    meeting: meeting && !closed ? { stepId: meeting.step.id, label: meeting.label, dueOn: meeting.step.dueOn } : null,
    submissions,
    openClosureRequest,
    letters: sent,
    can: {
      declineVisit: !closed && episode.closedOn === null && isVoluntaryStage(stage),
      comment: assessment !== null,
      sendViews: meeting !== null && !closed,
      askForClosureConfirmation: closed && openClosureRequest === null,
    },
    today,
  };
}

/** One episode as the family sees it. Audited as a read of the child's record. */
export async function viewFamilySocialCareEpisode(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string): Promise<FamilyEpisodeView> {
  return asFamily(deps, ctx, 'family.social-care.view', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    auditRead(uow, 'family.social-care.view', loaded);
    return presentEpisode(uow, family, loaded);
  });
}

/**
 * Section 17 help is voluntary: a parent may say no to a visit, with their reasons if they wish. The
 * social worker sees it on the episode; the timeline entry stays with social care staff. Where the
 * work is a section 47 enquiry or a child protection plan, it cannot be declined, and the parent is
 * told why.
 */
export async function declineSocialCareVisit(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string, input: unknown): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.visit-declined', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    if (loaded.episode.closedOn !== null) throw new DomainError('validation', 'This case is closed, so there is no visit to say no to.');
    if (!isVoluntaryStage(loaded.stage)) throw new DomainError('validation', NOT_VOLUNTARY_MESSAGE);
    const d = parseInput(declineVisitSchema, input);
    return insertSubmission(uow, family, {
      kind: 'visit-declined',
      childId: loaded.child.childId,
      socialCareEpisodeId: loaded.episode.id,
      details: {
        lines: [
          { label: 'Visit', value: 'I do not agree to a home visit' },
          ...(d.reason ? [{ label: 'My reasons', value: d.reason }] : []),
          ...(d.preferInstead ? [{ label: 'What I would prefer instead', value: d.preferInstead }] : []),
        ],
        reason: d.reason ?? null,
        preferInstead: d.preferInstead ?? null,
        section: 's17',
        stage: loaded.stage,
      },
      summary: 'The family declined a section 17 visit',
      visibility: 'social-care',
    });
  });
}

/**
 * A parent's comments on a completed assessment the council has shared, and their child's comments
 * separately. Kept as the family's own submission and recorded on the assessment itself, where the
 * social worker already reads the parents' comments.
 */
export async function commentOnSocialCareAssessment(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string, input: unknown): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.assessment-comment', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    const assessment = sharedAssessment(loaded.steps);
    if (!assessment) throw new DomainError('validation', 'There is no assessment for you to comment on yet.');
    const c = parseInput(assessmentCommentSchema, input);
    const childName = loaded.child.firstName;
    const row = await insertSubmission(uow, family, {
      kind: 'assessment-comment',
      childId: loaded.child.childId,
      socialCareEpisodeId: loaded.episode.id,
      socialCareStepId: assessment.stepId,
      details: {
        lines: [
          { label: 'Assessment', value: `Child and family assessment finished on ${formatLongDate(assessment.completedOn)}` },
          { label: 'My comments', value: c.comments },
          ...(c.childComments ? [{ label: `${childName}’s comments`, value: c.childComments }] : []),
        ],
        comments: c.comments,
        childComments: c.childComments ?? null,
      },
      summary: 'The family commented on the assessment',
      visibility: 'social-care',
    });
    const who = `${family.adult.firstName} ${family.adult.lastName}`;
    await addFamilyCommentsToAssessment(uow, assessment.stepId, { parent: `${who}: ${c.comments}`, child: c.childComments ? `${childName}: ${c.childComments}` : null });
    return row;
  });
}

/**
 * Once a case is closed, a parent may ask for written confirmation. The request waits in the intake
 * worklist, due within the council's period for telling families of a closure, until a worker sends
 * the letter; the parent then sees the letter here.
 */
export async function askForWrittenClosureConfirmation(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string, input: unknown): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.closure-confirmation-request', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    if (!isClosed(loaded)) throw new DomainError('validation', 'The case is not closed, so we cannot confirm in writing that it is.');
    const { version: expected } = parseInput(closureConfirmationSchema, input);
    const mine = await submissionsOf(uow.tx, family, { kinds: ['closure-confirmation-request'] });
    if (mine.some((s) => s.socialCareEpisodeId === loaded.episode.id && OPEN_STATUSES.includes(s.status))) throw new DomainError('validation', 'You have already asked. We will send you a letter confirming that the case is closed.');
    await noteWrittenClosureAskedFor(uow, loaded.episode.id, expected);
    const settings = await loadCouncilSettings(uow.tx);
    const calendar = await loadWorkingDayCalendar(uow.tx);
    return insertSubmission(uow, family, {
      kind: 'closure-confirmation-request',
      childId: loaded.child.childId,
      socialCareEpisodeId: loaded.episode.id,
      details: { lines: [{ label: 'Request', value: `Please confirm in writing that the case about ${loaded.child.firstName} is closed` }] },
      dueOn: calendar.addWorkingDays(todayIn(ctx.now), settings.periods.closureNoticeWorkingDays),
      summary: 'The family asked for written confirmation that the case is closed',
      visibility: 'social-care',
    });
  });
}

/**
 * Before a child protection conference or a plan review, a parent sends their views and their child's
 * views separately: the child's in their own words, or as something the child made (a drawing, a
 * letter), uploaded. Linked to the meeting, where the social worker sees it.
 */
export async function sendSocialCareMeetingViews(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string, input: unknown, files: readonly UploadInput[] = []): Promise<SubmissionRow> {
  return asFamily(deps, ctx, 'family.views-for-meeting', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    const meeting = isClosed(loaded) ? null : upcomingMeeting(loaded.stage, loaded.steps);
    if (!meeting) throw new DomainError('validation', 'There is no meeting to send views for at the moment.');
    const v = parseInput(meetingViewsSchema, input);
    const given = files.filter((f) => f.fileName !== '' || f.data.length > 0);
    if (given.length > MAX_UPLOADS_PER_SUBMISSION) throw new DomainError('validation', 'There is a problem', { childFile: `Select up to ${MAX_UPLOADS_PER_SUBMISSION} files` });
    const checked = given.map((f) => checkUpload(f));
    const problem = checked.find((c): c is { error: string } => 'error' in c);
    if (problem) throw new DomainError('validation', 'There is a problem', { childFile: problem.error });
    const uploads = checked.filter((c): c is CheckedUpload => !('error' in c));
    if (!v.parentViews && !v.childViews && uploads.length === 0) throw new DomainError('validation', 'There is a problem', { parentViews: 'Enter your views, or your child’s views' });
    const childName = loaded.child.firstName;
    const row = await insertSubmission(uow, family, {
      kind: 'views-for-meeting',
      childId: loaded.child.childId,
      socialCareEpisodeId: loaded.episode.id,
      socialCareStepId: meeting.step.id,
      details: {
        lines: [
          { label: 'Meeting', value: meeting.step.dueOn ? `${meeting.label}, due by ${formatLongDate(meeting.step.dueOn)}` : meeting.label },
          ...(v.parentViews ? [{ label: 'My views', value: v.parentViews }] : []),
          ...(v.childViews ? [{ label: `${childName}’s views, in their own words`, value: v.childViews }] : []),
          ...(uploads.length ? [{ label: `From ${childName}`, value: uploads.map((u) => u.fileName).join(', ') }] : []),
        ],
        meeting: meeting.label,
        parentViews: v.parentViews ?? null,
        childViews: v.childViews ?? null,
      },
      summary: 'The family sent their views for a meeting',
      visibility: 'social-care',
    });
    await attachDocuments(uow, family, row, uploads);
    return row;
  });
}

export interface FamilyLetter {
  id: string;
  subject: string;
  reference: string;
  createdAt: Date;
  content: Letter;
}

/** A letter the council sent this parent about the episode (never one sent to someone else). Audited. */
export async function viewFamilySocialCareLetter(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string, letterId: string): Promise<FamilyLetter> {
  return asFamily(deps, ctx, 'family.social-care.letter', async (uow, family) => {
    const loaded = await loadFamilyEpisode(uow, family, episodeId);
    if (!UUID.safeParse(letterId).success) throw notFound('The letter');
    const [letter] = await uow.tx
      .select()
      .from(letters)
      .where(and(eq(letters.id, letterId), eq(letters.socialCareEpisodeId, loaded.episode.id), eq(letters.recipientAdultId, family.adult.id), ne(letters.status, 'failed')));
    if (!letter) throw notFound('The letter');
    uow.audit({ action: 'family.letter.view', recordType: 'letter', recordId: letter.id, childId: letter.childId, details: { reference: letter.reference } });
    return { id: letter.id, subject: letter.subject, reference: letter.reference, createdAt: letter.createdAt, content: letter.content as Letter };
  });
}

/** The family service's use cases in this area, bound to their dependencies (see src/services.ts). */
export function socialCareFamilyServices(deps: FamilyDeps) {
  return {
    listFamilySocialCareEpisodes: (ctx: UseCaseContext) => listFamilySocialCareEpisodes(deps, ctx),
    viewFamilySocialCareEpisode: (ctx: UseCaseContext, episodeId: string) => viewFamilySocialCareEpisode(deps, ctx, episodeId),
    declineSocialCareVisit: (ctx: UseCaseContext, episodeId: string, input: unknown) => declineSocialCareVisit(deps, ctx, episodeId, input),
    commentOnSocialCareAssessment: (ctx: UseCaseContext, episodeId: string, input: unknown) => commentOnSocialCareAssessment(deps, ctx, episodeId, input),
    askForWrittenClosureConfirmation: (ctx: UseCaseContext, episodeId: string, input: unknown) => askForWrittenClosureConfirmation(deps, ctx, episodeId, input),
    sendSocialCareMeetingViews: (ctx: UseCaseContext, episodeId: string, input: unknown, files?: readonly UploadInput[]) => sendSocialCareMeetingViews(deps, ctx, episodeId, input, files),
    viewFamilySocialCareLetter: (ctx: UseCaseContext, episodeId: string, letterId: string) => viewFamilySocialCareLetter(deps, ctx, episodeId, letterId),
    // Complaints and escalation to a team manager
    complaintFormOptions: (ctx: UseCaseContext) => complaintFormOptions(deps, ctx),
    listFamilyComplaints: (ctx: UseCaseContext) => listFamilyComplaints(deps, ctx),
    viewFamilyComplaint: (ctx: UseCaseContext, submissionId: string) => viewFamilyComplaint(deps, ctx, submissionId),
    makeFamilyComplaint: (ctx: UseCaseContext, input: unknown) => makeFamilyComplaint(deps, ctx, input),
    escalateFamilyComplaint: (ctx: UseCaseContext, submissionId: string, input: unknown) => escalateFamilyComplaint(deps, ctx, submissionId, input),
    // The social worker's side: withholding a step from the family
    setSocialCareStepWithheld: (ctx: UseCaseContext, episodeId: string, stepId: string, input: unknown) => setStepWithheldFromFamily(deps, ctx, episodeId, stepId, input),
  };
}
