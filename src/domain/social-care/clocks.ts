import { addCalendarDays, addMonths, type IsoDate, type WorkingDayCalendar } from '../calendar/index.ts';
import type { CouncilSettings } from '../council/settings.ts';

/**
 * Social care clocks (Working Together to Safeguard Children 2023), on the England working-day
 * calendar: a decision within 1 working day of the referral, an assessment within 45 working days
 * of it, an initial child protection conference within 15 working days of the last strategy
 * discussion, the first review within 3 months of the conference and then at most every 6 months,
 * Child in Need reviews at the council's interval, and the family told of a closure within the
 * council's number of working days.
 */
export const DECISION_WORKING_DAYS = 1;
export const ASSESSMENT_WORKING_DAYS = 45;
export const ICPC_WORKING_DAYS = 15;
export const FIRST_CP_REVIEW_MONTHS = 3;
export const LATER_CP_REVIEW_MONTHS = 6;
/** Agencies are asked to answer an information request within this many working days. */
export const INFORMATION_REQUEST_WORKING_DAYS = 3;

type Periods = CouncilSettings['periods'];

export const referralDecisionDueOn = (calendar: WorkingDayCalendar, referralDate: IsoDate) => calendar.addWorkingDays(referralDate, DECISION_WORKING_DAYS);
export const assessmentDueOn = (calendar: WorkingDayCalendar, referralDate: IsoDate) => calendar.addWorkingDays(referralDate, ASSESSMENT_WORKING_DAYS);
export const icpcDueOn = (calendar: WorkingDayCalendar, lastStrategyDiscussionOn: IsoDate) => calendar.addWorkingDays(lastStrategyDiscussionOn, ICPC_WORKING_DAYS);
export const informationRequestDueOn = (calendar: WorkingDayCalendar, requestedOn: IsoDate) => calendar.addWorkingDays(requestedOn, INFORMATION_REQUEST_WORKING_DAYS);
export const closureNoticeDueOn = (calendar: WorkingDayCalendar, periods: Periods, closedOn: IsoDate) => calendar.addWorkingDays(closedOn, periods.closureNoticeWorkingDays);

/** The next child protection review: 3 months after the initial conference, then 6 months after each review. */
export function nextCpReviewDueOn(calendar: WorkingDayCalendar, lastMeetingOn: IsoDate, isFirst: boolean): IsoDate {
  const due = addMonths(lastMeetingOn, isFirst ? FIRST_CP_REVIEW_MONTHS : LATER_CP_REVIEW_MONTHS);
  // "Within" a period: a due date on a non-working day comes forward, never later.
  let day = due;
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}

export function nextCinReviewDueOn(calendar: WorkingDayCalendar, periods: Periods, lastReviewOn: IsoDate): IsoDate {
  let day = addMonths(lastReviewOn, periods.cinReviewMonths);
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}
