import { FIELD_GROUP_LABELS } from '../../../../domain/children/merge.ts';
import type { ChildRecord } from '../../../../domain/children/use-cases.ts';
import { formatDate, formatDateTime } from '../../../setup/nunjucks.ts';
import { paths } from '../../../paths.ts';
import type { CorrespondenceItem } from '../../../../db/repositories/letters.ts';
import { escapeHtml } from '../../../../letters/index.ts';
import { channelLabel, letterStatusTagHtml } from '../../letters/presenter.ts';

const SEX_LABELS: Record<string, string> = { F: 'Female', M: 'Male', U: 'Not known' };

const GROUND_LABELS: Record<string, string> = {
  a: 'registered at another school',
  b: 'not continuing after nursery',
  c: 'dual-registered, other school agrees',
  d: 'School Attendance Order amended',
  e: 'School Attendance Order revoked',
  f: 'parent notified the school of home education',
  g: 'no longer lives within reasonable distance',
  h: 'did not return after leave of absence',
  i: '20 school days’ continuous unauthorised absence',
  j: 'detention',
  k: 'died',
  l: 'over compulsory school age',
  m: 'boarding fees unpaid',
  n: 'ceased to be a pupil at an independent or non-maintained special school',
  o: 'permanently excluded',
};

const MERGE_LABELS: Record<string, string> = FIELD_GROUP_LABELS;
const PROTECTION_LABELS: Record<string, string> = { none: 'None', 's47-enquiry': 'Section 47 enquiries', 'cp-plan': 'Child protection plan' };
const SEN_LABELS: Record<string, string> = { none: 'None recorded', 'sen-support': 'SEN support', ehcp: 'Education, health and care plan' };
const CONTACT_PREFERENCES: Record<string, string> = { any: 'Any way', 'written-only': 'In writing only' };
const SOURCE_LABELS: Record<string, string> = { parent: 'Told by the parent', school: 'From the school', partner: 'From a partner agency', officer: 'Recorded by a council officer' };
const hours = (value: number | null) => (value === null ? '' : `${value} hours a week`);

export function ageOn(dateOfBirth: string, today: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

/** Turns a child's record into the parameters the GOV.UK and MOJ components take. */
export function presentChildRecord(record: ChildRecord, today = new Date()) {
  const c = record.child;
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || 'Not recorded' } });
  return {
    child: c,
    allowed: record.allowed,
    links: { newNote: paths.children.newNote(c.id), changeDetails: paths.children.changeDetails(c.id), admission: paths.children.admission(c.id), education: paths.children.education(c.id), socialCare: paths.children.socialCare(c.id), merge: paths.children.merge(c.id) },
    detailsRows: [
      row('Name', `${c.firstName} ${c.lastName}`),
      row('Known as', c.preferredName ?? ''),
      row('Date of birth', `${formatDate(c.dateOfBirth)} (age ${ageOn(c.dateOfBirth, today)})`),
      row('Sex', SEX_LABELS[c.sex] ?? c.sex),
      ...(c.addressLine1 ? [row('Address', [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', '))] : []),
      row('Council reference', c.laChildId),
      row('UPN', c.upn ?? ''),
      row('NHS number', c.nhsNumber ?? ''),
    ],
    adults: record.adults.map((a) => ({
      name: `${a.firstName} ${a.lastName}`,
      doNotDisclose: a.doNotDiscloseAddress && record.audience === 'staff',
      rows: [
        row('Relationship', a.relationship),
        row('Parental responsibility', a.parentalResponsibility ? 'Yes' : 'No'),
        row('Child lives with them', a.livesWith ? 'Yes' : 'No'),
        row('Provides the child’s education', a.providesEducation ? 'Yes' : 'No'),
        row('Address', a.addressLine1 ? [a.addressLine1, a.town, a.postcode].filter(Boolean).join(', ') : a.doNotDiscloseAddress ? 'Not shown' : ''),
        row('Contact', [a.phone, a.email].filter(Boolean).join(', ') || (a.doNotDiscloseAddress && !a.addressLine1 ? 'Not shown' : '')),
        row('How they want to be contacted', [CONTACT_PREFERENCES[a.contactPreference] ?? a.contactPreference, a.contactFormat, a.contactLanguage].filter(Boolean).join('; ')),
      ],
    })),
    staff: record.staffDetails
      ? {
          rows: [
            row('Special educational needs', SEN_LABELS[c.senStatus] ?? c.senStatus),
            row('Ethnicity', c.ethnicity ?? ''),
            row('Disabilities', c.disabilities ?? ''),
            row('Looked after', c.lookedAfter ? 'Yes' : 'No'),
            row('Child in need', c.childInNeed ? 'Yes' : 'No'),
            row('Child protection', PROTECTION_LABELS[c.protectionStatus] ?? c.protectionStatus),
            row('Former UPN', c.formerUpn ?? ''),
            ...(c.dateOfDeath ? [row('Date of death', formatDate(c.dateOfDeath))] : []),
            ...(record.staffDetails.previousNames.length
              ? [row('Previous names', record.staffDetails.previousNames.map((n) => `${n.firstName} ${n.lastName}${n.usedUntil ? ` (until ${formatDate(n.usedUntil)})` : ''}`).join('; '))]
              : []),
            ...(record.staffDetails.previousAddresses.length
              ? [
                  row(
                    'Previous addresses',
                    record.staffDetails.previousAddresses
                      .map((a) => `${[a.addressLine1, a.addressLine2, a.town, a.postcode].filter(Boolean).join(', ')}${a.livedTo ? ` (${a.livedFrom ? `${formatDate(a.livedFrom)} to ` : 'until '}${formatDate(a.livedTo)})` : ''}`)
                      .join('; '),
                  ),
                ]
              : []),
          ],
          merges: record.staffDetails.merges.map((m) => ({
            undoAction: paths.children.undoMerge(c.id, m.mergeId),
            text: `Merged with ${m.mergedReference} on ${formatDate(m.mergedAt)}: ${m.reason}`,
            provenance: Object.entries(m.provenance)
              .map(([group, from]) => `${MERGE_LABELS[group] ?? group} from ${from === 'merged' ? m.mergedReference : 'this record'}`)
              .join('; '),
          })),
          education: record.staffDetails.education
            ? [
                row('Time educated by parents', hours(record.staffDetails.education.parentHoursPerWeek)),
                row('Time educated by others', hours(record.staffDetails.education.otherHoursPerWeek)),
                row('Source', `${SOURCE_LABELS[record.staffDetails.education.source] ?? record.staffDetails.education.source}, ${formatDate(record.staffDetails.education.recordedAt)}`),
              ]
            : null,
          providerRows: record.staffDetails.providers.map((p) => [
            { text: p.name },
            { text: p.type },
            { text: p.addressOrWebsite },
            { text: hours(p.hoursPerWeek) },
            { text: hours(p.hoursWithoutParentPerWeek) },
            { text: `${SOURCE_LABELS[p.source] ?? p.source}, ${formatDate(p.recordedAt)}` },
          ]),
        }
      : null,
    schoolRows: record.enrolments.map((e) => [
      { text: e.schoolName },
      { text: formatDate(e.startDate) },
      { text: e.endDate ? formatDate(e.endDate) : 'On roll' },
      { text: e.deletionGround ? `(${e.deletionGround}) ${GROUND_LABELS[e.deletionGround] ?? ''}` : '' },
    ]),
    timeline: record.timeline.map((t) => ({
      label: { text: t.summary },
      text: t.noteBody ?? undefined,
      followUp: t.noteFollowUpBy ? `Follow up by ${formatDate(t.noteFollowUpBy)}${t.noteFollowUpDoneAt ? ' (done)' : ''}` : null,
      datetime: { timestamp: t.occurredAt.toISOString(), type: 'datetime' },
      when: formatDateTime(t.occurredAt),
      byline: { text: t.actorLabel },
    })),
  };
}

/** The letters sent about the child, as rows for the correspondence table, each linking to the letter. */
export function presentCorrespondence(items: readonly CorrespondenceItem[]) {
  return items.map((item) => [
    { text: formatDate(item.createdAt) },
    { text: item.recipientName },
    { html: `<a class="govuk-link" href="${escapeHtml(paths.letters.view(item.id))}">${escapeHtml(item.subject)}</a>` },
    { text: channelLabel(item.channel) },
    { html: letterStatusTagHtml(item.status) },
  ]);
}
