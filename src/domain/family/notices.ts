import { and, eq } from 'drizzle-orm';
import { familySubmissions, formDrafts } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { formatLongDate, todayIn } from '../calendar/index.ts';
import { registerRegimeInForce } from '../council/settings.ts';
import { DomainError, notFound } from '../errors.ts';
import { recordParentNotification, recordUnmatchedParentNotification, type ReferralOutcome } from '../register/referrals.ts';
import { asFamily, childOfFamily, insertSubmission, type Family, type FamilyDeps, type SubmissionKind, type SummaryLine } from './core.ts';
import { addProviderFromParent, recordArrangementFromParent, recordParentEducates } from './notices-education.ts';
import {
  homeEducationNoticeSchema,
  noticeProblems,
  ON_ROLL_ANSWERS,
  PARENT_EHE_REASONS,
  PARENT_PROVIDER_TYPES,
  readNoticeAnswers,
  type HomeEducationNotice,
  type NoticeAnswers,
} from './notices-schemas.ts';
import { reportChangeOfAddress, reportNewProvider, viewFamilyForChanges } from './notices-changes.ts';
import { changeMyContactPreferences, viewContactPreferencesForChild, viewMyContactPreferences } from './notices-contact.ts';
import { requestSupport, viewSupportOptions } from './notices-support.ts';

/**
 * The family service's notices: a parent tells the council they home educate (with the register
 * items the 2026 Act asks for when the council has the regime on), reports a change of address or a
 * new provider, sets how they want to be contacted, and asks for support. Each is a use case run as
 * the family (`asFamily`), so a parent reaches only their own children.
 */

/** The journey's answers are kept in `form_drafts` under this name, one set per person. */
export const NOTICE_JOURNEY = 'family-home-education-notice';

export interface NoticeChild {
  childId: string;
  name: string;
  dateOfBirth: string;
}

export interface NoticeDraftView {
  answers: NoticeAnswers;
  children: NoticeChild[];
  /** The 2026 register regime is in force today: its items are required. */
  regimeInForce: boolean;
  today: string;
}

const childrenOf = (family: Family): NoticeChild[] => family.children.map((c) => ({ childId: c.childId, name: `${c.firstName} ${c.lastName}`, dateOfBirth: c.dateOfBirth }));

async function regimeToday(uow: UnitOfWork): Promise<{ regimeInForce: boolean; today: string }> {
  const today = todayIn(uow.ctx.now);
  return { regimeInForce: registerRegimeInForce(await loadCouncilSettings(uow.tx), today), today };
}

/**
 * The parent's answers so far in "Tell the council you are home educating", with their children and
 * whether the register regime applies, so a refresh, a back link or a break loses nothing.
 */
export async function loadHomeEducationNoticeDraft(deps: FamilyDeps, ctx: UseCaseContext): Promise<NoticeDraftView> {
  return asFamily(deps, ctx, 'family.notice-draft.view', async (uow, family) => {
    const [row] = await uow.tx.select().from(formDrafts).where(and(eq(formDrafts.userId, family.adult.userId!), eq(formDrafts.journey, NOTICE_JOURNEY)));
    uow.audit({ action: 'family.children.list', recordType: 'family', recordId: family.adult.id, childId: null, details: { children: family.children.map((c) => c.childId) } });
    return { answers: readNoticeAnswers(row?.data), children: childrenOf(family), ...(await regimeToday(uow)) };
  });
}

/**
 * Replaces the parent's saved answers. A child must be one of theirs (or "a child not listed"):
 * any other is refused and the attempt audited.
 */
export async function saveHomeEducationNoticeDraft(deps: FamilyDeps, ctx: UseCaseContext, answers: NoticeAnswers): Promise<void> {
  const data = readNoticeAnswers(answers);
  await asFamily(deps, ctx, 'family.notice-draft.save', async (uow, family) => {
    if (data.childId && data.childId !== 'other') childOfFamily(uow, family, data.childId);
    await uow.tx
      .insert(formDrafts)
      .values({ userId: family.adult.userId!, journey: NOTICE_JOURNEY, data, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [formDrafts.userId, formDrafts.journey], set: { data, updatedAt: ctx.now } });
  });
}

/** Forgets the parent's unsent answers (to start again). */
export async function discardHomeEducationNoticeDraft(deps: FamilyDeps, ctx: UseCaseContext): Promise<void> {
  await asFamily(deps, ctx, 'family.notice-draft.discard', async (uow, family) => {
    await uow.tx.delete(formDrafts).where(and(eq(formDrafts.userId, family.adult.userId!), eq(formDrafts.journey, NOTICE_JOURNEY)));
  });
}

export interface NoticeSent {
  submissionId: string;
  reference: string;
  outcome: ReferralOutcome;
}

const hoursText = (h: number | undefined) => (h === undefined ? 'Not given' : `${h} ${h === 1 ? 'hour' : 'hours'} a week`);

/** The notice in the parent's words, as both the family and staff read it. */
export function noticeLines(n: HomeEducationNotice, childName: string, parentName: string): SummaryLine[] {
  const onRoll = n.onRoll ? `${ON_ROLL_ANSWERS[n.onRoll]}${n.onRoll === 'yes' && n.schoolName ? `: ${n.schoolName}` : ''}` : 'Not given';
  const who = n.whoEducates
    ? n.whoEducates === 'me'
      ? parentName
      : n.whoEducates === 'me-and-another-parent'
        ? `${parentName} and another parent`
        : `Someone else: ${n.someoneElse ?? ''}`
    : 'Not given';
  const lines: SummaryLine[] = [
    { label: 'Child', value: childName },
    { label: 'Home education started or starts', value: formatLongDate(n.homeEducationFrom) },
    { label: 'Still on a school roll', value: onRoll },
    { label: 'Reason for home education', value: n.eheReason ? (PARENT_EHE_REASONS[n.eheReason as keyof typeof PARENT_EHE_REASONS] ?? n.eheReason) : 'Not given' },
    { label: 'Who provides the education', value: who },
    { label: 'Time educated by parents', value: hoursText(n.parentHoursPerWeek) },
  ];
  if (n.providers.length === 0) lines.push({ label: 'Other providers', value: n.hasProviders === 'no' ? 'None' : 'Not given' });
  n.providers.forEach((p, i) => {
    const type = PARENT_PROVIDER_TYPES[p.type];
    const time = [p.hoursPerWeek !== undefined ? hoursText(p.hoursPerWeek) : '', p.hoursWithoutParentPerWeek !== undefined ? `${p.hoursWithoutParentPerWeek} without a parent` : ''].filter(Boolean).join(', ');
    lines.push({ label: n.providers.length === 1 ? 'Other provider' : `Other provider ${i + 1}`, value: `${p.name} (${type.toLowerCase()}), ${p.addressOrWebsite}${time ? `; ${time}` : ''}` });
  });
  if (n.providers.length > 0 || n.hoursWithoutParentPerWeek !== undefined) lines.push({ label: 'Time educated without a parent there', value: hoursText(n.hoursWithoutParentPerWeek) });
  return lines;
}

/**
 * A parent tells the council they educate a child at home. In one transaction: the notification
 * does what every parent's notification does (`recordParentNotification`: an episode opens for a
 * child on no roll; a child on a roll stays on it until the school's return), or, for a child Cairn
 * does not link to them, waits for an officer to match it; the register items the parent gave are
 * recorded with source "parent"; and the notice is kept as a submission with a reference.
 */
export async function sendHomeEducationNotice(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<NoticeSent> {
  return asFamily(deps, ctx, 'family.home-education-notice', async (uow, family) => {
    const { regimeInForce, today } = await regimeToday(uow);
    const answers = readNoticeAnswers(input);
    const problems = noticeProblems(answers, regimeInForce, today);
    if (Object.keys(problems).length > 0) throw new DomainError('validation', 'There is a problem', problems as Record<string, string>);
    const n = homeEducationNoticeSchema(regimeInForce, today).parse({ ...answers, providers: answers.providers ?? [] });
    const parentName = `${family.adult.firstName} ${family.adult.lastName}`;
    const parentUserId = family.adult.userId!;
    const schoolNote = n.onRoll === 'yes' ? `The parent says the child is still on a school roll${n.schoolName ? ` (${n.schoolName})` : ''}.` : null;

    let childId: string | null = null;
    let childName: string;
    let outcome: ReferralOutcome;
    let episodeId: string | null = null;
    let referralId: string;
    if (n.childId === 'other') {
      childName = `${n.otherFirstName} ${n.otherLastName}`;
      const result = await recordUnmatchedParentNotification(uow, {
        parentUserId,
        parentName,
        child: { firstName: n.otherFirstName!, lastName: n.otherLastName!, dateOfBirth: n.otherDateOfBirth! },
        address: { addressLine1: family.adult.addressLine1, town: family.adult.town, postcode: family.adult.postcode },
        homeEducationFrom: n.homeEducationFrom,
        eheReason: n.eheReason ?? 'no-reason',
        details: [`Sent through the family service by ${parentName}, who says they are the child’s parent or carer.`, schoolNote].filter(Boolean).join(' '),
      });
      ({ outcome, referralId } = result);
    } else {
      const child = childOfFamily(uow, family, n.childId);
      childId = child.childId;
      childName = `${child.firstName} ${child.lastName}`;
      const result = await recordParentNotification(uow, {
        parentUserId,
        parentName,
        child: { id: child.childId, firstName: child.firstName, lastName: child.lastName, dateOfBirth: child.dateOfBirth },
        homeEducationFrom: n.homeEducationFrom,
        eheReason: n.eheReason ?? 'no-reason',
        details: schoolNote,
      });
      ({ outcome, episodeId, referralId } = result);
      await recordRegisterItems(uow, family, child.childId, n);
    }

    const submission = await insertSubmission(uow, family, {
      kind: 'home-education-notice',
      childId,
      eheEpisodeId: episodeId,
      details: { lines: noticeLines(n, n.childId === 'other' ? `${childName}, born ${formatLongDate(n.otherDateOfBirth!)} (not yet linked to your account)` : childName, parentName), notice: n, outcome, referralId, regimeInForce },
      summary: `${parentName} sent a notice of home education through the family service`,
    });
    await uow.tx.delete(formDrafts).where(and(eq(formDrafts.userId, parentUserId), eq(formDrafts.journey, NOTICE_JOURNEY)));
    return { submissionId: submission.id, reference: submission.reference, outcome };
  });
}

/** The register items the parent gave, recorded against the child with source "parent". */
async function recordRegisterItems(uow: UnitOfWork, family: Family, childId: string, n: HomeEducationNotice): Promise<void> {
  if (n.whoEducates) await recordParentEducates(uow, childId, family.adult.id, n.whoEducates !== 'someone-else');
  for (const provider of n.providers) await addProviderFromParent(uow, childId, provider);
  const providerHours = n.providers.map((p) => p.hoursPerWeek);
  const otherHoursPerWeek = n.hasProviders === 'no' ? 0 : n.providers.length > 0 && providerHours.every((h) => h !== undefined) ? providerHours.reduce<number>((sum, h) => sum + (h ?? 0), 0) : null;
  if (n.parentHoursPerWeek !== undefined || otherHoursPerWeek !== null) {
    await recordArrangementFromParent(uow, childId, { parentHoursPerWeek: n.parentHoursPerWeek ?? null, otherHoursPerWeek });
  }
}

export interface SentItem {
  submissionId: string;
  reference: string;
  kind: SubmissionKind;
  childName: string | null;
  details: Record<string, unknown>;
  lines: SummaryLine[];
}

/** Something this parent sent, for its confirmation page; anyone else's is "not found". */
export async function viewNoticeConfirmation(deps: FamilyDeps, ctx: UseCaseContext, submissionId: string, kinds: readonly SubmissionKind[]): Promise<SentItem> {
  return asFamily(deps, ctx, 'family.notice-confirmation.view', async (uow, family) => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (!UUID.test(submissionId)) throw notFound('The item');
    const [row] = await uow.tx
      .select()
      .from(familySubmissions)
      .where(and(eq(familySubmissions.id, submissionId), eq(familySubmissions.adultId, family.adult.id)));
    if (!row || !kinds.includes(row.kind as SubmissionKind)) throw notFound('The item');
    const child = row.childId ? family.children.find((c) => c.childId === row.childId) : undefined;
    const details = (row.details ?? {}) as Record<string, unknown> & { lines?: SummaryLine[] };
    uow.audit({ action: 'family-submission.view', recordType: 'family-submission', recordId: row.id, childId: row.childId });
    return {
      submissionId: row.id,
      reference: row.reference,
      kind: row.kind as SubmissionKind,
      childName: child ? `${child.firstName} ${child.lastName}` : null,
      details,
      lines: Array.isArray(details.lines) ? details.lines : [],
    };
  });
}

/** The family service's use cases in this area, bound to their dependencies (see src/services.ts). */
export function noticeServices(deps: FamilyDeps) {
  return {
    loadHomeEducationNoticeDraft: (ctx: UseCaseContext) => loadHomeEducationNoticeDraft(deps, ctx),
    saveHomeEducationNoticeDraft: (ctx: UseCaseContext, answers: NoticeAnswers) => saveHomeEducationNoticeDraft(deps, ctx, answers),
    discardHomeEducationNoticeDraft: (ctx: UseCaseContext) => discardHomeEducationNoticeDraft(deps, ctx),
    sendHomeEducationNotice: (ctx: UseCaseContext, input: unknown) => sendHomeEducationNotice(deps, ctx, input),
    viewNoticeConfirmation: (ctx: UseCaseContext, submissionId: string, kinds: readonly SubmissionKind[]) => viewNoticeConfirmation(deps, ctx, submissionId, kinds),
    viewFamilyForChanges: (ctx: UseCaseContext) => viewFamilyForChanges(deps, ctx),
    reportChangeOfAddress: (ctx: UseCaseContext, input: unknown) => reportChangeOfAddress(deps, ctx, input),
    reportNewProvider: (ctx: UseCaseContext, input: unknown) => reportNewProvider(deps, ctx, input),
    viewMyContactPreferences: (ctx: UseCaseContext) => viewMyContactPreferences(deps, ctx),
    changeMyContactPreferences: (ctx: UseCaseContext, input: unknown) => changeMyContactPreferences(deps, ctx, input),
    viewContactPreferencesForChild: (ctx: UseCaseContext, childId: string) => viewContactPreferencesForChild(deps, ctx, childId),
    viewSupportOptions: (ctx: UseCaseContext) => viewSupportOptions(deps, ctx),
    requestSupport: (ctx: UseCaseContext, input: unknown) => requestSupport(deps, ctx, input),
  };
}
