import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { children, enrolments, schools } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';

type Child = typeof children.$inferSelect;

/**
 * A pupil now on the demo school's roll, in a stable order. `offset` picks a later one;
 * `withoutEpisodes` skips children already on the register.
 */
export async function pupilOnDemoRoll(db: Db, options: { offset?: number; withoutEpisodes?: boolean } = {}) {
  const [school] = await db.select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
  const rows = await db
    .select({ child: children })
    .from(enrolments)
    .innerJoin(children, eq(children.id, enrolments.childId))
    .where(
      and(
        eq(enrolments.schoolId, school!.id),
        isNull(enrolments.endDate),
        ...(options.withoutEpisodes ? [sql`not exists (select 1 from episodes e where e.child_id = ${children.id})`] : []),
      ),
    )
    .orderBy(children.laChildId)
    .limit(1)
    .offset(options.offset ?? 0);
  return { school: school!, child: rows[0]!.child };
}

/** A complete, valid deletion return for a child, with the pupil's own details. */
export function deletionReturnFor(child: Pick<Child, 'firstName' | 'lastName' | 'dateOfBirth' | 'upn' | 'addressLine1' | 'town' | 'postcode'>, overrides: Record<string, unknown> = {}) {
  return {
    pupilFirstName: child.firstName,
    pupilLastName: child.lastName,
    pupilDateOfBirth: child.dateOfBirth,
    upn: child.upn ?? '',
    parentName: 'Jo Example',
    parentAddressLine1: child.addressLine1,
    parentTown: child.town,
    parentPostcode: child.postcode,
    emergencyPhone: '07700 900123',
    ground: 'i',
    deletionDate: '2026-11-20',
    safeguardingConcerns: 'no',
    ...overrides,
  };
}

/** A child with a parent who has parental responsibility (so letters can be sent), in a stable order. */
export async function childWithParent(db: Db, offset = 0) {
  const [row] = await db
    .select()
    .from(children)
    .where(sql`exists (select 1 from child_adults ca where ca.child_id = ${children.id} and ca.parental_responsibility)`)
    .orderBy(children.laChildId)
    .limit(1)
    .offset(offset);
  if (!row) throw new Error(`No child with a parent at offset ${offset}`);
  return row;
}
