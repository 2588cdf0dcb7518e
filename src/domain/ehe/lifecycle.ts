import type { Transition } from '../register/lifecycles.ts';

/**
 * The home education episode as data (Education Act 1996 ss436A–443 and the 2019 guidance):
 * enquiry, information, a judgement moderated before a negative outcome takes effect, then — only
 * where needed — the formal notice, the notice of intention and the School Attendance Order.
 * Guards that depend on dates and evidence live in guards.ts; this table says only what may follow what.
 */
export const EHE_STATUSES = [
  'notified',
  'enquiry-sent',
  'information-received',
  'awaiting-moderation',
  'suitable',
  'not-satisfied',
  'preliminary-notice-served',
  's437-notice-served',
  'notice-of-intention-served',
  'sao-served',
  'prosecution',
  'closed',
] as const;
export type EheStatus = (typeof EHE_STATUSES)[number];

export type EheEvent =
  | 'send-informal-enquiry'
  | 'record-information'
  | 'judge-suitable'
  | 'judge-not-suitable'
  | 'confirm-judgement'
  | 'return-judgement'
  | 'serve-preliminary-notice'
  | 'serve-s437-notice'
  | 'record-satisfied'
  | 'serve-notice-of-intention'
  | 'record-school-choice'
  | 'serve-sao'
  | 'record-sao-complied'
  | 'revoke-sao'
  | 'refer-for-prosecution'
  | 'close'
  | 'close-on-admission';

const OPEN: readonly EheStatus[] = EHE_STATUSES.filter((s) => s !== 'closed');

export const EHE_TRANSITIONS: readonly Transition<EheStatus, EheEvent>[] = [
  { from: ['notified', 'information-received', 'suitable'], event: 'send-informal-enquiry', to: 'enquiry-sent' },
  { from: ['notified', 'enquiry-sent', 'information-received', 'suitable'], event: 'record-information', to: 'information-received' },
  { from: ['information-received'], event: 'judge-suitable', to: 'suitable' },
  { from: ['information-received'], event: 'judge-not-suitable', to: 'awaiting-moderation' },
  { from: ['awaiting-moderation'], event: 'confirm-judgement', to: 'not-satisfied' },
  { from: ['awaiting-moderation'], event: 'return-judgement', to: 'information-received' },
  // 2026 Act: failing to register, or to update provider details when asked, starts the order process.
  { from: ['notified', 'enquiry-sent', 'information-received', 'suitable'], event: 'serve-preliminary-notice', to: 'preliminary-notice-served' },
  { from: ['not-satisfied', 'preliminary-notice-served'], event: 'serve-s437-notice', to: 's437-notice-served' },
  { from: ['preliminary-notice-served', 's437-notice-served', 'notice-of-intention-served'], event: 'record-satisfied', to: 'suitable' },
  { from: ['s437-notice-served'], event: 'serve-notice-of-intention', to: 'notice-of-intention-served' },
  { from: ['notice-of-intention-served'], event: 'record-school-choice', to: 'notice-of-intention-served' },
  { from: ['notice-of-intention-served'], event: 'serve-sao', to: 'sao-served' },
  { from: ['sao-served', 'prosecution'], event: 'record-sao-complied', to: 'closed' },
  { from: ['sao-served', 'prosecution'], event: 'revoke-sao', to: 'closed' },
  { from: ['sao-served'], event: 'refer-for-prosecution', to: 'prosecution' },
  { from: OPEN, event: 'close', to: 'closed' },
  { from: OPEN, event: 'close-on-admission', to: 'closed' },
];

/** While education is judged not suitable the child also counts as missing education. */
export const UNSUITABLE_STATUSES: readonly EheStatus[] = ['not-satisfied', 's437-notice-served', 'notice-of-intention-served', 'sao-served', 'prosecution'];

export const EHE_STATUS_LABELS: Record<EheStatus, string> = {
  notified: 'Notified',
  'enquiry-sent': 'Informal enquiry sent',
  'information-received': 'Information received',
  'awaiting-moderation': 'Judgement awaiting moderation',
  suitable: 'Suitable education',
  'not-satisfied': 'Not satisfied',
  'preliminary-notice-served': 'Preliminary notice served',
  's437-notice-served': 'Section 437 notice served',
  'notice-of-intention-served': 'Notice of intention served',
  'sao-served': 'School Attendance Order served',
  prosecution: 'Referred for prosecution',
  closed: 'Closed',
};

/** What each event is called where an officer chooses it, and in refusals. */
export const EHE_EVENT_LABELS: Record<EheEvent, string> = {
  'send-informal-enquiry': 'Send an informal enquiry',
  'record-information': 'Record information received',
  'judge-suitable': 'Record a suitability judgement',
  'judge-not-suitable': 'Record a suitability judgement',
  'confirm-judgement': 'Moderate the judgement',
  'return-judgement': 'Moderate the judgement',
  'serve-preliminary-notice': 'Serve a preliminary notice',
  'serve-s437-notice': 'Serve a section 437 notice',
  'record-satisfied': 'Record that the council is satisfied',
  'serve-notice-of-intention': 'Serve a notice of intention',
  'record-school-choice': 'Record the parent’s choice of school',
  'serve-sao': 'Serve a School Attendance Order',
  'record-sao-complied': 'Record that the order has been complied with',
  'revoke-sao': 'Revoke the School Attendance Order',
  'refer-for-prosecution': 'Refer for prosecution',
  close: 'Close the episode',
  'close-on-admission': 'Close on admission to a school',
};
