import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, childAdults, children, enrolments, referrals } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { COUNCIL_CASEWORK_ROLES } from '../auth/roles.ts';
import { isoDate } from '../children/schemas.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { normalisePostcode } from '../identifiers/postcode.ts';
import { parseInput } from '../validation.ts';
import type { RegisterDeps } from './deletion-returns.ts';
import { AUTOMATIC_LINK_SCORE, type MatchCandidate } from './matching.ts';
import { openEpisodeIfNone } from './open-episode.ts';
import { addChildFromIntake } from './new-child.ts';
import { addHomeEducationToPlanAgenda } from '../social-care/use-cases.ts';
import { EHE_REASON_CODES } from './reference-data.ts';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

export const REFERRER_TYPES = {
  'health-visitor': 'Health visitor',
  'gp-practice': 'GP practice',
  police: 'Police',
  'third-sector': 'Third sector organisation',
  public: 'Member of the public',
  'other-council': 'Another council',
} as const;

export const partnerReferralSchema = z.object({
  referrerType: z.enum(Object.keys(REFERRER_TYPES) as [string, ...string[]], { error: 'Select who is making the referral' }),
  referrerName: z.string().trim().min(1, 'Enter the name of the person making the referral').max(200, 'Name must be 200 characters or fewer'),
  referrerOrganisation: optional(z.string().max(200, 'Organisation must be 200 characters or fewer')),
  childFirstName: z.string().trim().min(1, 'Enter the child’s first name').max(100, 'First name must be 100 characters or fewer'),
  childLastName: z.string().trim().min(1, 'Enter the child’s last name').max(100, 'Last name must be 100 characters or fewer'),
  childDateOfBirth: isoDate,
  addressLine1: z.string().trim().min(1, 'Enter the first line of the child’s address').max(200, 'Address line 1 must be 200 characters or fewer'),
  town: z.string().trim().min(1, 'Enter the town or city').max(100, 'Town or city must be 100 characters or fewer'),
  postcode: z
    .string()
    .trim()
    .min(1, 'Enter the postcode')
    .refine((v) => normalisePostcode(v) !== null, 'Enter a real postcode, like NZ1 2AB')
    .transform((v) => normalisePostcode(v) ?? v),
  details: z.string().trim().min(1, 'Enter why you think the child is not in school').max(5000, 'Details must be 5,000 characters or fewer'),
});

export const parentNotificationSchema = z.object({
  childId: z.uuid({ error: 'Select the child you are telling us about' }),
  homeEducationFrom: isoDate,
  eheReason: optional(z.enum(EHE_REASON_CODES as [string, ...string[]], { error: 'Select a reason from the list' })),
});

export type ReferralOutcome = 'cme-case-opened' | 'ehe-episode-opened' | 'recorded' | 'awaiting-match';

const isStrong = (c: MatchCandidate) => c.score >= 85;

/**
 * The child an intake is certainly about: one exact identifier match, or a single strong
 * name-and-birth-date match at the same postcode. Anything less waits for an officer.
 */
function settledChild(candidates: readonly MatchCandidate[]): string | null {
  const certain = candidates.filter((c) => c.score >= AUTOMATIC_LINK_SCORE);
  if (certain.length === 1) return certain[0]!.childId;
  const strong = candidates.filter(isStrong);
  return strong.length === 1 && strong[0]!.reasons.includes('Same postcode') ? strong[0]!.childId : null;
}

const PARTNER_ROLES = ['health_visitor', ...COUNCIL_CASEWORK_ROLES, 'data_officer'] as const;

async function isOnRoll(tx: Tx, childId: string): Promise<boolean> {
  const [row] = await tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.childId, childId), isNull(enrolments.endDate))).limit(1);
  return row !== undefined;
}

/**
 * A partner tells the council about a child they believe is not in school. A child already known is
 * linked (and a missing-education case opens if they are on no roll); a child unlike anyone on the
 * register is added and a case opens; a possible but uncertain match waits for an officer.
 */
export async function referChildNotInSchool(deps: RegisterDeps, ctx: UseCaseContext, input: unknown) {
  if (ctx.actor.role === 'system' || !(PARTNER_ROLES as readonly string[]).includes(ctx.actor.role)) throw forbidden();
  const r = parseInput(partnerReferralSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const candidates = await deps.matcher.findCandidates(uow.tx, { firstName: r.childFirstName, lastName: r.childLastName, dateOfBirth: r.childDateOfBirth, postcode: r.postcode });
    let childId = settledChild(candidates);
    let created = false;
    if (!childId && !candidates.some(isStrong)) {
      childId = await addChildFromIntake(uow, { firstName: r.childFirstName, lastName: r.childLastName, dateOfBirth: r.childDateOfBirth, addressLine1: r.addressLine1, town: r.town, postcode: r.postcode }, { summary: 'Added to the register from a partner’s referral', source: 'referral', sourceId: null });
      created = true;
    }
    const [saved] = await uow.tx
      .insert(referrals)
      .values({
        kind: 'partner-referral',
        childId,
        status: childId ? 'processed' : 'awaiting-match',
        submittedBy: ctx.actor.id,
        referrerType: r.referrerType,
        referrerName: r.referrerName,
        referrerOrganisation: r.referrerOrganisation ?? null,
        childFirstName: r.childFirstName,
        childLastName: r.childLastName,
        childDateOfBirth: r.childDateOfBirth,
        addressLine1: r.addressLine1,
        town: r.town,
        postcode: r.postcode,
        details: r.details,
        createdAt: ctx.now,
      })
      .returning();
    uow.audit({ action: 'referral.receive', recordType: 'referral', recordId: saved!.id, childId, details: { referrerType: r.referrerType, created, candidates: candidates.length } });
    if (!childId) return { referralId: saved!.id, childId: null, outcome: 'awaiting-match' as ReferralOutcome };
    return { referralId: saved!.id, childId, outcome: await applyReferral(uow, ctx, saved!, childId, created) };
  });
}

/**
 * What a referral does once its child is known. A partner's referral goes on the timeline and opens a
 * missing-education case for a child on no roll; a parent's notification opens a home education
 * episode for a child on no roll.
 */
async function applyReferral(uow: UnitOfWork, ctx: UseCaseContext, referral: ReferralRow, childId: string, created: boolean): Promise<ReferralOutcome> {
  if (referral.kind === 'parent-notification') {
    uow.event({
      type: 'parent-notification.received',
      aggregateType: 'referral',
      aggregateId: referral.id,
      childId,
      summary: `Parent told the council the child is home educated from ${referral.homeEducationFrom ?? 'now'}`,
      visibility: 'family',
    });
    await addHomeEducationToPlanAgenda(uow, childId, `The parent told the council that they will educate the child at home from ${referral.homeEducationFrom ?? 'now'}`);
    if (await isOnRoll(uow.tx, childId)) return 'recorded';
    await openEpisodeIfNone(uow, { childId, kind: 'ehe', openedOn: referral.homeEducationFrom ?? ctx.now.toISOString().slice(0, 10), openedBy: 'parent-notification', sourceId: referral.id, reason: referral.eheReason });
    return 'ehe-episode-opened';
  }
  uow.event({
    type: 'referral.received',
    aggregateType: 'referral',
    aggregateId: referral.id,
    childId,
    summary: `Referred as possibly not in school by ${referral.referrerOrganisation ?? referral.referrerName} (${(REFERRER_TYPES[referral.referrerType as keyof typeof REFERRER_TYPES] ?? referral.referrerType).toLowerCase()})`,
    visibility: 'staff',
  });
  if (await isOnRoll(uow.tx, childId)) return 'recorded';
  await openEpisodeIfNone(uow, { childId, kind: 'cme', openedOn: ctx.now.toISOString().slice(0, 10), openedBy: 'partner-referral', sourceId: referral.id, reason: created ? 'unknown-child' : 'referral' });
  return 'cme-case-opened';
}

type ReferralRow = typeof referrals.$inferSelect;

export const homeEducationNotificationSchema = z.object({
  parentName: z.string().trim().min(1, 'Enter the parent’s name').max(200, 'Name must be 200 characters or fewer'),
  childFirstName: partnerReferralSchema.shape.childFirstName,
  childLastName: partnerReferralSchema.shape.childLastName,
  childDateOfBirth: isoDate,
  addressLine1: partnerReferralSchema.shape.addressLine1,
  town: partnerReferralSchema.shape.town,
  postcode: partnerReferralSchema.shape.postcode,
  homeEducationFrom: isoDate,
  eheReason: parentNotificationSchema.shape.eheReason,
});

const NOTIFICATION_SYSTEM_ROLES: readonly string[] = ['ehe_officer', 'cme_officer', 'data_officer'];

/**
 * A parent's notification of home education that reaches the council through another system (its
 * online forms, or a letter keyed in by an officer), naming the child rather than choosing one of
 * their own. Matched like any intake: a known child is linked, an unknown one added, an uncertain one
 * waits for an officer. A child on no roll starts a home education episode.
 */
export async function receiveHomeEducationNotification(deps: RegisterDeps, ctx: UseCaseContext, input: unknown) {
  if (!NOTIFICATION_SYSTEM_ROLES.includes(ctx.actor.role)) throw forbidden();
  const n = parseInput(homeEducationNotificationSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const candidates = await deps.matcher.findCandidates(uow.tx, { firstName: n.childFirstName, lastName: n.childLastName, dateOfBirth: n.childDateOfBirth, postcode: n.postcode });
    let childId = settledChild(candidates);
    let created = false;
    if (!childId && !candidates.some(isStrong)) {
      childId = await addChildFromIntake(uow, { firstName: n.childFirstName, lastName: n.childLastName, dateOfBirth: n.childDateOfBirth, addressLine1: n.addressLine1, town: n.town, postcode: n.postcode }, { summary: 'Added to the register from a parent’s notification of home education', source: 'parent-notification', sourceId: null });
      created = true;
    }
    const [saved] = await uow.tx
      .insert(referrals)
      .values({
        kind: 'parent-notification',
        childId,
        status: childId ? 'processed' : 'awaiting-match',
        submittedBy: ctx.actor.id,
        referrerType: 'parent',
        referrerName: n.parentName,
        childFirstName: n.childFirstName,
        childLastName: n.childLastName,
        childDateOfBirth: n.childDateOfBirth,
        addressLine1: n.addressLine1,
        town: n.town,
        postcode: n.postcode,
        homeEducationFrom: n.homeEducationFrom,
        eheReason: n.eheReason ?? null,
        createdAt: ctx.now,
      })
      .returning();
    uow.audit({ action: 'parent-notification.receive', recordType: 'referral', recordId: saved!.id, childId, details: { created, candidates: candidates.length, channel: 'api' } });
    if (!childId) return { referralId: saved!.id, childId: null, outcome: 'awaiting-match' as ReferralOutcome };
    return { referralId: saved!.id, childId, outcome: await applyReferral(uow, ctx, saved!, childId, created) };
  });
}

/** Officers who settle which child a waiting referral is about. */
const MATCHING_ROLES: readonly string[] = ['ehe_officer', 'cme_officer', 'data_officer'];
const REFERRAL_READER_ROLES: readonly string[] = [...COUNCIL_CASEWORK_ROLES, 'data_officer'];

export interface ReferralView {
  referral: ReferralRow;
  child: { id: string; firstName: string; lastName: string; laChildId: string } | null;
  candidates: MatchCandidate[];
  canMatch: boolean;
}

/** Partner referrals and parent notifications for council staff, newest first; filter by status. */
export async function listReferrals(deps: RegisterDeps, ctx: UseCaseContext, input: unknown = {}) {
  if (!REFERRAL_READER_ROLES.includes(ctx.actor.role)) throw forbidden();
  const filter = parseInput(referralListSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx
      .select()
      .from(referrals)
      .where(filter.status ? eq(referrals.status, filter.status) : undefined)
      .orderBy(desc(referrals.createdAt))
      .limit(200);
    uow.audit({ action: 'referral.list', recordType: 'referral', recordId: null, childId: null, details: { status: filter.status ?? null, returned: rows.length } });
    return rows;
  });
}

export const referralListSchema = z.object({ status: z.enum(['awaiting-match', 'processed']).optional().catch(undefined) });

/** One referral; an officer matching a waiting one also gets the children who may be the child. Audited. */
export async function viewReferral(deps: RegisterDeps, ctx: UseCaseContext, referralId: string): Promise<ReferralView> {
  if (!REFERRAL_READER_ROLES.includes(ctx.actor.role)) throw forbidden();
  if (!z.uuid().safeParse(referralId).success) throw notFound('The referral');
  return deps.runInTransaction(ctx, async (uow) => {
    const [referral] = await uow.tx.select().from(referrals).where(eq(referrals.id, referralId));
    if (!referral) throw notFound('The referral');
    const [child] = referral.childId
      ? await uow.tx.select({ id: children.id, firstName: children.firstName, lastName: children.lastName, laChildId: children.laChildId }).from(children).where(eq(children.id, referral.childId))
      : [];
    const canMatch = MATCHING_ROLES.includes(ctx.actor.role) && referral.status === 'awaiting-match';
    const candidates = canMatch
      ? await deps.matcher.findCandidates(uow.tx, { firstName: referral.childFirstName, lastName: referral.childLastName, dateOfBirth: referral.childDateOfBirth, postcode: referral.postcode ?? undefined })
      : [];
    uow.audit({ action: 'referral.view', recordType: 'referral', recordId: referral.id, childId: referral.childId, details: { candidates: candidates.length } });
    return { referral, child: child ?? null, candidates, canMatch };
  });
}

export const referralMatchSchema = z.union(
  [z.object({ childId: z.uuid({ error: 'Select the child this referral is about, or add a new child' }) }), z.object({ create: z.literal(true) })],
  { error: 'Select the child this referral is about, or add a new child' },
);

/**
 * An officer settles who a waiting referral is about: a child already on the register, or a new
 * child from the referral's details. Then the referral does what it would have done had Cairn been
 * sure when it arrived.
 */
export async function matchReferral(deps: RegisterDeps, ctx: UseCaseContext, referralId: string, input: unknown): Promise<{ childId: string; created: boolean; outcome: ReferralOutcome }> {
  if (!MATCHING_ROLES.includes(ctx.actor.role)) throw forbidden();
  if (!z.uuid().safeParse(referralId).success) throw notFound('The referral');
  const choice = parseInput(referralMatchSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const [referral] = await uow.tx.select().from(referrals).where(eq(referrals.id, referralId));
    if (!referral) throw notFound('The referral');
    if (referral.status !== 'awaiting-match') throw staleVersion('referral');
    let childId: string;
    const created = 'create' in choice;
    if ('childId' in choice) {
      const [child] = await uow.tx.select({ id: children.id }).from(children).where(eq(children.id, choice.childId));
      if (!child) throw new DomainError('validation', 'There is a problem', { childId: 'Select the child this referral is about, or add a new child' });
      childId = child.id;
    } else {
      childId = await addChildFromIntake(
        uow,
        { firstName: referral.childFirstName, lastName: referral.childLastName, dateOfBirth: referral.childDateOfBirth, addressLine1: referral.addressLine1 ?? '', town: referral.town ?? '', postcode: referral.postcode ?? '' },
        {
          summary: referral.kind === 'parent-notification' ? 'Added to the register from a parent’s notification of home education' : 'Added to the register from a partner’s referral',
          source: referral.kind,
          sourceId: referral.id,
        },
      );
    }
    const [matched] = await uow.tx
      .update(referrals)
      .set({ childId, status: 'processed' })
      .where(and(eq(referrals.id, referral.id), eq(referrals.status, 'awaiting-match')))
      .returning();
    if (!matched) throw staleVersion('referral');
    uow.event({
      type: 'referral.matched',
      aggregateType: 'referral',
      aggregateId: referral.id,
      childId,
      summary: `Referral from ${referral.referrerOrganisation ?? referral.referrerName} matched to this child by ${ctx.actor.label}`,
      visibility: 'staff',
      payload: { created },
    });
    const outcome = await applyReferral(uow, ctx, matched, childId, created);
    uow.audit({ action: 'referral.match', recordType: 'referral', recordId: referral.id, childId, details: { created, outcome } });
    return { childId, created, outcome };
  });
}

/**
 * A parent tells the council they educate their child at home. A child on a school roll stays on it
 * until the school's deletion return (the parent must also write to the school); a child on no roll
 * starts a home education episode now.
 */
export async function notifyHomeEducation(deps: RegisterDeps, ctx: UseCaseContext, input: unknown) {
  if (ctx.actor.role !== 'parent' || !ctx.actor.id) throw forbidden();
  const n = parseInput(parentNotificationSchema, input);
  const parentUserId = ctx.actor.id;
  return deps.runInTransaction(ctx, async (uow) => {
    const [link] = await uow.tx
      .select({ child: children, adult: adults })
      .from(childAdults)
      .innerJoin(adults, eq(adults.id, childAdults.adultId))
      .innerJoin(children, eq(children.id, childAdults.childId))
      .where(and(eq(childAdults.childId, n.childId), eq(adults.userId, parentUserId)));
    if (!link) throw new DomainError('validation', 'There is a problem', { childId: 'Select the child you are telling us about' });
    const { episodeId: _episodeId, ...result } = await recordParentNotification(uow, {
      parentUserId,
      parentName: `${link.adult.firstName} ${link.adult.lastName}`,
      child: link.child,
      homeEducationFrom: n.homeEducationFrom,
      eheReason: n.eheReason ?? null,
    });
    return result;
  });
}

/** A parent's notification of home education for a child already known to be theirs. */
export interface ParentNotification {
  parentUserId: string;
  parentName: string;
  child: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  homeEducationFrom: string;
  eheReason: string | null;
  /** Anything else the parent said that an officer should read with the notification. */
  details?: string | null;
}

/**
 * What a parent's notification does, in the caller's transaction, for every channel a parent uses
 * (the family service and its older form): the notification is kept and goes on the timeline and on
 * any social care plan's agenda; a child on no roll starts a home education episode (or joins the
 * one already open), a child still on a roll stays on it until the school's deletion return.
 */
export async function recordParentNotification(uow: UnitOfWork, n: ParentNotification): Promise<{ referralId: string; childId: string; outcome: ReferralOutcome; episodeId: string | null }> {
  const [saved] = await uow.tx
    .insert(referrals)
    .values({
      kind: 'parent-notification',
      childId: n.child.id,
      status: 'processed',
      submittedBy: n.parentUserId,
      referrerType: 'parent',
      referrerName: n.parentName,
      childFirstName: n.child.firstName,
      childLastName: n.child.lastName,
      childDateOfBirth: n.child.dateOfBirth,
      details: n.details ?? null,
      homeEducationFrom: n.homeEducationFrom,
      eheReason: n.eheReason,
      createdAt: uow.ctx.now,
    })
    .returning();
  uow.event({
    type: 'parent-notification.received',
    aggregateType: 'referral',
    aggregateId: saved!.id,
    childId: n.child.id,
    summary: `Parent told the council the child is home educated from ${n.homeEducationFrom}`,
    visibility: 'family',
  });
  uow.audit({ action: 'parent-notification.receive', recordType: 'referral', recordId: saved!.id, childId: n.child.id });
  await addHomeEducationToPlanAgenda(uow, n.child.id, `The parent told the council on ${uow.ctx.now.toISOString().slice(0, 10)} that they will educate the child at home from ${n.homeEducationFrom}`);
  if (await isOnRoll(uow.tx, n.child.id)) return { referralId: saved!.id, childId: n.child.id, outcome: 'recorded', episodeId: null };
  const episode = await openEpisodeIfNone(uow, { childId: n.child.id, kind: 'ehe', openedOn: n.homeEducationFrom, openedBy: 'parent-notification', sourceId: saved!.id, reason: n.eheReason });
  return { referralId: saved!.id, childId: n.child.id, outcome: 'ehe-episode-opened', episodeId: episode.id };
}

/**
 * A parent's notification about a child Cairn does not link to them, in the caller's transaction. It
 * waits for an officer to settle which child it is (`matchReferral`), then does what any parent's
 * notification does.
 */
export async function recordUnmatchedParentNotification(
  uow: UnitOfWork,
  n: Omit<ParentNotification, 'child'> & { child: { firstName: string; lastName: string; dateOfBirth: string }; address: { addressLine1: string; town: string; postcode: string } },
): Promise<{ referralId: string; outcome: ReferralOutcome }> {
  const [saved] = await uow.tx
    .insert(referrals)
    .values({
      kind: 'parent-notification',
      childId: null,
      status: 'awaiting-match',
      submittedBy: n.parentUserId,
      referrerType: 'parent',
      referrerName: n.parentName,
      childFirstName: n.child.firstName,
      childLastName: n.child.lastName,
      childDateOfBirth: n.child.dateOfBirth,
      addressLine1: n.address.addressLine1,
      town: n.address.town,
      postcode: n.address.postcode,
      details: n.details ?? null,
      homeEducationFrom: n.homeEducationFrom,
      eheReason: n.eheReason,
      createdAt: uow.ctx.now,
    })
    .returning();
  uow.audit({ action: 'parent-notification.receive', recordType: 'referral', recordId: saved!.id, childId: null, details: { awaitingMatch: true, channel: 'family-service' } });
  return { referralId: saved!.id, outcome: 'awaiting-match' };
}
