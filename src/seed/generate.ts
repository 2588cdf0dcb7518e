import { Faker, en_GB, en, base } from '@faker-js/faker';
import { enrichDemoData } from './enrich.ts';
import type {
  adults,
  cmeEnquiries,
  episodes,
  educationArrangements,
  educationProviders,
  allocations,
  caseNotes,
  childAdults,
  children,
  councils,
  domainEvents,
  enrolments,
  schools,
  users,
} from '../db/schema/index.ts';
import type { Role } from '../domain/auth/roles.ts';
import {
  UPN_ALPHABET,
  makeLaestab,
  makeTemporaryUpn,
  makeTestNhsNumber,
  makeUpn,
  normalisePostcode,
  postcodeKey,
} from '../domain/identifiers/index.ts';
import { DEMO_ACCOUNTS, DEMO_SCHOOL_URN } from './demo-accounts.ts';
import {
  ADULT_FIRST_NAMES,
  CHILD_FIRST_NAMES,
  INWARD_LETTERS,
  NORTHSHIRE_DISTRICTS,
  NORTHSHIRE_SCHOOLS,
  PREFERRED_NAMES,
  STREET_NAMES,
  STREET_SUFFIXES,
  SURNAMES,
  type NorthshireSchool,
} from './names.ts';

/**
 * Synthetic data for the demo council, Northshire. Everything is derived from one seeded faker
 * instance and the `today` option, so a given seed and date always give the same rows (ids
 * included): tests can compare runs and screenshots stay stable.
 */

type WithId<T> = T & { id: string };

export type CouncilInsert = WithId<typeof councils.$inferInsert>;
export type SchoolInsert = WithId<typeof schools.$inferInsert>;
export type UserInsert = WithId<typeof users.$inferInsert>;
export type ChildInsert = WithId<typeof children.$inferInsert>;
export type AdultInsert = WithId<typeof adults.$inferInsert>;
export type ChildAdultInsert = typeof childAdults.$inferInsert;
export type EnrolmentInsert = WithId<typeof enrolments.$inferInsert>;
export type AllocationInsert = WithId<typeof allocations.$inferInsert>;
export type CaseNoteInsert = WithId<typeof caseNotes.$inferInsert>;
export type DomainEventInsert = typeof domainEvents.$inferInsert;

/** Rows for every seeded table, in foreign-key order. */
export interface DemoData {
  councils: CouncilInsert[];
  schools: SchoolInsert[];
  users: UserInsert[];
  adults: AdultInsert[];
  children: ChildInsert[];
  childAdults: ChildAdultInsert[];
  enrolments: EnrolmentInsert[];
  allocations: AllocationInsert[];
  caseNotes: CaseNoteInsert[];
  domainEvents: DomainEventInsert[];
  educationArrangements: (typeof educationArrangements.$inferInsert)[];
  educationProviders: (typeof educationProviders.$inferInsert)[];
  episodes: (typeof episodes.$inferInsert)[];
  cmeEnquiries: (typeof cmeEnquiries.$inferInsert)[];
}

export interface GenerateDemoDataOptions {
  seed: number;
  childCount: number;
  /** The date the data is generated for, YYYY-MM-DD; every date in the data is on or before it. */
  today: string;
  /** Issuer of the embedded identity provider; seeded users sign in through it. */
  embeddedIssuer: string;
}

export const DEMO_COUNCIL = { name: 'Northshire Council', laNumber: '999', gssCode: 'E06999999' } as const;

/** The demo council's published home education policy (fictional council, plain GOV.UK wording). */
export const DEMO_HOME_EDUCATION_POLICY = `# Elective home education in Northshire

Parents have the right to educate their children at home. Northshire Council respects that choice and works with families to make sure every child gets a suitable education.

## What the law says

A child of compulsory school age must get an efficient, full-time education suitable to their age, ability and aptitude, and to any special educational needs they have, either by going to school or otherwise (Education Act 1996, section 7).

## How we work with home-educating families

- We will usually write to you about once a year to ask about your child's education.
- You can tell us about the education in the way that suits you: a written report, samples of work, or a meeting at a place you choose. You do not have to agree to a home visit, and saying no to a visit is never by itself a reason for us to decide the education is not suitable.
- If you ask us to contact you in writing only, we will.
- If we are worried that the education may not be suitable, we will tell you why and give you the chance to show us otherwise before we take any formal step.

## Support we offer

- advice from the home education team
- help finding exam centres
- support for children with special educational needs
- details of local home education groups

## Complaints

If you are unhappy with how we have dealt with you, you can ask for your concern to be looked at by a team manager, and you can use the council's complaints procedure.`;

/** Fewer children than this cannot give the demo school its mix of pupils and leavers. */
export const MIN_CHILD_COUNT = 60;

export const SEED_ACTOR_LABEL = 'Seed data';
export const SEED_CORRELATION_ID = 'seed';

/** Subjects of the generated council staff: staff-001, staff-002, … */
const STAFF_ROLES: readonly Role[] = [
  'ehe_officer',
  'ehe_officer',
  'ehe_officer',
  'cme_officer',
  'cme_officer',
  'mash_worker',
  'mash_worker',
  'mash_worker',
  'social_worker',
  'social_worker',
  'social_worker',
  'social_worker',
  'social_worker',
  'team_manager',
  'team_manager',
];

const DELETION_GROUND_SUMMARIES: Readonly<Record<string, string>> = {
  a: 'registered at another school',
  b: 'not continuing after nursery',
  c: 'dual-registered and the other school agreed',
  d: 'School Attendance Order amended to name another school',
  e: 'School Attendance Order revoked',
  f: 'parent notified the school of home education',
  g: 'no longer lives within reasonable distance',
  h: 'did not return after leave of absence',
  i: '20 school days of continuous unauthorised absence',
  j: 'in detention',
  k: 'died',
  l: 'over compulsory school age and not continuing',
  m: 'boarding fees unpaid',
  n: 'ceased to be a pupil at an independent or non-maintained special school',
  o: 'permanently excluded',
};

interface NoteText {
  body: string;
  /** Notes that describe a next step carry a follow-up date. */
  followUp: boolean;
}

type NoteVoice = 'ehe' | 'cme' | 'social' | 'health' | 'triage';

const NOTE_TEXTS: Readonly<Record<NoteVoice, readonly NoteText[]>> = {
  ehe: [
    { followUp: false, body: "Received the parent's written description of the home education provision. It covers literacy, numeracy and a range of other subjects." },
    { followUp: false, body: 'Met the parent and child at the local library. The child showed examples of recent written work and talked about a science project.' },
    { followUp: false, body: 'Parent confirmed by email that the family is continuing to home educate; no change to the arrangements.' },
    { followUp: false, body: "Reviewed the information provided against the council's home education policy. The provision appears suitable at this time." },
    { followUp: false, body: 'Parent asked for all contact about home education to be in writing; preference recorded.' },
    { followUp: false, body: 'Sent the home education information pack and details of local support groups to the parent.' },
    { followUp: false, body: 'Parent declined a home visit and offered to send samples of work instead, which is an acceptable alternative.' },
    { followUp: false, body: 'Annual contact made. Parent reports the child attends a tutor group two mornings a week.' },
    { followUp: true, body: 'Sent the informal enquiry letter asking for information about the education being provided. Follow up if there is no reply.' },
    { followUp: true, body: 'Parent will send samples of work after the half-term break. Check they have arrived.' },
    { followUp: true, body: 'Left a voicemail for the parent about the education provision; try again.' },
    { followUp: true, body: "Agreed with the parent to meet next term to look at the child's progress. Arrange the meeting." },
  ],
  cme: [
    { followUp: false, body: 'Checked with the previous school; no forwarding address was held.' },
    { followUp: false, body: 'Contacted the admissions team; no application for a school place has been received.' },
    { followUp: false, body: 'Neighbour at the last known address said the family moved out several weeks ago.' },
    { followUp: false, body: 'Confirmed with the GP practice that the child is still registered there.' },
    { followUp: false, body: "Joint home visit with the school's attendance officer; no answer at the address. Card left." },
    { followUp: false, body: 'Parent telephoned in reply to our letter and gave a new address within Northshire.' },
    { followUp: true, body: 'Asked the neighbouring local authority to check its records for the family. Chase the reply.' },
    { followUp: true, body: 'Asked the school to share the outcome of its reasonable enquiries before deletion from the roll.' },
    { followUp: true, body: 'Wrote to the last known address asking the parent to make contact. Follow up if nothing is heard.' },
    { followUp: true, body: 'Requested a check of the council tax and housing records for a new address.' },
  ],
  social: [
    { followUp: false, body: 'Visited the family home. The children were seen together and spoke positively about their week.' },
    { followUp: false, body: 'Telephoned parent to confirm the new address; no concerns raised.' },
    { followUp: false, body: 'Spoke with the child alone; the child said things at home are going well.' },
    { followUp: false, body: 'Attended the core group meeting; actions from the plan are on track.' },
    { followUp: false, body: 'Parent said the family has been struggling with the cost of food; gave details of local support.' },
    { followUp: false, body: "Child's views recorded for the review: would like more time with grandparents at weekends." },
    { followUp: false, body: 'Went through the plan with the parent, who agreed the next steps and asked for a copy in writing.' },
    { followUp: true, body: "Parent asked for the assessment in writing. Send a copy and record the parent's comments." },
    { followUp: true, body: 'Arranged a home visit for next week; confirm the time with the parent.' },
    { followUp: true, body: 'Requested an update from the health visitor on recent contact with the family.' },
    { followUp: true, body: 'Check with the school whether attendance has improved since the last review.' },
    { followUp: true, body: 'Parent consented to information being shared with the early help team. Make the referral.' },
  ],
  health: [
    { followUp: false, body: 'Completed the developmental review at the clinic; no concerns noted.' },
    { followUp: false, body: 'Home visit: the child is gaining weight well and meeting milestones.' },
    { followUp: false, body: 'Parent asked about nursery places; gave details of the funded childcare offer.' },
    { followUp: false, body: 'Talked through sleep routines with the parent and left a leaflet.' },
    { followUp: false, body: 'Immunisations are up to date according to the GP record.' },
    { followUp: true, body: 'Family missed the clinic appointment. Offer another appointment.' },
    { followUp: true, body: 'Parent would like support with feeding; arrange a follow-up visit.' },
    { followUp: true, body: "Check with the GP practice that the family's new address is recorded." },
  ],
  triage: [
    { followUp: false, body: 'Contact from the school about attendance. Information gathered from partner agencies; no further action for children’s social care.' },
    { followUp: false, body: 'Reviewed the case file; recording is up to date.' },
    { followUp: false, body: "Contact from the police about a disturbance near the family's address; information shared with the allocated worker." },
    { followUp: false, body: 'Discussed at the daily MASH meeting and passed to early help with the parent’s consent.' },
    { followUp: false, body: 'Supervision held; the plan remains appropriate.' },
    { followUp: true, body: 'Requested information from the GP practice and the school to inform the referral decision.' },
    { followUp: true, body: 'Asked the allocated worker to bring the chronology up to date before the next supervision.' },
  ],
};

const ROLE_VOICES: Readonly<Partial<Record<Role, NoteVoice>>> = {
  ehe_officer: 'ehe',
  cme_officer: 'cme',
  social_worker: 'social',
  health_visitor: 'health',
  mash_worker: 'triage',
  team_manager: 'triage',
};

// ----------------------------------------------------------------------------------------------
// Dates (UTC calendar days, as YYYY-MM-DD strings)

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function weekdayOnOrBefore(date: string): string {
  let day = date;
  while (isWeekend(day)) day = addDays(day, -1);
  return day;
}

function weekdayOnOrAfter(date: string): string {
  let day = date;
  while (isWeekend(day)) day = addDays(day, 1);
  return day;
}

function at(date: string, hour: number, minute: number): Date {
  return new Date(dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000);
}

/** First school day of September in a given year. */
function septemberStart(year: number): string {
  return weekdayOnOrAfter(`${year}-09-04`);
}

/** The calendar year in which the current school year started: the autumn term has begun by today. */
function schoolYearStart(today: string): number {
  const year = Number(today.slice(0, 4));
  return today >= septemberStart(year) ? year : year - 1;
}

/**
 * The oldest year group still of compulsory school age today: Year 11 pupils pass that age on the
 * last Friday in June, so over the summer the oldest are Year 10.
 */
function oldestCompulsoryYearGroup(today: string): number {
  return today.slice(5) >= '07-01' && today < septemberStart(Number(today.slice(0, 4))) ? 10 : 11;
}

// ----------------------------------------------------------------------------------------------
// Seeded randomness

interface Random {
  uuid(): string;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  shuffle<T>(items: readonly T[]): T[];
  dateBetween(from: string, to: string): string;
}

function createRandom(seed: number): Random {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(seed);
  return {
    uuid: () => faker.string.uuid(),
    int: (min, max) => faker.number.int({ min, max }),
    chance: (probability) => faker.number.float({ min: 0, max: 1 }) < probability,
    pick: (items) => faker.helpers.arrayElement(items),
    weighted: (items) => faker.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight }))),
    shuffle: (items) => faker.helpers.shuffle([...items]),
    dateBetween: (from, to) => addDays(from, faker.number.int({ min: 0, max: Math.max(0, daysBetween(from, to)) })),
  };
}

// ----------------------------------------------------------------------------------------------
// Generation

interface Address {
  line1: string;
  town: string;
  postcode: string;
}

type Relationship = 'mother' | 'father' | 'parent' | 'step-parent' | 'grandparent' | 'carer';

interface AdultPlan {
  row: AdultInsert;
  relationship: Relationship;
  parentalResponsibility: boolean;
  livesWith: boolean;
}

interface ChildPlan {
  row: ChildInsert;
  /** National Curriculum year group, or null for a child under school age. */
  yearGroup: number | null;
  household: Household;
  enrolments: EnrolmentInsert[];
  registeredOn: string;
}

interface Household {
  surname: string;
  address: Address;
  adults: AdultPlan[];
  children: ChildPlan[];
  primarySchool: SchoolInsert | null;
  secondarySchool: SchoolInsert | null;
}

type Schooling =
  | { kind: 'current'; school: SchoolInsert }
  | { kind: 'left'; school: SchoolInsert; ground: string; endDate: string };

/**
 * Builds the whole demo data set in memory. Pure apart from its inputs, so the same seed and
 * `today` give identical rows; the seed script inserts them and tests compare two runs.
 */
export function generateDemoData(options: GenerateDemoDataOptions): DemoData {
  const { seed, childCount, today, embeddedIssuer } = options;
  if (!DATE_PATTERN.test(today) || Number.isNaN(dayNumber(today)) || fromDayNumber(dayNumber(today)) !== today) {
    throw new RangeError(`today must be a calendar date in the form YYYY-MM-DD, not ${JSON.stringify(today)}`);
  }
  if (!Number.isInteger(childCount) || childCount < MIN_CHILD_COUNT || childCount > 5_000) {
    throw new RangeError(`childCount must be a whole number from ${MIN_CHILD_COUNT} to 5000`);
  }
  if (!Number.isInteger(seed)) throw new RangeError('seed must be a whole number');
  if (embeddedIssuer.trim() === '') throw new RangeError('embeddedIssuer must not be empty');

  const random = createRandom(seed);
  const yearStart = schoolYearStart(today);
  const oldestYearGroup = oldestCompulsoryYearGroup(today);
  const longAgo = at(addDays(today, -730), 9, 0);

  // Council and schools ------------------------------------------------------------------------

  const council: CouncilInsert = {
    id: random.uuid(),
    ...DEMO_COUNCIL,
    settings: {
      contact: {
        team: 'Elective Home Education Team',
        addressLines: ['Northshire Council', 'County Hall', 'Brackenthwaite', 'NZ1 1AA'],
        phone: '01632 960 000',
        email: 'home.education@northshire.example',
        website: 'https://www.northshire.example/home-education',
        socialCareTeam: 'Children’s Social Care',
        socialCarePhone: '01632 960 100',
        socialCareEmail: 'childrens.services@northshire.example',
      },
    },
    homeEducationPolicy: DEMO_HOME_EDUCATION_POLICY,
    createdAt: longAgo,
  };

  const randomPostcode = (outward: string): string => {
    const inward = `${random.int(1, 9)}${random.pick([...INWARD_LETTERS])}${random.pick([...INWARD_LETTERS])}`;
    const postcode = normalisePostcode(`${outward} ${inward}`);
    if (postcode === null) throw new Error(`Generated an invalid postcode from ${outward} ${inward}`);
    return postcode;
  };

  const schoolRows: SchoolInsert[] = NORTHSHIRE_SCHOOLS.map((school: NorthshireSchool, index) => ({
    id: random.uuid(),
    urn: String(999_101 + index),
    laestab: makeLaestab(DEMO_COUNCIL.laNumber, school.establishmentNumber),
    name: school.name,
    type: school.type,
    phase: school.phase,
    postcode: randomPostcode(school.outward),
    createdAt: longAgo,
  }));
  const demoSchool = schoolRows.find((school) => school.urn === DEMO_SCHOOL_URN);
  if (!demoSchool || demoSchool.phase !== 'secondary') throw new Error('The demo school must be a seeded secondary');
  const establishmentBySchoolId = new Map(
    schoolRows.map((school) => [school.id, school.laestab.slice(DEMO_COUNCIL.laNumber.length)]),
  );
  const specialSchool = schoolRows.find((school) => school.type === 'special');
  const referralUnit = schoolRows.find((school) => school.type === 'pupil referral unit');
  if (!specialSchool || !referralUnit) throw new Error('Northshire needs a special school and a pupil referral unit');
  const primarySchools = schoolRows.filter((school) => school.phase === 'primary' || school.phase === 'all-through');
  const primaryOnlySchools = schoolRows.filter((school) => school.phase === 'primary');
  const otherSecondarySchools = schoolRows.filter(
    (school) =>
      (school.phase === 'secondary' || school.phase === 'all-through') &&
      school.id !== demoSchool.id &&
      school.id !== referralUnit.id,
  );

  // Users --------------------------------------------------------------------------------------

  const userRows: UserInsert[] = [];
  const userBySubject = new Map<string, UserInsert>();
  for (const account of DEMO_ACCOUNTS) {
    const school = account.schoolUrn === undefined ? undefined : schoolRows.find((s) => s.urn === account.schoolUrn);
    if (account.schoolUrn !== undefined && !school) throw new Error(`No seeded school has URN ${account.schoolUrn}`);
    const row: UserInsert = {
      id: random.uuid(),
      issuer: embeddedIssuer,
      subject: account.subject,
      email: account.email,
      displayName: account.displayName,
      role: account.role,
      schoolId: school?.id ?? null,
      organisation: account.organisation ?? school?.name ?? null,
      active: true,
      createdAt: longAgo,
    };
    userRows.push(row);
    userBySubject.set(account.subject, row);
  }
  const demoUser = (subject: string): UserInsert => {
    const user = userBySubject.get(subject);
    if (!user) throw new Error(`DEMO_ACCOUNTS has no ${subject}`);
    return user;
  };
  const demoEhe = demoUser('demo-ehe-officer');
  const demoCme = demoUser('demo-cme-officer');
  const demoSocialWorker = demoUser('demo-social-worker');
  const demoHealthVisitor = demoUser('demo-health-visitor');
  const demoParent = demoUser('demo-parent');

  const usedDisplayNames = new Set(userRows.map((user) => user.displayName));
  const staff: UserInsert[] = STAFF_ROLES.map((role, index) => {
    let first: string;
    let last: string;
    do {
      first = random.pick(random.chance(0.5) ? ADULT_FIRST_NAMES.female : ADULT_FIRST_NAMES.male);
      last = random.pick(SURNAMES);
    } while (usedDisplayNames.has(`${first} ${last}`));
    usedDisplayNames.add(`${first} ${last}`);
    const row: UserInsert = {
      id: random.uuid(),
      issuer: embeddedIssuer,
      subject: `staff-${String(index + 1).padStart(3, '0')}`,
      email: `${emailPart(first)}.${emailPart(last)}@northshire.example`,
      displayName: `${first} ${last}`,
      role,
      schoolId: null,
      organisation: 'Northshire Council',
      active: true,
      createdAt: longAgo,
    };
    userRows.push(row);
    return row;
  });
  const staffWithRole = (role: Role): UserInsert[] => staff.filter((user) => user.role === role);

  // Households, adults and children --------------------------------------------------------------

  const households: Household[] = [];
  const plans: ChildPlan[] = [];
  const usedLaChildIds = new Set<string>();

  const randomAddress = (): Address => {
    const district = random.pick(NORTHSHIRE_DISTRICTS);
    return {
      line1: `${random.int(1, 180)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_SUFFIXES)}`,
      town: district.town,
      postcode: randomPostcode(district.outward),
    };
  };

  const newAdult = (
    household: Household,
    details: { first: string; last: string; address: Address; relationship: Relationship; pr: boolean; livesWith: boolean },
  ): AdultPlan => {
    const hasEmail = random.chance(0.7);
    const row: AdultInsert = {
      id: random.uuid(),
      userId: null,
      firstName: details.first,
      lastName: details.last,
      email: hasEmail ? `${emailPart(details.first)}.${emailPart(details.last)}${random.int(1, 99)}@mail.example` : null,
      // Ofcom reserves 07700 900000–900999 for drama and examples: never a real line.
      phone: random.chance(0.85) ? `07700 900${String(random.int(0, 999)).padStart(3, '0')}` : null,
      addressLine1: details.address.line1,
      town: details.address.town,
      postcode: details.address.postcode,
      createdAt: longAgo,
    };
    const adult: AdultPlan = {
      row,
      relationship: details.relationship,
      parentalResponsibility: details.pr,
      livesWith: details.livesWith,
    };
    household.adults.push(adult);
    return adult;
  };

  const adultName = (sex: 'female' | 'male' | 'either'): string =>
    random.pick(
      sex === 'female' || (sex === 'either' && random.chance(0.5)) ? ADULT_FIRST_NAMES.female : ADULT_FIRST_NAMES.male,
    );

  const newHousehold = (surname: string): Household => {
    const household: Household = {
      surname,
      address: randomAddress(),
      adults: [],
      children: [],
      primarySchool: null,
      secondarySchool: null,
    };
    households.push(household);
    return household;
  };

  const dateOfBirthFor = (yearGroup: number | null): string => {
    if (yearGroup === null) {
      return random.dateBetween(`${yearStart - 4}-09-01`, addDays(today, -30));
    }
    const birthYearStart = yearStart - yearGroup - 5;
    return random.dateBetween(`${birthYearStart}-09-01`, `${birthYearStart + 1}-08-31`);
  };

  const newChild = (household: Household, yearGroup: number | null, first?: { name: string; sex: 'F' | 'M' }): ChildPlan => {
    let sex: 'F' | 'M' | 'U';
    let firstName: string;
    if (first) {
      sex = first.sex;
      firstName = first.name;
    } else {
      sex = random.weighted([
        ['F', 49],
        ['M', 49],
        ['U', 2],
      ] as const);
      const list =
        sex === 'F' || (sex === 'U' && random.chance(0.5)) ? CHILD_FIRST_NAMES.female : CHILD_FIRST_NAMES.male;
      const siblingNames = new Set(household.children.map((child) => child.row.firstName));
      do firstName = random.pick(list);
      while (siblingNames.has(firstName));
    }
    let laChildId: string;
    do laChildId = `NS${random.int(100_000, 999_999)}`;
    while (usedLaChildIds.has(laChildId));
    usedLaChildIds.add(laChildId);
    const preferred = PREFERRED_NAMES[firstName];
    const row: ChildInsert = {
      id: random.uuid(),
      laChildId,
      upn: null,
      nhsNumber: null,
      firstName,
      lastName: household.surname,
      preferredName: preferred !== undefined && random.chance(0.4) ? preferred : null,
      dateOfBirth: dateOfBirthFor(yearGroup),
      sex,
      addressLine1: household.address.line1,
      addressLine2: null,
      town: household.address.town,
      postcode: household.address.postcode,
      postcodeKey: postcodeKey(household.address.postcode),
    };
    const plan: ChildPlan = { row, yearGroup, household, enrolments: [], registeredOn: today };
    household.children.push(plan);
    plans.push(plan);
    return plan;
  };

  // The demo parent's family: one child on a roll, one who recently left the demo school for
  // home education.
  const demoFamily = newHousehold('Fairweather');
  const demoParentAdult = newAdult(demoFamily, {
    first: 'Robin',
    last: 'Fairweather',
    address: demoFamily.address,
    relationship: 'parent',
    pr: true,
    livesWith: true,
  });
  demoParentAdult.row.userId = demoParent.id;
  demoParentAdult.row.email = demoParent.email;
  const demoElder = newChild(demoFamily, 8, { name: 'Ellis', sex: 'M' });
  const demoYounger = newChild(demoFamily, 4, { name: 'Maisie', sex: 'F' });

  const under5Target = Math.max(6, Math.round(childCount * 0.06));
  let under5Count = 0;
  while (plans.length < childCount) {
    const remaining = childCount - plans.length;
    const surname = random.pick(SURNAMES);
    const household = newHousehold(surname);
    const twoAdults = random.chance(0.55);
    if (twoAdults) {
      newAdult(household, {
        first: adultName('female'),
        last: surname,
        address: household.address,
        relationship: 'mother',
        pr: true,
        livesWith: true,
      });
      const second = random.weighted<Relationship>([
        ['father', 70],
        ['step-parent', 20],
        ['parent', 10],
      ]);
      newAdult(household, {
        first: adultName(second === 'father' ? 'male' : 'either'),
        last: second === 'step-parent' && random.chance(0.6) ? random.pick(SURNAMES) : surname,
        address: household.address,
        relationship: second,
        pr: second !== 'step-parent',
        livesWith: true,
      });
    } else {
      const sole = random.weighted<Relationship>([
        ['mother', 70],
        ['father', 15],
        ['grandparent', 8],
        ['carer', 7],
      ]);
      newAdult(household, {
        first: adultName(sole === 'mother' ? 'female' : sole === 'father' ? 'male' : 'either'),
        last: sole === 'carer' && random.chance(0.5) ? random.pick(SURNAMES) : surname,
        address: household.address,
        relationship: sole,
        // A grandparent bringing up a child often holds a special guardianship order.
        pr: sole === 'mother' || sole === 'father' || (sole === 'grandparent' && random.chance(0.5)),
        livesWith: true,
      });
      if (sole === 'mother' && random.chance(0.25)) {
        newAdult(household, {
          first: adultName('male'),
          last: random.chance(0.5) ? surname : random.pick(SURNAMES),
          address: randomAddress(),
          relationship: 'father',
          pr: true,
          livesWith: false,
        });
      }
    }
    const size = Math.min(
      remaining,
      random.weighted([
        [1, 50],
        [2, 35],
        [3, 15],
      ] as const),
    );
    for (let i = 0; i < size; i += 1) {
      const childrenLeft = childCount - plans.length;
      const under5Left = under5Target - under5Count;
      const under5 = under5Left > 0 && (childrenLeft <= under5Left || random.chance(0.06));
      if (under5) under5Count += 1;
      newChild(household, under5 ? null : random.int(1, oldestYearGroup));
    }
  }

  // Schooling ------------------------------------------------------------------------------------

  const enrolmentRows: EnrolmentInsert[] = [];
  const addEnrolment = (
    plan: ChildPlan,
    school: SchoolInsert,
    startDate: string,
    end: { endDate: string; ground: string } | null,
  ): void => {
    const row: EnrolmentInsert = {
      id: random.uuid(),
      childId: plan.row.id,
      schoolId: school.id,
      startDate,
      endDate: end?.endDate ?? null,
      deletionGround: end?.ground ?? null,
      createdAt: at(startDate, 9, 0),
    };
    plan.enrolments.push(row);
    enrolmentRows.push(row);
  };

  const phaseStart = (plan: ChildPlan, school: SchoolInsert): string => {
    const yearGroup = plan.yearGroup ?? 0;
    const receptionYear = yearStart - yearGroup;
    if (school.phase === 'secondary' && yearGroup >= 7) return septemberStart(receptionYear + 7);
    return septemberStart(receptionYear);
  };

  const otherSchoolInPhase = (plan: ChildPlan, leaving: SchoolInsert): SchoolInsert => {
    const pool = (plan.yearGroup ?? 0) >= 7 ? otherSecondarySchools : primarySchools;
    return random.pick(pool.filter((school) => school.id !== leaving.id));
  };

  const enrol = (plan: ChildPlan, schooling: Schooling): void => {
    const yearGroup = plan.yearGroup ?? 0;
    const school = schooling.school;
    const inYearAdmission = schooling.kind === 'current' && random.chance(0.08);
    let start = phaseStart(plan, school);
    if (inYearAdmission) start = weekdayOnOrBefore(random.dateBetween(start, addDays(today, -7)));
    if (yearGroup >= 7 && school.phase === 'secondary' && !inYearAdmission) {
      // The primary years, which ended when the child moved up to secondary school.
      const sibling = plan.household.primarySchool;
      const primary = sibling?.phase === 'primary' ? sibling : random.pick(primaryOnlySchools);
      addEnrolment(plan, primary, septemberStart(yearStart - yearGroup), {
        endDate: `${yearStart - yearGroup + 7}-08-31`,
        ground: 'a',
      });
    }
    if (schooling.kind === 'current') {
      addEnrolment(plan, school, start, null);
      return;
    }
    addEnrolment(plan, school, start, { endDate: schooling.endDate, ground: schooling.ground });
    if (schooling.ground === 'a') {
      const next = otherSchoolInPhase(plan, school);
      addEnrolment(plan, next, minDate(weekdayOnOrAfter(addDays(schooling.endDate, random.int(1, 10))), today), null);
    } else if (schooling.ground === 'o') {
      addEnrolment(plan, referralUnit, minDate(weekdayOnOrAfter(addDays(schooling.endDate, 6)), today), null);
    }
  };

  const leaveDateBetween = (plan: ChildPlan, school: SchoolInsert, from: string, to: string): string | null => {
    const earliest = maxDate(from, addDays(phaseStart(plan, school), 20));
    if (earliest > to) return null;
    const date = weekdayOnOrBefore(random.dateBetween(earliest, to));
    return date < earliest ? null : date;
  };

  const OLD_DEMO_GROUNDS = ['f', 'a', 'g', 'f'] as const;
  const RECENT_DEMO_GROUNDS = ['f', 'i', 'f', 'g', 'a'] as const;
  let demoOldLeavers = 0;
  let demoRecentLeavers = 0;

  const chooseSchooling = (plan: ChildPlan): Schooling => {
    const yearGroup = plan.yearGroup ?? 0;
    const household = plan.household;
    let school: SchoolInsert;
    if (random.chance(0.03)) {
      school = specialSchool;
    } else if (yearGroup <= 6) {
      household.primarySchool ??= random.pick(primarySchools);
      school = household.primarySchool;
    } else {
      // Until the demo school has its leavers, send secondary pupils old enough to be one there.
      const demoNeedsLeaver =
        (yearGroup >= 9 && demoOldLeavers < OLD_DEMO_GROUNDS.length) ||
        (yearGroup >= 8 && demoRecentLeavers < RECENT_DEMO_GROUNDS.length);
      household.secondarySchool ??=
        demoNeedsLeaver || random.chance(0.3) ? demoSchool : random.pick(otherSecondarySchools);
      school = household.secondarySchool;
    }

    if (school.id === demoSchool.id) {
      const oldGround = OLD_DEMO_GROUNDS[demoOldLeavers];
      if (yearGroup >= 9 && oldGround !== undefined) {
        const endDate = leaveDateBetween(plan, school, addDays(today, -540), addDays(today, -380));
        if (endDate) {
          demoOldLeavers += 1;
          return { kind: 'left', school, ground: oldGround, endDate };
        }
      }
      const recentGround = RECENT_DEMO_GROUNDS[demoRecentLeavers];
      if (yearGroup >= 8 && recentGround !== undefined) {
        const endDate = leaveDateBetween(plan, school, addDays(today, -85), addDays(today, -2));
        if (endDate) {
          demoRecentLeavers += 1;
          return { kind: 'left', school, ground: recentGround, endDate };
        }
      }
    }

    if (random.chance(0.15)) {
      const grounds: Array<readonly [string, number]> = [
        ['f', 62],
        ['a', 12],
        ['g', 10],
        ['i', 10],
      ];
      if (yearGroup >= 7 && school.id !== specialSchool.id) grounds.push(['o', 6]);
      const ground = random.weighted(grounds);
      const endDate = leaveDateBetween(plan, school, addDays(today, -540), addDays(today, -1));
      if (endDate) return { kind: 'left', school, ground, endDate };
    }
    return { kind: 'current', school };
  };

  demoFamily.primarySchool = random.pick(primaryOnlySchools);
  for (const plan of plans) {
    if (plan === demoElder) {
      demoFamily.secondarySchool = demoSchool;
      const endDate = weekdayOnOrBefore(addDays(today, -random.int(14, 75)));
      enrol(plan, { kind: 'left', school: demoSchool, ground: 'f', endDate });
    } else if (plan === demoYounger) {
      enrol(plan, { kind: 'current', school: demoFamily.primarySchool });
    } else if (plan.yearGroup !== null) {
      enrol(plan, chooseSchooling(plan));
    }
  }
  if (demoOldLeavers < 3 || demoRecentLeavers < 3) {
    throw new Error('Not enough children were placed at the demo school; use a larger childCount');
  }

  // Identifiers and registration dates ------------------------------------------------------------

  const upnSerials = new Map<string, number>();
  const usedNhsNumbers = new Set<string>();
  for (const plan of plans) {
    const first = [...plan.enrolments].sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0];
    plan.registeredOn = first ? first.startDate : minDate(addDays(plan.row.dateOfBirth, random.int(10, 28)), today);

    const isDemoFamily = plan.household === demoFamily;
    if (first && (isDemoFamily || random.chance(0.92))) {
      const establishmentNumber = establishmentBySchoolId.get(first.schoolId) ?? '0000';
      const year = Number(first.startDate.slice(0, 4));
      const temporary = !isDemoFamily && random.chance(0.02);
      const key = `${establishmentNumber}/${year}/${temporary ? 'T' : 'P'}`;
      const serial = (upnSerials.get(key) ?? random.int(1, temporary ? 20 : 200)) + 1;
      upnSerials.set(key, serial);
      const parts = { laNumber: DEMO_COUNCIL.laNumber, establishmentNumber, year, serial };
      plan.row.upn = temporary ? makeTemporaryUpn({ ...parts, letter: random.pick([...UPN_ALPHABET]) }) : makeUpn(parts);
    }
    if (plan.yearGroup === null || isDemoFamily || random.chance(0.65)) {
      let nhsNumber: string | null = null;
      while (nhsNumber === null || usedNhsNumbers.has(nhsNumber)) nhsNumber = makeTestNhsNumber(random.int(0, 999_999));
      usedNhsNumbers.add(nhsNumber);
      plan.row.nhsNumber = nhsNumber;
    }
    const registeredAt = at(plan.registeredOn, 8, 30);
    plan.row.createdAt = registeredAt;
    plan.row.updatedAt = registeredAt;
  }

  // Allocations ----------------------------------------------------------------------------------

  const allocationRows: AllocationInsert[] = [];
  /** No one is allocated to a child before the child's record exists, or after today. */
  const allocationStart = (plan: ChildPlan, date: string): string => minDate(maxDate(date, plan.registeredOn), today);
  const allocate = (user: UserInsert, plan: ChildPlan, startedOn: string, endedOn: string | null = null): void => {
    allocationRows.push({
      id: random.uuid(),
      childId: plan.row.id,
      userId: user.id,
      startedOn: allocationStart(plan, startedOn),
      endedOn,
    });
  };
  const lastEnrolment = (plan: ChildPlan): EnrolmentInsert | undefined =>
    [...plan.enrolments].sort((a, b) => (a.startDate < b.startDate ? 1 : -1))[0];
  const offRollWithGround = (plan: ChildPlan, grounds: readonly string[]): boolean => {
    const last = lastEnrolment(plan);
    return last?.endDate != null && last.deletionGround != null && grounds.includes(last.deletionGround);
  };
  const startAfterLeaving = (plan: ChildPlan): string =>
    weekdayOnOrAfter(addDays(lastEnrolment(plan)?.endDate ?? today, random.int(1, 7)));
  const recentStart = (): string => weekdayOnOrBefore(addDays(today, -random.int(14, 400)));

  const homeEducated = random.shuffle(plans.filter((plan) => offRollWithGround(plan, ['f']) && plan !== demoElder));
  const missingEducation = random.shuffle(plans.filter((plan) => offRollWithGround(plan, ['g', 'i'])));
  const underFives = random.shuffle(plans.filter((plan) => plan.yearGroup === null));
  const schoolAge = random.shuffle(plans.filter((plan) => plan.yearGroup !== null && plan.household !== demoFamily));

  allocate(demoEhe, demoElder, startAfterLeaving(demoElder));
  homeEducated.slice(0, 11).forEach((plan) => allocate(demoEhe, plan, startAfterLeaving(plan)));
  const eheOfficers = staffWithRole('ehe_officer');
  homeEducated.slice(11).forEach((plan, index) => {
    const officer = eheOfficers[index % eheOfficers.length];
    if (officer) allocate(officer, plan, startAfterLeaving(plan));
  });

  missingEducation.slice(0, 10).forEach((plan) => allocate(demoCme, plan, startAfterLeaving(plan)));
  const cmeOfficers = staffWithRole('cme_officer');
  missingEducation.slice(10).forEach((plan, index) => {
    const officer = cmeOfficers[index % cmeOfficers.length];
    if (officer) allocate(officer, plan, startAfterLeaving(plan));
  });

  // The demo social worker has a couple of home-educated children among ten.
  const eheForSocialWorker = homeEducated.slice(0, 2);
  const socialWorkPool = [...eheForSocialWorker, ...schoolAge.filter((plan) => !eheForSocialWorker.includes(plan))];
  const withSocialWorker = new Set<ChildPlan>();
  for (const plan of socialWorkPool.slice(0, 10)) {
    allocate(demoSocialWorker, plan, recentStart());
    withSocialWorker.add(plan);
  }
  const otherSchoolAge = schoolAge.filter((plan) => !withSocialWorker.has(plan));
  let next = 0;
  for (const worker of staffWithRole('social_worker')) {
    const caseload = random.int(6, 10);
    for (let i = 0; i < caseload && next < otherSchoolAge.length; i += 1, next += 1) {
      const plan = otherSchoolAge[next];
      if (!plan) break;
      const startedOn = allocationStart(plan, recentStart());
      const length = daysBetween(startedOn, today);
      const ended = random.chance(0.12) && length > 60;
      allocate(worker, plan, startedOn, ended ? weekdayOnOrBefore(addDays(startedOn, random.int(30, length - 1))) : null);
    }
  }

  // The demo health visitor: under-fives first, then their school-age brothers and sisters.
  const healthVisitorCaseload = [...underFives.slice(0, 7)];
  const youngSiblings = underFives.flatMap((child) =>
    child.household.children.filter((sibling) => sibling.yearGroup !== null && sibling.yearGroup <= 2),
  );
  for (const plan of [...youngSiblings, ...schoolAge.filter((candidate) => candidate.yearGroup === 1)]) {
    if (healthVisitorCaseload.length >= 10) break;
    if (!healthVisitorCaseload.includes(plan)) healthVisitorCaseload.push(plan);
  }
  healthVisitorCaseload.forEach((plan) => allocate(demoHealthVisitor, plan, recentStart()));

  // Case notes -------------------------------------------------------------------------------------

  const planById = new Map(plans.map((plan) => [plan.row.id, plan]));
  const userById = new Map(userRows.map((user) => [user.id, user]));
  const caseNoteRows: CaseNoteInsert[] = [];

  const addNote = (author: UserInsert, plan: ChildPlan, date: string, followUp: 'random' | 'overdue'): void => {
    const voice = ROLE_VOICES[author.role as Role] ?? 'triage';
    const wantFollowUp = followUp === 'overdue' || random.chance(0.35);
    const text = random.pick(NOTE_TEXTS[voice].filter((note) => note.followUp === wantFollowUp));
    let followUpBy: string | null = null;
    let followUpDoneAt: Date | null = null;
    if (followUp === 'overdue') {
      followUpBy = minDate(addDays(date, random.int(5, 12)), addDays(today, -1));
    } else if (wantFollowUp) {
      followUpBy = addDays(date, random.int(5, 28));
      if (followUpBy < today && random.chance(0.6)) {
        const doneOn = random.dateBetween(addDays(date, 1), minDate(followUpBy, today));
        followUpDoneAt = at(doneOn, random.int(9, 16), random.int(0, 59));
      }
    }
    caseNoteRows.push({
      id: random.uuid(),
      childId: plan.row.id,
      authorId: author.id,
      body: text.body,
      followUpBy,
      followUpDoneAt,
      createdAt: at(date, random.int(9, 16), random.int(0, 59)),
    });
  };

  for (const allocation of allocationRows) {
    const plan = planById.get(allocation.childId);
    const author = userById.get(allocation.userId);
    if (!plan || !author) continue;
    const until = allocation.endedOn ?? today;
    const count = random.int(1, author.role === 'ehe_officer' || author.role === 'cme_officer' ? 4 : 3);
    for (let i = 0; i < count; i += 1) {
      const date = weekdayOnOrBefore(random.dateBetween(allocation.startedOn, until));
      addNote(author, plan, maxDate(date, allocation.startedOn), 'random');
    }
  }

  const triageStaff = [...userRows.filter((user) => user.role === 'mash_worker' || user.role === 'team_manager')];
  const schoolAgeAndUnderFives = plans.filter((plan) => plan.household !== demoFamily);
  for (let i = 0; i < Math.round(childCount * 0.25); i += 1) {
    const plan = random.pick(schoolAgeAndUnderFives);
    const date = weekdayOnOrBefore(random.dateBetween(maxDate(plan.registeredOn, addDays(today, -300)), today));
    addNote(random.pick(triageStaff), plan, maxDate(date, plan.registeredOn), 'random');
  }

  // Three overdue follow-ups each for the demo EHE officer and demo social worker, so their
  // work lists show what an overdue item looks like.
  for (const worker of [demoEhe, demoSocialWorker]) {
    const theirs = allocationRows
      .filter((allocation) => allocation.userId === worker.id && allocation.endedOn === null)
      .sort((a, b) => (a.startedOn < b.startedOn ? -1 : 1));
    let added = 0;
    for (const allocation of theirs) {
      if (added === 3) break;
      const plan = planById.get(allocation.childId);
      const date = weekdayOnOrBefore(maxDate(allocation.startedOn, addDays(today, -random.int(20, 60))));
      if (!plan || date < allocation.startedOn || daysBetween(date, today) < 3) continue;
      addNote(worker, plan, date, 'overdue');
      added += 1;
    }
    if (added < 3) throw new Error(`Could not give ${worker.displayName} three overdue follow-ups`);
  }

  // Timeline events -----------------------------------------------------------------------------

  const schoolById = new Map(schoolRows.map((school) => [school.id, school]));
  const events: DomainEventInsert[] = [];
  const seedEvent = (event: Omit<DomainEventInsert, 'actorLabel' | 'correlationId'> & { actorLabel?: string }): void => {
    events.push({ ...event, actorLabel: event.actorLabel ?? SEED_ACTOR_LABEL, correlationId: SEED_CORRELATION_ID });
  };

  for (const plan of plans) {
    seedEvent({
      type: 'child.registered',
      aggregateType: 'child',
      aggregateId: plan.row.id,
      childId: plan.row.id,
      actorId: null,
      summary: 'Child record created',
      visibility: 'family',
      payload: { laChildId: plan.row.laChildId },
      occurredAt: at(plan.registeredOn, 8, 30),
    });
  }
  for (const enrolment of enrolmentRows) {
    const school = schoolById.get(enrolment.schoolId);
    if (!school) continue;
    seedEvent({
      type: 'enrolment.started',
      aggregateType: 'enrolment',
      aggregateId: enrolment.id,
      childId: enrolment.childId,
      actorId: null,
      summary: `Joined the roll of ${school.name}`,
      visibility: 'partners',
      payload: { schoolUrn: school.urn, startDate: enrolment.startDate },
      occurredAt: at(enrolment.startDate, 9, 0),
    });
    if (enrolment.endDate != null) {
      const ground = enrolment.deletionGround ?? '';
      seedEvent({
        type: 'enrolment.ended',
        aggregateType: 'enrolment',
        aggregateId: enrolment.id,
        childId: enrolment.childId,
        actorId: null,
        summary: `Left the roll of ${school.name} (ground ${ground}: ${DELETION_GROUND_SUMMARIES[ground] ?? 'not recorded'})`,
        visibility: 'partners',
        payload: { schoolUrn: school.urn, endDate: enrolment.endDate, deletionGround: enrolment.deletionGround ?? null },
        occurredAt: at(enrolment.endDate, 15, 30),
      });
    }
  }
  for (const note of caseNoteRows) {
    const author = userById.get(note.authorId);
    seedEvent({
      type: 'case-note.added',
      aggregateType: 'case_note',
      aggregateId: note.id,
      childId: note.childId,
      actorId: note.authorId,
      actorLabel: author?.displayName ?? SEED_ACTOR_LABEL,
      summary: 'Case note added',
      visibility: 'staff',
      payload: { followUpBy: note.followUpBy ?? null },
      occurredAt: note.createdAt ?? at(today, 9, 0),
    });
  }
  // Oldest first, so event ids rise with time as they would in use. The sort is stable.
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  // Rows ----------------------------------------------------------------------------------------

  const childAdultRows: ChildAdultInsert[] = households.flatMap((household) =>
    household.children.flatMap((child) =>
      household.adults.map((adult) => ({
        childId: child.row.id,
        adultId: adult.row.id,
        relationship: adult.relationship,
        parentalResponsibility: adult.parentalResponsibility,
        livesWith: adult.livesWith,
      })),
    ),
  );

  const base = {
    councils: [council],
    schools: schoolRows,
    users: userRows,
    adults: households.flatMap((household) => household.adults.map((adult) => adult.row)),
    children: plans.map((plan) => plan.row),
    childAdults: childAdultRows,
    enrolments: enrolmentRows,
    allocations: allocationRows,
    caseNotes: caseNoteRows,
    domainEvents: events,
  };
  const extra = enrichDemoData(base, today, demoParent.id);
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return {
    ...base,
    adults: [...base.adults, ...extra.adults],
    childAdults: [...base.childAdults, ...extra.childAdults],
    educationArrangements: extra.educationArrangements,
    educationProviders: extra.educationProviders,
    episodes: extra.episodes,
    cmeEnquiries: extra.cmeEnquiries,
  };
}

/** Letters only, lower case: "O'Neill" → "oneill". */
function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}
