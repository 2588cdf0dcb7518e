import type { NoticeChild } from '../../../../../domain/family/notices.ts';
import {
  noticeProblems,
  ON_ROLL_ANSWERS,
  PARENT_EHE_REASONS,
  PARENT_PROVIDER_TYPES,
  providerProblems,
  WHO_EDUCATES,
  type NoticeAnswers,
  type NoticeField,
  type ProviderAnswers,
} from '../../../../../domain/family/notices-schemas.ts';
import { readDateInput, text, type DateParts, type FormBody } from '../../../../forms.ts';
import { formatDate } from '../../../../setup/nunjucks.ts';
import { noticePaths } from '../paths.ts';

/**
 * "Tell the council you are home educating" as GOV.UK question pages: one thing per page, answers
 * kept between pages, a Check your answers page and a confirmation. Which pages apply depends on the
 * answers so far (a child not listed is asked for their name and date of birth; the time without a
 * parent is asked only when there are other providers).
 */

export interface NoticePage {
  slug: string;
  fields: readonly NoticeField[];
  /** Fields asked with a GOV.UK date input (`<field>-day`, `-month`, `-year`). */
  dates?: readonly NoticeField[];
  appliesWhen?: (answers: NoticeAnswers) => boolean;
  /** A register item of the 2026 Act: required with the regime on, optional without it. */
  registerItem?: boolean;
}

/** The question pages in the order a parent meets them. */
export const PAGES: readonly NoticePage[] = [
  { slug: 'child', fields: ['childId'] },
  { slug: 'child-details', fields: ['otherFirstName', 'otherLastName', 'otherDateOfBirth'], dates: ['otherDateOfBirth'], appliesWhen: (a) => a.childId === 'other' },
  { slug: 'start-date', fields: ['homeEducationFrom'], dates: ['homeEducationFrom'] },
  { slug: 'school', fields: ['onRoll', 'schoolName'] },
  { slug: 'reason', fields: ['eheReason'] },
  { slug: 'who-educates', fields: ['whoEducates', 'someoneElse'], registerItem: true },
  { slug: 'parent-hours', fields: ['parentHoursPerWeek'], registerItem: true },
  { slug: 'other-providers', fields: ['hasProviders', 'providers'], registerItem: true },
  { slug: 'time-without-parent', fields: ['hoursWithoutParentPerWeek'], appliesWhen: (a) => (a.providers?.length ?? 0) > 0, registerItem: true },
];

/** The page a URL names, if any. */
export function pageFor(slug: string): NoticePage | undefined {
  return PAGES.find((p) => p.slug === slug);
}

/** The pages this parent answers, in order, given their answers so far. */
export function applicablePages(answers: NoticeAnswers): NoticePage[] {
  return PAGES.filter((p) => !p.appliesWhen || p.appliesWhen(answers));
}

/** Where Continue leads from a page: the next page that applies, or Check your answers. */
export function nextUrl(page: NoticePage, answers: NoticeAnswers): string {
  const pages = applicablePages(answers);
  const following = pages[pages.findIndex((p) => p.slug === page.slug) + 1];
  return following ? noticePaths.notify.question(following.slug) : noticePaths.notify.check;
}

/** Where "Continue where you left off" leads: the first page not yet answered, or Check your answers. */
export function firstUnansweredUrl(answers: NoticeAnswers): string {
  const unanswered = applicablePages(answers).find((p) => p.fields.filter((f) => f !== 'providers').every((f) => answers[f] === undefined));
  return unanswered ? noticePaths.notify.question(unanswered.slug) : noticePaths.notify.check;
}

/** Where Back leads from a page: the page before it that applies, or the start page. */
export function previousUrl(page: NoticePage, answers: NoticeAnswers): string {
  const pages = applicablePages(answers);
  const index = pages.findIndex((p) => p.slug === page.slug);
  const before = index > 0 ? pages[index - 1] : undefined;
  return before ? noticePaths.notify.question(before.slug) : noticePaths.notify.start;
}

/** The page that asks a field, for error links and Change links on Check your answers. */
export function pageOfField(field: string): NoticePage | undefined {
  return PAGES.find((p) => (p.fields as readonly string[]).includes(field));
}

/** How the questions name the child: their first name, or "your child" until one is chosen. */
export function childFirstName(answers: NoticeAnswers, children: readonly NoticeChild[]): string {
  if (answers.childId === 'other') return answers.otherFirstName?.trim() || 'your child';
  const child = children.find((c) => c.childId === answers.childId);
  return child ? (child.name.split(' ')[0] ?? child.name) : 'your child';
}

/** The radio value for "I would rather not say", kept as an empty answer. */
export const RATHER_NOT_SAY = 'not-given';

/** What a page posted: its answers as strings (dates as ISO) and any date input parts, to show again. */
export function readPage(page: NoticePage, body: FormBody): { values: NoticeAnswers; parts: Record<string, DateParts> } {
  const values: Record<string, string> = {};
  const parts: Record<string, DateParts> = {};
  for (const field of page.fields) {
    if (field === 'providers') continue;
    if (page.dates?.includes(field)) {
      const read = readDateInput(body, field);
      values[field] = read.iso;
      parts[field] = read.parts;
    } else {
      values[field] = text(body, field).trim();
    }
  }
  if (page.slug === 'reason' && values['eheReason'] === RATHER_NOT_SAY) values['eheReason'] = '';
  if (page.slug === 'school' && values['onRoll'] !== 'yes') values['schoolName'] = '';
  if (page.slug === 'who-educates' && values['whoEducates'] !== 'someone-else') values['someoneElse'] = '';
  return { values: values as NoticeAnswers, parts };
}

/** The GOV.UK messages for a page's own fields; empty when the page is answered. */
export function validatePage(page: NoticePage, answers: NoticeAnswers, values: NoticeAnswers, regimeInForce: boolean, today: string): Record<string, string> {
  const problems = noticeProblems({ ...answers, ...values }, regimeInForce, today);
  return Object.fromEntries(page.fields.filter((f) => f !== 'providers' && problems[f]).map((f) => [f, problems[f]!]));
}

/** Answers that no longer apply once another changes, so the answers never contradict each other. */
export function withoutStaleAnswers(answers: NoticeAnswers): NoticeAnswers {
  const result = { ...answers };
  if (result.childId !== undefined && result.childId !== 'other') {
    delete result.otherFirstName;
    delete result.otherLastName;
    delete result.otherDateOfBirth;
  }
  if (result.hasProviders === 'no') result.providers = [];
  if ((result.providers?.length ?? 0) === 0) delete result.hoursWithoutParentPerWeek;
  return result;
}

/** A provider's details as the parent typed them. */
export function readProvider(body: FormBody): ProviderAnswers {
  return { type: text(body, 'type').trim(), name: text(body, 'name').trim(), addressOrWebsite: text(body, 'addressOrWebsite').trim(), hoursPerWeek: text(body, 'hoursPerWeek').trim(), hoursWithoutParentPerWeek: text(body, 'hoursWithoutParentPerWeek').trim() };
}

/** The GOV.UK messages for one provider's details; empty when they are complete. */
export function validateProvider(provider: ProviderAnswers, regimeInForce: boolean): Record<string, string> {
  return providerProblems(provider, regimeInForce) as Record<string, string>;
}

const hours = (value: string | undefined) => (value ? `${value} ${value === '1' ? 'hour' : 'hours'} a week` : '');

/** One provider in a line: "Northshire Tutors (tutor), 4 hours a week, 2 without a parent". */
export function providerSummary(p: ProviderAnswers): string {
  const type = PARENT_PROVIDER_TYPES[p.type as keyof typeof PARENT_PROVIDER_TYPES] ?? p.type;
  return [`${p.name} (${type.toLowerCase()})`, providerTime(p)].filter(Boolean).join(', ');
}

/** A provider's type and time, for a list that already shows its name: "Tutor, 4 hours a week, 2 without a parent". */
export function providerDetails(p: ProviderAnswers): string {
  return [PARENT_PROVIDER_TYPES[p.type as keyof typeof PARENT_PROVIDER_TYPES] ?? p.type, providerTime(p)].filter(Boolean).join(', ');
}

function providerTime(p: ProviderAnswers): string {
  return [hours(p.hoursPerWeek), p.hoursWithoutParentPerWeek ? `${p.hoursWithoutParentPerWeek} without a parent` : ''].filter(Boolean).join(', ');
}

interface SummaryRow {
  key: { text: string };
  value: { text: string } | { html: string };
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The rows of Check your answers, each with a Change link that comes back to it. */
export function checkAnswersRows(answers: NoticeAnswers, children: readonly NoticeChild[]): SummaryRow[] {
  const row = (key: string, value: { text: string } | { html: string }, href: string, hidden = key.toLowerCase()): SummaryRow => ({
    key: { text: key },
    value,
    actions: { items: [{ href: `${href}${href.includes('?') ? '&' : '?'}change=1`, text: 'Change', visuallyHiddenText: hidden }] },
  });
  const q = noticePaths.notify.question;
  const or = (value: string | undefined, otherwise = 'Not given') => ({ text: value || otherwise });
  const rows: SummaryRow[] = [];
  const listed = children.find((c) => c.childId === answers.childId);
  rows.push(row('Child', or(answers.childId === 'other' ? 'A child not listed here' : listed?.name), q('child'), 'which child'));
  if (answers.childId === 'other') {
    rows.push(row('Child’s name', or(`${answers.otherFirstName ?? ''} ${answers.otherLastName ?? ''}`.trim()), q('child-details'), 'the child’s name'));
    rows.push(row('Date of birth', or(formatDate(answers.otherDateOfBirth ?? '')), q('child-details'), 'the child’s date of birth'));
  }
  rows.push(row('Home education started or starts', or(formatDate(answers.homeEducationFrom ?? '')), q('start-date'), 'when home education started or starts'));
  const onRoll = answers.onRoll ? (ON_ROLL_ANSWERS[answers.onRoll as keyof typeof ON_ROLL_ANSWERS] ?? answers.onRoll) : '';
  rows.push(row('Still on a school roll', or(answers.onRoll === 'yes' && answers.schoolName ? `${onRoll}: ${answers.schoolName}` : onRoll), q('school'), 'whether still on a school roll'));
  rows.push(row('Reason', or(answers.eheReason ? PARENT_EHE_REASONS[answers.eheReason as keyof typeof PARENT_EHE_REASONS] : '', answers.eheReason === '' ? 'I would rather not say' : 'Not given'), q('reason'), 'the reason'));
  const who = answers.whoEducates ? (WHO_EDUCATES[answers.whoEducates as keyof typeof WHO_EDUCATES] ?? answers.whoEducates) : '';
  rows.push(row('Who provides the education', or(answers.whoEducates === 'someone-else' && answers.someoneElse ? `${who}: ${answers.someoneElse}` : who), q('who-educates'), 'who provides the education'));
  rows.push(row('Time educated by a parent', or(hours(answers.parentHoursPerWeek)), q('parent-hours'), 'the time educated by a parent'));
  const providers = answers.providers ?? [];
  if (providers.length === 0) {
    rows.push(row('Other providers', or(answers.hasProviders === 'no' ? 'None' : ''), q('other-providers'), 'other providers'));
  } else {
    rows.push(
      row(
        providers.length === 1 ? 'Other provider' : 'Other providers',
        { html: providers.map((p) => `${escapeHtml(providerSummary(p))}<br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(p.addressOrWebsite)}</span>`).join('<br>') },
        q('other-providers'),
        'other providers',
      ),
    );
    rows.push(row('Time educated without a parent there', or(hours(answers.hoursWithoutParentPerWeek)), q('time-without-parent'), 'the time educated without a parent there'));
  }
  return rows;
}

/** The reasons a parent may give, as radio items. */
export const REASON_ITEMS = Object.entries(PARENT_EHE_REASONS).map(([value, label]) => ({ value, text: label }));
