import { and, eq, isNull, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { adults, childAdults, children, councils, enrolments, schools } from '../../src/db/schema/index.ts';
import type { Db } from '../../src/db/client.ts';
import type { Services } from '../../src/services.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor } from '../support/register.ts';

/** The day the notices tests run on: after the seed's day, with the register regime (when on) in force. */
export const NOW = new Date('2026-11-23T10:00:00Z');

/** Switches the 2026 register regime on (in force since 1 September 2026) or off. */
export async function setRegisterRegime(db: Db, enabled: boolean): Promise<void> {
  const [council] = await db.select().from(councils).limit(1);
  await db
    .update(councils)
    .set({ settings: { ...(council!.settings as Record<string, unknown>), registerRegime: { enabled, commencesOn: enabled ? '2026-09-01' : null } } })
    .where(eq(councils.id, council!.id));
}

/** The demo parent and their children (Ellis has left school for home education; Maisie is on a roll). */
export async function demoFamily(db: Db) {
  const rows = await db
    .select({ child: children, adult: adults })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .innerJoin(children, eq(children.id, childAdults.childId))
    .where(sql`${adults.userId} = (select id from users where subject = 'demo-parent')`);
  const byName = (name: string) => rows.find((r) => r.child.firstName === name)!.child;
  return { adult: rows[0]!.adult, ellis: byName('Ellis'), maisie: byName('Maisie') };
}

/** The school takes a child off its roll because the family moved away (ground g): no episode opens. */
export async function takeOffRollAfterMove(db: Db, services: Services, child: typeof children.$inferSelect, now = NOW): Promise<void> {
  const [row] = await db
    .select({ urn: schools.urn })
    .from(enrolments)
    .innerJoin(schools, eq(schools.id, enrolments.schoolId))
    .where(and(eq(enrolments.childId, child.id), isNull(enrolments.endDate)));
  const result = await services.submitDeletionReturn(
    await contextFor(db, 'demo-cme-officer', now),
    deletionReturnFor(child, { schoolUrn: row!.urn, ground: 'g', futureAddress: '8 Heron Way, Brackenthwaite, NZ2 8HW', deletionDate: '2026-11-20' }),
    'form',
  );
  expect(result.outcome).toBe('recorded');
}
