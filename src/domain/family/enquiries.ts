import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, children, eheSteps, episodes, familyDocuments, familySubmissions, letters } from '../../db/schema/index.ts';
import { renderLetterPdf, type Letter } from '../../letters/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { EHE_READING_ROLES } from '../ehe/use-cases.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { letterFileName } from '../letters/use-cases.ts';
import type { LetterTemplateKey } from '../letters/templates.ts';
import { parseInput } from '../validation.ts';
import {
  asFamily,
  attachDocuments,
  checkUpload,
  insertSubmission,
  MAX_UPLOADS_PER_SUBMISSION,
  SUBMISSION_KIND_LABELS,
  type CheckedUpload,
  type Family,
  type FamilyDeps,
  type SubmissionKind,
  type SubmissionRow,
  type SummaryLine,
  type UploadInput,
} from './core.ts';
import { staffMaySee } from './staff.ts';
import { recordServices } from './records.ts';

/**
 * The family's letters and their replies: every letter the council wrote to this parent, read in
 * the family's own pages, and — for a home education letter that asks for something — a reply in
 * writing (with documents), a meeting chosen, or a visit declined. Each reply is a submission
 * linked to the episode, the step and the letter, so the officer sees it on the episode. A reply
 * after the date the letter asked for is still accepted and marked as late; it is never refused.
 */

const UUID = z.uuid();

/** Which rights the family is told about before replying, by the kind of letter. */
export type ReplyRights = 'informal-enquiry' | 'formal-notice' | 'school-choice' | 'register' | 'order' | 'decision';

export interface ReplyRule {
  rights: ReplyRights;
  /** The letter offers a meeting or a visit, so the family may choose one or decline a visit. */
  meeting: boolean;
}

/**
 * The home education letters a family can answer through the service. Letters from children's
 * social care are answered in the family's social care pages; letters to schools never reach here.
 */
export const REPLY_RULES: Partial<Record<LetterTemplateKey, ReplyRule>> = {
  'informal-enquiry': { rights: 'informal-enquiry', meeting: true },
  's437-notice': { rights: 'formal-notice', meeting: true },
  'notice-of-intention': { rights: 'school-choice', meeting: false },
  'school-attendance-order': { rights: 'order', meeting: false },
  'provider-update-request': { rights: 'register', meeting: false },
  'preliminary-notice': { rights: 'register', meeting: false },
  'suitability-outcome': { rights: 'decision', meeting: false },
};

const SOCIAL_CARE_TEMPLATES: readonly string[] = ['social-care-closure', 'social-care-escalation', 'assessment-copy'];

/** The kinds of submission that answer a letter. */
export const REPLY_KINDS: readonly SubmissionKind[] = ['enquiry-reply', 'meeting-chosen', 'visit-declined'];

type LetterRow = typeof letters.$inferSelect;

export interface FamilyLetterSummary {
  id: string;
  subject: string;
  reference: string;
  writtenOn: IsoDate;
  childId: string | null;
  childName: string | null;
  /** home-education letters can be answered here; social-care ones in the social care pages. */
  service: 'home-education' | 'social-care';
  answerable: boolean;
  replyBy: IsoDate | null;
  /** This parent has sent at least one reply to it. */
  replied: boolean;
}

export interface LetterReply {
  id: string;
  reference: string;
  kind: string;
  kindLabel: string;
  sentOn: IsoDate;
  status: string;
}

export interface FamilyLetterView extends FamilyLetterSummary {
  childFirstName: string | null;
  content: Letter;
  reply: (ReplyRule & { replyBy: IsoDate | null; late: boolean }) | null;
  replies: LetterReply[];
}

function serviceOf(row: Pick<LetterRow, 'templateKey' | 'socialCareEpisodeId'>): 'home-education' | 'social-care' {
  return row.socialCareEpisodeId !== null || SOCIAL_CARE_TEMPLATES.includes(row.templateKey) ? 'social-care' : 'home-education';
}

function ruleFor(row: Pick<LetterRow, 'templateKey' | 'episodeId' | 'socialCareEpisodeId'>): ReplyRule | null {
  if (row.episodeId === null || serviceOf(row) !== 'home-education') return null;
  return REPLY_RULES[row.templateKey as LetterTemplateKey] ?? null;
}

/** The letters written to this parent, with the child and the date asked for, newest first. */
async function lettersTo(tx: Tx, family: Family, letterId?: string) {
  const conditions = [eq(letters.recipientAdultId, family.adult.id)];
  if (letterId) conditions.push(eq(letters.id, letterId));
  const rows = await tx
    .select({ letter: letters, firstName: children.firstName, lastName: children.lastName, replyBy: eheSteps.dueOn })
    .from(letters)
    .leftJoin(children, eq(children.id, letters.childId))
    .leftJoin(eheSteps, eq(eheSteps.id, letters.stepId))
    .where(and(...conditions))
    .orderBy(desc(letters.createdAt), desc(letters.reference));
  const ids = rows.map((r) => r.letter.id);
  const replies =
    ids.length === 0
      ? []
      : await tx
          .select()
          .from(familySubmissions)
          .where(and(eq(familySubmissions.adultId, family.adult.id), inArray(familySubmissions.letterId, ids)))
          .orderBy(asc(familySubmissions.createdAt));
  return rows.map((r) => {
    const rule = ruleFor(r.letter);
    const own = replies.filter((s) => s.letterId === r.letter.id);
    const summary: FamilyLetterSummary = {
      id: r.letter.id,
      subject: r.letter.subject,
      reference: r.letter.reference,
      writtenOn: todayIn(r.letter.createdAt),
      childId: r.letter.childId,
      childName: r.firstName === null ? null : `${r.firstName} ${r.lastName}`,
      service: serviceOf(r.letter),
      answerable: rule !== null,
      replyBy: rule ? (r.replyBy ?? null) : null,
      replied: own.length > 0,
    };
    return { summary, row: r.letter, rule, firstName: r.firstName, replies: own };
  });
}

function replySummaries(rows: readonly SubmissionRow[]): LetterReply[] {
  return rows.map((s) => ({ id: s.id, reference: s.reference, kind: s.kind, kindLabel: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind, sentOn: todayIn(s.createdAt), status: s.status }));
}

/** Every letter the council wrote to this parent, newest first. Audited. */
export async function listFamilyLetters(deps: FamilyDeps, ctx: UseCaseContext): Promise<FamilyLetterSummary[]> {
  return asFamily(deps, ctx, 'family.letters.list', async (uow, family) => {
    const found = await lettersTo(uow.tx, family);
    uow.audit({ action: 'family.letters.list', recordType: 'family', recordId: family.adult.id, childId: null, details: { letters: found.map((f) => f.summary.id) } });
    return found.map((f) => f.summary);
  });
}

/** One of this parent's letters, or "not found" for anyone else's. */
async function ownLetter(uow: UnitOfWork, family: Family, letterId: string) {
  if (!UUID.safeParse(letterId).success) throw notFound('The letter');
  const [found] = await lettersTo(uow.tx, family, letterId);
  if (!found) throw notFound('The letter');
  return found;
}

function viewOf(found: Awaited<ReturnType<typeof lettersTo>>[number], today: IsoDate): FamilyLetterView {
  const { summary, row, rule, firstName, replies } = found;
  return {
    ...summary,
    childFirstName: firstName,
    content: row.content as Letter,
    reply: rule ? { ...rule, replyBy: summary.replyBy, late: summary.replyBy !== null && today > summary.replyBy } : null,
    replies: replySummaries(replies),
  };
}

/** The letter as it was sent, with how the parent may answer it. Reading it is audited. */
export async function viewFamilyLetter(deps: FamilyDeps, ctx: UseCaseContext, letterId: string): Promise<FamilyLetterView> {
  return asFamily(deps, ctx, 'family.letter.view', async (uow, family) => {
    const found = await ownLetter(uow, family, letterId);
    uow.audit({ action: 'family.letter.view', recordType: 'letter', recordId: found.row.id, childId: found.row.childId, details: { reference: found.row.reference } });
    return viewOf(found, todayIn(ctx.now));
  });
}

/** The same PDF that was posted, for this parent's own letter. Audited. */
export async function familyLetterPdf(deps: FamilyDeps, ctx: UseCaseContext, letterId: string): Promise<{ fileName: string; pdf: Buffer }> {
  const letter = await asFamily(deps, ctx, 'family.letter.download', async (uow, family) => {
    const found = await ownLetter(uow, family, letterId);
    uow.audit({ action: 'family.letter.download', recordType: 'letter', recordId: found.row.id, childId: found.row.childId, details: { reference: found.row.reference } });
    return found.row;
  });
  return { fileName: letterFileName(letter.reference), pdf: await renderLetterPdf(letter.content as Letter, { creationDate: letter.createdAt }) };
}

// Replies ----------------------------------------------------------------------------------------

const trimmed = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : v);
const optionalText = (max: number, label: string) =>
  z.preprocess((v) => (trimmed(v) === '' || v === undefined || v === null ? undefined : trimmed(v)), z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`).optional());
const requiredText = (message: string, max: number, label: string) =>
  z.preprocess((v) => (v === undefined || v === null ? '' : trimmed(v)), z.string({ error: message }).min(1, message).max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`));

export const MAX_REPLY_LENGTH = 10_000;

export const replySchema = z.object({ reply: optionalText(MAX_REPLY_LENGTH, 'Your reply') });

export const MEETING_PLACES = {
  home: 'At home',
  elsewhere: 'Somewhere else, such as a library or council office',
  phone: 'By phone',
  video: 'By video call',
} as const;
export type MeetingPlace = keyof typeof MEETING_PLACES;

export const meetingSchema = z
  .object({
    where: z.enum(Object.keys(MEETING_PLACES) as [MeetingPlace, ...MeetingPlace[]], { error: 'Select where you would like to meet' }),
    place: optionalText(500, 'Where you would like to meet'),
    when: requiredText('Enter the days and times that suit you', 1000, 'When suits you'),
    notes: optionalText(2000, 'Anything else'),
  })
  .superRefine((v, issue) => {
    if (v.where === 'elsewhere' && !v.place) issue.addIssue({ code: 'custom', path: ['place'], message: 'Enter where you would like to meet, for example a library or council office' });
  });

export const declineSchema = z.object({ reason: optionalText(2000, 'Your reasons') });

/** The summary line that marks a reply sent after the date the letter asked for. */
export const LATE_LINE_LABEL = 'When it arrived';

/** What the family sent, and the confirmation page needs. */
export interface SentReply {
  submissionId: string;
  reference: string;
  kind: SubmissionKind;
  letterId: string;
  late: boolean;
  replyBy: IsoDate | null;
  documents: number;
}

interface ReplyContext {
  uow: UnitOfWork;
  family: Family;
  letter: LetterRow;
  view: FamilyLetterView;
}

/**
 * Loads this parent's letter, checks it can be answered this way, then records the reply with the
 * lines both the family and staff read. A late reply is noted, never refused.
 */
async function reply(
  deps: FamilyDeps,
  ctx: UseCaseContext,
  action: string,
  letterId: string,
  kind: SubmissionKind,
  needsMeeting: boolean,
  build: (c: ReplyContext) => { lines: SummaryLine[]; details: Record<string, unknown>; summary: string; files?: readonly CheckedUpload[] },
): Promise<SentReply> {
  return asFamily(deps, ctx, action, async (uow, family) => {
    const found = await ownLetter(uow, family, letterId);
    const view = viewOf(found, todayIn(ctx.now));
    if (!view.reply || (needsMeeting && !view.reply.meeting)) throw notFound('The page');
    const built = build({ uow, family, letter: found.row, view });
    const lines: SummaryLine[] = [{ label: 'Letter', value: `${view.subject} (our reference ${view.reference})` }, ...built.lines];
    if (view.reply.late && view.reply.replyBy) lines.push({ label: LATE_LINE_LABEL, value: `After the reply date, ${formatLongDate(view.reply.replyBy)}` });
    const submission = await insertSubmission(uow, family, {
      kind,
      childId: found.row.childId,
      eheEpisodeId: found.row.episodeId,
      eheStepId: found.row.stepId,
      letterId: found.row.id,
      details: { ...built.details, lines, letterReference: view.reference, replyBy: view.reply.replyBy, late: view.reply.late },
      summary: built.summary,
    });
    const documents = await attachDocuments(uow, family, submission, built.files ?? []);
    return { submissionId: submission.id, reference: submission.reference, kind, letterId: found.row.id, late: view.reply.late, replyBy: view.reply.replyBy, documents: documents.length };
  });
}

/**
 * Checks the reply and each file together, so every problem is reported at once: the reply under
 * `reply`, and each file's problem under `documents`, `documents-2`, … in the order chosen.
 */
export function checkWrittenReply(input: unknown, files: readonly UploadInput[]): { reply: string | undefined; files: CheckedUpload[] } {
  const fields: Record<string, string> = {};
  const parsed = replySchema.safeParse(typeof input === 'object' && input !== null ? input : {});
  if (!parsed.success) fields['reply'] = parsed.error.issues[0]?.message ?? 'Enter your reply';
  const chosen = files.filter((f) => !(f.fileName === '' && f.data.length === 0));
  const checked: CheckedUpload[] = [];
  if (chosen.length > MAX_UPLOADS_PER_SUBMISSION) {
    fields['documents'] = `Select up to ${MAX_UPLOADS_PER_SUBMISSION} files`;
  } else {
    let problems = 0;
    for (const file of chosen) {
      const result = checkUpload(file);
      if ('error' in result) {
        problems += 1;
        fields[problems === 1 ? 'documents' : `documents-${problems}`] = result.error;
      } else checked.push(result);
    }
  }
  const text = parsed.success ? parsed.data.reply : undefined;
  if (Object.keys(fields).length === 0 && !text && checked.length === 0) fields['reply'] = 'Enter your reply, or choose a file to send';
  if (Object.keys(fields).length > 0) throw new DomainError('validation', 'There is a problem', fields);
  return { reply: text, files: checked };
}

/** A written reply to a letter, with up to five documents (reports, samples of work). */
export async function replyInWriting(deps: FamilyDeps, ctx: UseCaseContext, letterId: string, input: unknown, files: readonly UploadInput[] = []): Promise<SentReply> {
  return reply(deps, ctx, 'family.enquiry-reply', letterId, 'enquiry-reply', false, ({ view }) => {
    const checked = checkWrittenReply(input, files);
    // The documents are listed with their download links wherever the reply is shown, so not here.
    const lines: SummaryLine[] = [{ label: 'Your reply', value: checked.reply ?? 'No written reply: documents only' }];
    return {
      lines,
      details: { reply: checked.reply ?? null, documents: checked.files.map((f) => f.fileName) },
      summary: `Written reply received to the letter “${view.subject}”${checked.files.length ? `, with ${checked.files.length} ${checked.files.length === 1 ? 'document' : 'documents'}` : ''}`,
      files: checked.files,
    };
  });
}

/** The family chooses how and when to meet (at home, somewhere else, by phone or video). */
export async function chooseMeeting(deps: FamilyDeps, ctx: UseCaseContext, letterId: string, input: unknown): Promise<SentReply> {
  return reply(deps, ctx, 'family.meeting-chosen', letterId, 'meeting-chosen', true, ({ view }) => {
    const m = parseInput(meetingSchema, input);
    const lines: SummaryLine[] = [{ label: 'Where', value: MEETING_PLACES[m.where] }];
    if (m.where === 'elsewhere' && m.place) lines.push({ label: 'Place', value: m.place });
    lines.push({ label: 'When suits you', value: m.when });
    if (m.notes) lines.push({ label: 'Anything else', value: m.notes });
    return {
      lines,
      details: { where: m.where, place: m.where === 'elsewhere' ? (m.place ?? null) : null, when: m.when, notes: m.notes ?? null },
      summary: `Meeting chosen in reply to the letter “${view.subject}”: ${MEETING_PLACES[m.where].toLowerCase()}`,
    };
  });
}

/** The family declines a home visit. They may say why; they can still send information in writing. */
export async function declineVisit(deps: FamilyDeps, ctx: UseCaseContext, letterId: string, input: unknown): Promise<SentReply> {
  return reply(deps, ctx, 'family.visit-declined', letterId, 'visit-declined', true, ({ view }) => {
    const d = parseInput(declineSchema, input);
    const lines: SummaryLine[] = [{ label: 'Home visit', value: 'You do not want a home visit' }];
    lines.push({ label: 'Your reasons', value: d.reason ?? 'Not given' });
    return {
      lines,
      details: { reason: d.reason ?? null },
      summary: `Home visit declined in reply to the letter “${view.subject}”`,
    };
  });
}

// For staff: the family's replies on the home education episode -------------------------------------

export interface EpisodeFamilyItem {
  id: string;
  reference: string;
  kind: string;
  kindLabel: string;
  receivedOn: IsoDate;
  status: string;
  fromName: string;
  lines: SummaryLine[];
  late: boolean;
  documents: { id: string; fileName: string; mediaType: string; sizeBytes: number }[];
}

/**
 * What the family sent about one home education episode (replies, meetings chosen, visits
 * declined, and anything else linked to it), newest first, with their documents, for the officer's
 * episode page. Audited as a read of the child's record.
 */
export async function listEheEpisodeFamilyItems(deps: FamilyDeps, ctx: UseCaseContext, episodeId: string): Promise<EpisodeFamilyItem[]> {
  if (!EHE_READING_ROLES.includes(ctx.actor.role)) {
    await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: 'family-submissions.list-episode.refused', recordType: 'episode', recordId: UUID.safeParse(episodeId).success ? episodeId : null, childId: null, details: { role: ctx.actor.role } }));
    throw forbidden();
  }
  if (!UUID.safeParse(episodeId).success) throw notFound('The home education episode');
  return deps.runInTransaction(ctx, async (uow) => {
    const [episode] = await uow.tx.select({ id: episodes.id, childId: episodes.childId }).from(episodes).where(and(eq(episodes.id, episodeId), eq(episodes.kind, 'ehe')));
    if (!episode) throw notFound('The home education episode');
    const rows = await uow.tx
      .select({ s: familySubmissions, firstName: adults.firstName, lastName: adults.lastName })
      .from(familySubmissions)
      .innerJoin(adults, eq(adults.id, familySubmissions.adultId))
      .where(eq(familySubmissions.eheEpisodeId, episode.id))
      .orderBy(desc(familySubmissions.createdAt));
    const visible = rows.filter((r) => staffMaySee(ctx.actor, r.s));
    const docs =
      visible.length === 0
        ? []
        : await uow.tx
            .select({ id: familyDocuments.id, submissionId: familyDocuments.submissionId, fileName: familyDocuments.fileName, mediaType: familyDocuments.mediaType, sizeBytes: familyDocuments.sizeBytes })
            .from(familyDocuments)
            .where(inArray(familyDocuments.submissionId, visible.map((r) => r.s.id)))
            .orderBy(asc(familyDocuments.createdAt));
    uow.audit({ action: 'family-submissions.list-episode', recordType: 'episode', recordId: episode.id, childId: episode.childId, details: { returned: visible.map((r) => r.s.id) } });
    return visible.map(({ s, firstName, lastName }) => {
      const details = s.details as { lines?: SummaryLine[]; late?: boolean };
      return {
        id: s.id,
        reference: s.reference,
        kind: s.kind,
        kindLabel: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind,
        receivedOn: todayIn(s.createdAt),
        status: s.status,
        fromName: `${firstName} ${lastName}`,
        lines: (details.lines ?? []).filter((l) => typeof l.label === 'string' && typeof l.value === 'string'),
        late: details.late === true,
        documents: docs.filter((d) => d.submissionId === s.id).map(({ submissionId: _s, ...d }) => d),
      };
    });
  });
}

/** The family service's use cases in this area, bound to their dependencies (see src/services.ts). */
export function enquiryServices(deps: FamilyDeps) {
  return {
    listFamilyLetters: (ctx: UseCaseContext) => listFamilyLetters(deps, ctx),
    viewFamilyLetter: (ctx: UseCaseContext, letterId: string) => viewFamilyLetter(deps, ctx, letterId),
    familyLetterPdf: (ctx: UseCaseContext, letterId: string) => familyLetterPdf(deps, ctx, letterId),
    replyInWriting: (ctx: UseCaseContext, letterId: string, input: unknown, files?: readonly UploadInput[]) => replyInWriting(deps, ctx, letterId, input, files),
    chooseMeeting: (ctx: UseCaseContext, letterId: string, input: unknown) => chooseMeeting(deps, ctx, letterId, input),
    declineVisit: (ctx: UseCaseContext, letterId: string, input: unknown) => declineVisit(deps, ctx, letterId, input),
    listEheEpisodeFamilyItems: (ctx: UseCaseContext, episodeId: string) => listEheEpisodeFamilyItems(deps, ctx, episodeId),
    ...recordServices(deps),
  };
}
