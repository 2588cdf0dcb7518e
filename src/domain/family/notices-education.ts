import { and, eq, isNull } from 'drizzle-orm';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { childAdults, educationArrangements, educationProviders, episodes } from '../../db/schema/index.ts';
import type { Tx } from '../../db/client.ts';

/**
 * The register's items about how a child is educated, as a parent states them through the family
 * service: each statement kept with source "parent", on the child's timeline, audited, in the
 * caller's transaction. Officers record the same items through src/domain/register/education.ts.
 */

export interface ParentProvider {
  type: string;
  name: string;
  addressOrWebsite: string;
  hoursPerWeek?: number | undefined;
  hoursWithoutParentPerWeek?: number | undefined;
}

/** A new statement of the time a child is educated by parents and by others, from the parent. */
export async function recordArrangementFromParent(uow: UnitOfWork, childId: string, time: { parentHoursPerWeek: number | null; otherHoursPerWeek: number | null }) {
  const [saved] = await uow.tx
    .insert(educationArrangements)
    .values({ childId, parentHoursPerWeek: time.parentHoursPerWeek, otherHoursPerWeek: time.otherHoursPerWeek, source: 'parent', recordedBy: uow.ctx.actor.id, recordedAt: uow.ctx.now })
    .returning();
  uow.event({ type: 'education.arrangement-recorded', aggregateType: 'child', aggregateId: childId, childId, summary: 'Education arrangements recorded (source: parent)', visibility: 'family' });
  uow.audit({ action: 'education.record-arrangement', recordType: 'education_arrangement', recordId: saved!.id, childId, details: { ...time, source: 'parent' } });
  return saved!;
}

/** Another provider of the child's education, from the parent. */
export async function addProviderFromParent(uow: UnitOfWork, childId: string, provider: ParentProvider) {
  const [saved] = await uow.tx
    .insert(educationProviders)
    .values({
      childId,
      name: provider.name,
      type: provider.type,
      addressOrWebsite: provider.addressOrWebsite,
      hoursPerWeek: provider.hoursPerWeek ?? null,
      hoursWithoutParentPerWeek: provider.hoursWithoutParentPerWeek ?? null,
      source: 'parent',
      recordedBy: uow.ctx.actor.id,
      recordedAt: uow.ctx.now,
    })
    .returning();
  uow.event({ type: 'education.provider-added', aggregateType: 'child', aggregateId: childId, childId, summary: `Education provider added: ${provider.name}`, visibility: 'family' });
  uow.audit({ action: 'education.add-provider', recordType: 'education_provider', recordId: saved!.id, childId, details: { name: provider.name, source: 'parent' } });
  return saved!;
}

/** Records whether this parent provides the child's education (a register item: which parents educate). */
export async function recordParentEducates(uow: UnitOfWork, childId: string, adultId: string, educates: boolean): Promise<void> {
  const [changed] = await uow.tx
    .update(childAdults)
    .set({ providesEducation: educates })
    .where(and(eq(childAdults.childId, childId), eq(childAdults.adultId, adultId)))
    .returning({ childId: childAdults.childId });
  if (changed) uow.audit({ action: 'child.parent-educates', recordType: 'child', recordId: childId, childId, details: { adultId, providesEducation: educates, source: 'parent' } });
}

/** The child's open home education episode, if any, so what a parent sends is linked to it. */
export async function openHomeEducationEpisode(tx: Tx, childId: string): Promise<string | null> {
  const [open] = await tx
    .select({ id: episodes.id })
    .from(episodes)
    .where(and(eq(episodes.childId, childId), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)))
    .limit(1);
  return open?.id ?? null;
}
