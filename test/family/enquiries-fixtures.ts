import { and, eq, ne, sql } from 'drizzle-orm';
import type { Runtime } from '../../src/composition.ts';
import { adults, childAdults, children, episodes, letters, users } from '../../src/db/schema/index.ts';
import { contextFor } from '../support/actors.ts';

/** Noon in England on a day, so "today" is that day whatever the clock change. */
export const on = (day: string) => new Date(`${day}T12:00:00Z`);

/** A second parent's address, marked "do not disclose": it must never reach the demo parent. */
export const HIDDEN_ADDRESS = { addressLine1: '9 Quillwort Lane', town: 'Farholme', postcode: 'NZ9 7QX' };

export interface DemoFamily {
  robin: { userId: string; adultId: string };
  sam: { userId: string; adultId: string; subject: string };
  ellis: { id: string; firstName: string; episodeId: string; episodeVersion: number };
}

/**
 * The seeded demo family (Robin Fairweather, with Ellis off roll for home education), plus a second
 * parent with parental responsibility whose address must not be disclosed and who has their own
 * account, so each parent's letters and details can be told apart.
 */
export async function demoFamily(runtime: Runtime): Promise<DemoFamily> {
  const db = runtime.database.db;
  const [robinUser] = await db.select().from(users).where(eq(users.subject, 'demo-parent'));
  const [robin] = await db.select().from(adults).where(eq(adults.userId, robinUser!.id));
  const [ellis] = await db
    .select({ child: children })
    .from(childAdults)
    .innerJoin(children, eq(children.id, childAdults.childId))
    .where(and(eq(childAdults.adultId, robin!.id), eq(children.firstName, 'Ellis')));
  const [episode] = await db.select().from(episodes).where(and(eq(episodes.childId, ellis!.child.id), eq(episodes.kind, 'ehe')));
  const subject = 'second-parent';
  const [existing] = await db.select().from(users).where(eq(users.subject, subject));
  const samUser = existing ?? (await db.insert(users).values({ issuer: 'https://test.example', subject, email: 'sam.fairweather@family.example', displayName: 'Sam Fairweather', role: 'parent' }).returning())[0]!;
  let [sam] = await db.select().from(adults).where(eq(adults.userId, samUser.id));
  if (!sam) {
    [sam] = await db
      .insert(adults)
      .values({ userId: samUser.id, firstName: 'Sam', lastName: 'Fairweather', email: 'sam.fairweather@family.example', phone: '07700 900123', ...HIDDEN_ADDRESS, doNotDiscloseAddress: true })
      .returning();
    await db.insert(childAdults).values({ childId: ellis!.child.id, adultId: sam!.id, relationship: 'parent', parentalResponsibility: true, livesWith: false });
  }
  return {
    robin: { userId: robinUser!.id, adultId: robin!.id },
    sam: { userId: samUser.id, adultId: sam!.id, subject },
    ellis: { id: ellis!.child.id, firstName: ellis!.child.firstName, episodeId: episode!.id, episodeVersion: episode!.version },
  };
}

/** The officer's informal enquiry about Ellis, and the letter it wrote to each parent. */
export async function sendEnquiry(runtime: Runtime, family: DemoFamily, day = '2026-11-23') {
  const db = runtime.database.db;
  const [episode] = await db.select().from(episodes).where(eq(episodes.id, family.ellis.episodeId));
  const sent = await runtime.services.sendInformalEnquiry(await contextFor(db, 'demo-ehe-officer', on(day)), episode!.id, { version: episode!.version });
  const rows = await db.select().from(letters).where(and(eq(letters.episodeId, episode!.id), eq(letters.templateKey, 'informal-enquiry')));
  const toRobin = rows.filter((l) => l.recipientAdultId === family.robin.adultId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  const toSam = rows.filter((l) => l.recipientAdultId === family.sam.adultId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  return { replyBy: sent.replyBy, letterId: toRobin.id, otherParentLetterId: toSam.id, stepId: toRobin.stepId! };
}

/** An informal enquiry to another family, whose letter the demo parent must never reach. */
export async function anotherFamilysLetter(runtime: Runtime, family: DemoFamily, day = '2026-11-23') {
  const db = runtime.database.db;
  const [episode] = await db
    .select()
    .from(episodes)
    .where(
      and(
        eq(episodes.kind, 'ehe'),
        eq(episodes.status, 'notified'),
        ne(episodes.childId, family.ellis.id),
        sql`exists (select 1 from child_adults ca where ca.child_id = ${episodes.childId} and ca.parental_responsibility)`,
      ),
    )
    .orderBy(episodes.id)
    .limit(1);
  await runtime.services.sendInformalEnquiry(await contextFor(db, 'demo-ehe-officer', on(day)), episode!.id, { version: episode!.version });
  const [letter] = await db.select().from(letters).where(eq(letters.episodeId, episode!.id));
  return { letterId: letter!.id, childId: episode!.childId, episodeId: episode!.id };
}

/** Bytes that really are the kind of file their name says. */
export const FILES = {
  pdf: () => new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  text: (s = 'Weekly plan: maths every morning, reading every afternoon.') => new TextEncoder().encode(s),
};
