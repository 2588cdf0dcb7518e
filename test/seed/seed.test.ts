import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, count, eq, gte, isNotNull, isNull, lt } from 'drizzle-orm';
import {
  adults,
  allocations,
  auditLog,
  caseNotes,
  childAdults,
  children,
  councils,
  domainEvents,
  enrolments,
  schools,
  users,
} from '../../src/db/schema/index.ts';
import { isValidNhsNumber, isValidUpn, normalisePostcode, postcodeKey } from '../../src/domain/identifiers/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { generateDemoData } from '../../src/seed/generate.ts';
import { isDatabaseEmpty, seedDemoData, type SeedSummary } from '../../src/seed/seed.ts';
import { createThrowAwayDatabase, ENGINES, type ThrowAwayDatabase } from '../support/databases.ts';

const TODAY = '2026-05-11';
const ISSUER = 'http://localhost:3000/idp';
const OPTIONS = { seed: 11, childCount: 300, today: TODAY, embeddedIssuer: ISSUER } as const;

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

test('generation with the same seed is deterministic', () => {
  expect(generateDemoData(OPTIONS)).toEqual(generateDemoData(OPTIONS));
});

describe.each(ENGINES)('seedDemoData on %s', (engine) => {
  let throwAway: ThrowAwayDatabase;
  let summary: SeedSummary;
  let emptyBefore: boolean;

  beforeAll(async () => {
    throwAway = await createThrowAwayDatabase(engine);
    emptyBefore = await isDatabaseEmpty(throwAway.database.db);
    summary = await seedDemoData(throwAway.database, OPTIONS);
  }, 60_000);

  afterAll(async () => {
    await throwAway?.drop();
  });

  const db = () => throwAway.database.db;

  test('seeds 300 children into an empty database', () => {
    expect(emptyBefore).toBe(true);
    expect(summary.children).toBe(300);
    expect(summary.councils).toBe(1);
  });

  test('the row counts match the summary and the generated data', async () => {
    const generated = generateDemoData(OPTIONS);
    const tables = {
      councils,
      schools,
      users,
      adults,
      children,
      childAdults,
      enrolments,
      allocations,
      caseNotes,
      domainEvents,
    } as const;
    for (const [name, table] of Object.entries(tables)) {
      const [row] = await db().select({ n: count() }).from(table);
      const key = name as keyof SeedSummary;
      expect({ table: name, rows: row?.n }).toEqual({ table: name, rows: summary[key] });
      expect(summary[key]).toBe(generated[key].length);
    }
    expect(summary.caseNotes).toBeGreaterThanOrEqual(200);
    const [audit] = await db().select({ n: count() }).from(auditLog);
    expect(audit?.n).toBe(0);
  });

  test('every UPN and NHS number is valid', async () => {
    const rows = await db().select({ upn: children.upn, nhsNumber: children.nhsNumber }).from(children);
    const upns = rows.flatMap((r) => (r.upn === null ? [] : [r.upn]));
    const nhsNumbers = rows.flatMap((r) => (r.nhsNumber === null ? [] : [r.nhsNumber]));
    expect(upns.length).toBeGreaterThan(200);
    expect(nhsNumbers.length).toBeGreaterThan(100);
    expect(upns.filter((upn) => !isValidUpn(upn))).toEqual([]);
    expect(nhsNumbers.filter((n) => !isValidNhsNumber(n) || !n.startsWith('999'))).toEqual([]);
  });

  test('every postcode normalises', async () => {
    const childRows = await db().select({ postcode: children.postcode, key: children.postcodeKey }).from(children);
    for (const row of childRows) {
      expect(normalisePostcode(row.postcode)).toBe(row.postcode);
      expect(row.key).toBe(postcodeKey(row.postcode));
    }
    const others = [
      ...(await db().select({ postcode: adults.postcode }).from(adults)),
      ...(await db().select({ postcode: schools.postcode }).from(schools)),
    ];
    expect(others.filter((row) => normalisePostcode(row.postcode) !== row.postcode)).toEqual([]);
  });

  test('the demo parent has exactly two children, one of whom left the demo school for home education', async () => {
    const links = await db()
      .select({ childId: childAdults.childId })
      .from(users)
      .innerJoin(adults, eq(adults.userId, users.id))
      .innerJoin(childAdults, eq(childAdults.adultId, adults.id))
      .where(and(eq(users.subject, 'demo-parent'), eq(users.issuer, ISSUER)));
    expect(links).toHaveLength(2);
    const rows = await db()
      .select({ childId: enrolments.childId, urn: schools.urn, endDate: enrolments.endDate, ground: enrolments.deletionGround })
      .from(enrolments)
      .innerJoin(schools, eq(schools.id, enrolments.schoolId));
    const ofChild = (id: string) => rows.filter((r) => r.childId === id);
    const [first, second] = links.map((l) => l.childId) as [string, string];
    const onRoll = [first, second].filter((id) => ofChild(id).some((r) => r.endDate === null));
    expect(onRoll).toHaveLength(1);
    const leaver = onRoll[0] === first ? second : first;
    expect(ofChild(leaver)).toContainEqual(
      expect.objectContaining({ urn: DEMO_SCHOOL_URN, ground: 'f', endDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
    );
    const left = ofChild(leaver).find((r) => r.urn === DEMO_SCHOOL_URN);
    expect(left?.endDate != null && left.endDate >= daysBefore(TODAY, 90)).toBe(true);
  });

  test('the demo school has current pupils and recent leavers', async () => {
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    expect(school?.phase).toBe('secondary');
    const schoolId = school?.id ?? '';
    const [current] = await db()
      .select({ n: count() })
      .from(enrolments)
      .where(and(eq(enrolments.schoolId, schoolId), isNull(enrolments.endDate)));
    const [recent] = await db()
      .select({ n: count() })
      .from(enrolments)
      .where(and(eq(enrolments.schoolId, schoolId), gte(enrolments.endDate, daysBefore(TODAY, 90))));
    const [older] = await db()
      .select({ n: count() })
      .from(enrolments)
      .where(and(eq(enrolments.schoolId, schoolId), isNotNull(enrolments.endDate), lt(enrolments.endDate, daysBefore(TODAY, 365))));
    expect(current?.n).toBeGreaterThan(5);
    expect(recent?.n).toBeGreaterThanOrEqual(3);
    expect(older?.n).toBeGreaterThanOrEqual(3);
  });

  test('seeding twice is refused and changes nothing', async () => {
    expect(await isDatabaseEmpty(db())).toBe(false);
    await expect(seedDemoData(throwAway.database, { ...OPTIONS, seed: 12 })).rejects.toThrow(/already holds a council/);
    const [row] = await db().select({ n: count() }).from(children);
    expect(row?.n).toBe(300);
    const [councilRows] = await db().select({ n: count() }).from(councils);
    expect(councilRows?.n).toBe(1);
  });
});
