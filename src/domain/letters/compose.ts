/**
 * Turning a template and a context into a Letter: the council's letterhead and sign-off, the
 * council's own wording or the shipped wording, and the check that a letter never carries an
 * address that must not be disclosed.
 */
import type { Executor } from '../../db/client.ts';
import type { CouncilRow } from '../../db/repositories/councils.ts';
import { findLetterTemplate } from '../../db/repositories/letters.ts';
import { checkTemplate, LetterTemplateError, letterPlainText, renderTemplate, type Letter, type LetterBlock } from '../../letters/index.ts';
import { DomainError } from '../errors.ts';
import { SHIPPED_TEMPLATES, type LetterContextBase, type LetterTemplateKey } from './templates.ts';

/** Where Cairn publishes the council's home education policy for families (the public policy page). */
export const POLICY_PATH = '/home-education-policy';

/**
 * The address of the policy page printed in letters. Cairn's own public address is configuration,
 * so callers pass it; without it the letter points to the council's website, where councils
 * publish their policy too, rather than printing a bare path no reader could follow.
 */
export function policyUrlFor(council: CouncilRow, baseUrl: string | undefined): string {
  if (baseUrl !== undefined && baseUrl.trim() !== '') return `${baseUrl.trim().replace(/\/+$/, '')}${POLICY_PATH}`;
  const website = council.settings.contact.website.trim();
  return website === '' ? POLICY_PATH : website;
}

export function councilContext(council: CouncilRow, baseUrl: string | undefined): LetterContextBase['council'] {
  const { contact } = council.settings;
  return { name: council.name, team: contact.team, phone: contact.phone, email: contact.email, website: contact.website, policyUrl: policyUrlFor(council, baseUrl) };
}

export function letterhead(council: CouncilRow): Letter['council'] {
  const { contact } = council.settings;
  return { name: council.name, addressLines: [...contact.addressLines], phone: contact.phone, email: contact.email, website: contact.website };
}

/** Letters are signed by the team, on behalf of the council, never by the officer who sent them. */
export function signOffFor(council: CouncilRow): Letter['signOff'] {
  return { name: council.settings.contact.team, jobTitle: council.name };
}

export interface Wording {
  subject: string;
  body: string;
  /** council: the council's own wording is saved; shipped: Cairn's wording is in use. */
  source: 'council' | 'shipped';
  /** The saved wording's version; 0 while the shipped wording is in use. */
  version: number;
}

/** The council's own wording for a letter when it has saved one, otherwise the shipped wording. */
export async function wordingFor(executor: Executor, key: LetterTemplateKey): Promise<Wording> {
  const saved = await findLetterTemplate(executor, key);
  if (saved) return { subject: saved.subject, body: saved.body, source: 'council', version: saved.version };
  const shipped = SHIPPED_TEMPLATES[key];
  return { subject: shipped.subject, body: shipped.body, source: 'shipped', version: 0 };
}

/** A subject is a one-line template: its placeholders are filled in and any formatting is dropped. */
export function renderSubject(source: string, context: Record<string, unknown>): string {
  return renderTemplate(source, context)
    .flatMap((block) => {
      switch (block.kind) {
        case 'heading':
        case 'subheading':
          return [block.text];
        case 'paragraph':
          return [block.runs.map((run) => run.text).join('')];
        case 'list':
          return block.items.map((item) => item.map((run) => run.text).join(''));
      }
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Fills in a letter's wording. A council's saved wording was checked against the sample when it
 * was saved, but a caller can still leave out a value it uses, so a failure here is reported as a
 * problem with the letter rather than a crash.
 */
export function renderWording(wording: Pick<Wording, 'subject' | 'body'>, context: Record<string, unknown>, title: string): { subject: string; blocks: LetterBlock[] } {
  try {
    return { subject: renderSubject(wording.subject, context), blocks: renderTemplate(wording.body, context) };
  } catch (error) {
    if (error instanceof LetterTemplateError) {
      throw new DomainError('validation', `The letter “${title}” could not be written: ${error.problems.join('. ')}`);
    }
    throw error;
  }
}

/**
 * The problems with a subject and body, checked against the sample and against the sample with
 * the written-only preference the other way round, so both versions of that paragraph are checked.
 */
export function checkWording(subject: string, body: string, sample: Record<string, unknown>): { field: 'subject' | 'body'; text: string }[] {
  const variants = [sample, { ...sample, writtenOnly: sample['writtenOnly'] !== true }];
  const problems: { field: 'subject' | 'body'; text: string }[] = [];
  for (const [field, source] of [['subject', subject], ['body', body]] as const) {
    const found = new Set(variants.flatMap((variant) => checkTemplate(source, variant)));
    for (const text of found) problems.push({ field, text: field === 'subject' ? `Subject: ${text}` : text });
  }
  return problems;
}

export function composeLetter(parts: { council: CouncilRow; recipient: Letter['recipient']; date: string; reference: string; subject: string; blocks: LetterBlock[] }): Letter {
  return {
    council: letterhead(parts.council),
    recipient: parts.recipient,
    date: parts.date,
    reference: parts.reference,
    subject: parts.subject,
    blocks: parts.blocks,
    signOff: signOffFor(parts.council),
  };
}

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Whether a letter's text contains any of the given addresses (the first line or the postcode),
 * ignoring case, spaces and punctuation. Very short first lines ("Flat 2") are not matched on
 * their own, as they would match almost anything.
 */
export function disclosesAddress(letter: Letter, addresses: readonly { addressLine1: string; postcode: string }[]): boolean {
  if (addresses.length === 0) return false;
  const text = squash(letterPlainText(letter));
  return addresses.some((address) => {
    const line = squash(address.addressLine1);
    const postcode = squash(address.postcode);
    return (line.length >= 6 && text.includes(line)) || (postcode.length >= 5 && text.includes(postcode));
  });
}

/** Refuses a letter that would show an address marked "do not disclose". */
export function assertNoProtectedAddress(letter: Letter, addresses: readonly { addressLine1: string; postcode: string }[]): void {
  if (disclosesAddress(letter, addresses)) {
    throw new DomainError(
      'validation',
      'This letter would show the address of a parent or carer whose address must not be disclosed. Remove the address from the letter’s details and try again.',
    );
  }
}
