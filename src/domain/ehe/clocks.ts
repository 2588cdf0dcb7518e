import { addCalendarDays, addMonths, type IsoDate, type WorkingDayCalendar } from '../calendar/index.ts';
import type { CouncilSettings } from '../council/settings.ts';

/**
 * Every due date in a home education episode, from the council's periods and the working-day
 * calendar for England. Formal notices go by first-class post and are treated as served on the
 * second working day after posting; a period that ends on a weekend or bank holiday runs to the
 * next working day, so a family never loses a day of the time the law gives them.
 */
export const POSTAL_SERVICE_WORKING_DAYS = 2;

type Periods = CouncilSettings['periods'];

export function deemedServedOn(calendar: WorkingDayCalendar, postedOn: IsoDate): IsoDate {
  return calendar.addWorkingDays(postedOn, POSTAL_SERVICE_WORKING_DAYS);
}

/** The last day a period of `days` calendar days from service covers, moved off non-working days. */
function periodEnd(calendar: WorkingDayCalendar, servedOn: IsoDate, days: number): IsoDate {
  return calendar.nextWorkingDayOnOrAfter(addCalendarDays(servedOn, days));
}

/** The date a family is asked to reply to an informal enquiry by. */
export function informalEnquiryReplyBy(calendar: WorkingDayCalendar, periods: Periods, sentOn: IsoDate): IsoDate {
  return calendar.addWorkingDays(sentOn, periods.informalEnquiryReplyWorkingDays);
}

/** s437(1): the parent has until this day to satisfy the council. */
export function s437NoticeExpiresOn(calendar: WorkingDayCalendar, periods: Periods, postedOn: IsoDate): { servedOn: IsoDate; expiresOn: IsoDate } {
  const servedOn = deemedServedOn(calendar, postedOn);
  return { servedOn, expiresOn: periodEnd(calendar, servedOn, periods.s437NoticeDays) };
}

/** s437(3): the parent may choose a school until this day. */
export function schoolChoiceEndsOn(calendar: WorkingDayCalendar, periods: Periods, postedOn: IsoDate): { servedOn: IsoDate; choiceEndsOn: IsoDate } {
  const servedOn = deemedServedOn(calendar, postedOn);
  return { servedOn, choiceEndsOn: periodEnd(calendar, servedOn, periods.schoolChoiceDays) };
}

/** The next contact with a family whose education is suitable: about a year on, configurable. */
export function nextAnnualContactOn(calendar: WorkingDayCalendar, periods: Periods, judgedOn: IsoDate): IsoDate {
  return calendar.nextWorkingDayOnOrAfter(addMonths(judgedOn, periods.annualContactMonths));
}

/** 2026 Act: the council considers the child's home within this many days of registration. */
export function homeConsiderationDueOn(calendar: WorkingDayCalendar, periods: Periods, registeredOn: IsoDate): IsoDate {
  return periodEnd(calendar, registeredOn, periods.homeConsiderationDays);
}

/** 2026 Act: provider details may be requested again no sooner than this. */
export function nextProviderUpdateAllowedOn(periods: Periods, lastRequestedOn: IsoDate): IsoDate {
  return addMonths(lastRequestedOn, periods.providerUpdateIntervalMonths);
}
