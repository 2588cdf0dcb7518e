/**
 * Reference lists from the law and the DfE: deletion grounds under the School Attendance (Pupil
 * Registration) (England) Regulations 2024, reg 9(1), and the reasons the DfE collection uses for
 * elective home education.
 */
export const DELETION_GROUNDS = {
  a: 'Registered at another school',
  b: 'Not continuing after nursery',
  c: 'Dual-registered and the other school agrees',
  d: 'School Attendance Order amended to name another school',
  e: 'School Attendance Order revoked',
  f: 'Parent notified the school in writing that the child will be educated otherwise than at school',
  g: 'No longer lives within reasonable distance of the school',
  h: 'Did not return after a leave of absence',
  i: '20 school days’ continuous unauthorised absence',
  j: 'In detention',
  k: 'Died',
  l: 'Over compulsory school age and not continuing',
  m: 'Boarding fees unpaid',
  n: 'Ceased to be a pupil at an independent or non-maintained special school',
  o: 'Permanently excluded',
} as const;

export type DeletionGround = keyof typeof DELETION_GROUNDS;
export const DELETION_GROUND_CODES = Object.keys(DELETION_GROUNDS) as DeletionGround[];

/** Grounds that need joint reasonable enquiries by school and council before deletion. */
export const JOINT_ENQUIRY_GROUNDS: readonly DeletionGround[] = ['h', 'i'];

export const EHE_REASONS = {
  'school-place': 'Waiting for or accessing a school place',
  'not-preferred-school': 'Did not get a school preference',
  'dissatisfied-send': 'Dissatisfaction with school: special educational needs support',
  'dissatisfied-bullying': 'Dissatisfaction with school: bullying',
  'dissatisfied-general': 'Dissatisfaction with school: general',
  'health-concerns': 'Health concerns',
  lifestyle: 'Lifestyle choice',
  'mental-health': 'Mental health',
  'physical-health': 'Physical health',
  philosophical: 'Philosophical or preferential',
  religious: 'Religious reasons',
  'risk-of-exclusion': 'Risk of exclusion',
  'permanent-exclusion': 'Permanent exclusion',
  'school-pressure': 'Suggestion or pressure from the school',
  'no-reason': 'No reason given',
  other: 'Other',
  unknown: 'Unknown',
} as const;

export type EheReason = keyof typeof EHE_REASONS;
export const EHE_REASON_CODES = Object.keys(EHE_REASONS) as EheReason[];
