import { and, inArray, ne, or, gte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { children } from '../../db/schema/index.ts';
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
