import type { Transition } from '../register/lifecycles.ts';

/**
 * The children's social care episode as data (Working Together to Safeguard Children 2023): contact
 * or referral → initial enquiries → decision → no further action, signposting, early help, a child
 * and family assessment, or a strategy discussion → section 47 enquiry → initial child protection
 * conference → child protection plan → reviews → step down to a Child in Need plan, early help, or
 * closure. Date and consent guards live in the use cases.
 */
export const SOCIAL_CARE_STATUSES = ['initial-enquiries', 'early-help', 'assessment', 'strategy-discussion', 's47-enquiry', 'cin-plan', 'cp-plan', 'closed'] as const;
export type SocialCareStatus = (typeof SOCIAL_CARE_STATUSES)[number];

export type SocialCareEvent =
  | 'decide-nfa'
  | 'decide-signposting'
  | 'decide-early-help'
  | 'decide-assessment'
  | 'decide-strategy'
  | 'complete-assessment-nfa'
  | 'complete-assessment-signposting'
  | 'complete-assessment-early-help'
  | 'complete-assessment-cin'
  | 'complete-assessment-strategy'
  | 'start-s47'
  | 'strategy-no-s47'
  | 'icpc-plan'
  | 'icpc-no-plan'
  | 'review-cp-plan'
  | 'step-down-cin'
  | 'step-down-early-help'
  | 'review-cin-plan'
  | 'escalate-to-strategy'
  | 'close';

const OPEN: readonly SocialCareStatus[] = SOCIAL_CARE_STATUSES.filter((s) => s !== 'closed');

export const SOCIAL_CARE_TRANSITIONS: readonly Transition<SocialCareStatus, SocialCareEvent>[] = [
  { from: ['initial-enquiries'], event: 'decide-nfa', to: 'closed' },
  { from: ['initial-enquiries'], event: 'decide-signposting', to: 'closed' },
  { from: ['initial-enquiries'], event: 'decide-early-help', to: 'early-help' },
  { from: ['initial-enquiries', 'early-help'], event: 'decide-assessment', to: 'assessment' },
  { from: ['initial-enquiries'], event: 'decide-strategy', to: 'strategy-discussion' },
  { from: ['assessment'], event: 'complete-assessment-nfa', to: 'closed' },
  { from: ['assessment'], event: 'complete-assessment-signposting', to: 'closed' },
  { from: ['assessment'], event: 'complete-assessment-early-help', to: 'early-help' },
  { from: ['assessment'], event: 'complete-assessment-cin', to: 'cin-plan' },
  { from: ['assessment'], event: 'complete-assessment-strategy', to: 'strategy-discussion' },
  { from: ['strategy-discussion'], event: 'start-s47', to: 's47-enquiry' },
  { from: ['strategy-discussion'], event: 'strategy-no-s47', to: 'assessment' },
  { from: ['s47-enquiry'], event: 'icpc-plan', to: 'cp-plan' },
  { from: ['s47-enquiry'], event: 'icpc-no-plan', to: 'cin-plan' },
  { from: ['cp-plan'], event: 'review-cp-plan', to: 'cp-plan' },
  { from: ['cp-plan'], event: 'step-down-cin', to: 'cin-plan' },
  { from: ['cp-plan', 'cin-plan'], event: 'step-down-early-help', to: 'early-help' },
  { from: ['cin-plan'], event: 'review-cin-plan', to: 'cin-plan' },
  { from: ['cin-plan', 'early-help', 'assessment'], event: 'escalate-to-strategy', to: 'strategy-discussion' },
  { from: OPEN, event: 'close', to: 'closed' },
];

/** Section 17 steps need the parents' consent; section 47 steps and child protection plans are not voluntary. */
export const VOLUNTARY_STATUSES: readonly SocialCareStatus[] = ['initial-enquiries', 'early-help', 'assessment', 'cin-plan'];

export const SOCIAL_CARE_STATUS_LABELS: Record<SocialCareStatus, string> = {
  'initial-enquiries': 'Initial enquiries',
  'early-help': 'Early help',
  assessment: 'Child and family assessment',
  'strategy-discussion': 'Strategy discussion',
  's47-enquiry': 'Section 47 enquiry',
  'cin-plan': 'Child in Need plan',
  'cp-plan': 'Child protection plan',
  closed: 'Closed',
};

export const REFERRAL_SOURCES = {
  school: 'School',
  gp: 'GP',
  'health-visitor': 'Health visitor',
  'other-professional': 'Other professional',
  police: 'Police',
  public: 'Neighbour or member of the public',
  'deregistration-policy': 'The council’s own policy on children taken off a school roll',
  'other-council': 'Another council',
  family: 'The family or the child',
} as const;
export type ReferralSource = keyof typeof REFERRAL_SOURCES;

/** Children in Need census reasons for closure. */
export const CLOSURE_REASONS = {
  RC1: 'Adopted',
  RC2: 'Died',
  RC3: 'Child arrangements order',
  RC4: 'Special guardianship order',
  RC5: 'Transferred to services of another local authority',
  RC6: 'Transferred to adult social care',
  RC7: 'Services ceased for any other reason, including the child no longer being in need',
  RC8: 'Case closed after assessment, no further action',
  RC9: 'Case closed after assessment, referred to early help',
} as const;
export type ClosureReason = keyof typeof CLOSURE_REASONS;
