import { z } from 'zod';
import type { DraftAnswers } from '../../../domain/register/match-returns.ts';
import { DELETION_GROUNDS, EHE_REASONS, type DeletionGround, type EheReason } from '../../../domain/register/reference-data.ts';
import { deletionReturnSchema } from '../../../domain/register/schemas.ts';
import { formatDate } from '../../setup/nunjucks.ts';
import { paths } from '../../paths.ts';

/** A field of a deletion return, as `deletionReturnSchema` names it. */
export type ReturnField = keyof typeof deletionReturnSchema.shape;

/** One question page of the school deletion return journey ("one thing per page"). */
export interface QuestionPage {
  slug: string;
  title: string;
  fields: readonly ReturnField[];
  /** Fields asked with a GOV.UK date input (`<field>-day`, `-month`, `-year`). */
  dates?: readonly ReturnField[];
  /** Only council officers choose the school; a school user's return is always from their own. */
  officersOnly?: boolean;
  /** Pages asked only for some answers, like the home education reason for ground f. */
  appliesWhen?: (answers: DraftAnswers) => boolean;
}

export const PAGES: readonly QuestionPage[] = [
  { slug: 'school', title: 'Which school is the pupil leaving?', fields: ['schoolUrn'], officersOnly: true },
  { slug: 'name', title: 'What is the pupil’s name?', fields: ['pupilFirstName', 'pupilLastName'] },
  { slug: 'date-of-birth', title: 'What is the pupil’s date of birth?', fields: ['pupilDateOfBirth'], dates: ['pupilDateOfBirth'] },
  { slug: 'upn', title: 'What is the pupil’s unique pupil number (UPN)?', fields: ['upn'] },
  { slug: 'parent', title: 'Which parent does the pupil normally live with?', fields: ['parentName', 'parentAddressLine1', 'parentTown', 'parentPostcode'] },
  { slug: 'emergency-phone', title: 'What is the emergency telephone number?', fields: ['emergencyPhone'] },
  { slug: 'future-address', title: 'What will the pupil’s address be?', fields: ['futureAddress'] },
  { slug: 'destination', title: 'Which school is the pupil going to?', fields: ['destinationSchool', 'destinationStartDate'], dates: ['destinationStartDate'] },
  { slug: 'ground', title: 'What is the ground for deletion?', fields: ['ground'] },
  { slug: 'home-education-reason', title: 'What reason did the parent give for home education?', fields: ['eheReason'], appliesWhen: (a) => a['ground'] === 'f' },
  { slug: 'deletion-date', title: 'What is the date of deletion from the roll?', fields: ['deletionDate'], dates: ['deletionDate'] },
  { slug: 'safeguarding', title: 'Has the school documented safeguarding concerns about this pupil?', fields: ['safeguardingConcerns', 'concernsDocumentedOn', 'concernsDetail'], dates: ['concernsDocumentedOn'] },
];

export function pageFor(slug: string): QuestionPage | undefined {
  return PAGES.find((p) => p.slug === slug);
}

/** The pages this person answers, in order, given their answers so far. */
export function applicablePages(answers: DraftAnswers, choosesSchool: boolean): QuestionPage[] {
  return PAGES.filter((p) => (!p.officersOnly || choosesSchool) && (!p.appliesWhen || p.appliesWhen(answers)));
}

export function nextUrl(page: QuestionPage, answers: DraftAnswers, choosesSchool: boolean): string {
  const pages = applicablePages(answers, choosesSchool);
  const following = pages[pages.findIndex((p) => p.slug === page.slug) + 1];
  return following ? paths.returns.question(following.slug) : paths.returns.check;
}

export function previousUrl(page: QuestionPage, answers: DraftAnswers, choosesSchool: boolean): string {
  const pages = applicablePages(answers, choosesSchool);
  const index = pages.findIndex((p) => p.slug === page.slug);
  const before = index > 0 ? pages[index - 1] : undefined;
  return before ? paths.returns.question(before.slug) : paths.returns.list;
}

/** The page that asks a field, for error links and Change links on check answers. */
export function pageOfField(field: string): QuestionPage | undefined {
  return PAGES.find((p) => (p.fields as readonly string[]).includes(field));
}

/**
 * A complete, valid return that a page's answers are laid over, so the whole schema (with its rules
 * across fields, like "a yes needs the date and what was documented") runs on every page without
 * repeating a rule or a message here. Only the issues about the page's own fields are shown.
 */
const COMPLETE_EXAMPLE: DraftAnswers = {
  pupilFirstName: 'Example',
  pupilLastName: 'Example',
  pupilDateOfBirth: '2015-01-01',
  parentName: 'Example',
  parentAddressLine1: '1 Example Road',
  parentTown: 'Example',
  parentPostcode: 'NZ1 1AA',
  emergencyPhone: '01632 960 001',
  ground: 'a',
  deletionDate: '2026-01-01',
  safeguardingConcerns: 'no',
};

const fieldRules = z.object(deletionReturnSchema.shape);

/** The GOV.UK messages for a page's own fields, from `deletionReturnSchema`; empty when the page is answered. */
export function validatePage(page: QuestionPage, answers: DraftAnswers, values: DraftAnswers): Record<string, string> {
  const errors: Record<string, string> = {};
  const collect = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
    for (const issue of issues) {
      const field = String(issue.path[0] ?? '');
      if ((page.fields as readonly string[]).includes(field)) errors[field] ??= issue.message;
    }
  };
  const mask = Object.fromEntries(page.fields.map((f) => [f, true as const])) as Partial<Record<ReturnField, true>>;
  const own = fieldRules.pick(mask).safeParse(values);
  if (!own.success) collect(own.error.issues);
  if (Object.keys(errors).length === 0) {
    const whole = deletionReturnSchema.safeParse({ ...COMPLETE_EXAMPLE, ...answers, ...values });
    if (!whole.success) collect(whole.error.issues);
  }
  return errors;
}

/** Answers that no longer apply once another answer changes, so the draft never contradicts itself. */
export function withoutStaleAnswers(answers: DraftAnswers): DraftAnswers {
  const result = { ...answers };
  if (result['ground'] !== undefined && result['ground'] !== 'f') delete result['eheReason'];
  if (result['safeguardingConcerns'] === 'no') {
    result['concernsDocumentedOn'] = '';
    result['concernsDetail'] = '';
  }
  return result;
}

export function groundLabel(ground: string): string {
  return ground in DELETION_GROUNDS ? `(${ground}) ${DELETION_GROUNDS[ground as DeletionGround]}` : ground;
}

export function eheReasonLabel(reason: string | null | undefined): string {
  return reason && reason in EHE_REASONS ? EHE_REASONS[reason as EheReason] : 'Not given';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface SummaryRow {
  key: { text: string };
  value: { text: string } | { html: string };
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

/** The rows of Check your answers, each with a Change link that comes back here. */
export function checkAnswersRows(answers: DraftAnswers, school: { urn: string; name: string } | null, choosesSchool: boolean): SummaryRow[] {
  const a = (field: string) => answers[field] ?? '';
  const row = (key: string, value: { text: string } | { html: string }, slug: string): SummaryRow => ({
    key: { text: key },
    value,
    actions: { items: [{ href: `${paths.returns.question(slug)}?change=1`, text: 'Change', visuallyHiddenText: key.toLowerCase() }] },
  });
  const or = (value: string, otherwise: string) => ({ text: value || otherwise });
  const lines = (...parts: string[]) => ({ html: parts.filter(Boolean).map(escapeHtml).join('<br>') });
  const rows: SummaryRow[] = [];
  if (choosesSchool) rows.push(row('School', or(school ? `${school.name} (URN ${school.urn})` : a('schoolUrn'), 'Not given'), 'school'));
  rows.push(
    row('Pupil’s name', or(`${a('pupilFirstName')} ${a('pupilLastName')}`.trim(), 'Not given'), 'name'),
    row('Date of birth', or(formatDate(a('pupilDateOfBirth')), 'Not given'), 'date-of-birth'),
    row('UPN', or(a('upn'), 'Not given'), 'upn'),
    row('Parent the pupil normally lives with', or(a('parentName'), 'Not given'), 'parent'),
    row('Parent’s address', lines(a('parentAddressLine1'), a('parentTown'), a('parentPostcode')), 'parent'),
    row('Emergency telephone number', or(a('emergencyPhone'), 'Not given'), 'emergency-phone'),
    row('Future address', or(a('futureAddress'), 'Not known'), 'future-address'),
    row('Destination school', or([a('destinationSchool'), a('destinationStartDate') ? `starting ${formatDate(a('destinationStartDate'))}` : ''].filter(Boolean).join(', '), 'Not known'), 'destination'),
    row('Ground for deletion', or(a('ground') ? groundLabel(a('ground')) : '', 'Not given'), 'ground'),
  );
  if (a('ground') === 'f') rows.push(row('Reason for home education', { text: eheReasonLabel(a('eheReason')) }, 'home-education-reason'));
  rows.push(row('Date of deletion', or(formatDate(a('deletionDate')), 'Not given'), 'deletion-date'));
  const concerns = a('safeguardingConcerns');
  rows.push(
    row(
      'Safeguarding concerns documented',
      concerns === 'yes' ? lines('Yes', `Documented on ${formatDate(a('concernsDocumentedOn'))}`, a('concernsDetail')) : { text: concerns === 'no' ? 'No' : 'Not given' },
      'safeguarding',
    ),
  );
  return rows;
}

export const STATUS_LABELS: Record<string, { text: string; colour: string }> = {
  'awaiting-match': { text: 'Waiting for a match', colour: 'govuk-tag--yellow' },
  held: { text: 'Held for consent', colour: 'govuk-tag--orange' },
  processed: { text: 'Processed', colour: 'govuk-tag--green' },
};
