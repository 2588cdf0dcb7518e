import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { listTimeline } from '../../db/repositories/children.ts';
import {
  adults,
  childAddresses,
  childAdults,
  childPreviousNames,
  children,
  domainEvents,
  educationArrangements,
  educationProviders,
  eheSteps,
  enrolments,
  episodes,
  familyResponses,
  familySubmissions,
  letters,
  referrals,
  schools,
  socialCareEpisodes,
  socialCareSteps,
  suitabilityJudgements,
} from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { addMonths, formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { INFORMATION_KINDS, OFFER_RESPONSES, OUTCOMES } from '../ehe/schemas.ts';
import { notFound } from '../errors.ts';
import { CLOSURE_REASONS, type SocialCareStatus } from '../social-care/lifecycle.ts';
import { ASSESSMENT_OUTCOMES, CONTACT_METHODS, CP_CATEGORIES, DECISIONS, S17_STEPS } from '../social-care/use-cases.ts';
import { parseInput } from '../validation.ts';
import { asFamily, childOfFamily, insertSubmission, SUBMISSION_KIND_LABELS, type Family, type FamilyChild, type FamilyDeps, type SubmissionKind, type SubmissionRow } from './core.ts';

/**
 * What the council holds about a family, shown to the parent with where each item came from and
 * when ("From the school’s deletion return, 3 September 2026", "From you", "Recorded by the
 * council"), and the parent's requests to correct what is wrong.
 *
 * Two rules hold throughout. Another adult's details are their own: the signed-in parent sees
 * other parents and carers by name and relationship only, and never an address marked "do not
 * disclose". And a social care step a social worker has withheld from the family is left out
 * entirely — its text, its dates, the stage it led to and any timeline entry about it — so nothing
 * on the page shows that anything was left out.
 */

export interface HeldSource {
  text: string;
  on: IsoDate | null;
}

/** Which record an item comes from, so a correction request reaches the right team. */
export interface HeldLinks {
  eheEpisodeId?: string;
  eheStepId?: string;
  socialCareEpisodeId?: string;
  socialCareStepId?: string;
  letterId?: string;
}

export interface HeldItem {
  /** Stable for as long as the item exists, e.g. `child.dateOfBirth` or `ehe-step.<id>`. */
  key: string;
  label: string;
  value: string;
  source: HeldSource;
  /** The parent may ask for it to be corrected. */
  correctable: boolean;
  /** A page in the family service with more about it (a letter, something they sent). */
  href?: string;
  links?: HeldLinks;
}

export interface HeldGroup {
  title: string | null;
  items: HeldItem[];
}

export interface HeldSection {
  id: string;
  title: string;
  groups: HeldGroup[];
}

export interface CorrectionSummary {
  id: string;
  reference: string;
  itemLabel: string;
  valueShown: string;
  correction: string;
  sentOn: IsoDate;
  dueOn: string | null;
  status: string;
  outcome: string | null;
}

export interface HeldAboutChild {
  child: { id: string; name: string; firstName: string };
  sections: HeldSection[];
  timeline: HeldItem[];
  corrections: CorrectionSummary[];
}

export interface HeldAboutYou {
  name: string;
  sections: HeldSection[];
  corrections: CorrectionSummary[];
}

const COUNCIL = 'Recorded by the council';
const SOCIAL_CARE = 'Recorded by children’s social care';
const YOU = 'From you';

const INFO_SOURCES: Record<string, string> = { parent: 'From a parent or carer', school: 'From the school', partner: 'From a partner agency', officer: COUNCIL };

const REGISTERED_SOURCES: Record<string, string> = {
  'deletion-return': 'From the school’s deletion return',
  'admission-return': 'From the school’s admission return',
  'parent-notification': 'From a parent’s notice of home education',
  referral: 'From a partner agency’s referral',
  'partner-referral': 'From a partner agency’s referral',
  'data-matching': 'From the council’s checks of other records',
};

const SEX_LABELS: Record<string, string> = { F: 'Female', M: 'Male', U: 'Not known' };
/** The Children in Need census ethnicity codes, in words. */
const ETHNICITY_LABELS: Record<string, string> = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WROM: 'Gypsy or Roma',
  WOTH: 'Any other White background',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Not given',
  NOBT: 'Not yet known',
};
const SEN_LABELS: Record<string, string> = { none: 'None recorded', 'sen-support': 'Special educational needs support', ehcp: 'Education, health and care plan' };

const GROUNDS: Record<string, string> = {
  a: 'registered at another school',
  b: 'did not continue after nursery',
  c: 'registered at another school as well, which agreed',
  d: 'a School Attendance Order named another school',
  e: 'a School Attendance Order was revoked',
  f: 'a parent told the school in writing they would educate at home',
  g: 'no longer lives close enough to the school',
  h: 'did not return after leave of absence',
  i: 'absent without permission for 20 school days in a row',
  j: 'detention',
  k: 'died',
  l: 'over compulsory school age',
  m: 'boarding fees not paid',
  n: 'no longer a pupil at an independent or non-maintained special school',
  o: 'permanently excluded',
};

/** The stage of a home education episode, in the family's terms. */
export const FAMILY_EHE_STAGES: Record<string, string> = {
  notified: 'The council knows you educate at home',
  'enquiry-sent': 'The council has asked about the education',
  'information-received': 'The council has received information about the education',
  'awaiting-moderation': 'The council is making its decision',
  suitable: 'The council is satisfied the education is suitable',
  'not-satisfied': 'The council is not satisfied the education is suitable',
  'preliminary-notice-served': 'A preliminary notice has been served',
  's437-notice-served': 'A formal notice under section 437 has been served',
  'notice-of-intention-served': 'A notice of intention to serve a School Attendance Order has been served',
  'sao-served': 'A School Attendance Order has been served',
  prosecution: 'Referred for prosecution',
  closed: 'Closed',
};

const EHE_STEP_LABELS: Record<string, string> = {
  'informal-enquiry': 'Letter asking about the education',
  information: 'Information received',
  's437-notice': 'Formal notice under section 437',
  satisfied: 'The council was satisfied',
  'notice-of-intention': 'Notice of intention to serve a School Attendance Order',
  'school-choice': 'Your choice of school',
  'school-attendance-order': 'School Attendance Order',
  'sao-complied': 'School Attendance Order followed',
  'sao-revoked': 'School Attendance Order revoked',
  prosecution: 'Referred for prosecution',
  'annual-contact': 'Next contact about the education',
  'home-consideration': 'The council considers the home',
  'provider-update-request': 'Request for details of other providers',
  registration: 'Added to the children not in school register',
  'register-items-request': 'Request for register details',
  'preliminary-notice': 'Preliminary notice',
  closed: 'Home education episode closed',
};

/** Steps that are the council's own checks rather than something done with or for the family. */
const INTERNAL_EHE_STEPS: readonly string[] = ['moderation'];

const FAMILY_SC_STAGES: Record<SocialCareStatus, string> = {
  'initial-enquiries': 'Children’s social care is making initial enquiries',
  'early-help': 'Early help',
  assessment: 'Child and family assessment',
  'strategy-discussion': 'Strategy discussion',
  's47-enquiry': 'Section 47 enquiry',
  'cin-plan': 'Child in Need plan',
  'cp-plan': 'Child protection plan',
  closed: 'Closed',
};

const SC_STEP_LABELS: Record<string, string> = {
  decision: 'Decision on the referral',
  'family-contact': 'Contact with you',
  visit: 'Home visit',
  'visit-declined': 'Home visit declined',
  consent: 'Your consent',
  assessment: 'Child and family assessment',
  'cin-plan': 'Child in Need plan',
  'strategy-discussion': 'Strategy discussion',
  's47-enquiry': 'Section 47 enquiry',
  icpc: 'Initial child protection conference',
  'cp-plan': 'Child protection plan',
  'cp-review': 'Child protection plan review',
  'cin-review': 'Child in Need plan review',
  direction: 'Direction in the plan',
  closure: 'Case closed',
  'family-told-of-closure': 'You were told the case closed',
  escalation: 'You asked a team manager to look again',
  complaint: 'Your complaint',
};

const REVIEW_OUTCOMES: Record<string, string> = {
  continue: 'The plan continues',
  'step-down-cin': 'The plan steps down to a Child in Need plan',
  'step-down-early-help': 'The plan steps down to early help',
  close: 'The case closes',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const date = (v: unknown): string => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? formatLongDate(v.slice(0, 10)) : '');
const joinLines = (lines: readonly (string | null | undefined | false)[]) => lines.filter((l): l is string => typeof l === 'string' && l.trim() !== '').join('\n');
const capitalise = (s: string) => (s === '' ? s : `${s.charAt(0).toUpperCase()}${s.slice(1)}`);
const day = (d: Date) => todayIn(d);

// Loading ----------------------------------------------------------------------------------------

async function childRow(tx: Tx, childId: string) {
  const [row] = await tx.select().from(children).where(eq(children.id, childId));
  if (!row) throw notFound('The child');
  return row;
}

/** Where the child's own details came from: the latest council change to them, or how the child was first recorded. */
async function childDetailSources(tx: Tx, childId: string, createdAt: Date, userId: string | null) {
  const events = await tx
    .select({ type: domainEvents.type, payload: domainEvents.payload, occurredAt: domainEvents.occurredAt, actorId: domainEvents.actorId })
    .from(domainEvents)
    .where(and(eq(domainEvents.childId, childId), inArray(domainEvents.type, ['child.registered', 'child.details-changed'])))
    .orderBy(asc(domainEvents.occurredAt));
  const registered = events.find((e) => e.type === 'child.registered');
  const first: HeldSource = registered
    ? { text: registered.actorId !== null && registered.actorId === userId ? YOU : (REGISTERED_SOURCES[str((registered.payload as { source?: unknown }).source)] ?? COUNCIL), on: day(registered.occurredAt) }
    : { text: COUNCIL, on: day(createdAt) };
  const changes = events.filter((e) => e.type === 'child.details-changed');
  return (fields: readonly string[]): HeldSource => {
    const latest = [...changes].reverse().find((e) => ((e.payload as { fields?: unknown }).fields as string[] | undefined)?.some((f) => fields.includes(f)));
    return latest ? { text: COUNCIL, on: day(latest.occurredAt) } : first;
  };
}

function infoSource(source: string, recordedBy: string | null, recordedAt: Date | string, userId: string | null): HeldSource {
  const on = typeof recordedAt === 'string' ? recordedAt.slice(0, 10) : day(recordedAt);
  return { text: recordedBy !== null && recordedBy === userId ? YOU : (INFO_SOURCES[source] ?? COUNCIL), on };
}

async function correctionsOf(tx: Tx, family: Family, childId: string | null): Promise<CorrectionSummary[]> {
  const rows = await tx
    .select()
    .from(familySubmissions)
    .where(and(eq(familySubmissions.adultId, family.adult.id), eq(familySubmissions.kind, 'correction-request'), childId === null ? isNull(familySubmissions.childId) : eq(familySubmissions.childId, childId)))
    .orderBy(desc(familySubmissions.createdAt));
  return rows.map((s) => {
    const d = s.details as { itemLabel?: string; valueShown?: string; correction?: string };
    return { id: s.id, reference: s.reference, itemLabel: str(d.itemLabel), valueShown: str(d.valueShown), correction: str(d.correction), sentOn: day(s.createdAt), dueOn: s.dueOn, status: s.status, outcome: s.outcome };
  });
}

// The child ---------------------------------------------------------------------------------------

function relationshipText(link: Pick<FamilyChild, 'relationship' | 'parentalResponsibility' | 'livesWith'>, firstName: string, providesEducation: boolean): string {
  return joinLines([
    capitalise(link.relationship),
    link.parentalResponsibility ? 'You have parental responsibility' : 'You do not have parental responsibility',
    link.livesWith ? `${firstName} lives with you` : `${firstName} does not live with you`,
    providesEducation ? `You provide ${firstName}’s education at home` : null,
  ]);
}

const sameAddress = (a: { addressLine1: string; postcode: string }, b: { addressLine1: string; postcode: string }) =>
  a.addressLine1.trim().toLowerCase() === b.addressLine1.trim().toLowerCase() && a.postcode.replace(/\s/g, '').toUpperCase() === b.postcode.replace(/\s/g, '').toUpperCase();

/**
 * Whether an address (the child's, or one the child lived at) is another adult's address that must
 * not be disclosed. The parent's own address is never hidden from them, even where they share it.
 */
async function protectedAddressCheck(tx: Tx, childId: string, family: Family): Promise<(address: { addressLine1: string; postcode: string }) => boolean> {
  const rows = await tx
    .select({ id: adults.id, addressLine1: adults.addressLine1, postcode: adults.postcode })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(and(eq(childAdults.childId, childId), eq(adults.doNotDiscloseAddress, true)));
  const others = rows.filter((r) => r.id !== family.adult.id && !sameAddress(r, family.adult));
  return (address) => others.some((o) => sameAddress(o, address));
}

function yourAddress(adult: Family['adult']): string {
  return joinLines([adult.addressLine1, adult.town, adult.postcode]);
}

async function aboutChild(tx: Tx, family: Family, link: FamilyChild, userId: string | null): Promise<{ sections: HeldSection[]; firstName: string; name: string; withheldStepIds: Set<string> }> {
  const child = await childRow(tx, link.childId);
  const firstName = child.firstName;
  const sourceOf = await childDetailSources(tx, child.id, child.createdAt, userId);
  const sections: HeldSection[] = [];
  const protectedAddress = await protectedAddressCheck(tx, child.id, family);

  // About the child
  const about: HeldItem[] = [
    { key: 'child.name', label: 'Name', value: `${child.firstName} ${child.lastName}`, source: sourceOf(['firstName', 'lastName']), correctable: true },
  ];
  if (child.preferredName) about.push({ key: 'child.preferredName', label: 'Known as', value: child.preferredName, source: sourceOf(['preferredName']), correctable: true });
  about.push(
    { key: 'child.dateOfBirth', label: 'Date of birth', value: formatLongDate(child.dateOfBirth), source: sourceOf(['dateOfBirth']), correctable: true },
    { key: 'child.sex', label: 'Sex', value: SEX_LABELS[child.sex] ?? child.sex, source: sourceOf(['sex']), correctable: true },
  );
  if (!protectedAddress(child)) {
    about.push({ key: 'child.address', label: 'Address', value: joinLines([child.addressLine1, child.addressLine2, child.town, child.postcode]), source: sourceOf(['addressLine1', 'addressLine2', 'town', 'postcode']), correctable: true });
  }
  const enrolmentRows = await tx
    .select({ e: enrolments, schoolName: schools.name, urn: schools.urn })
    .from(enrolments)
    .innerJoin(schools, eq(schools.id, enrolments.schoolId))
    .where(eq(enrolments.childId, child.id))
    .orderBy(desc(enrolments.startDate));
  const firstSource = sourceOf([]);
  if (child.upn) {
    const upnSource = firstSource.text === COUNCIL && enrolmentRows.length > 0 ? { text: 'From the school', on: firstSource.on } : firstSource;
    about.push({ key: 'child.upn', label: 'Unique pupil number (UPN)', value: child.upn, source: upnSource, correctable: true });
  }
  if (child.nhsNumber) about.push({ key: 'child.nhsNumber', label: 'NHS number', value: child.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3'), source: { text: COUNCIL, on: firstSource.on }, correctable: true });
  about.push({ key: 'child.sen', label: 'Special educational needs', value: SEN_LABELS[child.senStatus] ?? child.senStatus, source: { text: COUNCIL, on: null }, correctable: true });
  if (child.ethnicity) about.push({ key: 'child.ethnicity', label: 'Ethnicity', value: ETHNICITY_LABELS[child.ethnicity] ?? child.ethnicity, source: { text: COUNCIL, on: null }, correctable: true });
  if (child.disabilities) about.push({ key: 'child.disabilities', label: 'Disabilities', value: child.disabilities, source: { text: COUNCIL, on: null }, correctable: true });
  const previousNames = await tx.select().from(childPreviousNames).where(eq(childPreviousNames.childId, child.id)).orderBy(desc(childPreviousNames.recordedAt));
  for (const n of previousNames) {
    about.push({ key: `previous-name.${n.id}`, label: 'Previous name', value: joinLines([`${n.firstName} ${n.lastName}`, n.usedUntil ? `Used until ${formatLongDate(n.usedUntil)}` : null]), source: infoSource(n.source, null, n.recordedAt, userId), correctable: true });
  }
  const previousAddresses = await tx.select().from(childAddresses).where(eq(childAddresses.childId, child.id)).orderBy(desc(childAddresses.recordedAt));
  for (const a of previousAddresses.filter((p) => !protectedAddress(p))) {
    about.push({
      key: `previous-address.${a.id}`,
      label: 'Previous address',
      value: joinLines([a.addressLine1, a.addressLine2, a.town, a.postcode, a.livedFrom || a.livedTo ? `${a.livedFrom ? `From ${formatLongDate(a.livedFrom)}` : ''}${a.livedFrom && a.livedTo ? ' to ' : a.livedTo ? 'Until ' : ''}${a.livedTo ? formatLongDate(a.livedTo) : ''}` : null]),
      source: infoSource(a.source, null, a.recordedAt, userId),
      correctable: true,
    });
  }
  sections.push({ id: 'about', title: `About ${firstName}`, groups: [{ title: null, items: about }] });

  // Schools
  sections.push({
    id: 'schools',
    title: 'Schools',
    groups: [
      {
        title: null,
        items: enrolmentRows.map(({ e, schoolName, urn }) => ({
          key: `enrolment.${e.id}`,
          label: schoolName,
          value: joinLines([
            `URN ${urn}`,
            e.endDate ? `On the school’s roll from ${formatLongDate(e.startDate)} to ${formatLongDate(e.endDate)}` : `On the school’s roll since ${formatLongDate(e.startDate)}`,
            e.deletionGround ? `Left the roll because: ${GROUNDS[e.deletionGround] ?? e.deletionGround}` : null,
          ]),
          source: { text: e.endDate ? `From ${schoolName}’s deletion return` : `From ${schoolName}`, on: e.endDate ?? e.startDate },
          correctable: true,
        })),
      },
    ],
  });

  // Education at home
  const [arrangement] = await tx.select().from(educationArrangements).where(eq(educationArrangements.childId, child.id)).orderBy(desc(educationArrangements.recordedAt)).limit(1);
  const providers = await tx.select().from(educationProviders).where(and(eq(educationProviders.childId, child.id), isNull(educationProviders.endedOn))).orderBy(asc(educationProviders.name));
  const [ownLink] = await tx.select().from(childAdults).where(and(eq(childAdults.childId, child.id), eq(childAdults.adultId, family.adult.id)));
  const educators = await tx
    .select({ firstName: adults.firstName, lastName: adults.lastName, id: adults.id })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(and(eq(childAdults.childId, child.id), eq(childAdults.providesEducation, true)));
  const educationItems: HeldItem[] = [];
  if (educators.length > 0) {
    educationItems.push({
      key: 'education.educators',
      label: 'Who educates at home',
      value: educators.map((e) => (e.id === family.adult.id ? 'You' : `${e.firstName} ${e.lastName}`)).join('\n'),
      source: { text: COUNCIL, on: null },
      correctable: true,
    });
  }
  if (arrangement) {
    const hours = (n: number | null) => (n === null ? 'Not known' : `${n} ${n === 1 ? 'hour' : 'hours'} a week`);
    educationItems.push({
      key: `arrangement.${arrangement.id}`,
      label: 'Time spent on education',
      value: joinLines([`By parents: ${hours(arrangement.parentHoursPerWeek)}`, `By others: ${hours(arrangement.otherHoursPerWeek)}`]),
      source: infoSource(arrangement.source, arrangement.recordedBy, arrangement.recordedAt, userId),
      correctable: true,
    });
  }
  for (const p of providers) {
    educationItems.push({
      key: `provider.${p.id}`,
      label: p.name,
      value: joinLines([
        capitalise(p.type),
        p.addressOrWebsite,
        p.hoursPerWeek !== null ? `${p.hoursPerWeek} hours a week` : null,
        p.hoursWithoutParentPerWeek !== null ? `${p.hoursWithoutParentPerWeek} of those hours without a parent` : null,
      ]),
      source: infoSource(p.source, p.recordedBy, p.recordedAt, userId),
      correctable: true,
    });
  }
  sections.push({ id: 'education', title: 'Education outside school', groups: [{ title: null, items: educationItems }] });

  // Parents and carers: yourself in full, anyone else by name and relationship only.
  const others = await tx
    .select({ id: adults.id, firstName: adults.firstName, lastName: adults.lastName, relationship: childAdults.relationship })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(eq(childAdults.childId, child.id))
    .orderBy(asc(adults.lastName), asc(adults.firstName));
  const you = family.adult;
  const yourSource: HeldSource = { text: COUNCIL, on: day(you.createdAt) };
  const parentItems: HeldItem[] = [
    { key: 'you.name', label: 'Your name', value: `${you.firstName} ${you.lastName}`, source: yourSource, correctable: true },
    { key: 'you.relationship', label: `You and ${firstName}`, value: relationshipText(link, firstName, ownLink?.providesEducation ?? false), source: yourSource, correctable: true },
    { key: 'you.address', label: 'Your address', value: yourAddress(you), source: yourSource, correctable: true },
  ];
  if (you.email) parentItems.push({ key: 'you.email', label: 'Your email address', value: you.email, source: yourSource, correctable: true });
  if (you.phone) parentItems.push({ key: 'you.phone', label: 'Your phone number', value: you.phone, source: yourSource, correctable: true });
  for (const o of others.filter((o) => o.id !== you.id)) {
    parentItems.push({ key: `adult.${o.id}`, label: `${o.firstName} ${o.lastName}`, value: capitalise(o.relationship), source: { text: COUNCIL, on: null }, correctable: true });
  }
  sections.push({ id: 'parents', title: 'Parents and carers', groups: [{ title: null, items: parentItems }] });

  // Home education
  sections.push({ id: 'home-education', title: 'Home education', groups: await homeEducationGroups(tx, child.id, userId, firstName) });

  // Children's social care
  const social = await socialCareGroups(tx, child.id);
  sections.push({ id: 'social-care', title: 'Children’s social care', groups: social.groups });

  // Letters to you about the child
  const sent = await tx
    .select({ id: letters.id, subject: letters.subject, reference: letters.reference, createdAt: letters.createdAt, episodeId: letters.episodeId, socialCareEpisodeId: letters.socialCareEpisodeId })
    .from(letters)
    .where(and(eq(letters.childId, child.id), eq(letters.recipientAdultId, family.adult.id)))
    .orderBy(desc(letters.createdAt));
  sections.push({
    id: 'letters',
    title: 'Letters to you',
    groups: [
      {
        title: null,
        items: sent.map((l) => ({
          key: `letter.${l.id}`,
          label: l.subject,
          value: `Our reference ${l.reference}`,
          source: { text: l.socialCareEpisodeId ? 'Sent by children’s social care' : 'Sent by the council', on: day(l.createdAt) },
          correctable: true,
          href: `/family/letters/${l.id}`,
          links: { letterId: l.id, ...(l.episodeId ? { eheEpisodeId: l.episodeId } : {}), ...(l.socialCareEpisodeId ? { socialCareEpisodeId: l.socialCareEpisodeId } : {}) },
        })),
      },
    ],
  });

  // What you have sent about the child
  const yours = await tx
    .select()
    .from(familySubmissions)
    .where(and(eq(familySubmissions.adultId, family.adult.id), eq(familySubmissions.childId, child.id)))
    .orderBy(desc(familySubmissions.createdAt));
  sections.push({
    id: 'sent',
    title: 'What you have sent',
    groups: [
      {
        title: null,
        items: yours
          .filter((s) => s.kind !== 'correction-request')
          .map((s) => ({
            key: `sent.${s.id}`,
            label: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind,
            value: `Reference ${s.reference}`,
            source: { text: YOU, on: day(s.createdAt) },
            correctable: false,
            href: `/family/sent/${s.id}`,
          })),
      },
    ],
  });

  return { sections, firstName, name: `${child.firstName} ${child.lastName}`, withheldStepIds: social.withheldStepIds };
}

async function homeEducationGroups(tx: Tx, childId: string, userId: string | null, firstName: string): Promise<HeldGroup[]> {
  const eps = await tx.select().from(episodes).where(and(eq(episodes.childId, childId), eq(episodes.kind, 'ehe'))).orderBy(desc(episodes.openedOn));
  if (eps.length === 0) return [];
  const ids = eps.map((e) => e.id);
  const steps = await tx.select().from(eheSteps).where(inArray(eheSteps.episodeId, ids)).orderBy(asc(eheSteps.createdAt));
  const judgements = await tx
    .select()
    .from(suitabilityJudgements)
    .where(and(inArray(suitabilityJudgements.episodeId, ids), eq(suitabilityJudgements.status, 'in-effect')))
    .orderBy(asc(suitabilityJudgements.createdAt));
  const responses = await tx.select().from(familyResponses).where(inArray(familyResponses.episodeId, ids)).orderBy(asc(familyResponses.receivedOn));
  const sourceIds = eps.filter((e) => e.openedBy === 'parent-notification' && e.sourceId).map((e) => e.sourceId!);
  const notices = sourceIds.length ? await tx.select({ id: referrals.id, submittedBy: referrals.submittedBy }).from(referrals).where(inArray(referrals.id, sourceIds)) : [];
  return eps.map((e) => {
    const links = { eheEpisodeId: e.id };
    const opened = e.openedBy === 'parent-notification' && notices.some((n) => n.id === e.sourceId && n.submittedBy !== null && n.submittedBy === userId) ? YOU : (REGISTERED_SOURCES[e.openedBy] ?? COUNCIL);
    const items: HeldItem[] = [
      { key: `ehe.${e.id}`, label: 'Where things are now', value: FAMILY_EHE_STAGES[e.status] ?? e.status, source: { text: COUNCIL, on: day(e.updatedAt) }, correctable: true, links },
      { key: `ehe-opened.${e.id}`, label: 'How the council heard', value: `Home education recorded from ${formatLongDate(e.openedOn)}`, source: { text: opened, on: e.openedOn }, correctable: true, links },
    ];
    for (const s of steps.filter((st) => st.episodeId === e.id && !INTERNAL_EHE_STEPS.includes(st.kind))) {
      items.push({ key: `ehe-step.${s.id}`, label: EHE_STEP_LABELS[s.kind] ?? capitalise(s.kind.replace(/-/g, ' ')), value: describeEheStep(s, firstName), source: { text: COUNCIL, on: s.startedOn }, correctable: true, links: { ...links, eheStepId: s.id } });
    }
    for (const j of judgements.filter((x) => x.episodeId === e.id)) {
      items.push({
        key: `judgement.${j.id}`,
        label: 'Decision on the education',
        value: joinLines([OUTCOMES[j.outcome as keyof typeof OUTCOMES] ?? j.outcome, `Reasons: ${j.reasoning}`, j.familyResponse ? `What you told us: ${j.familyResponse}` : null]),
        source: { text: COUNCIL, on: j.judgedOn },
        correctable: true,
        links,
      });
    }
    for (const r of responses.filter((x) => x.episodeId === e.id)) {
      items.push({ key: `response.${r.id}`, label: 'What you told us', value: r.summary, source: { text: `${COUNCIL} from your ${r.method === 'online' ? 'message' : r.method}`, on: r.receivedOn }, correctable: true, links: { ...links, ...(r.stepId ? { eheStepId: r.stepId } : {}) } });
    }
    return { title: e.closedOn ? `Home education, ${formatLongDate(e.openedOn)} to ${formatLongDate(e.closedOn)}` : `Home education since ${formatLongDate(e.openedOn)}`, items };
  });
}

function describeEheStep(step: typeof eheSteps.$inferSelect, firstName: string): string {
  const d = step.details as Record<string, unknown>;
  const due = step.status === 'open' && step.dueOn ? step.dueOn : null;
  switch (step.kind) {
    case 'informal-enquiry':
    case 'provider-update-request':
      return `The council asked for a reply by ${formatLongDate(step.dueOn ?? str(d['replyBy']))}`;
    case 'information':
      return joinLines([
        `${INFORMATION_KINDS[d['kind'] as keyof typeof INFORMATION_KINDS] ?? str(d['kind'])} (${(OFFER_RESPONSES[d['response'] as keyof typeof OFFER_RESPONSES] ?? str(d['response'])).toLowerCase()})`,
        str(d['summary']),
      ]);
    case 's437-notice':
      return joinLines([`Served on ${date(d['servedOn'])}. You were asked to satisfy the council by ${date(d['expiresOn'])}.`, d['concerns'] ? `The council’s concerns: ${str(d['concerns'])}` : null]);
    case 'notice-of-intention':
      return joinLines([
        `Schools named: ${((d['schools'] as { name: string }[] | undefined) ?? []).map((s) => s.name).join(', ')}`,
        `You could choose a school until ${date(d['choiceEndsOn'])}`,
        d['chosenSchool'] ? `You chose ${(d['chosenSchool'] as { name: string }).name}` : null,
      ]);
    case 'school-choice':
    case 'school-attendance-order':
      return str((d['school'] as { name?: string } | undefined)?.name);
    case 'sao-complied':
      return `${firstName} started at ${str((d['school'] as { name?: string } | undefined)?.name)}${d['startDate'] ? ` on ${date(d['startDate'])}` : ''}`;
    case 'satisfied':
    case 'sao-revoked':
    case 'prosecution':
    case 'preliminary-notice':
      return joinLines([str(d['reasons']), due ? `Details asked for by ${formatLongDate(due)}` : null]);
    case 'register-items-request':
      return joinLines([Array.isArray(d['missing']) ? `Details asked for: ${(d['missing'] as unknown[]).map(str).join(', ')}` : null, step.dueOn ? `Reply asked for by ${formatLongDate(step.dueOn)}` : null]);
    case 'home-consideration':
      return step.status === 'open' ? `Due by ${formatLongDate(step.dueOn ?? step.startedOn)}` : joinLines([str(d['notes']), d['visitAsked'] === 'yes' ? 'The council asked to visit' : null]);
    case 'annual-contact':
      return step.status === 'open' && step.dueOn ? `Due around ${formatLongDate(step.dueOn)}` : `Done on ${formatLongDate(step.completedOn ?? step.startedOn)}`;
    case 'registration':
      return `Registered on ${formatLongDate(step.startedOn)}`;
    case 'closed':
      return str(d['reason']).replace(/-/g, ' ');
    default:
      return due ? `Due by ${formatLongDate(due)}` : '';
  }
}

/** The stage each kind of social care step leads to, so a stage is only ever shown through a step the family may see. */
function stageAfter(step: typeof socialCareSteps.$inferSelect): SocialCareStatus | null {
  const d = step.details as Record<string, unknown>;
  switch (step.kind) {
    case 'decision': {
      const decision = str(d['decision']);
      return decision === 'nfa' || decision === 'signposting' ? 'closed' : decision === 'early-help' ? 'early-help' : decision === 'assessment' ? 'assessment' : decision === 'strategy-discussion' ? 'strategy-discussion' : null;
    }
    case 'assessment': {
      const outcome = str(d['outcome']);
      return outcome === 'nfa' || outcome === 'signposting' ? 'closed' : outcome === 'early-help' ? 'early-help' : outcome === 'cin-plan' ? 'cin-plan' : outcome === 'strategy-discussion' ? 'strategy-discussion' : null;
    }
    case 'strategy-discussion':
      return str(d['outcome']) === 's47' ? 's47-enquiry' : 'assessment';
    case 's47-enquiry':
      return 's47-enquiry';
    case 'icpc':
      return str(d['outcome']) === 'plan' ? 'cp-plan' : 'cin-plan';
    case 'cp-plan':
      return 'cp-plan';
    case 'cin-plan':
      return 'cin-plan';
    case 'cp-review':
    case 'cin-review': {
      const outcome = str(d['outcome']);
      return outcome === 'step-down-cin' ? 'cin-plan' : outcome === 'step-down-early-help' ? 'early-help' : outcome === 'close' ? 'closed' : step.kind === 'cp-review' ? 'cp-plan' : 'cin-plan';
    }
    case 'consent':
      return d['escalated'] === true ? 'strategy-discussion' : null;
    case 'closure':
      return 'closed';
    default:
      return null;
  }
}

/** Only what a family may read of each step: never the child's own views, who took part, or internal codes. */
function describeScStep(step: typeof socialCareSteps.$inferSelect): string {
  const d = step.details as Record<string, unknown>;
  const due = step.status === 'open' && step.dueOn ? `Due by ${formatLongDate(step.dueOn)}` : null;
  switch (step.kind) {
    case 'decision':
      return joinLines([DECISIONS[d['decision'] as keyof typeof DECISIONS] ?? str(d['decision']), d['reasons'] ? `Reasons: ${str(d['reasons'])}` : null]);
    case 'family-contact':
    case 'visit':
    case 'visit-declined':
      return joinLines([
        CONTACT_METHODS[d['method'] as keyof typeof CONTACT_METHODS] ?? null,
        step.kind === 'visit-declined' ? `You said no to the visit${d['declineReasons'] ? `: ${str(d['declineReasons'])}` : ''}` : null,
        str(d['summary']),
        d['parentViews'] ? `Your views: ${str(d['parentViews'])}` : null,
        d['supportivePerson'] ? `Supportive person: ${str(d['supportivePerson'])}` : null,
      ]);
    case 'consent':
      return joinLines([
        `${S17_STEPS[d['step'] as keyof typeof S17_STEPS] ?? str(d['step'])}: ${({ given: 'you agreed', declined: 'you said no', withdrawn: 'you withdrew your agreement' } as Record<string, string>)[str(d['consent'])] ?? str(d['consent'])}`,
        d['reasons'] ? `Your reasons: ${str(d['reasons'])}` : null,
      ]);
    case 'assessment':
      return joinLines([
        `Outcome: ${ASSESSMENT_OUTCOMES[d['outcome'] as keyof typeof ASSESSMENT_OUTCOMES] ?? str(d['outcome'])}`,
        d['sharedOn'] ? `What it found: ${str(d['summary'])}` : null,
        d['sharedOn'] ? `Education: ${str(d['educationSection'])}` : null,
        d['sharedOn'] ? `A copy was sent to you on ${date(d['sharedOn'])}` : null,
        d['parentComments'] ? `Your comments: ${str(d['parentComments'])}` : null,
      ]);
    case 'cin-plan':
    case 'cp-plan':
      return joinLines([
        step.kind === 'cp-plan' && d['category'] ? `Category: ${CP_CATEGORIES[d['category'] as keyof typeof CP_CATEGORIES] ?? str(d['category'])}` : null,
        d['educationSection'] ? `Education: ${str(d['educationSection'])}` : null,
        step.status === 'open' && step.dueOn ? `Next review due by ${formatLongDate(step.dueOn)}` : null,
      ]);
    case 'strategy-discussion':
      return str(d['outcome']) === 's47' ? 'A section 47 enquiry started' : 'No section 47 enquiry';
    case 's47-enquiry':
      return joinLines(['This is not voluntary', step.status === 'open' && step.dueOn ? `Initial child protection conference due by ${formatLongDate(step.dueOn)}` : null]);
    case 'icpc':
      return str(d['outcome']) === 'plan' ? `A child protection plan${d['category'] ? ` (${(CP_CATEGORIES[d['category'] as keyof typeof CP_CATEGORIES] ?? str(d['category'])).toLowerCase()})` : ''}` : 'No child protection plan; a Child in Need plan';
    case 'cp-review':
    case 'cin-review':
      return joinLines([REVIEW_OUTCOMES[str(d['outcome'])] ?? str(d['outcome']), str(d['summary']), d['parentViews'] ? `Your views: ${str(d['parentViews'])}` : null]);
    case 'direction':
      return joinLines([str(d['text']), due, step.status === 'done' ? 'Done' : null]);
    case 'closure':
      return joinLines([CLOSURE_REASONS[d['reason'] as keyof typeof CLOSURE_REASONS] ?? null, str(d['reasons'])]);
    case 'family-told-of-closure':
      return str(d['method']) === 'letter' ? 'By letter' : 'By phone';
    case 'escalation':
    case 'complaint':
      return joinLines([str(d['summary']), d['outcome'] ? `Outcome: ${str(d['outcome'])}` : due]);
    default:
      return due ?? '';
  }
}

async function socialCareGroups(tx: Tx, childId: string): Promise<{ groups: HeldGroup[]; withheldStepIds: Set<string> }> {
  const eps = await tx.select().from(socialCareEpisodes).where(eq(socialCareEpisodes.childId, childId)).orderBy(desc(socialCareEpisodes.referralDate));
  if (eps.length === 0) return { groups: [], withheldStepIds: new Set() };
  const steps = await tx
    .select()
    .from(socialCareSteps)
    .where(inArray(socialCareSteps.episodeId, eps.map((e) => e.id)))
    .orderBy(asc(socialCareSteps.createdAt));
  const withheldStepIds = new Set(steps.filter((s) => s.withheldFromFamily).map((s) => s.id));
  const groups = eps.map((e) => {
    const all = steps.filter((s) => s.episodeId === e.id);
    const shown = all.filter((s) => !s.withheldFromFamily);
    // With nothing withheld the recorded stage is exact; otherwise it is the stage the last visible step led to.
    const stage: SocialCareStatus = shown.length === all.length ? (e.status as SocialCareStatus) : ([...shown].reverse().map(stageAfter).find((s) => s !== null) ?? 'initial-enquiries');
    const links = { socialCareEpisodeId: e.id };
    const items: HeldItem[] = [
      { key: `sc.${e.id}`, label: 'Referral', value: `Children’s social care received a referral on ${formatLongDate(e.referralDate)}`, source: { text: SOCIAL_CARE, on: e.referralDate }, correctable: true, links },
      { key: `sc-stage.${e.id}`, label: 'Where things are now', value: FAMILY_SC_STAGES[stage] ?? stage, source: { text: SOCIAL_CARE, on: null }, correctable: true, links },
    ];
    for (const s of shown) {
      items.push({ key: `sc-step.${s.id}`, label: SC_STEP_LABELS[s.kind] ?? capitalise(s.kind.replace(/-/g, ' ')), value: describeScStep(s), source: { text: SOCIAL_CARE, on: s.startedOn }, correctable: true, links: { ...links, socialCareStepId: s.id } });
    }
    return { title: `Referral of ${formatLongDate(e.referralDate)}`, items };
  });
  return { groups, withheldStepIds };
}

/**
 * The family-visible timeline, without what is someone else's: another adult's submissions, letters
 * to someone else, and anything about a withheld social care step.
 */
async function familyTimeline(tx: Tx, childId: string, family: Family, userId: string | null, withheldStepIds: ReadonlySet<string>): Promise<HeldItem[]> {
  const entries = await listTimeline(tx, childId, ['family'], false, 200);
  const ids = entries.map((e) => e.id);
  const rows = ids.length ? await tx.select({ id: domainEvents.id, aggregateType: domainEvents.aggregateType, aggregateId: domainEvents.aggregateId, actorId: domainEvents.actorId, payload: domainEvents.payload }).from(domainEvents).where(inArray(domainEvents.id, ids)) : [];
  const meta = new Map(rows.map((r) => [r.id, r]));
  const submissionIds = rows.filter((r) => r.aggregateType === 'family-submission').map((r) => r.aggregateId);
  const letterIds = rows.filter((r) => r.aggregateType === 'letter').map((r) => r.aggregateId);
  const mySubmissions = new Set(
    submissionIds.length ? (await tx.select({ id: familySubmissions.id }).from(familySubmissions).where(and(inArray(familySubmissions.id, submissionIds), eq(familySubmissions.adultId, family.adult.id)))).map((r) => r.id) : [],
  );
  const myLetters = new Set(letterIds.length ? (await tx.select({ id: letters.id }).from(letters).where(and(inArray(letters.id, letterIds), eq(letters.recipientAdultId, family.adult.id)))).map((r) => r.id) : []);
  const touchesWithheld = (payload: unknown, aggregateId: string): boolean => {
    if (withheldStepIds.has(aggregateId)) return true;
    const p = (payload ?? {}) as Record<string, unknown>;
    return ['stepId', 'socialCareStepId'].some((k) => typeof p[k] === 'string' && withheldStepIds.has(p[k] as string));
  };
  return entries
    .filter((e) => {
      const m = meta.get(e.id);
      if (!m) return false;
      if (m.aggregateType === 'family-submission' && !mySubmissions.has(m.aggregateId)) return false;
      if (m.aggregateType === 'letter' && !myLetters.has(m.aggregateId)) return false;
      return !touchesWithheld(m.payload, m.aggregateId);
    })
    .map((e) => {
      const m = meta.get(e.id)!;
      const text = m.actorId !== null && m.actorId === userId ? YOU : e.type.startsWith('deletion-return') || e.type.startsWith('admission') ? 'From the school' : COUNCIL;
      return { key: `event.${e.id}`, label: e.summary, value: '', source: { text, on: day(e.occurredAt) }, correctable: m.aggregateType !== 'family-submission' };
    });
}

async function heldAboutChild(uow: UnitOfWork, family: Family, childId: string): Promise<HeldAboutChild & { withheldStepIds: Set<string> }> {
  const link = childOfFamily(uow, family, childId);
  const userId = uow.ctx.actor.id;
  const about = await aboutChild(uow.tx, family, link, userId);
  const timeline = await familyTimeline(uow.tx, childId, family, userId, about.withheldStepIds);
  return { child: { id: childId, name: about.name, firstName: about.firstName }, sections: about.sections, timeline, corrections: await correctionsOf(uow.tx, family, childId), withheldStepIds: about.withheldStepIds };
}

/** What the council holds about one of the parent's children, each item with its source. Audited. */
export async function viewHeldAboutChild(deps: FamilyDeps, ctx: UseCaseContext, childId: string): Promise<HeldAboutChild> {
  return asFamily(deps, ctx, 'family.record.view', async (uow, family) => {
    const { withheldStepIds: _withheld, ...held } = await heldAboutChild(uow, family, childId);
    uow.audit({ action: 'family.record.view', recordType: 'child', recordId: childId, childId, details: { adultId: family.adult.id } });
    return held;
  });
}

// The parent ---------------------------------------------------------------------------------------

const PREFERENCES: Record<string, string> = { any: 'Any way', 'written-only': 'In writing only' };
const CHANNELS: Record<string, string> = { post: 'By post', email: 'By email' };

async function heldAboutYou(tx: Tx, family: Family): Promise<HeldSection[]> {
  const you = family.adult;
  const source: HeldSource = { text: COUNCIL, on: day(you.createdAt) };
  const details: HeldItem[] = [
    { key: 'you.name', label: 'Name', value: `${you.firstName} ${you.lastName}`, source, correctable: true },
    { key: 'you.address', label: 'Address', value: yourAddress(you), source, correctable: true },
  ];
  if (you.doNotDiscloseAddress) details.push({ key: 'you.private', label: 'Keeping your address private', value: 'Your address is not shown to anyone outside the council, including other parents and carers', source, correctable: true });
  details.push(
    { key: 'you.email', label: 'Email address', value: you.email ?? 'Not held', source, correctable: true },
    { key: 'you.phone', label: 'Phone number', value: you.phone ?? 'Not held', source, correctable: true },
  );
  const contact: HeldItem[] = [
    { key: 'you.contact-preference', label: 'Contact about home education', value: PREFERENCES[you.contactPreference] ?? you.contactPreference, source, correctable: true },
    { key: 'you.channel', label: 'How letters reach you', value: CHANNELS[you.preferredChannel] ?? you.preferredChannel, source, correctable: true },
    { key: 'you.format', label: 'Format', value: you.contactFormat ?? 'Standard', source, correctable: true },
    { key: 'you.language', label: 'Language', value: you.contactLanguage ?? 'English', source, correctable: true },
    { key: 'you.supportive-person', label: 'Supportive person', value: you.supportivePersonName ? joinLines([you.supportivePersonName, you.supportivePersonContact]) : 'None', source, correctable: true },
  ];
  const links = await tx
    .select({ childId: childAdults.childId, providesEducation: childAdults.providesEducation })
    .from(childAdults)
    .where(eq(childAdults.adultId, you.id));
  const provides = new Map(links.map((l) => [l.childId, l.providesEducation]));
  const childItems: HeldItem[] = family.children.map((c) => ({
    key: `you.child.${c.childId}`,
    label: `${c.firstName} ${c.lastName}`,
    value: relationshipText(c, c.firstName, provides.get(c.childId) ?? false),
    source,
    correctable: true,
    href: `/family/children/${c.childId}`,
  }));
  return [
    { id: 'your-details', title: 'Your details', groups: [{ title: null, items: details }] },
    { id: 'contact', title: 'How you want to be contacted', groups: [{ title: null, items: contact }] },
    { id: 'your-children', title: 'Your children', groups: [{ title: null, items: childItems }] },
  ];
}

/** What the council holds about the parent themselves. Audited. */
export async function viewHeldAboutYou(deps: FamilyDeps, ctx: UseCaseContext): Promise<HeldAboutYou> {
  return asFamily(deps, ctx, 'family.record.view-self', async (uow, family) => {
    const sections = await heldAboutYou(uow.tx, family);
    uow.audit({ action: 'family.record.view-self', recordType: 'adult', recordId: family.adult.id, childId: null });
    return { name: `${family.adult.firstName} ${family.adult.lastName}`, sections, corrections: await correctionsOf(uow.tx, family, null) };
  });
}

// Corrections --------------------------------------------------------------------------------------

/** Whose record the item is on: one of the parent's children, or the parent themselves. */
export type CorrectionTarget = { childId: string } | { childId: null };

export interface CorrectionItem {
  item: HeldItem;
  section: string;
  childName: string | null;
}

async function findItem(uow: UnitOfWork, family: Family, target: CorrectionTarget, key: string): Promise<CorrectionItem> {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw notFound('The item');
  let sections: HeldSection[];
  let timeline: HeldItem[] = [];
  let childName: string | null = null;
  if (target.childId !== null) {
    const held = await heldAboutChild(uow, family, target.childId);
    sections = held.sections;
    timeline = held.timeline;
    childName = held.child.name;
  } else {
    sections = await heldAboutYou(uow.tx, family);
  }
  for (const section of sections) {
    for (const group of section.groups) {
      const item = group.items.find((i) => i.key === key && i.correctable);
      if (item) return { item, section: group.title ? `${section.title}: ${group.title}` : section.title, childName };
    }
  }
  const event = timeline.find((i) => i.key === key && i.correctable);
  if (event) return { item: event, section: 'Timeline', childName };
  throw notFound('The item');
}

/** The item a correction is asked for, as the parent saw it. Audited as a read of the record. */
export async function viewCorrectionItem(deps: FamilyDeps, ctx: UseCaseContext, target: CorrectionTarget, key: string): Promise<CorrectionItem> {
  return asFamily(deps, ctx, 'family.correction.view', async (uow, family) => {
    const found = await findItem(uow, family, target, key);
    uow.audit({ action: 'family.correction.view', recordType: target.childId === null ? 'adult' : 'child', recordId: target.childId ?? family.adult.id, childId: target.childId, details: { item: key } });
    return found;
  });
}

const correctionText = (message: string, label: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : ''), z.string().min(1, message).max(2000, `${label} must be 2,000 characters or fewer`));

export const correctionSchema = z.object({
  whatIsWrong: correctionText('Tell us what is wrong', 'What is wrong'),
  correction: correctionText('Tell us what it should say', 'What it should say'),
});

/**
 * Asks the council to correct an item it holds. The council must answer within one calendar month
 * of receiving the request (UK GDPR article 12(3), for the right to rectification in article 16).
 */
export async function requestCorrection(deps: FamilyDeps, ctx: UseCaseContext, target: CorrectionTarget, key: string, input: unknown): Promise<{ submissionId: string; reference: string; dueOn: IsoDate; childId: string | null }> {
  return asFamily(deps, ctx, 'family.correction-request', async (uow, family) => {
    const { item, section, childName } = await findItem(uow, family, target, key);
    const c = parseInput(correctionSchema, input);
    const dueOn = addMonths(todayIn(ctx.now), 1);
    const links = item.links ?? {};
    const socialCare = links.socialCareEpisodeId !== undefined;
    const itemLabel = `${section}: ${item.label}`;
    const shown = joinLines([item.value, `${item.source.text}${item.source.on ? `, ${formatLongDate(item.source.on)}` : ''}`]);
    const submission: SubmissionRow = await insertSubmission(uow, family, {
      kind: 'correction-request',
      childId: target.childId,
      eheEpisodeId: links.eheEpisodeId ?? null,
      eheStepId: links.eheStepId ?? null,
      letterId: links.letterId ?? null,
      socialCareEpisodeId: links.socialCareEpisodeId ?? null,
      socialCareStepId: links.socialCareStepId ?? null,
      dueOn,
      details: {
        itemKey: item.key,
        itemLabel,
        valueShown: shown,
        whatIsWrong: c.whatIsWrong,
        correction: c.correction,
        lines: [
          { label: 'About', value: childName ?? 'You' },
          { label: 'What you asked us to correct', value: itemLabel },
          { label: 'What we hold', value: shown },
          { label: 'What is wrong', value: c.whatIsWrong },
          { label: 'What it should say', value: c.correction },
        ],
      },
      summary: `Request for a correction received: ${item.label}`,
      visibility: socialCare ? 'social-care' : 'family',
    });
    return { submissionId: submission.id, reference: submission.reference, dueOn, childId: target.childId };
  });
}

/** This area's record and correction use cases, bound to their dependencies. */
export function recordServices(deps: FamilyDeps) {
  return {
    viewHeldAboutChild: (ctx: UseCaseContext, childId: string) => viewHeldAboutChild(deps, ctx, childId),
    viewHeldAboutYou: (ctx: UseCaseContext) => viewHeldAboutYou(deps, ctx),
    viewCorrectionItem: (ctx: UseCaseContext, target: CorrectionTarget, key: string) => viewCorrectionItem(deps, ctx, target, key),
    requestCorrection: (ctx: UseCaseContext, target: CorrectionTarget, key: string, input: unknown) => requestCorrection(deps, ctx, target, key, input),
  };
}
