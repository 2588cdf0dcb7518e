import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { educationArrangements, educationProviders } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { canOnChild } from '../auth/policies.ts';
import { forbidden, notFound } from '../errors.ts';
import { findChildWithRelationships } from '../../db/repositories/children.ts';
import { parseInput } from '../validation.ts';
import type { RegisterDeps } from './deletion-returns.ts';
import type { PolicySettings } from '../auth/policies.ts';

export const INFORMATION_SOURCES = {
  parent: 'The parent',
  school: 'The school',
  partner: 'A partner agency',
  officer: 'A council officer',
} as const;

export const PROVIDER_TYPES = {
  tutor: 'Tutor',
  'online school': 'Online school',
  'tuition centre': 'Tuition centre',
  group: 'Home education group',
  'alternative provision': 'Alternative provision',
  college: 'College',
  other: 'Other',
} as const;

const hours = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? Number(v) : v),
    z
      .number({ error: `Enter ${label} as a number of hours` })
      .int(`Enter ${label} in whole hours`)
      .min(0, `${label[0]!.toUpperCase()}${label.slice(1)} must be 0 or more`)
      .max(60, `${label[0]!.toUpperCase()}${label.slice(1)} must be 60 hours or fewer`)
      .optional(),
  );

const source = z.enum(Object.keys(INFORMATION_SOURCES) as [string, ...string[]], { error: 'Select where this information came from' });

/** The 2026 Act's items on how a child is educated, each statement with its source. */
export const educationArrangementSchema = z.object({
  parentHoursPerWeek: hours('time educated by parents'),
  otherHoursPerWeek: hours('time educated by others'),
  source,
});

export const educationProviderSchema = z.object({
  name: z.string().trim().min(1, 'Enter the provider’s name').max(200, 'Name must be 200 characters or fewer'),
  type: z.enum(Object.keys(PROVIDER_TYPES) as [string, ...string[]], { error: 'Select the type of provider' }),
  addressOrWebsite: z.string().trim().min(1, 'Enter the provider’s address or website').max(300, 'Address or website must be 300 characters or fewer'),
  hoursPerWeek: hours('time spent with the provider'),
  hoursWithoutParentPerWeek: hours('time there without a parent'),
  source,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything recorded about how a child is educated, for council staff: every statement of time
 * educated (newest first) and every provider, ended ones included. Audited as a read.
 */
export async function viewEducation(deps: EducationDeps, ctx: UseCaseContext, childId: string) {
  if (!UUID.test(childId)) throw notFound('The child');
  return deps.runInTransaction(ctx, async (uow) => {
    await authorise(deps, ctx, uow.tx, childId);
    const arrangements = await uow.tx.select().from(educationArrangements).where(eq(educationArrangements.childId, childId)).orderBy(desc(educationArrangements.recordedAt));
    const providers = await uow.tx.select().from(educationProviders).where(eq(educationProviders.childId, childId)).orderBy(educationProviders.name);
    uow.audit({ action: 'education.view', recordType: 'child', recordId: childId, childId });
    return { current: arrangements[0] ?? null, arrangements, providers };
  });
}

interface EducationDeps extends RegisterDeps {
  policy: PolicySettings;
}

async function authorise(deps: EducationDeps, ctx: UseCaseContext, tx: Parameters<Parameters<RegisterDeps['runInTransaction']>[1]>[0]['tx'], childId: string) {
  const found = await findChildWithRelationships(tx, childId);
  if (!found) throw notFound('The child');
  if (!canOnChild(ctx.actor, 'child.edit', found.relationships, ctx.now, deps.policy)) throw forbidden();
}

/**
 * Records how a child is educated now (time with parents and with others). Earlier statements are
 * kept: the newest is current, and each says who it came from and when.
 */
export async function recordEducationArrangement(deps: EducationDeps, ctx: UseCaseContext, childId: string, input: unknown) {
  const parsed = parseInput(educationArrangementSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    await authorise(deps, ctx, uow.tx, childId);
    const [saved] = await uow.tx
      .insert(educationArrangements)
      .values({ childId, parentHoursPerWeek: parsed.parentHoursPerWeek ?? null, otherHoursPerWeek: parsed.otherHoursPerWeek ?? null, source: parsed.source, recordedBy: ctx.actor.id, recordedAt: ctx.now })
      .returning();
    uow.event({ type: 'education.arrangement-recorded', aggregateType: 'child', aggregateId: childId, childId, summary: `Education arrangements recorded (source: ${parsed.source})`, visibility: 'family' });
    uow.audit({ action: 'education.record-arrangement', recordType: 'education_arrangement', recordId: saved!.id, childId, details: { ...parsed } });
    return saved!;
  });
}

/** Adds another provider of the child's education, with its source. */
export async function addEducationProvider(deps: EducationDeps, ctx: UseCaseContext, childId: string, input: unknown) {
  const parsed = parseInput(educationProviderSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    await authorise(deps, ctx, uow.tx, childId);
    const [saved] = await uow.tx
      .insert(educationProviders)
      .values({
        childId,
        name: parsed.name,
        type: parsed.type,
        addressOrWebsite: parsed.addressOrWebsite,
        hoursPerWeek: parsed.hoursPerWeek ?? null,
        hoursWithoutParentPerWeek: parsed.hoursWithoutParentPerWeek ?? null,
        source: parsed.source,
        recordedBy: ctx.actor.id,
        recordedAt: ctx.now,
      })
      .returning();
    uow.event({ type: 'education.provider-added', aggregateType: 'child', aggregateId: childId, childId, summary: `Education provider added: ${parsed.name}`, visibility: 'family' });
    uow.audit({ action: 'education.add-provider', recordType: 'education_provider', recordId: saved!.id, childId, details: { name: parsed.name, source: parsed.source } });
    return saved!;
  });
}

/** Ends a provider (the child no longer goes there); the record stays as history. */
export async function endEducationProvider(deps: EducationDeps, ctx: UseCaseContext, childId: string, providerId: string) {
  if (!UUID.test(childId)) throw notFound('The child');
  if (!UUID.test(providerId)) throw notFound('The provider');
  return deps.runInTransaction(ctx, async (uow) => {
    await authorise(deps, ctx, uow.tx, childId);
    const [ended] = await uow.tx
      .update(educationProviders)
      .set({ endedOn: ctx.now.toISOString().slice(0, 10) })
      .where(and(eq(educationProviders.id, providerId), eq(educationProviders.childId, childId), isNull(educationProviders.endedOn)))
      .returning();
    if (!ended) throw notFound('The provider');
    uow.event({ type: 'education.provider-ended', aggregateType: 'child', aggregateId: childId, childId, summary: `Education provider ended: ${ended.name}`, visibility: 'family' });
    uow.audit({ action: 'education.end-provider', recordType: 'education_provider', recordId: ended.id, childId });
    return ended;
  });
}
