import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { adults, childAdults } from '../../db/schema/index.ts';
import { findChildWithRelationships } from '../../db/repositories/children.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { canOnChild, timelineAudienceFor } from '../auth/policies.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { asFamily, type AdultRow, type FamilyDeps } from './core.ts';
import { contactPreferencesSchema, type AccessibleFormat } from './notices-schemas.ts';

/**
 * How a parent or carer wants the council to contact them: in writing only or any way, letters by
 * post or email, an accessible format, a language (and whether they need an interpreter), and a
 * supportive person who may be copied in or come to meetings. Kept on their own adult record, in
 * words an officer can read as they are: "Large print", "Polish (interpreter needed)",
 * "Sam Okafor (friend)". The letter queue honours the channel and "in writing only"; every officer
 * view of a child, a home education episode or a social care episode shows the rest.
 */

const FORMAT_WORDS: Record<Exclude<AccessibleFormat, 'none' | 'other'>, string> = {
  'large-print': 'Large print',
  'easy-read': 'Easy read',
  braille: 'Braille',
  audio: 'Audio',
};

const INTERPRETER = ' (interpreter needed)';
const TRAILING_BRACKETS = /^(.*?)\s*\(([^()]*)\)$/;

/** The contact preferences form's answers, read back from what the adult record holds. */
export interface ContactPreferenceValues {
  contactPreference: 'any' | 'written-only';
  preferredChannel: 'post' | 'email';
  email: string;
  format: AccessibleFormat;
  formatOther: string;
  language: 'english' | 'other';
  languageOther: string;
  interpreter: boolean;
  supportiveName: string;
  supportiveContact: string;
  supportiveRelationship: string;
}

type PreferenceColumns = Pick<AdultRow, 'contactPreference' | 'preferredChannel' | 'email' | 'contactFormat' | 'contactLanguage' | 'supportivePersonName' | 'supportivePersonContact'>;

/** Splits what an adult record holds into the form's answers. */
export function preferenceValues(a: PreferenceColumns): ContactPreferenceValues {
  const stored = a.contactFormat?.trim() ?? '';
  const known = (Object.entries(FORMAT_WORDS) as [AccessibleFormat, string][]).find(([, words]) => words.toLowerCase() === stored.toLowerCase());
  const language = a.contactLanguage?.trim() ?? '';
  const interpreter = language.endsWith(INTERPRETER);
  const languageName = interpreter ? language.slice(0, -INTERPRETER.length).trim() : language;
  const named = TRAILING_BRACKETS.exec(a.supportivePersonName?.trim() ?? '');
  return {
    contactPreference: a.contactPreference === 'written-only' ? 'written-only' : 'any',
    preferredChannel: a.preferredChannel === 'email' ? 'email' : 'post',
    email: a.email ?? '',
    format: stored === '' ? 'none' : known ? known[0] : 'other',
    formatOther: stored !== '' && !known ? stored : '',
    language: languageName === '' || /^english$/i.test(languageName) ? 'english' : 'other',
    languageOther: languageName === '' || /^english$/i.test(languageName) ? '' : languageName,
    interpreter,
    supportiveName: named ? named[1]! : (a.supportivePersonName ?? ''),
    supportiveContact: a.supportivePersonContact ?? '',
    supportiveRelationship: named ? named[2]! : '',
  };
}

/**
 * The preferences in short sentences an officer reads before contacting the family, e.g. "Contact
 * in writing only. Letters by email. Large print. Language: Polish (interpreter needed).
 * Supportive person: Sam Okafor (friend), 07700 900123." No address appears.
 */
export function describeContactPreferences(a: PreferenceColumns): string[] {
  const v = preferenceValues(a);
  const sentences = [v.contactPreference === 'written-only' ? 'Contact in writing only.' : 'Contact in any way.'];
  if (v.preferredChannel === 'email') sentences.push(v.email ? 'Letters by email.' : 'Letters by post (no email address given).');
  else sentences.push('Letters by post.');
  if (v.format === 'other') sentences.push(`Format: ${v.formatOther}.`);
  else if (v.format !== 'none') sentences.push(`${FORMAT_WORDS[v.format]}.`);
  if (v.language === 'other') sentences.push(`Language: ${v.languageOther}${v.interpreter ? INTERPRETER : ''}.`);
  if (a.supportivePersonName) sentences.push(`Supportive person: ${a.supportivePersonName}${a.supportivePersonContact ? `, ${a.supportivePersonContact}` : ''}.`);
  return sentences;
}

export interface MyContactPreferences {
  name: string;
  version: number;
  values: ContactPreferenceValues;
  summary: string[];
}

/** The signed-in parent's own contact preferences, for their form. */
export async function viewMyContactPreferences(deps: FamilyDeps, ctx: UseCaseContext): Promise<MyContactPreferences> {
  return asFamily(deps, ctx, 'family.contact-preferences.view', async (uow, family) => {
    uow.audit({ action: 'family.contact-preferences.view', recordType: 'adult', recordId: family.adult.id, childId: null });
    return { name: `${family.adult.firstName} ${family.adult.lastName}`, version: family.adult.version, values: preferenceValues(family.adult), summary: describeContactPreferences(family.adult) };
  });
}

/**
 * Saves how the parent wants to be contacted, on their own adult record only, refusing a save made
 * on stale data. Officers working with any of their children see the change on the timeline.
 */
export async function changeMyContactPreferences(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<{ version: number; summary: string[] }> {
  return asFamily(deps, ctx, 'family.contact-preferences.change', async (uow, family) => {
    const p = parseInput(contactPreferencesSchema, input);
    const a = family.adult;
    if (a.version !== p.version) throw staleVersion('contact preferences');
    const change = {
      contactPreference: p.contactPreference,
      preferredChannel: p.preferredChannel,
      email: p.email ?? a.email,
      contactFormat: p.format === 'none' ? null : p.format === 'other' ? p.formatOther! : FORMAT_WORDS[p.format],
      contactLanguage: p.language === 'english' ? null : `${p.languageOther}${p.interpreter === 'yes' ? INTERPRETER : ''}`,
      supportivePersonName: p.supportiveName ? `${p.supportiveName}${p.supportiveRelationship ? ` (${p.supportiveRelationship})` : ''}` : null,
      supportivePersonContact: p.supportiveName ? (p.supportiveContact ?? null) : null,
    };
    if (change.preferredChannel === 'email' && !change.email) throw new DomainError('validation', 'There is a problem', { email: 'Enter your email address' });
    const changed = Object.fromEntries(Object.entries(change).filter(([key, value]) => a[key as keyof typeof change] !== value).map(([key, value]) => [key, { from: a[key as keyof typeof change], to: value }]));
    const [updated] = await uow.tx
      .update(adults)
      .set({ ...change, version: p.version + 1 })
      .where(and(eq(adults.id, a.id), eq(adults.version, p.version)))
      .returning();
    if (!updated) throw staleVersion('contact preferences');
    uow.audit({ action: 'family.contact-preferences.change', recordType: 'adult', recordId: a.id, childId: null, details: { changed } });
    if (Object.keys(changed).length > 0) {
      for (const child of family.children) {
        uow.event({
          type: 'adult.contact-preferences-changed',
          aggregateType: 'adult',
          aggregateId: a.id,
          childId: child.childId,
          summary: `${a.firstName} ${a.lastName} changed how they want to be contacted`,
          visibility: 'staff',
          payload: { fields: Object.keys(changed) },
        });
      }
    }
    return { version: updated.version, summary: describeContactPreferences(updated) };
  });
}

export interface AdultContactPreferences {
  adultId: string;
  name: string;
  relationship: string;
  parentalResponsibility: boolean;
  writtenOnly: boolean;
  summary: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How each parent or carer of a child wants to be contacted, for a caller that has already
 * authorised and audited reading the child's record (the record page reads it in its own query).
 */
export async function contactPreferencesOf(tx: Tx, childId: string): Promise<AdultContactPreferences[]> {
  const rows = await tx
    .select({ a: adults, l: childAdults })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(eq(childAdults.childId, childId))
    .orderBy(asc(adults.lastName), asc(adults.firstName));
  return rows.map(({ a, l }) => ({
    adultId: a.id,
    name: `${a.firstName} ${a.lastName}`,
    relationship: l.relationship,
    parentalResponsibility: l.parentalResponsibility,
    writtenOnly: a.contactPreference === 'written-only',
    summary: describeContactPreferences(a),
  }));
}

/**
 * How each parent or carer of a child wants to be contacted, for council staff working with the
 * child (the child's record, a home education or social care episode). Audited as a read.
 */
export async function viewContactPreferencesForChild(deps: FamilyDeps, ctx: UseCaseContext, childId: string): Promise<AdultContactPreferences[]> {
  if (!UUID.test(childId)) throw notFound('The child');
  if (timelineAudienceFor(ctx.actor) !== 'staff') throw forbidden();
  return deps.runInTransaction(ctx, async (uow) => {
    const found = await findChildWithRelationships(uow.tx, childId);
    if (!found) throw notFound('The child');
    if (!canOnChild(ctx.actor, 'child.view', found.relationships, ctx.now, deps.policy)) throw forbidden();
    const preferences = await contactPreferencesOf(uow.tx, childId);
    uow.audit({ action: 'child.contact-preferences.view', recordType: 'child', recordId: childId, childId, details: { adults: preferences.map((p) => p.adultId) } });
    return preferences;
  });
}
