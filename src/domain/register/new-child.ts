import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { children } from '../../db/schema/index.ts';
import { nextLaChildId } from '../../db/repositories/children.ts';
import { postcodeKey } from '../identifiers/postcode.ts';

export interface IntakeChild {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  addressLine1: string;
  town: string;
  postcode: string;
  upn?: string | null;
}

/**
 * Adds a child the register did not know, from what an intake channel said about them, with a new
 * council reference; on the child's timeline and in the audit log with where they came from.
 */
export async function addChildFromIntake(uow: UnitOfWork, child: IntakeChild, origin: { summary: string; source: string; sourceId: string | null }): Promise<string> {
  const [row] = await uow.tx
    .insert(children)
    .values({
      laChildId: await nextLaChildId(uow.tx),
      upn: child.upn ?? null,
      firstName: child.firstName,
      lastName: child.lastName,
      dateOfBirth: child.dateOfBirth,
      sex: 'U',
      addressLine1: child.addressLine1,
      town: child.town,
      postcode: child.postcode,
      postcodeKey: postcodeKey(child.postcode),
      createdAt: uow.ctx.now,
      updatedAt: uow.ctx.now,
    })
    .returning({ id: children.id });
  const childId = row!.id;
  uow.event({ type: 'child.registered', aggregateType: 'child', aggregateId: childId, childId, summary: origin.summary, visibility: 'family', payload: { source: origin.source, sourceId: origin.sourceId } });
  uow.audit({ action: 'child.create', recordType: 'child', recordId: childId, childId, details: { source: origin.source, sourceId: origin.sourceId } });
  return childId;
}
