import { describe, expect, test } from 'vitest';
import { COUNCIL_CASEWORK_ROLES } from '../../src/domain/auth/roles.ts';
import { isValidNhsNumber, isValidUpn, normalisePostcode, postcodeKey } from '../../src/domain/identifiers/index.ts';
import { DEMO_ACCOUNTS, DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { generateDemoData, type DemoData } from '../../src/seed/generate.ts';

const TODAY = '2026-05-11';
const ISSUER = 'http://localhost:3000/idp';
const data: DemoData = generateDemoData({ seed: 7, childCount: 300, today: TODAY, embeddedIssuer: ISSUER });
const endOfToday = new Date(`${TODAY}T23:59:59Z`);

function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

function user(subject: string) {
  const found = data.users.find((u) => u.subject === subject);
  if (!found) throw new Error(`no user ${subject}`);
  return found;
}

describe('generateDemoData', () => {
  test('is deterministic for a seed and date, and differs between seeds', () => {
    const again = generateDemoData({ seed: 7, childCount: 300, today: TODAY, embeddedIssuer: ISSUER });
    expect(again).toEqual(data);
    const other = generateDemoData({ seed: 8, childCount: 300, today: TODAY, embeddedIssuer: ISSUER });
    expect(other.children[2]?.id).not.toBe(data.children[2]?.id);
  });

  test('creates the Northshire council and its schools', () => {
    expect(data.councils).toEqual([expect.objectContaining({ name: 'Northshire Council', laNumber: '999', gssCode: 'E06999999' })]);
    expect(data.schools.length).toBeGreaterThanOrEqual(18);
    expect(data.schools[0]).toMatchObject({ urn: DEMO_SCHOOL_URN, phase: 'secondary' });
    expect(data.schools.map((s) => s.urn)).toEqual(data.schools.map((_, i) => String(999_101 + i)));
    for (const school of data.schools) {
      expect(school.laestab).toMatch(/^999\d{4}$/);
      expect(normalisePostcode(school.postcode)).toBe(school.postcode);
    }
    expect(data.schools.some((s) => s.type === 'special')).toBe(true);
    expect(data.schools.some((s) => s.type === 'pupil referral unit')).toBe(true);
    expect(new Set(data.schools.map((s) => s.laestab)).size).toBe(data.schools.length);
  });

  test('children are of compulsory school age, with a few under five', () => {
    expect(data.children).toHaveLength(300);
    const ages = data.children.map((c) => ageOn(c.dateOfBirth, TODAY));
    expect(ages.every((age) => age >= 0 && age <= 16)).toBe(true);
    const underFive = ages.filter((age) => age < 5).length;
    expect(underFive).toBeGreaterThanOrEqual(6);
    expect(underFive).toBeLessThan(40);
    expect(new Set(data.children.map((c) => c.sex))).toEqual(new Set(['F', 'M', 'U']));
  });

  test('children carry well-formed, unique identifiers and addresses', () => {
    const laIds = data.children.map((c) => c.laChildId);
    expect(laIds.every((id) => /^NS\d{6}$/.test(id))).toBe(true);
    expect(new Set(laIds).size).toBe(laIds.length);
    const upns = data.children.flatMap((c) => (c.upn ? [c.upn] : []));
    expect(upns.length).toBeGreaterThan(200);
    expect(upns.length).toBeLessThan(300);
    expect(upns.every((upn) => isValidUpn(upn) && upn.slice(1, 4) === '999')).toBe(true);
    expect(new Set(upns).size).toBe(upns.length);
    const nhs = data.children.flatMap((c) => (c.nhsNumber ? [c.nhsNumber] : []));
    expect(nhs.length).toBeGreaterThan(100);
    expect(nhs.every((n) => isValidNhsNumber(n) && n.startsWith('999'))).toBe(true);
    expect(new Set(nhs).size).toBe(nhs.length);
    for (const child of data.children) {
      expect(normalisePostcode(child.postcode)).toBe(child.postcode);
      expect(child.postcodeKey).toBe(postcodeKey(child.postcode));
    }
  });

  test('every child has at least one adult, and some households have siblings', () => {
    const adultIds = new Set(data.adults.map((a) => a.id));
    const byChild = new Map<string, number>();
    for (const link of data.childAdults) {
      expect(adultIds.has(link.adultId)).toBe(true);
      byChild.set(link.childId, (byChild.get(link.childId) ?? 0) + 1);
    }
    expect(data.children.every((c) => (byChild.get(c.id) ?? 0) >= 1)).toBe(true);
    expect(data.childAdults.some((l) => l.livesWith === false)).toBe(true);
    const childrenPerAdult = new Map<string, number>();
    for (const link of data.childAdults) childrenPerAdult.set(link.adultId, (childrenPerAdult.get(link.adultId) ?? 0) + 1);
    expect([...childrenPerAdult.values()].some((n) => n >= 2)).toBe(true);
  });

  test('enrolments are consistent, and about 15% of children left a roll in the last 18 months', () => {
    for (const e of data.enrolments) {
      expect(e.startDate <= TODAY).toBe(true);
      if (e.endDate != null) {
        expect(e.endDate >= e.startDate).toBe(true);
        expect(e.endDate <= TODAY).toBe(true);
        expect(e.deletionGround).toMatch(/^[a-o]$/);
      } else {
        expect(e.deletionGround).toBeNull();
      }
    }
    const since = daysBefore(TODAY, 548);
    // Moving up to secondary school at the end of August is not leaving in this sense.
    const leavers = data.enrolments.filter((e) => e.endDate != null && e.endDate >= since && !e.endDate.endsWith('-08-31'));
    const leaverChildren = new Set(leavers.map((e) => e.childId));
    expect(leaverChildren.size / data.children.length).toBeGreaterThan(0.08);
    expect(leaverChildren.size / data.children.length).toBeLessThan(0.25);
    const f = leavers.filter((e) => e.deletionGround === 'f').length;
    expect(f / leavers.length).toBeGreaterThan(0.4);
    const open = new Set(data.enrolments.filter((e) => e.endDate == null).map((e) => e.childId));
    expect(open.size / data.children.length).toBeGreaterThan(0.75);
  });

  test('the demo school has current pupils, recent leavers and leavers of more than a year ago', () => {
    const demoSchool = data.schools[0];
    const atDemo = data.enrolments.filter((e) => e.schoolId === demoSchool?.id);
    expect(atDemo.filter((e) => e.endDate == null).length).toBeGreaterThan(5);
    expect(atDemo.filter((e) => e.endDate != null && e.endDate >= daysBefore(TODAY, 90)).length).toBeGreaterThanOrEqual(3);
    expect(atDemo.filter((e) => e.endDate != null && e.endDate < daysBefore(TODAY, 365)).length).toBeGreaterThanOrEqual(3);
  });

  test('creates a user for every demo account and fifteen council staff', () => {
    for (const account of DEMO_ACCOUNTS) {
      expect(user(account.subject)).toMatchObject({ issuer: ISSUER, role: account.role, email: account.email, displayName: account.displayName });
    }
    expect(user('demo-school-user').schoolId).toBe(data.schools[0]?.id);
    const staff = data.users.filter((u) => u.subject.startsWith('staff-'));
    expect(staff.map((u) => u.subject)).toEqual(staff.map((_, i) => `staff-${String(i + 1).padStart(3, '0')}`));
    expect(staff.length).toBe(15);
    expect(staff.every((u) => u.issuer === ISSUER && (COUNCIL_CASEWORK_ROLES as readonly string[]).includes(u.role))).toBe(true);
    expect(new Set(data.users.map((u) => u.subject)).size).toBe(data.users.length);
  });

  test('the demo parent has two children: one on a roll, one recently home educated from the demo school', () => {
    const parent = data.adults.find((a) => a.userId === user('demo-parent').id);
    expect(parent).toBeDefined();
    const childIds = data.childAdults.filter((l) => l.adultId === parent?.id).map((l) => l.childId);
    expect(childIds).toHaveLength(2);
    const enrolmentsOf = (id: string | undefined) => data.enrolments.filter((e) => e.childId === id);
    const onRoll = childIds.filter((id) => enrolmentsOf(id).some((e) => e.endDate == null));
    expect(onRoll).toHaveLength(1);
    const left = childIds.find((id) => !onRoll.includes(id));
    const leaving = enrolmentsOf(left).find((e) => e.schoolId === data.schools[0]?.id);
    expect(leaving?.deletionGround).toBe('f');
    expect(leaving?.endDate != null && leaving.endDate >= daysBefore(TODAY, 90)).toBe(true);
  });

  test('allocates the demo social worker and health visitor about ten children each', () => {
    const active = (subject: string) => data.allocations.filter((a) => a.userId === user(subject).id && a.endedOn == null);
    expect(active('demo-social-worker').length).toBeGreaterThanOrEqual(8);
    expect(active('demo-social-worker').length).toBeLessThanOrEqual(12);
    const visits = active('demo-health-visitor');
    expect(visits.length).toBeGreaterThanOrEqual(8);
    const underFives = new Set(data.children.filter((c) => ageOn(c.dateOfBirth, TODAY) < 5).map((c) => c.id));
    expect(visits.filter((a) => underFives.has(a.childId)).length).toBeGreaterThanOrEqual(3);
    expect(active('demo-ehe-officer').length).toBeGreaterThanOrEqual(5);
    for (const allocation of data.allocations) {
      expect(allocation.startedOn <= TODAY).toBe(true);
      if (allocation.endedOn != null) expect(allocation.endedOn > allocation.startedOn).toBe(true);
    }
  });

  test('writes a few hundred case notes by council staff, with overdue follow-ups for the demo workers', () => {
    expect(data.caseNotes.length).toBeGreaterThanOrEqual(200);
    const authors = new Map(data.users.map((u) => [u.id, u]));
    for (const note of data.caseNotes) {
      const author = authors.get(note.authorId);
      expect(author?.role === 'parent' || author?.role === 'school_user').toBe(false);
      expect(note.createdAt != null && note.createdAt <= endOfToday).toBe(true);
      if (note.followUpBy != null && note.createdAt != null) {
        expect(note.followUpBy > note.createdAt.toISOString().slice(0, 10)).toBe(true);
      }
    }
    const overdue = (subject: string) =>
      data.caseNotes.filter((n) => n.authorId === user(subject).id && n.followUpBy != null && n.followUpBy < TODAY && n.followUpDoneAt == null);
    expect(overdue('demo-ehe-officer').length).toBeGreaterThanOrEqual(3);
    expect(overdue('demo-social-worker').length).toBeGreaterThanOrEqual(3);
    expect(data.caseNotes.some((n) => n.followUpDoneAt != null)).toBe(true);
    expect(data.caseNotes.some((n) => n.followUpBy != null && n.followUpBy >= TODAY)).toBe(true);
  });

  test('records a timeline event for every registration, enrolment change and case note', () => {
    const ofType = (type: string) => data.domainEvents.filter((e) => e.type === type);
    expect(ofType('child.registered')).toHaveLength(data.children.length);
    expect(ofType('enrolment.started')).toHaveLength(data.enrolments.length);
    expect(ofType('enrolment.ended')).toHaveLength(data.enrolments.filter((e) => e.endDate != null).length);
    expect(ofType('case-note.added')).toHaveLength(data.caseNotes.length);
    expect(ofType('child.registered').every((e) => e.visibility === 'family')).toBe(true);
    expect(ofType('enrolment.started').every((e) => e.visibility === 'partners' && e.summary.startsWith('Joined the roll of '))).toBe(true);
    expect(ofType('enrolment.ended').every((e) => /^Left the roll of .+ \(ground [a-o]: .+\)$/.test(e.summary))).toBe(true);
    const notes = new Map(data.caseNotes.map((n) => [n.id, n]));
    for (const event of ofType('case-note.added')) {
      const note = notes.get(event.aggregateId);
      expect(event).toMatchObject({ aggregateType: 'case_note', visibility: 'staff', summary: 'Case note added', actorId: note?.authorId, childId: note?.childId });
    }
    for (const event of data.domainEvents) {
      expect(event.correlationId).toBe('seed');
      expect(event.occurredAt <= endOfToday).toBe(true);
    }
    const times = data.domainEvents.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test.each([
    { childCount: 10, today: TODAY },
    { childCount: 300.5, today: TODAY },
    { childCount: 300, today: '2026-02-30' },
    { childCount: 300, today: '11/05/2026' },
  ])('refuses childCount $childCount, today $today', (options) => {
    expect(() => generateDemoData({ seed: 1, embeddedIssuer: ISSUER, ...options })).toThrow(RangeError);
  });

  test.each(['2025-09-01', '2025-12-25', '2026-07-31', '2026-08-31'])('works on %s, at any point in the school year', (today) => {
    const other = generateDemoData({ seed: 3, childCount: 60, today, embeddedIssuer: ISSUER });
    expect(other.children).toHaveLength(60);
    expect(other.enrolments.every((e) => e.startDate <= today && (e.endDate == null || e.endDate <= today))).toBe(true);
    expect(other.children.every((c) => ageOn(c.dateOfBirth, today) <= 16)).toBe(true);
  });
});
