import { describe, expect, test } from 'vitest';
import { SHIPPED_BANK_HOLIDAYS, WorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import { DEFAULT_COUNCIL_SETTINGS } from '../../src/domain/council/settings.ts';
import { SOCIAL_CARE_STATUSES, SOCIAL_CARE_TRANSITIONS, type SocialCareEvent, type SocialCareStatus } from '../../src/domain/social-care/lifecycle.ts';
import { assessmentDueOn, closureNoticeDueOn, icpcDueOn, nextCinReviewDueOn, nextCpReviewDueOn, referralDecisionDueOn } from '../../src/domain/social-care/clocks.ts';
import { nextStatus } from '../../src/domain/register/lifecycles.ts';

const EVENTS = [...new Set(SOCIAL_CARE_TRANSITIONS.map((t) => t.event))] as SocialCareEvent[];

const ALLOWED: Record<SocialCareStatus, Partial<Record<SocialCareEvent, SocialCareStatus>>> = {
  'initial-enquiries': { 'decide-nfa': 'closed', 'decide-signposting': 'closed', 'decide-early-help': 'early-help', 'decide-assessment': 'assessment', 'decide-strategy': 'strategy-discussion', close: 'closed' },
  'early-help': { 'decide-assessment': 'assessment', 'escalate-to-strategy': 'strategy-discussion', close: 'closed' },
  assessment: {
    'complete-assessment-nfa': 'closed',
    'complete-assessment-signposting': 'closed',
    'complete-assessment-early-help': 'early-help',
    'complete-assessment-cin': 'cin-plan',
    'complete-assessment-strategy': 'strategy-discussion',
    'escalate-to-strategy': 'strategy-discussion',
    close: 'closed',
  },
  'strategy-discussion': { 'start-s47': 's47-enquiry', 'strategy-no-s47': 'assessment', close: 'closed' },
  's47-enquiry': { 'icpc-plan': 'cp-plan', 'icpc-no-plan': 'cin-plan', close: 'closed' },
  'cp-plan': { 'review-cp-plan': 'cp-plan', 'step-down-cin': 'cin-plan', 'step-down-early-help': 'early-help', close: 'closed' },
  'cin-plan': { 'review-cin-plan': 'cin-plan', 'step-down-early-help': 'early-help', 'escalate-to-strategy': 'strategy-discussion', close: 'closed' },
  closed: {},
};

describe('the social care episode lifecycle, as a table', () => {
  test.each(SOCIAL_CARE_STATUSES.flatMap((s) => EVENTS.map((e) => [s, e, ALLOWED[s][e] ?? null] as const)))('%s + %s → %s', (status, event, expected) => {
    expect(nextStatus(SOCIAL_CARE_TRANSITIONS, status, event)).toBe(expected);
  });

  test('a child protection plan can only follow a section 47 enquiry, which can only follow a strategy discussion', () => {
    expect(SOCIAL_CARE_TRANSITIONS.filter((t) => t.to === 'cp-plan' && t.event !== 'review-cp-plan').flatMap((t) => t.from)).toEqual(['s47-enquiry']);
    expect(SOCIAL_CARE_TRANSITIONS.filter((t) => t.to === 's47-enquiry').flatMap((t) => t.from)).toEqual(['strategy-discussion']);
  });
});

const calendar = new WorkingDayCalendar(SHIPPED_BANK_HOLIDAYS.holidays.map((h) => h.date));

describe('social care clocks on the England working-day calendar', () => {
  test.each([
    ['2026-11-23', '2026-11-24'],
    ['2026-11-27', '2026-11-30'], // a Friday referral is decided by Monday
    ['2026-12-24', '2026-12-29'], // Christmas Day and the Boxing Day substitute
    ['2027-03-25', '2027-03-30'], // Good Friday and Easter Monday
  ])('a referral on %s needs a decision by %s', (referral, due) => {
    expect(referralDecisionDueOn(calendar, referral)).toBe(due);
  });

  test('an assessment is due within 45 working days of the referral, skipping the bank holidays between', () => {
    expect(assessmentDueOn(calendar, '2026-11-23')).toBe('2027-01-28');
  });

  test('an initial conference is due within 15 working days of the last strategy discussion', () => {
    expect(icpcDueOn(calendar, '2026-12-14')).toBe('2027-01-07');
  });

  test('child protection reviews: 3 months after the conference, then at most 6 months; a due date on a non-working day comes forward', () => {
    expect(nextCpReviewDueOn(calendar, '2026-11-23', true)).toBe('2027-02-23');
    expect(nextCpReviewDueOn(calendar, '2027-02-23', false)).toBe('2027-08-23');
    expect(nextCpReviewDueOn(calendar, '2026-12-28', true)).toBe('2027-03-25'); // 28 March 2027 is Easter Sunday; 26th is Good Friday: Thursday 25th
  });

  test('Child in Need reviews follow the council’s interval, and the family is told of closure within its working days', () => {
    expect(nextCinReviewDueOn(calendar, DEFAULT_COUNCIL_SETTINGS.periods, '2026-11-23')).toBe('2027-02-23');
    expect(closureNoticeDueOn(calendar, DEFAULT_COUNCIL_SETTINGS.periods, '2026-12-14')).toBe('2027-01-14');
  });
});
