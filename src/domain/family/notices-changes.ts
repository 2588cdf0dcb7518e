import { and, eq } from 'drizzle-orm';
import { adults, children } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import { recordPreviousAddress } from '../../db/repositories/children.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { formatLongDate, todayIn } from '../calendar/index.ts';
import { registerRegimeInForce } from '../council/settings.ts';
import { DomainError, staleVersion } from '../errors.ts';
import { postcodeKey } from '../identifiers/postcode.ts';
import { parseInput } from '../validation.ts';
import { asFamily, childOfFamily, insertSubmission, type FamilyDeps } from './core.ts';
import { addProviderFromParent, openHomeEducationEpisode } from './notices-education.ts';
import { changeOfAddressSchema, newProviderSchema, PARENT_PROVIDER_TYPES } from './notices-schemas.ts';

/**
 * A parent reports a change: a new address (their own, and the children who live with them and
 * move too), or a new provider of a child's education. The 2026 Act asks parents to report changes
 * to what the register holds; each report is a submission with a reference the parent can quote.
 */

export interface FamilyForChanges {
  version: number;
  name: string;
  address: { addressLine1: string; town: string; postcode: string };
  children: { childId: string; name: string; livesWith: boolean }[];
  regimeInForce: boolean;
}

/** What the change pages need: the parent's current address (theirs alone) and their children. */
export async function viewFamilyForChanges(deps: FamilyDeps, ctx: UseCaseContext): Promise<FamilyForChanges> {
  return asFamily(deps, ctx, 'family.changes.view', async (uow, family) => {
    const a = family.adult;
    uow.audit({ action: 'family.children.list', recordType: 'family', recordId: a.id, childId: null, details: { children: family.children.map((c) => c.childId) } });
    return {
      version: a.version,
      name: `${a.firstName} ${a.lastName}`,
      address: { addressLine1: a.addressLine1, town: a.town, postcode: a.postcode },
      children: family.children.map((c) => ({ childId: c.childId, name: `${c.firstName} ${c.lastName}`, livesWith: c.livesWith })),
      regimeInForce: registerRegimeInForce(await loadCouncilSettings(uow.tx), todayIn(ctx.now)),
    };
  });
}

/**
 * A parent's new address. Their own record changes only if nobody changed it since they read it.
 * Each child who moves with them gets the new address, the old one going into their address history.
 * The address itself stays off every timeline, which another parent may read.
 */
export async function reportChangeOfAddress(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<{ submissionId: string; reference: string }> {
  return asFamily(deps, ctx, 'family.change-of-address', async (uow, family) => {
    const c = parseInput(changeOfAddressSchema, input);
    const moving = [...new Set(c.childIds)].map((id) => childOfFamily(uow, family, id));
    const notLiving = moving.find((m) => !m.livesWith);
    if (notLiving) throw new DomainError('validation', 'There is a problem', { childIds: 'Select only children who live with you' });
    if (family.adult.version !== c.version) throw staleVersion('address');
    const addressLine1 = [c.addressLine1, c.addressLine2].filter(Boolean).join(', ');
    const [updated] = await uow.tx
      .update(adults)
      .set({ addressLine1, town: c.town, postcode: c.postcode, version: c.version + 1 })
      .where(and(eq(adults.id, family.adult.id), eq(adults.version, c.version)))
      .returning({ id: adults.id });
    if (!updated) throw staleVersion('address');
    uow.audit({
      action: 'family.adult.change-address',
      recordType: 'adult',
      recordId: family.adult.id,
      childId: null,
      details: { from: { addressLine1: family.adult.addressLine1, town: family.adult.town, postcode: family.adult.postcode }, to: { addressLine1, town: c.town, postcode: c.postcode }, movedOn: c.movedOn },
    });
    for (const m of moving) {
      const [child] = await uow.tx.select().from(children).where(eq(children.id, m.childId)).for('update');
      if (!child) continue;
      await recordPreviousAddress(uow.tx, child, c.movedOn, 'parent', ctx.now);
      const [moved] = await uow.tx
        .update(children)
        .set({ addressLine1: c.addressLine1, addressLine2: c.addressLine2 ?? null, town: c.town, postcode: c.postcode, postcodeKey: postcodeKey(c.postcode), version: child.version + 1, updatedAt: ctx.now })
        .where(and(eq(children.id, child.id), eq(children.version, child.version)))
        .returning({ id: children.id });
      if (!moved) throw staleVersion('child’s details');
      uow.event({ type: 'child.details-changed', aggregateType: 'child', aggregateId: child.id, childId: child.id, summary: 'Details changed: address (reported by the parent)', visibility: 'staff', payload: { fields: ['addressLine1', 'addressLine2', 'town', 'postcode'] } });
      uow.audit({ action: 'child.edit', recordType: 'child', recordId: child.id, childId: child.id, details: { source: 'parent', changed: { address: { from: [child.addressLine1, child.addressLine2, child.town, child.postcode].filter(Boolean).join(', '), to: [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', ') } } } });
    }
    const submission = await insertSubmission(uow, family, {
      kind: 'change-of-address',
      childId: moving[0]?.childId ?? null,
      details: {
        lines: [
          { label: 'New address', value: [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', ') },
          { label: 'Date of the move', value: formatLongDate(c.movedOn) },
          { label: 'Children moving with you', value: moving.length ? moving.map((m) => `${m.firstName} ${m.lastName}`).join(', ') : 'None' },
        ],
        childIds: moving.map((m) => m.childId),
        movedOn: c.movedOn,
      },
      summary: 'A parent reported a change of address',
      // Another parent reads the child's timeline; that this parent moved is not theirs to know.
      visibility: 'staff',
    });
    return { submissionId: submission.id, reference: submission.reference };
  });
}

/** A new provider of a child's education, recorded with source "parent". */
export async function reportNewProvider(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<{ submissionId: string; reference: string }> {
  return asFamily(deps, ctx, 'family.new-provider', async (uow, family) => {
    const regimeInForce = registerRegimeInForce(await loadCouncilSettings(uow.tx), todayIn(ctx.now));
    const p = parseInput(newProviderSchema(regimeInForce), input);
    const child = childOfFamily(uow, family, p.childId);
    await addProviderFromParent(uow, child.childId, p);
    const time = [p.hoursPerWeek !== undefined ? `${p.hoursPerWeek} hours a week` : '', p.hoursWithoutParentPerWeek !== undefined ? `${p.hoursWithoutParentPerWeek} without a parent` : ''].filter(Boolean).join(', ');
    const submission = await insertSubmission(uow, family, {
      kind: 'new-provider',
      childId: child.childId,
      eheEpisodeId: await openHomeEducationEpisode(uow.tx, child.childId),
      details: {
        lines: [
          { label: 'Child', value: `${child.firstName} ${child.lastName}` },
          { label: 'Provider', value: `${p.name} (${PARENT_PROVIDER_TYPES[p.type].toLowerCase()})` },
          { label: 'Address or website', value: p.addressOrWebsite },
          { label: 'Time with the provider', value: time || 'Not given' },
          ...(p.startedOn ? [{ label: 'Started', value: formatLongDate(p.startedOn) }] : []),
        ],
        provider: { type: p.type, name: p.name, addressOrWebsite: p.addressOrWebsite, hoursPerWeek: p.hoursPerWeek ?? null, hoursWithoutParentPerWeek: p.hoursWithoutParentPerWeek ?? null, startedOn: p.startedOn ?? null },
      },
      summary: `A parent reported a new education provider: ${p.name}`,
    });
    return { submissionId: submission.id, reference: submission.reference };
  });
}
