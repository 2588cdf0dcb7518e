/**
 * Queueing letters from inside another use case's transaction: the letter row, the job that sends
 * it, the timeline event and the audit row commit with the change that caused the letter, or not
 * at all. The letter is rendered now and kept as rendered, so what was sent can always be shown
 * and printed again exactly.
 */
import { randomUUID } from 'node:crypto';
import { findChildById, type ChildRow } from '../../db/repositories/children.ts';
import { loadCouncil, type CouncilRow } from '../../db/repositories/councils.ts';
import { findSchool, insertLetter, listParentsWithResponsibility, listProtectedAddresses, listSchoolUserEmails } from '../../db/repositories/letters.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { Letter } from '../../letters/index.ts';
import { formatLongDate, todayIn } from '../calendar/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { assertNoProtectedAddress, composeLetter, councilContext, renderWording, wordingFor } from './compose.ts';
import { SHIPPED_TEMPLATES, type LetterContextBase, type LetterTemplateKey } from './templates.ts';

/** The queue every letter is sent through; its handler is in jobs/letters.ts. */
export const LETTER_SEND_QUEUE = 'letter.send';

export interface QueueLetterOptions {
  /** Cairn's public address, for the link to the home education policy page printed in letters. */
  baseUrl?: string | undefined;
  /** Which council service writes: it signs the letter and gives its own contact details. */
  service?: 'home-education' | 'social-care';
}

/** The council as the writing service presents itself: children's social care signs its own letters. */
function asService(council: CouncilRow, service: QueueLetterOptions['service']): CouncilRow {
  if (service !== 'social-care') return council;
  const { contact } = council.settings;
  return {
    ...council,
    settings: { ...council.settings, contact: { ...contact, team: contact.socialCareTeam, phone: contact.socialCarePhone || contact.phone, email: contact.socialCareEmail || contact.email } },
  };
}

export interface LettersToParentsInput {
  childId: string;
  templateKey: LetterTemplateKey;
  data: Record<string, unknown>;
  episodeId?: string;
  consentRequestId?: string;
  stepId?: string;
  socialCareEpisodeId?: string;
}

export interface LetterToSchoolInput {
  schoolId: string;
  childId: string;
  templateKey: LetterTemplateKey;
  data: Record<string, unknown>;
  consentRequestId?: string;
}

/** Addressed to "The Headteacher"; greeted as "Dear Headteacher". */
const HEADTEACHER = 'The Headteacher';
const HEADTEACHER_GREETING = 'Headteacher';

async function requireChild(uow: UnitOfWork, childId: string): Promise<ChildRow> {
  const child = await findChildById(uow.tx, childId);
  if (!child) throw notFound('The child');
  return child;
}

async function requireCouncil(uow: UnitOfWork): Promise<CouncilRow> {
  const council = await loadCouncil(uow.tx);
  if (!council) throw new DomainError('validation', 'Set up the council’s details before sending letters');
  return council;
}

/** The council's reference for a letter: the service, the child's council reference, and the letter. */
function letterReference(child: ChildRow, letterId: string, service: QueueLetterOptions['service'] = 'home-education'): string {
  return `${service === 'social-care' ? 'CSC' : 'EHE'}/${child.laChildId}/${letterId.slice(0, 8).toUpperCase()}`;
}

function baseContext(council: CouncilRow, child: ChildRow, recipientName: string, writtenOnly: boolean, today: string, options: QueueLetterOptions): LetterContextBase {
  return {
    council: councilContext(council, options.baseUrl),
    // Formal letters use the child's legal name, never a name they are known by.
    child: { firstName: child.firstName, lastName: child.lastName, dateOfBirth: formatLongDate(child.dateOfBirth) },
    recipient: { name: recipientName },
    today,
    writtenOnly,
  };
}

function createdBy(uow: UnitOfWork): string | null {
  return uow.ctx.actor.kind === 'system' ? null : uow.ctx.actor.id;
}

/**
 * Writes one letter to each adult with parental responsibility for the child. A parent gets it by
 * email only when they chose email and gave an address; otherwise by post. Each letter shows its
 * recipient's own address, and is refused if it would show the address of another adult that must
 * not be disclosed.
 */
export async function queueLettersToParents(uow: UnitOfWork, input: LettersToParentsInput, options: QueueLetterOptions = {}): Promise<{ letterIds: string[] }> {
  const child = await requireChild(uow, input.childId);
  const parents = await listParentsWithResponsibility(uow.tx, child.id);
  if (parents.length === 0) throw new DomainError('validation', 'Add a parent or carer with parental responsibility before sending letters');
  const council = asService(await requireCouncil(uow), options.service);
  const wording = await wordingFor(uow.tx, input.templateKey);
  const protectedAddresses = await listProtectedAddresses(uow.tx, child.id);
  const today = formatLongDate(todayIn(uow.ctx.now));
  const title = SHIPPED_TEMPLATES[input.templateKey].title;

  const letterIds: string[] = [];
  for (const parent of parents) {
    const name = `${parent.firstName} ${parent.lastName}`;
    const context = { ...baseContext(council, child, name, parent.contactPreference === 'written-only', today, options), data: input.data };
    const { subject, blocks } = renderWording(wording, context, title);
    const id = randomUUID();
    const letter = composeLetter({
      council,
      recipient: { name, addressLines: [parent.addressLine1, parent.town, parent.postcode] },
      date: today,
      reference: letterReference(child, id, options.service),
      subject,
      blocks,
    });
    // Someone's own address is never withheld from them, even where it is shared with an adult
    // whose address must not be disclosed; anyone else's such address must not appear.
    const sameAddress = (a: { addressLine1: string; postcode: string }) =>
      a.addressLine1.trim().toLowerCase() === parent.addressLine1.trim().toLowerCase() && a.postcode.replace(/\s/g, '').toUpperCase() === parent.postcode.replace(/\s/g, '').toUpperCase();
    assertNoProtectedAddress(
      letter,
      protectedAddresses.filter((a) => a.adultId !== parent.id && !sameAddress(a)),
    );
    const email = parent.email?.trim() ?? '';
    const channel = parent.preferredChannel === 'email' && email !== '' ? 'email' : 'post';
    await saveAndQueue(uow, {
      id,
      letter,
      templateKey: input.templateKey,
      childId: child.id,
      episodeId: input.episodeId ?? null,
      consentRequestId: input.consentRequestId ?? null,
      socialCareEpisodeId: input.socialCareEpisodeId ?? null,
      stepId: input.stepId ?? null,
      recipientAdultId: parent.id,
      recipientSchoolId: null,
      recipientName: name,
      channel,
      emailAddress: channel === 'email' ? email : null,
      visibility: 'family',
    });
    letterIds.push(id);
  }
  return { letterIds };
}

/**
 * Writes to the headteacher of a school about a child. The letter goes by email to the school's
 * users in Cairn, who are the people the school has given access to its pupils' records, or by post
 * when the school has none. No parent's address that must not be disclosed may appear in it.
 */
export async function queueLetterToSchool(uow: UnitOfWork, input: LetterToSchoolInput, options: QueueLetterOptions = {}): Promise<{ letterId: string }> {
  const school = await findSchool(uow.tx, input.schoolId);
  if (!school) throw notFound('The school');
  const child = await requireChild(uow, input.childId);
  const council = await requireCouncil(uow);
  const wording = await wordingFor(uow.tx, input.templateKey);
  const today = formatLongDate(todayIn(uow.ctx.now));
  const context = { ...baseContext(council, child, HEADTEACHER_GREETING, false, today, options), data: input.data };
  const { subject, blocks } = renderWording(wording, context, SHIPPED_TEMPLATES[input.templateKey].title);
  const id = randomUUID();
  const letter = composeLetter({
    council,
    recipient: { name: HEADTEACHER, addressLines: [school.name, school.postcode] },
    date: today,
    reference: letterReference(child, id),
    subject,
    blocks,
  });
  assertNoProtectedAddress(letter, await listProtectedAddresses(uow.tx, child.id));
  const emails = await listSchoolUserEmails(uow.tx, school.id);
  await saveAndQueue(uow, {
    id,
    letter,
    templateKey: input.templateKey,
    childId: child.id,
    episodeId: null,
    consentRequestId: input.consentRequestId ?? null,
    stepId: null,
    recipientAdultId: null,
    recipientSchoolId: school.id,
    recipientName: `${HEADTEACHER}, ${school.name}`,
    channel: emails.length > 0 ? 'email' : 'post',
    // A letter to a school goes to every user the school has; the addresses are kept together.
    emailAddress: emails.length > 0 ? emails.join(', ') : null,
    visibility: 'partners',
  });
  return { letterId: id };
}

async function saveAndQueue(
  uow: UnitOfWork,
  row: {
    id: string;
    letter: Letter;
    templateKey: LetterTemplateKey;
    childId: string;
    episodeId: string | null;
    consentRequestId: string | null;
    socialCareEpisodeId?: string | null;
    stepId: string | null;
    recipientAdultId: string | null;
    recipientSchoolId: string | null;
    recipientName: string;
    channel: 'post' | 'email';
    emailAddress: string | null;
    visibility: 'family' | 'partners';
  },
): Promise<void> {
  await insertLetter(uow.tx, {
    id: row.id,
    childId: row.childId,
    episodeId: row.episodeId,
    consentRequestId: row.consentRequestId,
    socialCareEpisodeId: row.socialCareEpisodeId ?? null,
    stepId: row.stepId,
    templateKey: row.templateKey,
    recipientAdultId: row.recipientAdultId,
    recipientSchoolId: row.recipientSchoolId,
    recipientName: row.recipientName,
    channel: row.channel,
    emailAddress: row.emailAddress,
    reference: row.letter.reference,
    subject: row.letter.subject,
    content: row.letter,
    status: 'queued',
    createdBy: createdBy(uow),
    createdAt: uow.ctx.now,
  });
  uow.job({ queue: LETTER_SEND_QUEUE, data: { letterId: row.id } });
  uow.event({
    type: 'letter.queued',
    aggregateType: 'letter',
    aggregateId: row.id,
    childId: row.childId,
    summary: `Letter sent to ${row.recipientName}: ${row.letter.subject}`,
    visibility: row.visibility,
    payload: { templateKey: row.templateKey, channel: row.channel, reference: row.letter.reference },
  });
  uow.audit({
    action: 'letter.queue',
    recordType: 'letter',
    recordId: row.id,
    childId: row.childId,
    details: { templateKey: row.templateKey, channel: row.channel, reference: row.letter.reference, recipientAdultId: row.recipientAdultId, recipientSchoolId: row.recipientSchoolId },
  });
}
