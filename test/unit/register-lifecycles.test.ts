import { describe, expect, test } from 'vitest';
import { CME_STATUSES, CME_TRANSITIONS, EHE_TRANSITIONS, availableEvents, nextStatus, type CmeEvent, type CmeStatus } from '../../src/domain/register/lifecycles.ts';

const EVENTS: readonly CmeEvent[] = ['record-enquiry', 'mark-whereabouts-unknown', 'record-located', 'close-on-admission'];

/** Every status × event, written out: where the event takes the case, or null when it is refused. */
const EXPECTED: Record<CmeStatus, Record<CmeEvent, CmeStatus | null>> = {
  identified: { 'record-enquiry': 'enquiries', 'mark-whereabouts-unknown': 'whereabouts-unknown', 'record-located': 'located', 'close-on-admission': 'closed' },
  enquiries: { 'record-enquiry': 'enquiries', 'mark-whereabouts-unknown': 'whereabouts-unknown', 'record-located': 'located', 'close-on-admission': 'closed' },
  'whereabouts-unknown': { 'record-enquiry': 'enquiries', 'mark-whereabouts-unknown': null, 'record-located': 'located', 'close-on-admission': 'closed' },
  located: { 'record-enquiry': null, 'mark-whereabouts-unknown': null, 'record-located': null, 'close-on-admission': null },
  closed: { 'record-enquiry': null, 'mark-whereabouts-unknown': null, 'record-located': null, 'close-on-admission': null },
};

const CASES = CME_STATUSES.flatMap((status) => EVENTS.map((event) => [status, event, EXPECTED[status][event]] as const));

describe('the child missing education lifecycle', () => {
  test.each(CASES)('%s + %s → %s', (status, event, expected) => {
    expect(nextStatus(CME_TRANSITIONS, status, event)).toBe(expected);
  });

  test.each(CME_STATUSES)('the events offered in %s are exactly those that lead somewhere', (status) => {
    expect(availableEvents(CME_TRANSITIONS, status).sort()).toEqual(EVENTS.filter((e) => EXPECTED[status][e] !== null).sort());
  });

  test('a home education episode closes on admission, once', () => {
    expect(nextStatus(EHE_TRANSITIONS, 'notified', 'close-on-admission')).toBe('closed');
    expect(nextStatus(EHE_TRANSITIONS, 'closed', 'close-on-admission')).toBeNull();
  });
});
