import { describe, expect, test } from 'vitest';
import { SHIPPED_BANK_HOLIDAYS, WorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import { DEFAULT_COUNCIL_SETTINGS } from '../../src/domain/council/settings.ts';
import { homeConsiderationDueOn, informalEnquiryReplyBy, nextAnnualContactOn, nextProviderUpdateAllowedOn, s437NoticeExpiresOn, schoolChoiceEndsOn } from '../../src/domain/ehe/clocks.ts';

const calendar = new WorkingDayCalendar(SHIPPED_BANK_HOLIDAYS.holidays.map((h) => h.date));
const periods = DEFAULT_COUNCIL_SETTINGS.periods;

describe('home education clocks on the England working-day calendar', () => {
  test.each([
    // posted, deemed served (2nd working day after posting), period ends (15 days on, moved off non-working days)
    ['2026-11-23', '2026-11-25', '2026-12-10'], // an ordinary fortnight
    ['2026-11-27', '2026-12-01', '2026-12-16'], // posted on a Friday: the weekend does not count towards service
    ['2026-12-23', '2026-12-29', '2027-01-13'], // Christmas Day and the Boxing Day substitute (28 December) do not count
    ['2027-03-09', '2027-03-11', '2027-03-30'], // 15 days ends on Good Friday: runs past Easter Monday
    ['2027-12-22', '2027-12-24', '2028-01-10'], // 27 and 28 December 2027 are substitute days; 8 January 2028 is a Saturday
  ])('a section 437(1) notice posted on %s is served on %s and its period ends on %s', (postedOn, servedOn, expiresOn) => {
    expect(s437NoticeExpiresOn(calendar, periods, postedOn)).toEqual({ servedOn, expiresOn });
  });

  test('the council may give a longer notice period, never a shorter one', () => {
    expect(s437NoticeExpiresOn(calendar, { ...periods, s437NoticeDays: 28 }, '2026-11-23').expiresOn).toBe('2026-12-23');
  });

  test.each([
    ['2026-11-23', '2026-12-10'],
    ['2027-03-19', '2027-04-07'], // posted on a Friday before Easter: served on the Tuesday; Easter falls inside the 15 days
  ])('a notice of intention posted on %s leaves the parent until %s to choose a school', (postedOn, choiceEndsOn) => {
    expect(schoolChoiceEndsOn(calendar, periods, postedOn).choiceEndsOn).toBe(choiceEndsOn);
  });

  test.each([
    ['2026-11-23', '2026-12-14'], // 15 working days
    ['2026-12-14', '2027-01-07'], // skips Christmas Day, the Boxing Day substitute and New Year's Day
  ])('an informal enquiry sent on %s asks for a reply by %s', (sentOn, replyBy) => {
    expect(informalEnquiryReplyBy(calendar, periods, sentOn)).toBe(replyBy);
  });

  test.each([
    ['2026-11-27', 12, '2027-11-29'], // a year on is a Saturday: the next working day
    ['2026-12-25', 12, '2027-12-29'], // a year on is Christmas Day 2027 (a Saturday); 27 and 28 are substitute days
    ['2026-06-01', 6, '2026-12-01'],
  ] as const)('a suitable judgement on %s with %i months between contacts schedules the next on %s', (judgedOn, months, due) => {
    expect(nextAnnualContactOn(calendar, { ...periods, annualContactMonths: months }, judgedOn)).toBe(due);
  });

  test('the home is considered within 15 days of registration, and provider updates wait the configured interval', () => {
    expect(homeConsiderationDueOn(calendar, periods, '2027-04-01')).toBe('2027-04-16');
    expect(homeConsiderationDueOn(calendar, periods, '2027-03-11')).toBe('2027-03-30');
    expect(nextProviderUpdateAllowedOn(periods, '2026-11-30')).toBe('2027-02-28');
  });
});
