import { z } from 'zod';
import { isoDate } from '../children/schemas.ts';
import { normalisePostcode } from '../identifiers/postcode.ts';
import { EHE_REASONS, type EheReason } from '../register/reference-data.ts';

/**
 * What a parent tells the council in the family service's notices: that they home educate, a change
 * of address or provider, how they want to be contacted, and what support they would like. Each
 * schema carries the GOV.UK error wording the pages show. The register items of the Children's
 * Wellbeing and Schools Act 2026 are required only when the council has the register regime on.
 */

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalText = (max: number, message: string) => z.preprocess(blankToUndefined, z.string().max(max, message).optional());

/** The reasons a parent may give; the DfE's "no reason given" and "unknown" are for the council's records. */
export const PARENT_EHE_REASONS = Object.fromEntries(Object.entries(EHE_REASONS).filter(([code]) => code !== 'no-reason' && code !== 'unknown')) as Record<Exclude<EheReason, 'no-reason' | 'unknown'>, string>;

export const ON_ROLL_ANSWERS = { yes: 'Yes', no: 'No', 'not-sure': 'I’m not sure' } as const;

export const WHO_EDUCATES = {
  me: 'I do',
  'me-and-another-parent': 'I do, with another parent',
  'someone-else': 'Someone else',
} as const;

/** The kinds of other provider a parent chooses from; the keys are the register's provider types. */
export const PARENT_PROVIDER_TYPES = {
  tutor: 'Tutor',
  'online school': 'Online school',
  group: 'Group or co-operative',
  other: 'Something else',
} as const;

/** The furthest ahead a parent may date the start of home education. */
export const MAX_DAYS_AHEAD = 366;

/** A number of whole hours a week, 0 to 60, from a form's text or a number. */
function hours(missing: string, what: string, required: boolean) {
  const parsed = z
    .number({ error: `Enter ${what} as a number, like 10` })
    .int(`Enter ${what} in whole hours, like 10`)
    .min(0, `Enter ${what} as 0 or more`)
    .max(60, `Enter ${what} as 60 hours or fewer`);
  return z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === 'string' && !Number.isNaN(Number(b)) ? Number(b) : b;
    },
    required ? z.number({ error: (issue) => (issue.input === undefined ? missing : `Enter ${what} as a number, like 10`) }).pipe(parsed) : parsed.optional(),
  );
}

/** Another provider of the child's education: the register's items about them. */
export function providerSchema(regimeInForce: boolean) {
  return z
    .object({
      type: z.enum(Object.keys(PARENT_PROVIDER_TYPES) as [keyof typeof PARENT_PROVIDER_TYPES, ...(keyof typeof PARENT_PROVIDER_TYPES)[]], { error: 'Select the type of provider' }),
      name: z.preprocess(blankToUndefined, z.string({ error: 'Enter the name of the provider' }).max(200, 'The name must be 200 characters or fewer')),
      addressOrWebsite: z.preprocess(blankToUndefined, z.string({ error: 'Enter the provider’s address or website' }).max(300, 'The address or website must be 300 characters or fewer')),
      hoursPerWeek: hours('Enter how many hours a week your child spends with the provider', 'the hours a week with the provider', regimeInForce),
      hoursWithoutParentPerWeek: hours('Enter how many of those hours your child is there without a parent', 'the hours without a parent', regimeInForce),
    })
    .superRefine(
      (p, issue) => {
        // Runs even when other fields have problems, so every problem is listed at once.
        const { hoursPerWeek, hoursWithoutParentPerWeek } = p as { hoursPerWeek?: unknown; hoursWithoutParentPerWeek?: unknown };
        if (typeof hoursPerWeek === 'number' && typeof hoursWithoutParentPerWeek === 'number' && hoursWithoutParentPerWeek > hoursPerWeek) {
          issue.addIssue({ code: 'custom', path: ['hoursWithoutParentPerWeek'], message: 'The hours without a parent must be no more than the hours with the provider' });
        }
      },
      { when: () => true },
    );
}

export type ProviderInput = z.output<ReturnType<typeof providerSchema>>;

/** A provider as the journey keeps it between pages: what the parent typed. */
export interface ProviderAnswers {
  type: string;
  name: string;
  addressOrWebsite: string;
  hoursPerWeek: string;
  hoursWithoutParentPerWeek: string;
}

/** The answers to the home education notice so far, as typed, kept between pages. */
export interface NoticeAnswers {
  /** One of the family's children, or "other" for a child not listed. */
  childId?: string;
  otherFirstName?: string;
  otherLastName?: string;
  otherDateOfBirth?: string;
  homeEducationFrom?: string;
  onRoll?: string;
  schoolName?: string;
  eheReason?: string;
  whoEducates?: string;
  someoneElse?: string;
  parentHoursPerWeek?: string;
  hasProviders?: string;
  providers?: ProviderAnswers[];
  hoursWithoutParentPerWeek?: string;
}

export const NOTICE_TEXT_FIELDS = [
  'childId',
  'otherFirstName',
  'otherLastName',
  'otherDateOfBirth',
  'homeEducationFrom',
  'onRoll',
  'schoolName',
  'eheReason',
  'whoEducates',
  'someoneElse',
  'parentHoursPerWeek',
  'hasProviders',
  'hoursWithoutParentPerWeek',
] as const;

export type NoticeField = (typeof NOTICE_TEXT_FIELDS)[number] | 'providers';

export const MAX_PROVIDERS = 10;

/** Reads saved answers leniently: anything that is not a known answer is dropped. */
export function readNoticeAnswers(data: unknown): NoticeAnswers {
  const source = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const answers: NoticeAnswers = {};
  const asText = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined);
  for (const field of NOTICE_TEXT_FIELDS) {
    const value = asText(source[field]);
    if (value !== undefined) answers[field] = value;
  }
  if (Array.isArray(source['providers'])) {
    answers.providers = source['providers'].slice(0, MAX_PROVIDERS).flatMap((p: unknown) => {
      if (!p || typeof p !== 'object') return [];
      const r = p as Record<string, unknown>;
      const s = (k: string) => asText(r[k]) ?? '';
      return [{ type: s('type'), name: s('name'), addressOrWebsite: s('addressOrWebsite'), hoursPerWeek: s('hoursPerWeek'), hoursWithoutParentPerWeek: s('hoursWithoutParentPerWeek') }];
    });
  }
  return answers;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The whole notice. `today` bounds the dates: a child's date of birth is in the past, and home
 * education starts no more than a year ahead. With the register regime on, the Act's items (who
 * educates, the time with parents and others, each provider and the time without a parent) are
 * required; otherwise the parent may leave them out.
 */
export function homeEducationNoticeSchema(regimeInForce: boolean, today: string) {
  const latestStart = new Date(Date.parse(`${today}T00:00:00Z`) + MAX_DAYS_AHEAD * 86_400_000).toISOString().slice(0, 10);
  return z
    .object({
      childId: z.string({ error: 'Select the child you are telling us about' }).refine((v) => v === 'other' || UUID.test(v), 'Select the child you are telling us about'),
      otherFirstName: optionalText(100, 'The first name must be 100 characters or fewer'),
      otherLastName: optionalText(100, 'The last name must be 100 characters or fewer'),
      otherDateOfBirth: z.preprocess(blankToUndefined, isoDate.optional()),
      homeEducationFrom: z.preprocess(blankToUndefined, z.string({ error: 'Enter the date home education started or will start' }).pipe(isoDate)),
      onRoll: z.preprocess(blankToUndefined, z.enum(Object.keys(ON_ROLL_ANSWERS) as [keyof typeof ON_ROLL_ANSWERS, ...(keyof typeof ON_ROLL_ANSWERS)[]], { error: 'Select yes, no or I’m not sure' }).optional()),
      schoolName: optionalText(200, 'The school’s name must be 200 characters or fewer'),
      eheReason: z.preprocess(blankToUndefined, z.enum(Object.keys(PARENT_EHE_REASONS) as [string, ...string[]], { error: 'Select a reason from the list' }).optional()),
      whoEducates: z.preprocess(
        blankToUndefined,
        regimeInForce
          ? z.enum(Object.keys(WHO_EDUCATES) as [keyof typeof WHO_EDUCATES, ...(keyof typeof WHO_EDUCATES)[]], { error: 'Select who provides your child’s education' })
          : z.enum(Object.keys(WHO_EDUCATES) as [keyof typeof WHO_EDUCATES, ...(keyof typeof WHO_EDUCATES)[]], { error: 'Select who provides your child’s education' }).optional(),
      ),
      someoneElse: optionalText(200, 'Who provides the education must be 200 characters or fewer'),
      parentHoursPerWeek: hours('Enter about how many hours a week your child is educated by a parent', 'the hours a week educated by a parent', regimeInForce),
      hasProviders: z.preprocess(
        blankToUndefined,
        regimeInForce ? z.enum(['yes', 'no'], { error: 'Select yes if anyone else provides part of your child’s education' }) : z.enum(['yes', 'no'], { error: 'Select yes or no' }).optional(),
      ),
      providers: z.array(providerSchema(regimeInForce)).max(MAX_PROVIDERS, `You can add up to ${MAX_PROVIDERS} providers`).default([]),
      hoursWithoutParentPerWeek: hours('Enter about how many hours a week in total your child is educated without a parent there', 'the hours a week without a parent', false),
    })
    .superRefine((n, issue) => {
      if (n.childId === 'other') {
        if (!n.otherFirstName) issue.addIssue({ code: 'custom', path: ['otherFirstName'], message: 'Enter the child’s first name' });
        if (!n.otherLastName) issue.addIssue({ code: 'custom', path: ['otherLastName'], message: 'Enter the child’s last name' });
        if (!n.otherDateOfBirth) issue.addIssue({ code: 'custom', path: ['otherDateOfBirth'], message: 'Enter the child’s date of birth' });
        else if (n.otherDateOfBirth >= today) issue.addIssue({ code: 'custom', path: ['otherDateOfBirth'], message: 'The date of birth must be in the past' });
      }
      if (n.homeEducationFrom > latestStart) issue.addIssue({ code: 'custom', path: ['homeEducationFrom'], message: 'The date home education starts must be within the next 12 months' });
      if (n.whoEducates === 'someone-else' && !n.someoneElse) issue.addIssue({ code: 'custom', path: ['someoneElse'], message: 'Enter who provides the education' });
      if (n.hasProviders === 'yes' && n.providers.length === 0) issue.addIssue({ code: 'custom', path: ['providers'], message: 'Add the details of each other provider, or answer no' });
      if (regimeInForce && n.providers.length > 0 && n.hoursWithoutParentPerWeek === undefined) {
        issue.addIssue({ code: 'custom', path: ['hoursWithoutParentPerWeek'], message: 'Enter about how many hours a week in total your child is educated without a parent there' });
      }
    });
}

export type HomeEducationNotice = z.output<ReturnType<typeof homeEducationNoticeSchema>>;

/** A complete, valid notice laid under a page's answers so rules across fields run on every page. */
const COMPLETE_EXAMPLE: NoticeAnswers = {
  childId: '00000000-0000-4000-8000-000000000000',
  homeEducationFrom: '2026-01-01',
  whoEducates: 'me',
  parentHoursPerWeek: '20',
  hasProviders: 'no',
};

/**
 * The problems with a set of answers, by field (a provider's problems under "providers"), as GOV.UK
 * messages. Each question page shows only its own fields' problems; check answers shows them all.
 * Rules across fields (a child not listed needs a name) run even while other answers are missing.
 */
export function noticeProblems(answers: NoticeAnswers, regimeInForce: boolean, today: string): Partial<Record<NoticeField, string>> {
  const schema = homeEducationNoticeSchema(regimeInForce, today);
  const problems: Partial<Record<NoticeField, string>> = {};
  const collect = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
    for (const issue of issues) {
      const field = String(issue.path[0] ?? 'childId') as NoticeField;
      problems[field] ??= field === 'providers' && issue.path.length > 1 ? 'Check the details of each other provider' : issue.message;
    }
  };
  const first = schema.safeParse({ ...answers, providers: answers.providers ?? [] });
  if (first.success) return problems;
  collect(first.error.issues);
  const rest = Object.fromEntries(Object.entries(answers).filter(([field]) => !(field in problems)));
  const second = schema.safeParse({ ...COMPLETE_EXAMPLE, ...rest, providers: problems.providers ? [] : (answers.providers ?? []) });
  if (!second.success) collect(second.error.issues);
  return problems;
}

/** The problems with one provider's details, by field. */
export function providerProblems(provider: ProviderAnswers, regimeInForce: boolean): Partial<Record<keyof ProviderAnswers, string>> {
  const result = providerSchema(regimeInForce).safeParse(provider);
  const problems: Partial<Record<keyof ProviderAnswers, string>> = {};
  if (!result.success) for (const issue of result.error.issues) problems[String(issue.path[0]) as keyof ProviderAnswers] ??= issue.message;
  return problems;
}

// Report a change ---------------------------------------------------------------------------------

const postcode = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'Enter the postcode' })
    .refine((v) => normalisePostcode(v) !== null, 'Enter a real postcode, like NZ1 2AB')
    .transform((v) => normalisePostcode(v) ?? v),
);

const checkedIds = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()).max(20));

export const changeOfAddressSchema = z.object({
  version: z.coerce.number({ error: 'The form is out of date. Reload the page and try again' }).int().min(1),
  addressLine1: z.preprocess(blankToUndefined, z.string({ error: 'Enter address line 1, typically the building and street' }).max(200, 'Address line 1 must be 200 characters or fewer')),
  addressLine2: optionalText(200, 'Address line 2 must be 200 characters or fewer'),
  town: z.preprocess(blankToUndefined, z.string({ error: 'Enter the town or city' }).max(100, 'The town or city must be 100 characters or fewer')),
  postcode,
  movedOn: z.preprocess(blankToUndefined, z.string({ error: 'Enter the date you moved or will move' }).pipe(isoDate)),
  childIds: checkedIds,
});

export type ChangeOfAddress = z.output<typeof changeOfAddressSchema>;

/** A new provider reported later, for one of the family's children; the hours are required with the regime on. */
export function newProviderSchema(regimeInForce: boolean) {
  return z
    .object({
      childId: z.string({ error: 'Select the child the provider educates' }).refine((v) => UUID.test(v), 'Select the child the provider educates'),
      startedOn: z.preprocess(blankToUndefined, isoDate.optional()),
    })
    .and(providerSchema(regimeInForce));
}

// Contact preferences -----------------------------------------------------------------------------

export const CONTACT_WAYS = { any: 'Any way, including by phone and in person', 'written-only': 'In writing only' } as const;
export const LETTER_CHANNELS = { post: 'By post', email: 'By email' } as const;
export const ACCESSIBLE_FORMATS = {
  none: 'No, standard letters are fine',
  'large-print': 'Large print',
  'easy-read': 'Easy read',
  braille: 'Braille',
  audio: 'Audio',
  other: 'Another format',
} as const;
export const LANGUAGES = { english: 'English', other: 'Another language' } as const;

export type AccessibleFormat = keyof typeof ACCESSIBLE_FORMATS;

const emailAddress = z
  .string()
  .max(254, 'The email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }));

export const contactPreferencesSchema = z
  .object({
    version: z.coerce.number({ error: 'The form is out of date. Reload the page and try again' }).int().min(1),
    contactPreference: z.enum(['any', 'written-only'], { error: 'Select how you want the council to contact you' }),
    preferredChannel: z.enum(['post', 'email'], { error: 'Select how you want to get letters' }),
    email: z.preprocess(blankToUndefined, emailAddress.optional()),
    format: z.enum(Object.keys(ACCESSIBLE_FORMATS) as [AccessibleFormat, ...AccessibleFormat[]], { error: 'Select whether you need letters in another format' }),
    formatOther: optionalText(100, 'The format must be 100 characters or fewer'),
    language: z.enum(['english', 'other'], { error: 'Select the language you want the council to use' }),
    languageOther: optionalText(60, 'The language must be 60 characters or fewer'),
    interpreter: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.enum(['yes']).optional().catch(undefined)),
    supportiveName: optionalText(100, 'The name must be 100 characters or fewer'),
    supportiveContact: optionalText(200, 'How to contact them must be 200 characters or fewer'),
    supportiveRelationship: optionalText(60, 'Their relationship to you must be 60 characters or fewer'),
  })
  .superRefine((p, issue) => {
    if (p.preferredChannel === 'email' && !p.email) issue.addIssue({ code: 'custom', path: ['email'], message: 'Enter your email address' });
    if (p.format === 'other' && !p.formatOther) issue.addIssue({ code: 'custom', path: ['formatOther'], message: 'Enter the format you need' });
    if (p.language === 'other' && !p.languageOther) issue.addIssue({ code: 'custom', path: ['languageOther'], message: 'Enter the language you want the council to use' });
    if (p.language === 'other' && p.languageOther && /^english$/i.test(p.languageOther)) issue.addIssue({ code: 'custom', path: ['languageOther'], message: 'Select English, or enter another language' });
    const anySupportive = p.supportiveName || p.supportiveContact || p.supportiveRelationship;
    if (anySupportive && !p.supportiveName) issue.addIssue({ code: 'custom', path: ['supportiveName'], message: 'Enter the supportive person’s name' });
    if (anySupportive && !p.supportiveContact) issue.addIssue({ code: 'custom', path: ['supportiveContact'], message: 'Enter how the council can contact the supportive person' });
    for (const [field, value] of [
      ['supportiveName', p.supportiveName],
      ['supportiveRelationship', p.supportiveRelationship],
    ] as const) {
      if (value && /[()]/.test(value)) issue.addIssue({ code: 'custom', path: [field], message: field === 'supportiveName' ? 'The name must not include brackets' : 'The relationship must not include brackets' });
    }
  });

export type ContactPreferencesInput = z.output<typeof contactPreferencesSchema>;

// Support -----------------------------------------------------------------------------------------

/** What the council offers home educators, as a parent asks for it. */
export const SUPPORT_KINDS = {
  advice: 'Advice from a home education officer',
  'exam-centre': 'Help finding an exam centre',
  sen: 'Support with special educational needs (SEN)',
  groups: 'Local groups and community organisations',
  other: 'Something else',
} as const;

export type SupportKind = keyof typeof SUPPORT_KINDS;

export const supportRequestSchema = z
  .object({
    kinds: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.enum(Object.keys(SUPPORT_KINDS) as [SupportKind, ...SupportKind[]], { error: 'Select the support you would like' }))
        .min(1, 'Select the support you would like')
        .max(Object.keys(SUPPORT_KINDS).length),
    ),
    childId: z.preprocess(blankToUndefined, z.string().refine((v) => v === 'family' || UUID.test(v), 'Select which child it is about').optional()),
    details: optionalText(5000, 'Your message must be 5,000 characters or fewer'),
  })
  .superRefine((s, issue) => {
    if (s.kinds.includes('other') && !s.details) issue.addIssue({ code: 'custom', path: ['details'], message: 'Tell us what support you would like' });
  });

export type SupportRequest = z.output<typeof supportRequestSchema>;
