import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { children, enrolments, episodes, schools } from '../../db/schema/index.ts';
import type { RunInTransaction } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { isoDate } from '../children/schemas.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { CME_TRANSITIONS, EHE_TRANSITIONS, nextStatus, type CmeStatus, type EheStatus } from './lifecycles.ts';

/**
 * The admission return: a school tells the council a child has joined its roll (within 5 days,
 * School Attendance (Pupil Registration) (England) Regulations 2024). A child on a school roll is
 * no longer missing education nor home educated, so their open episodes close.
 */

export interface AdmissionDeps {
  runInTransaction: RunInTransaction;
}

/** Council staff who may record an admission on a school's behalf; schools record their own. */
export const ADMISSION_COUNCIL_ROLES: readonly string[] = ['cme_officer', 'ehe_officer', 'team_manager', 'mash_worker', 'social_worker', 'data_officer', 'system'];

export const admissionSchema = z.object({
  childId: z.string().trim().uuid({ error: 'Select the child' }),
  schoolUrn: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter a 6-digit URN, like 999101')
    .optional(),
  startDate: z.string().trim().min(1, 'Enter the date the child started').pipe(isoDate),
});
export type AdmissionInput = z.input<typeof admissionSchema>;

export interface AdmissionResult {
  enrolmentId: string;
  /** False when the child was already on this school's roll; nothing new was enrolled. */
  enrolled: boolean;
  closedEpisodeIds: string[];
}

/**
 * Records that a child was admitted to a school: enrols them, and closes every open home education
 * episode and missing-education case, since the child is now at school. Each closure goes through
 * the lifecycle's close-on-admission event and appears on the child's timeline for partners.
 */
export async function recordAdmission(deps: AdmissionDeps, ctx: UseCaseContext, input: unknown): Promise<AdmissionResult> {
  const parsed = parseInput(admissionSchema, input);
  const today = ctx.now.toISOString().slice(0, 10);
  if (parsed.startDate > today) throw new DomainError('validation', 'There is a problem', { startDate: 'The start date must be today or in the past' });
  const isSchool = ctx.actor.role === 'school_user';
  if (!isSchool && !ADMISSION_COUNCIL_ROLES.includes(ctx.actor.role)) {
    await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: 'admission-return.record.refused', recordType: 'child', recordId: parsed.childId, childId: null, details: { role: ctx.actor.role } }));
    throw forbidden();
  }
  return deps.runInTransaction(ctx, async (uow) => {
    const tx = uow.tx;
    let school: typeof schools.$inferSelect | undefined;
    if (isSchool) {
      if (!ctx.actor.schoolId) throw forbidden();
      [school] = await tx.select().from(schools).where(eq(schools.id, ctx.actor.schoolId));
      if (!school) throw forbidden();
      if (parsed.schoolUrn && parsed.schoolUrn !== school.urn) throw forbidden('You can only send returns for your own school.');
    } else {
      if (!parsed.schoolUrn) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'Enter the school’s URN' });
      [school] = await tx.select().from(schools).where(eq(schools.urn, parsed.schoolUrn));
      if (!school) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'There is no school with that URN in Cairn' });
    }
    const [child] = await tx.select({ id: children.id }).from(children).where(eq(children.id, parsed.childId));
    if (!child) throw notFound('The child');

    const [onRoll] = await tx
      .select({ id: enrolments.id })
      .from(enrolments)
      .where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id), isNull(enrolments.endDate)));
    let enrolmentId: string;
    if (onRoll) enrolmentId = onRoll.id;
    else {
      const [saved] = await tx.insert(enrolments).values({ childId: child.id, schoolId: school.id, startDate: parsed.startDate, createdAt: ctx.now }).returning({ id: enrolments.id });
      enrolmentId = saved!.id;
      uow.event({
        type: 'admission-return.received',
        aggregateType: 'enrolment',
        aggregateId: enrolmentId,
        childId: child.id,
        summary: `Admitted to ${school.name} from ${parsed.startDate}`,
        visibility: 'partners',
        payload: { schoolUrn: school.urn, startDate: parsed.startDate },
      });
    }

    const closeReason = `Admitted to ${school.name}`;
    const open = await tx.select().from(episodes).where(and(eq(episodes.childId, child.id), isNull(episodes.closedOn)));
    const closedEpisodeIds: string[] = [];
    for (const episode of open) {
      const to = episode.kind === 'cme' ? nextStatus(CME_TRANSITIONS, episode.status as CmeStatus, 'close-on-admission') : nextStatus(EHE_TRANSITIONS, episode.status as EheStatus, 'close-on-admission');
      if (!to) continue;
      // The episode ends when the child started, unless it opened later than that.
      const closedOn = parsed.startDate >= episode.openedOn ? parsed.startDate : today;
      await tx
        .update(episodes)
        .set({ status: to, closedOn, closeReason, version: episode.version + 1, updatedAt: ctx.now })
        .where(and(eq(episodes.id, episode.id), eq(episodes.version, episode.version)));
      closedEpisodeIds.push(episode.id);
      const what = episode.kind === 'cme' ? 'Child missing education case' : 'Elective home education episode';
      uow.event({
        type: episode.kind === 'cme' ? 'cme-case.closed' : 'ehe-episode.closed',
        aggregateType: 'episode',
        aggregateId: episode.id,
        childId: child.id,
        summary: `${what} closed: admitted to ${school.name}`,
        visibility: 'partners',
        payload: { closeReason, closedOn },
      });
      uow.audit({ action: `${episode.kind}-episode.close`, recordType: 'episode', recordId: episode.id, childId: child.id, details: { from: episode.status, to, closeReason } });
    }
    uow.audit({ action: 'admission-return.record', recordType: 'enrolment', recordId: enrolmentId, childId: child.id, details: { school: school.urn, startDate: parsed.startDate, enrolled: !onRoll, closedEpisodeIds } });
    return { enrolmentId, enrolled: !onRoll, closedEpisodeIds };
  });
}
