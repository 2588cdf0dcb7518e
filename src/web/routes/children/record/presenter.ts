import type { ChildRecord } from '../../../../domain/children/use-cases.ts';
import { formatDate, formatDateTime } from '../../../setup/nunjucks.ts';
import { paths } from '../../../paths.ts';

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
    links: { newNote: paths.children.newNote(c.id), changeDetails: paths.children.changeDetails(c.id) },
    detailsRows: [
      row('Name', `${c.firstName} ${c.lastName}`),
      row('Known as', c.preferredName ?? ''),
      row('Date of birth', `${formatDate(c.dateOfBirth)} (age ${ageOn(c.dateOfBirth, today)})`),
      row('Sex', SEX_LABELS[c.sex] ?? c.sex),
      row('Address', [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', ')),
      row('Council reference', c.laChildId),
      row('UPN', c.upn ?? ''),
      row('NHS number', c.nhsNumber ?? ''),
    ],
    adults: record.adults.map((a) => ({
      name: `${a.firstName} ${a.lastName}`,
      relationship: a.relationship,
      parentalResponsibility: a.parentalResponsibility ? 'Yes' : 'No',
      livesWith: a.livesWith ? 'Yes' : 'No',
      contact: [a.phone, a.email].filter(Boolean).join(', '),
    })),
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
