import { describe, expect, test } from 'vitest';
import { EHE_STATUSES, EHE_TRANSITIONS, type EheEvent, type EheStatus } from '../../src/domain/ehe/lifecycle.ts';
import { CONSENT_STATUSES, CONSENT_TRANSITIONS, type ConsentEvent, type ConsentStatus } from '../../src/domain/ehe/consent.ts';
import { nextStatus } from '../../src/domain/register/lifecycles.ts';

const EVENTS: EheEvent[] = [
  'send-informal-enquiry',
  'record-information',
  'judge-suitable',
  'judge-not-suitable',
  'confirm-judgement',
  'return-judgement',
  'serve-preliminary-notice',
  'serve-s437-notice',
  'record-satisfied',
  'serve-notice-of-intention',
  'record-school-choice',
  'serve-sao',
  'record-sao-complied',
  'revoke-sao',
  'refer-for-prosecution',
  'close',
  'close-on-admission',
];

/** Every transition that may happen; anything not listed must be refused. */
const ALLOWED: Partial<Record<EheStatus, Partial<Record<EheEvent, EheStatus>>>> = {
  notified: { 'send-informal-enquiry': 'enquiry-sent', 'record-information': 'information-received', 'serve-preliminary-notice': 'preliminary-notice-served' },
  'enquiry-sent': { 'record-information': 'information-received', 'serve-preliminary-notice': 'preliminary-notice-served' },
  'information-received': {
    'send-informal-enquiry': 'enquiry-sent',
    'record-information': 'information-received',
    'judge-suitable': 'suitable',
    'judge-not-suitable': 'awaiting-moderation',
    'serve-preliminary-notice': 'preliminary-notice-served',
  },
  'awaiting-moderation': { 'confirm-judgement': 'not-satisfied', 'return-judgement': 'information-received' },
  suitable: { 'send-informal-enquiry': 'enquiry-sent', 'record-information': 'information-received', 'serve-preliminary-notice': 'preliminary-notice-served' },
  'not-satisfied': { 'serve-s437-notice': 's437-notice-served' },
  'preliminary-notice-served': { 'serve-s437-notice': 's437-notice-served', 'record-satisfied': 'suitable' },
  's437-notice-served': { 'record-satisfied': 'suitable', 'serve-notice-of-intention': 'notice-of-intention-served' },
  'notice-of-intention-served': { 'record-satisfied': 'suitable', 'record-school-choice': 'notice-of-intention-served', 'serve-sao': 'sao-served' },
  'sao-served': { 'record-sao-complied': 'closed', 'revoke-sao': 'closed', 'refer-for-prosecution': 'prosecution' },
  prosecution: { 'record-sao-complied': 'closed', 'revoke-sao': 'closed' },
  closed: {},
};

const cases = EHE_STATUSES.flatMap((status) =>
  EVENTS.map((event) => {
    const closing = status !== 'closed' && (event === 'close' || event === 'close-on-admission');
    return [status, event, closing ? 'closed' : (ALLOWED[status]?.[event] ?? null)] as const;
  }),
);

describe('the home education episode lifecycle, as a table', () => {
  test.each(cases)('%s + %s → %s', (status, event, expected) => {
    expect(nextStatus(EHE_TRANSITIONS, status, event)).toBe(expected);
  });

  test('a School Attendance Order can only follow a notice of intention, which can only follow a s437 notice', () => {
    const before = EHE_TRANSITIONS.find((t) => t.event === 'serve-sao')!.from;
    expect(before).toEqual(['notice-of-intention-served']);
    expect(EHE_TRANSITIONS.find((t) => t.event === 'serve-notice-of-intention')!.from).toEqual(['s437-notice-served']);
    expect(EHE_TRANSITIONS.find((t) => t.event === 'serve-s437-notice')!.from).toEqual(['not-satisfied', 'preliminary-notice-served']);
  });
});

const CONSENT_EVENTS: ConsentEvent[] = ['start-consideration', 'record-views', 'grant', 'refuse'];
const CONSENT_ALLOWED: Record<ConsentStatus, Partial<Record<ConsentEvent, ConsentStatus>>> = {
  requested: { 'start-consideration': 'under-consideration' },
  'under-consideration': { 'record-views': 'under-consideration', grant: 'granted', refuse: 'refused' },
  granted: {},
  refused: {},
};

describe('consent to withdraw, as a table', () => {
  test.each(CONSENT_STATUSES.flatMap((s) => CONSENT_EVENTS.map((e) => [s, e, CONSENT_ALLOWED[s][e] ?? null] as const)))('%s + %s → %s', (status, event, expected) => {
    expect(nextStatus(CONSENT_TRANSITIONS, status, event)).toBe(expected);
  });
});
