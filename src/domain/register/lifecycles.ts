/**
 * The register's lifecycles as data: every status, the events that move an episode on, and where
 * they lead. "What can happen next" is computed from these tables, never written out again.
 */

export interface Transition<S extends string, E extends string> {
  from: readonly S[];
  event: E;
  to: S;
}

export const CME_STATUSES = ['identified', 'enquiries', 'whereabouts-unknown', 'located', 'closed'] as const;
export type CmeStatus = (typeof CME_STATUSES)[number];
export type CmeEvent = 'record-enquiry' | 'mark-whereabouts-unknown' | 'record-located' | 'close-on-admission';

export const CME_TRANSITIONS: readonly Transition<CmeStatus, CmeEvent>[] = [
  { from: ['identified', 'enquiries', 'whereabouts-unknown'], event: 'record-enquiry', to: 'enquiries' },
  { from: ['identified', 'enquiries'], event: 'mark-whereabouts-unknown', to: 'whereabouts-unknown' },
  { from: ['identified', 'enquiries', 'whereabouts-unknown'], event: 'record-located', to: 'located' },
  { from: ['identified', 'enquiries', 'whereabouts-unknown'], event: 'close-on-admission', to: 'closed' },
];

export { EHE_STATUSES, EHE_TRANSITIONS, type EheEvent, type EheStatus } from '../ehe/lifecycle.ts';

/** Statuses after which an episode is over. */
export const CLOSED_STATUSES: readonly string[] = ['located', 'closed'];

/** Where an event takes an episode in a status, or null when the event cannot happen there. */
export function nextStatus<S extends string, E extends string>(table: readonly Transition<S, E>[], status: S, event: E): S | null {
  return table.find((t) => t.event === event && t.from.includes(status))?.to ?? null;
}

/** The events that can happen to an episode in a status. */
export function availableEvents<S extends string, E extends string>(table: readonly Transition<S, E>[], status: S): E[] {
  return table.filter((t) => t.from.includes(status)).map((t) => t.event);
}
