import { z } from 'zod';
import type { RunInTransaction } from '../../db/unit-of-work.ts';
import { loadCouncilForChange, updateCouncil } from '../../db/repositories/councils.ts';
import type { Actor, UseCaseContext } from '../auth/actor.ts';
import { isRealIsoDate } from '../calendar/index.ts';
import { forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { councilSettingsSchema, readCouncilSettings, type CouncilSettings } from './settings.ts';

export interface CouncilDeps {
  runInTransaction: RunInTransaction;
}

type PeriodKey = keyof CouncilSettings['periods'];

interface Unit {
  one: string;
  many: string;
}

const DAYS: Unit = { one: 'day', many: 'days' };
const WORKING_DAYS: Unit = { one: 'working day', many: 'working days' };
const MONTHS: Unit = { one: 'month', many: 'months' };
const YEARS: Unit = { one: 'year', many: 'years' };

export interface PeriodDescription {
  key: PeriodKey;
  /** The label on the form. */
  label: string;
  /** How error messages name it, after "The". */
  name: string;
  unit: Unit;
  /** What the law or guidance says about it, shown as the field's hint. */
  hint: string;
  min: number;
  max: number;
}

/**
 * The limits come from the settings schema itself, so the form can never accept a value the
 * stored settings would then refuse and quietly replace with the defaults.
 */
function limitsOf(key: PeriodKey): { min: number; max: number } {
  const field = councilSettingsSchema.shape.periods.unwrap().shape[key].unwrap();
  const { minValue, maxValue } = field;
  if (minValue === null || maxValue === null) throw new Error(`The council setting ${key} has no limits`);
  return { min: minValue, max: maxValue };
}

const count = (n: number, unit: Unit) => `${String(n)} ${n === 1 ? unit.one : unit.many}`;

/**
 * The hint gives the limits first, with the law that sets the minimum where there is one, then
 * what the period is for.
 */
function describePeriod(key: PeriodKey, label: string, name: string, unit: Unit, meaning: string, law?: string): PeriodDescription {
  const { min, max } = limitsOf(key);
  const limits = law ? `At least ${count(min, unit)} (${law}), and no more than ${String(max)}.` : `Between ${String(min)} and ${count(max, unit)}.`;
  return { key, label, name, unit, min, max, hint: `${limits} ${meaning}` };
}

/**
 * Every period behind a clock, in the order the settings page shows them. Changing one affects
 * steps started afterwards; steps already running keep the due date they were given.
 */
export const SETTINGS_PERIODS: readonly PeriodDescription[] = [
  describePeriod(
    's437NoticeDays',
    'Notice period for parents to show the education is suitable',
    'notice period',
    DAYS,
    'The time a notice gives parents to satisfy the council that their child is getting a suitable education.',
    'Education Act 1996, section 437(1)',
  ),
  describePeriod(
    'schoolChoiceDays',
    'Time for parents to choose a school',
    'school choice period',
    DAYS,
    'The time a notice of intention to serve a school attendance order gives parents to choose a school.',
    'Education Act 1996, section 437(3)',
  ),
  describePeriod('annualContactMonths', 'Time between annual contacts', 'time between annual contacts', MONTHS, 'How long after one contact with a home-educating family the next is due. Guidance for councils expects contact at least once a year.'),
  describePeriod('homeConsiderationDays', 'Time to consider the home', 'time to consider the home', DAYS, 'Days after a child is added to the register within which the council considers the home (Children’s Wellbeing and Schools Act 2026).'),
  describePeriod(
    'providerUpdateIntervalMonths',
    'Time between requests for provider updates',
    'time between requests for provider updates',
    MONTHS,
    'The council may ask parents for updated details of who else educates their child no more often than this (Children’s Wellbeing and Schools Act 2026).',
  ),
  describePeriod(
    'consentProtectionLookbackYears',
    'Consent look-back after child protection',
    'consent look-back period',
    YEARS,
    'Years after a child protection plan or section 47 enquiries end during which a school still needs the council’s consent to take the child off roll for home education (Education Act 1996, section 434A, inserted by the Children’s Wellbeing and Schools Act 2026). 0 means only while the plan or enquiries are current.',
  ),
  describePeriod('closureNoticeWorkingDays', 'Time to tell a family a social care episode has closed', 'closure notice period', WORKING_DAYS, 'Working days within which the family must be told that a social care episode has closed.'),
  describePeriod('cinReviewMonths', 'Time between Child in Need plan reviews', 'time between Child in Need plan reviews', MONTHS, 'Months between reviews of a Child in Need plan.'),
];

/** A period typed into the form: whole numbers only, with messages that name the period and its limits. */
function periodField(period: PeriodDescription) {
  return z.union([z.string(), z.number()], { error: `Enter the ${period.name} in ${period.unit.many}` }).transform((raw, ctx) => {
    const text = String(raw).trim();
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (text === '') return fail(`Enter the ${period.name} in ${period.unit.many}`);
    if (!/^-?[0-9]+$/.test(text)) return fail(`The ${period.name} must be a whole number of ${period.unit.many}`);
    const value = Number(text);
    if (value < period.min) return fail(period.min === 0 ? `The ${period.name} must be ${count(0, period.unit)} or more` : `The ${period.name} must be at least ${count(period.min, period.unit)}`);
    if (value > period.max) return fail(`The ${period.name} must be ${count(period.max, period.unit)} or fewer`);
    return value;
  });
}

const periodFields = Object.fromEntries(SETTINGS_PERIODS.map((period) => [period.key, periodField(period)])) as Record<PeriodKey, ReturnType<typeof periodField>>;

const trimmed = z.string({ error: 'Enter text' }).trim();
const versionField = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1, 'Reload the page and try again');

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

const MAX_ADDRESS_LINES = 6;

/** The settings form: every field as typed, with GOV.UK messages. */
export const councilSettingsFormSchema = z
  .object({
    version: versionField,
    registerRegimeEnabled: z.enum(['yes', 'no'], { error: 'Select yes if the register duties apply to the council' }),
    commencesOn: trimmed.default(''),
    ...periodFields,
    contactTeam: trimmed.min(1, 'Enter the name of the team families contact').max(200, 'The team name must be 200 characters or fewer'),
    contactAddress: z
      .string()
      .default('')
      .transform((value) => value.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== ''))
      .refine((lines) => lines.length <= MAX_ADDRESS_LINES, `Enter no more than ${String(MAX_ADDRESS_LINES)} address lines`)
      .refine((lines) => lines.every((line) => line.length <= 200), 'Each address line must be 200 characters or fewer'),
    contactPhone: trimmed.max(50, 'The phone number must be 50 characters or fewer').default(''),
    contactEmail: trimmed
      .max(200, 'The email address must be 200 characters or fewer')
      .refine((value) => value === '' || z.email().safeParse(value).success, 'Enter an email address in the correct format, like name@example.com')
      .default(''),
    contactWebsite: trimmed
      .max(300, 'The website address must be 300 characters or fewer')
      .refine((value) => value === '' || isWebAddress(value), 'Enter a website address in the correct format, like https://www.example.gov.uk')
      .default(''),
    socialCareTeam: trimmed.min(1, 'Enter the name children’s social care signs its letters with').max(200, 'The team name must be 200 characters or fewer').default('Children’s Social Care'),
    socialCarePhone: trimmed.max(50, 'The phone number must be 50 characters or fewer').default(''),
    socialCareEmail: trimmed
      .max(200, 'The email address must be 200 characters or fewer')
      .refine((value) => value === '' || z.email().safeParse(value).success, 'Enter an email address in the correct format, like name@example.com')
      .default(''),
  })
  .superRefine(
    (value, ctx) => {
      // Runs even when other fields have problems, so every problem is listed at once.
      const { registerRegimeEnabled, commencesOn } = value as { registerRegimeEnabled?: unknown; commencesOn?: unknown };
      if (registerRegimeEnabled !== 'yes' || typeof commencesOn !== 'string') return;
      if (commencesOn === '') ctx.addIssue({ code: 'custom', path: ['commencesOn'], message: 'Enter the date the register duties start' });
      else if (!isRealIsoDate(commencesOn)) ctx.addIssue({ code: 'custom', path: ['commencesOn'], message: 'The date the register duties start must be a real date' });
    },
    { when: () => true },
  );

export type CouncilSettingsForm = z.input<typeof councilSettingsFormSchema>;

export const homeEducationPolicyFormSchema = z.object({
  version: versionField,
  policy: z
    .string({ error: 'Enter the home education policy' })
    .transform((value) => value.replace(/\r\n|\r/g, '\n').replace(/[ \t]+$/gm, '').trim())
    .pipe(z.string().min(1, 'Enter the home education policy').max(20_000, 'The home education policy must be 20,000 characters or fewer')),
});

function assertAdministrator(ctx: UseCaseContext): void {
  if (ctx.actor.role !== 'administrator') throw forbidden();
}

export interface CouncilSettingsView {
  name: string;
  version: number;
  settings: CouncilSettings;
  homeEducationPolicy: string;
}

/** The council's settings and policy as the administrator edits them. */
export async function viewCouncilSettings(deps: CouncilDeps, ctx: UseCaseContext): Promise<CouncilSettingsView> {
  assertAdministrator(ctx);
  return deps.runInTransaction(ctx, async (uow) => {
    const council = await loadCouncilForChange(uow.tx);
    if (!council) throw notFound('The council');
    return { name: council.name, version: council.version, settings: readCouncilSettings(council.settings), homeEducationPolicy: council.homeEducationPolicy };
  });
}

/** Every leaf of the settings as `section.field`, so an audit row lists exactly what moved. */
function flatten(settings: CouncilSettings): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [section, fields] of Object.entries(settings)) {
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) flat[`${section}.${field}`] = value;
  }
  return flat;
}

function differences(before: CouncilSettings, after: CouncilSettings): Record<string, { from: unknown; to: unknown }> {
  const from = flatten(before);
  const to = flatten(after);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(to)) {
    if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) changed[key] = { from: from[key] ?? null, to: to[key] };
  }
  return changed;
}

/**
 * Changes the register regime, the periods and the contact details printed on letters. Only an
 * administrator may, as every clock and letter follows these. A save made on an out-of-date form
 * is refused rather than silently undoing someone else's change.
 */
export async function changeCouncilSettings(deps: CouncilDeps, ctx: UseCaseContext, input: unknown): Promise<CouncilSettings> {
  assertAdministrator(ctx);
  const form = parseInput(councilSettingsFormSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const council = await loadCouncilForChange(uow.tx);
    if (!council) throw notFound('The council');
    if (council.version !== form.version) throw staleVersion('council’s settings');
    const before = readCouncilSettings(council.settings);
    const enabled = form.registerRegimeEnabled === 'yes';
    const after: CouncilSettings = councilSettingsSchema.parse({
      contact: {
        team: form.contactTeam,
        addressLines: form.contactAddress,
        phone: form.contactPhone,
        email: form.contactEmail,
        website: form.contactWebsite,
        socialCareTeam: form.socialCareTeam,
        socialCarePhone: form.socialCarePhone,
        socialCareEmail: form.socialCareEmail,
      },
      registerRegime: { enabled, commencesOn: enabled ? form.commencesOn : null },
      periods: Object.fromEntries(SETTINGS_PERIODS.map((period) => [period.key, form[period.key]])),
    });
    // Keys this version of Cairn does not know are kept, so a newer setting is never lost by a save here.
    const stored = typeof council.settings === 'object' && council.settings !== null ? (council.settings as Record<string, unknown>) : {};
    const saved = await updateCouncil(uow.tx, council.id, form.version, { settings: { ...stored, ...after } });
    if (!saved) throw staleVersion('council’s settings');
    uow.audit({ action: 'council.settings-change', recordType: 'council', recordId: council.id, childId: null, details: { changed: differences(before, after), version: saved.version } });
    return after;
  });
}

/**
 * Replaces the published home education policy. Families read it on a public page and letters
 * refer to it, so only an administrator may change it, and each change is audited.
 */
export async function changeHomeEducationPolicy(deps: CouncilDeps, ctx: UseCaseContext, input: unknown): Promise<{ version: number }> {
  assertAdministrator(ctx);
  const form = parseInput(homeEducationPolicyFormSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const council = await loadCouncilForChange(uow.tx);
    if (!council) throw notFound('The council');
    if (council.version !== form.version) throw staleVersion('council’s home education policy');
    const saved = await updateCouncil(uow.tx, council.id, form.version, { homeEducationPolicy: form.policy });
    if (!saved) throw staleVersion('council’s home education policy');
    uow.audit({
      action: 'council.home-education-policy-change',
      recordType: 'council',
      recordId: council.id,
      childId: null,
      details: { changed: council.homeEducationPolicy !== form.policy, length: { from: council.homeEducationPolicy.length, to: form.policy.length }, version: saved.version },
    });
    return { version: saved.version };
  });
}

/**
 * Reads the policy for a public page. Nothing is recorded and no permission is checked, so the
 * transaction only needs an actor to label it; this one can do nothing else.
 */
const PUBLIC_READER: Actor = { kind: 'system', id: null, label: 'Public page', role: 'system', schoolId: null };

/**
 * The published policy, for anyone, signed in or not: it is public information, so reading it is
 * neither authorised nor audited, and a signed-out visitor needs no account to see it.
 */
export async function viewHomeEducationPolicy(deps: CouncilDeps, request: Pick<UseCaseContext, 'correlationId' | 'now'>): Promise<{ councilName: string; policy: string }> {
  return deps.runInTransaction({ actor: PUBLIC_READER, correlationId: request.correlationId, now: request.now }, async (uow) => {
    const council = await loadCouncilForChange(uow.tx);
    if (!council) throw notFound('The home education policy');
    return { councilName: council.name, policy: council.homeEducationPolicy };
  });
}
