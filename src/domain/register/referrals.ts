import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { adults, childAdults, children, enrolments, referrals } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { COUNCIL_CASEWORK_ROLES } from '../auth/roles.ts';
import { isoDate } from '../children/schemas.ts';
import { DomainError, forbidden } from '../errors.ts';
import { normalisePostcode, postcodeKey } from '../identifiers/postcode.ts';
import { parseInput } from '../validation.ts';
import type { RegisterDeps } from './deletion-returns.ts';
import { AUTOMATIC_LINK_SCORE } from './matching.ts';
import { openEpisodeIfNone } from './open-episode.ts';
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

const PARTNER_ROLES = ['health_visitor', ...COUNCIL_CASEWORK_ROLES, 'data_officer'] as const;

async function isOnRoll(tx: Tx, childId: string): Promise<boolean> {
  const [row] = await tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.childId, childId), isNull(enrolments.endDate))).limit(1);
  return row !== undefined;
}

async function nextLaChildId(tx: Tx): Promise<string> {
  const [row] = await tx.select({ max: sql<string | null>`max(${children.laChildId})` }).from(children).where(sql`${children.laChildId} ~ '^NS[0-9]+$'`);
  const next = Number((row?.max ?? 'NS0').slice(2)) + 1;
  return `NS${String(next).padStart(6, '0')}`;
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
    const strong = candidates.filter((c) => c.score >= 85);
    const certain = candidates.filter((c) => c.score >= AUTOMATIC_LINK_SCORE);
    let childId: string | null = certain.length === 1 ? certain[0]!.childId : strong.length === 1 && strong[0]!.reasons.includes('Same postcode') ? strong[0]!.childId : null;
    let created = false;
    if (!childId && strong.length === 0) {
      const [child] = await uow.tx
        .insert(children)
        .values({
          laChildId: await nextLaChildId(uow.tx),
          firstName: r.childFirstName,
          lastName: r.childLastName,
          dateOfBirth: r.childDateOfBirth,
          sex: 'U',
          addressLine1: r.addressLine1,
          town: r.town,
          postcode: r.postcode,
          postcodeKey: postcodeKey(r.postcode),
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      childId = child!.id;
      created = true;
      uow.event({ type: 'child.registered', aggregateType: 'child', aggregateId: childId, childId, summary: 'Added to the register from a partner’s referral', visibility: 'family' });
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
    uow.event({
      type: 'referral.received',
      aggregateType: 'referral',
      aggregateId: saved!.id,
      childId,
      summary: `Referred as possibly not in school by ${r.referrerOrganisation ?? r.referrerName} (${REFERRER_TYPES[r.referrerType as keyof typeof REFERRER_TYPES].toLowerCase()})`,
      visibility: 'staff',
    });
    if (await isOnRoll(uow.tx, childId)) return { referralId: saved!.id, childId, outcome: 'recorded' as ReferralOutcome };
    await openEpisodeIfNone(uow, { childId, kind: 'cme', openedOn: ctx.now.toISOString().slice(0, 10), openedBy: 'partner-referral', sourceId: saved!.id, reason: created ? 'unknown-child' : 'referral' });
    return { referralId: saved!.id, childId, outcome: 'cme-case-opened' as ReferralOutcome };
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
    const [saved] = await uow.tx
      .insert(referrals)
      .values({
        kind: 'parent-notification',
        childId: link.child.id,
        status: 'processed',
        submittedBy: parentUserId,
        referrerType: 'parent',
        referrerName: `${link.adult.firstName} ${link.adult.lastName}`,
        childFirstName: link.child.firstName,
        childLastName: link.child.lastName,
        childDateOfBirth: link.child.dateOfBirth,
        homeEducationFrom: n.homeEducationFrom,
        eheReason: n.eheReason ?? null,
        createdAt: ctx.now,
      })
      .returning();
    uow.event({
      type: 'parent-notification.received',
      aggregateType: 'referral',
      aggregateId: saved!.id,
      childId: link.child.id,
      summary: `Parent told the council the child is home educated from ${n.homeEducationFrom}`,
      visibility: 'family',
    });
    uow.audit({ action: 'parent-notification.receive', recordType: 'referral', recordId: saved!.id, childId: link.child.id });
    if (await isOnRoll(uow.tx, link.child.id)) return { referralId: saved!.id, childId: link.child.id, outcome: 'recorded' as ReferralOutcome };
    await openEpisodeIfNone(uow, { childId: link.child.id, kind: 'ehe', openedOn: n.homeEducationFrom, openedBy: 'parent-notification', sourceId: saved!.id, reason: n.eheReason ?? null });
    return { referralId: saved!.id, childId: link.child.id, outcome: 'ehe-episode-opened' as ReferralOutcome };
  });
}
