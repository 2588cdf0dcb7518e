import { and, inArray, ne, or, gte, sql } from 'drizzle-orm';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { Tx } from '../../db/client.ts';
import { children, consentRequests, schools } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';

/**
 * Which of these children may be taken off roll for home education only with the council's consent
 * (2026 Act s434A) because of child protection: subject now to s47 enquiries or a child protection
 * plan, or within the council's configured look-back after one ended. A special school placement is
 * the other reason, decided from the school.
 */
export async function childrenProtectedForWithdrawal(tx: Tx, childIds: readonly string[], today: string): Promise<Set<string>> {
  const ids = [...new Set(childIds)];
  if (ids.length === 0) return new Set();
  const { consentProtectionLookbackYears: years } = (await loadCouncilSettings(tx)).periods;
  const lookBackFrom = `${Number(today.slice(0, 4)) - years}${today.slice(4)}`;
  const rows = await tx
    .select({ id: children.id })
    .from(children)
    .where(and(inArray(children.id, ids), or(ne(children.protectionStatus, 'none'), years > 0 ? gte(children.protectionEndedOn, lookBackFrom) : sql`false`)));
  return new Set(rows.map((r) => r.id));
}

/** Whether a deletion needs the council's consent before it can take effect. */
export function withdrawalNeedsConsent(ground: string, schoolType: string, childProtected: boolean): boolean {
  return ground === 'f' && (schoolType === 'special' || childProtected);
}

/**
 * Opens a consent request for each held deletion return, with why consent is needed. Called by
 * intake in the same transaction that holds the deletion.
 */
export async function openConsentRequests(uow: UnitOfWork, held: readonly { id: string; childId: string | null; schoolId: string }[], today: string): Promise<void> {
  const rows = held.filter((r): r is { id: string; childId: string; schoolId: string } => r.childId !== null);
  if (rows.length === 0) return;
  const childRows = await uow.tx.select({ id: children.id, protectionStatus: children.protectionStatus }).from(children).where(inArray(children.id, rows.map((r) => r.childId)));
  const schoolRows = await uow.tx.select({ id: schools.id, type: schools.type }).from(schools).where(inArray(schools.id, [...new Set(rows.map((r) => r.schoolId))]));
  const protection = new Map(childRows.map((c) => [c.id, c.protectionStatus]));
  const schoolType = new Map(schoolRows.map((s) => [s.id, s.type]));
  const inserted = await uow.tx
    .insert(consentRequests)
    .values(
      rows.map((r) => {
        const status = protection.get(r.childId) ?? 'none';
        const grounds = [...(schoolType.get(r.schoolId) === 'special' ? ['special-school'] : []), ...(status === 'none' ? (schoolType.get(r.schoolId) === 'special' ? [] : ['previous-protection']) : [status])];
        return { childId: r.childId, deletionReturnId: r.id, schoolId: r.schoolId, status: 'requested', requestedOn: today, grounds, createdAt: uow.ctx.now, updatedAt: uow.ctx.now };
      }),
    )
    .onConflictDoNothing()
    .returning();
  for (const c of inserted) {
    uow.event({ type: 'consent.requested', aggregateType: 'consent_request', aggregateId: c.id, childId: c.childId, summary: 'The council’s consent to withdrawal for home education is needed', visibility: 'partners' });
  }
}

