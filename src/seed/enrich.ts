import { createHash } from 'node:crypto';
import type { adults, childAdults, cmeEnquiries, educationArrangements, educationProviders, episodes } from '../db/schema/index.ts';
import type { DemoData } from './generate.ts';

type BaseData = Omit<DemoData, 'educationArrangements' | 'educationProviders' | 'episodes' | 'cmeEnquiries'>;

const uuidFrom = (text: string) =>
  createHash('sha256').update(text).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');

/** A stable number in [0, 1) from a row id, so enrichment is as reproducible as the rest of the seed. */
function unit(id: string, salt: string): number {
  return createHash('sha256').update(`${salt}:${id}`).digest().readUInt32BE(0) / 2 ** 32;
}

const ETHNICITIES = ['WBRI', 'WBRI', 'WBRI', 'WIRT', 'WOTH', 'MWBC', 'MWBA', 'AIND', 'APKN', 'BAFR', 'CHNE', 'REFU'] as const;
const PROVIDERS = [
  { name: 'Northshire Home Educators’ Co-op', type: 'group', addressOrWebsite: 'Brackenthwaite Community Hall, NZ1 4QT' },
  { name: 'Fellside Maths Tuition', type: 'tutor', addressOrWebsite: 'fellside-maths.example' },
  { name: 'Open Valley Online School', type: 'online school', addressOrWebsite: 'openvalley.example' },
  { name: 'Kestrel Forest School', type: 'alternative provision', addressOrWebsite: 'Kestrel Wood, NZ6 2FS' },
] as const;

/**
 * Adds the register details the base generator leaves out: SEN status and ethnicity for some
 * children, how home-educated children are educated (with other providers), which parent teaches,
 * and one family where a parent's address must not be disclosed (the demo parent's family, so the
 * rule can be seen at work).
 */
export function enrichDemoData(data: BaseData, today: string, demoParentUserId: string | null) {
  const childrenById = new Map(data.children.map((c) => [c.id, c]));
  for (const child of data.children) {
    const r = unit(child.id, 'sen');
    child.senStatus = r < 0.04 ? 'ehcp' : r < 0.16 ? 'sen-support' : 'none';
    child.ethnicity = ETHNICITIES[Math.floor(unit(child.id, 'ethnicity') * ETHNICITIES.length)] ?? null;
    child.childInNeed = unit(child.id, 'cin') < 0.03;
  }

  const homeEducated = new Set(data.enrolments.filter((e) => e.deletionGround === 'f').map((e) => e.childId));
  const arrangements: (typeof educationArrangements.$inferInsert)[] = [];
  const providers: (typeof educationProviders.$inferInsert)[] = [];
  for (const childId of homeEducated) {
    if (!childrenById.has(childId)) continue;
    const other = unit(childId, 'other-hours') < 0.6 ? 3 + Math.floor(unit(childId, 'hours') * 8) : 0;
    arrangements.push({ childId, parentHoursPerWeek: 18 + Math.floor(unit(childId, 'parent-hours') * 10), otherHoursPerWeek: other, source: 'parent', recordedAt: new Date(`${today}T09:00:00Z`) });
    if (other > 0) {
      const provider = PROVIDERS[Math.floor(unit(childId, 'provider') * PROVIDERS.length)]!;
      providers.push({ childId, ...provider, hoursPerWeek: other, hoursWithoutParentPerWeek: provider.type === 'group' ? 0 : other, source: 'parent', recordedAt: new Date(`${today}T09:00:00Z`) });
    }
    // The first adult with parental responsibility who lives with the child teaches.
    const teacher = data.childAdults.find((link) => link.childId === childId && link.parentalResponsibility && link.livesWith);
    if (teacher) teacher.providesEducation = true;
  }

  // The demo parent's children have a second parent who lives elsewhere and whose address must not
  // be disclosed to the demo parent.
  const extraAdults: (typeof adults.$inferInsert & { id: string })[] = [];
  const extraLinks: (typeof childAdults.$inferInsert)[] = [];
  const demoAdult = data.adults.find((a) => a.userId === demoParentUserId);
  if (demoAdult) {
    demoAdult.contactPreference = 'written-only';
    const otherParent: typeof adults.$inferInsert & { id: string } = {
      id: uuidFrom(`other-parent:${demoAdult.id}`),
      firstName: 'Morgan',
      lastName: demoAdult.lastName,
      email: null,
      phone: '07700 900777',
      addressLine1: '12 Larch Close',
      town: 'Elmbridge Moor',
      postcode: 'NZ9 3LC',
      doNotDiscloseAddress: true,
    };
    extraAdults.push(otherParent);
    for (const link of data.childAdults.filter((l) => l.adultId === demoAdult.id)) {
      extraLinks.push({ childId: link.childId, adultId: otherParent.id, relationship: 'parent', parentalResponsibility: true, livesWith: false });
    }
  }
  const register = registerEpisodes(data, today);
  return { educationArrangements: arrangements, educationProviders: providers, adults: extraAdults, childAdults: extraLinks, ...register };
}

/**
 * Opens the register episodes the seeded history implies: a home education episode for each child
 * who left a roll under ground f and is on no roll now, and a missing-education case for each who
 * left under ground h or i — some with enquiries made, some allocated, some not.
 */
function registerEpisodes(data: BaseData, today: string) {
  const ehe = data.users.find((u) => u.subject === 'demo-ehe-officer')?.id ?? null;
  const cme = data.users.find((u) => u.subject === 'demo-cme-officer')?.id ?? null;
  const episodeRows: (typeof episodes.$inferInsert & { id: string })[] = [];
  const enquiryRows: (typeof cmeEnquiries.$inferInsert)[] = [];
  const byChild = new Map<string, typeof data.enrolments>();
  for (const e of data.enrolments) byChild.set(e.childId, [...(byChild.get(e.childId) ?? []), e]);
  for (const [childId, list] of byChild) {
    if (list.some((e) => !e.endDate)) continue;
    const last = [...list].sort((a, b) => String(b.endDate).localeCompare(String(a.endDate)))[0];
    if (!last?.endDate || !last.deletionGround || !['f', 'h', 'i'].includes(last.deletionGround)) continue;
    const kind = last.deletionGround === 'f' ? 'ehe' : 'cme';
    const id = uuidFrom(`episode:${childId}`);
    const daysOpen = (Date.parse(today) - Date.parse(last.endDate)) / 86_400_000;
    const withEnquiries = kind === 'cme' && daysOpen > 20 && unit(childId, 'enquiries') < 0.7;
    const allocated = unit(childId, 'allocated') < 0.6 ? (kind === 'ehe' ? ehe : cme) : null;
    episodeRows.push({
      id,
      childId,
      kind,
      status: kind === 'ehe' ? 'notified' : withEnquiries ? 'enquiries' : 'identified',
      openedOn: last.endDate,
      openedBy: 'deletion-return',
      reason: kind === 'ehe' ? 'unknown' : last.deletionGround,
      allocatedTo: allocated,
      createdAt: new Date(`${last.endDate}T16:00:00Z`),
      updatedAt: new Date(`${last.endDate}T16:00:00Z`),
    });
    data.domainEvents.push({
      type: kind === 'ehe' ? 'ehe-episode.opened' : 'cme-case.opened',
      aggregateType: 'episode',
      aggregateId: id,
      childId,
      actorLabel: 'Seed data',
      summary: kind === 'ehe' ? 'Elective home education episode opened' : 'Child missing education case opened',
      visibility: kind === 'ehe' ? 'family' : 'staff',
      payload: { source: 'deletion-return' },
      correlationId: 'seed',
      occurredAt: new Date(`${last.endDate}T16:00:00Z`),
    });
    if (withEnquiries && cme) {
      const first = new Date(Date.parse(last.endDate) + 3 * 86_400_000).toISOString().slice(0, 10);
      enquiryRows.push({ episodeId: id, withWhom: 'The school’s attendance officer', method: 'school', madeOn: first, outcome: 'Joint home visit: no answer; card left.', jointWithSchool: true, recordedBy: cme });
      if (unit(childId, 'second') < 0.5) {
        const second = new Date(Date.parse(last.endDate) + 12 * 86_400_000).toISOString().slice(0, 10);
        enquiryRows.push({ episodeId: id, withWhom: 'GP practice', method: 'health', madeOn: second, outcome: 'Still registered at the practice; no new address held.', jointWithSchool: false, recordedBy: cme });
      }
    }
  }
  return { episodes: episodeRows, cmeEnquiries: enquiryRows };
}
