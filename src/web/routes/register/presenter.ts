import type { EpisodeListItem, EpisodeView, WorklistName } from '../../../domain/register/episodes.ts';
import { EHE_STATUS_LABELS, UNSUITABLE_STATUSES } from '../../../domain/ehe/lifecycle.ts';
import { ENQUIRY_METHODS, LOCATED_PLACES, WORKLISTS } from '../../../domain/register/episodes.ts';
import { CME_STATUSES, EHE_STATUSES } from '../../../domain/register/lifecycles.ts';
import { EHE_REASONS } from '../../../domain/register/reference-data.ts';
import { formatDate } from '../../setup/nunjucks.ts';
import { paths } from '../../paths.ts';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const KIND_LABELS: Record<string, string> = { cme: 'Child missing education', ehe: 'Elective home education' };

export const STATUS_LABELS: Record<string, string> = {
  ...EHE_STATUS_LABELS,
  identified: 'Identified',
  enquiries: 'Enquiries under way',
  'whereabouts-unknown': 'Whereabouts unknown',
  located: 'Located',
  closed: 'Closed',
  notified: 'Notified',
};

const STATUS_COLOURS: Record<string, string> = {
  // Home education judged not suitable: the child also counts as missing education.
  ...Object.fromEntries(UNSUITABLE_STATUSES.map((status) => [status, 'govuk-tag--red'])),
  'enquiry-sent': 'govuk-tag--light-blue',
  'information-received': 'govuk-tag--light-blue',
  'awaiting-moderation': 'govuk-tag--yellow',
  suitable: 'govuk-tag--green',
  identified: 'govuk-tag--blue',
  enquiries: 'govuk-tag--yellow',
  'whereabouts-unknown': 'govuk-tag--red',
  located: 'govuk-tag--green',
  closed: 'govuk-tag--grey',
  notified: 'govuk-tag--light-blue',
};

export const CME_REASON_LABELS: Record<string, string> = {
  h: 'Did not return after a leave of absence (ground h)',
  i: '20 school days’ continuous unauthorised absence (ground i)',
  'unknown-destination': 'Left with no known destination',
  'unknown-child': 'Not known to any school',
};

export function reasonLabel(reason: string | null): string {
  if (!reason) return 'Not recorded';
  return CME_REASON_LABELS[reason] ?? EHE_REASONS[reason as keyof typeof EHE_REASONS] ?? reason;
}

export function statusTag(status: string) {
  return { text: STATUS_LABELS[status] ?? status, classes: STATUS_COLOURS[status] ?? '' };
}

const tagHtml = (status: string) => {
  const tag = statusTag(status);
  return `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`;
};

/** The register table and its filter form. */
export function presentEpisodeList(items: EpisodeListItem[], options: { schools: { urn: string; name: string }[]; officers: { id: string; name: string }[] }, filter: Record<string, string | undefined>) {
  const select = (values: [string, string][], current: string | undefined, anyText: string) => [{ value: '', text: anyText }, ...values.map(([value, text]) => ({ value, text, selected: value === current }))];
  return {
    rows: items.map((i) => [
      { html: `<a class="govuk-link" href="${paths.register.episode(i.id)}">${escapeHtml(i.childName)}</a>` },
      { text: i.kind === 'cme' ? 'CME' : 'EHE' },
      { html: tagHtml(i.status) },
      { text: formatDate(i.openedOn) },
      { text: String(i.daysMissing), format: 'numeric' },
      { text: i.schoolName ?? 'Not known' },
      { text: reasonLabel(i.reason) },
      { text: i.allocatedToName ?? 'Unallocated' },
      { text: i.lastEnquiryOn ? formatDate(i.lastEnquiryOn) : 'None' },
    ]),
    filters: {
      kind: select(Object.entries(KIND_LABELS), filter['kind'], 'Any kind'),
      status: select(
        [...new Set([...CME_STATUSES, ...EHE_STATUSES])].map((s) => [s, STATUS_LABELS[s] ?? s]),
        filter['status'],
        'Any status',
      ),
      school: select(options.schools.map((s) => [s.urn, s.name]), filter['school'], 'Any school'),
      reason: select([...Object.entries(CME_REASON_LABELS), ...Object.entries(EHE_REASONS)], filter['reason'], 'Any reason'),
      officer: select([['unallocated', 'Unallocated'], ...options.officers.map((o): [string, string] => [o.id, o.name])], filter['officer'], 'Any officer'),
    },
    worklists: Object.entries(WORKLISTS).map(([name, text]) => ({ href: paths.register.worklist(name), text })),
  };
}

export function worklistTitle(name: WorklistName): string {
  return WORKLISTS[name];
}

const ACTIONS: Record<string, { text: string; href: (id: string) => string; secondary: boolean }> = {
  'record-enquiry': { text: 'Record an enquiry', href: paths.register.newEnquiry, secondary: false },
  'record-located': { text: 'Record where the child was found', href: paths.register.located, secondary: true },
  'mark-whereabouts-unknown': { text: 'Mark whereabouts unknown', href: paths.register.whereaboutsUnknown, secondary: true },
};

type Outcome = {
  escalation?: { police?: { referredOn?: string; reference?: string }; childrensSocialCare?: { referredOn?: string; reference?: string } };
  located?: { where?: string; schoolName?: string; councilName?: string; laNumber?: string; handOverDate?: string; contact?: string };
};

/** The case page: who, how long missing, what has been done and what can happen next. */
export function presentEpisode(view: EpisodeView) {
  const e = view.episode;
  const c = view.child;
  const outcome = (e.outcome && typeof e.outcome === 'object' ? e.outcome : {}) as Outcome;
  const row = (key: string, value: string, html = false) => ({ key: { text: key }, value: html ? { html: value } : { text: value || 'Not recorded' } });
  const rows = [
    row('Child', `<a class="govuk-link" href="${paths.children.record(c.id)}">${escapeHtml(`${c.firstName} ${c.lastName}`)}</a>`, true),
    row('Date of birth', formatDate(c.dateOfBirth)),
    row('Council reference', c.laChildId),
    row(e.kind === 'cme' ? 'Identified on' : 'Notified on', formatDate(e.openedOn)),
    row('Reason', reasonLabel(e.reason)),
    row('School', view.school ? `${view.school.name} (URN ${view.school.urn})` : 'Not known'),
    {
      ...row('Allocated to', view.allocatedToName ?? 'Unallocated'),
      ...(view.allowed.act && !e.closedOn ? { actions: { items: [{ href: paths.register.allocate(e.id), text: 'Change', visuallyHiddenText: 'allocated officer' }] } } : {}),
    },
  ];
  const police = outcome.escalation?.police;
  const social = outcome.escalation?.childrensSocialCare;
  if (police) rows.push(row('Referred to the police', `${formatDate(police.referredOn)}, reference ${police.reference ?? ''}`));
  if (social) rows.push(row('Referred to children’s social care', `${formatDate(social.referredOn)}, reference ${social.reference ?? ''}`));
  const located = outcome.located;
  if (located?.where) rows.push(row('Found', LOCATED_PLACES[located.where as keyof typeof LOCATED_PLACES] ?? located.where));
  if (located?.where === 'moved-away') {
    rows.push(row('Handed over to', `${located.councilName ?? ''} (LA ${located.laNumber ?? ''}) on ${formatDate(located.handOverDate)}`));
    rows.push(row('Contact at the new council', located.contact ?? ''));
  }
  if (e.closedOn) rows.push(row('Closed on', formatDate(e.closedOn)), row('Why it closed', e.closeReason ?? ''));
  const actions = [
    ...(e.kind === 'ehe' ? [{ text: 'Open the home education case', href: paths.homeEducation.episode(e.id), classes: '' }] : []),
    ...(view.allowed.act
      ? view.availableEvents.flatMap((event) => {
          const action = ACTIONS[event];
          return action ? [{ text: action.text, href: action.href(e.id), classes: action.secondary ? 'govuk-button--secondary' : '' }] : [];
        })
      : []),
  ];
  return {
    episode: e,
    child: c,
    kindLabel: KIND_LABELS[e.kind] ?? e.kind,
    tag: statusTag(e.status),
    daysMissing: view.daysMissing,
    isCme: e.kind === 'cme',
    jointWithSchool: view.jointWithSchool,
    closesOnAdmission: view.availableEvents.includes('close-on-admission'),
    rows,
    actions,
    enquiryRows: view.enquiries.map((q) => [
      { text: formatDate(q.madeOn) },
      { text: q.withWhom },
      { text: q.methodLabel },
      { text: q.jointWithSchool ? 'Yes' : 'No' },
      { text: q.outcome },
      { text: q.recordedByName },
    ]),
  };
}

export const METHOD_ITEMS = Object.entries(ENQUIRY_METHODS).map(([value, text]) => ({ value, text }));
