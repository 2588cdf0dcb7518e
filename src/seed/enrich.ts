import { createHash } from 'node:crypto';
import type { adults, childAdults, educationArrangements, educationProviders } from '../db/schema/index.ts';
import type { DemoData } from './generate.ts';

type BaseData = Omit<DemoData, 'educationArrangements' | 'educationProviders'>;

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
      id: createHash('sha256').update(`other-parent:${demoAdult.id}`).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5'),
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
  return { educationArrangements: arrangements, educationProviders: providers, adults: extraAdults, childAdults: extraLinks };
}
