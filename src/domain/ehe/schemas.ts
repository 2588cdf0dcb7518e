import { z } from 'zod';
import { isoDate } from '../children/schemas.ts';

/** Inputs to the home education steps, with GOV.UK error messages. */

const version = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1);
const text = (required: string, max: number, label: string) => z.string({ error: required }).trim().min(1, required).max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const optionalText = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`).optional());
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const versionOnlySchema = z.object({ version });

export const INFORMATION_KINDS = {
  'written-report': 'A written report from the parent',
  'samples-of-work': 'Samples of the child’s work',
  meeting: 'A meeting away from the home',
  visit: 'A visit to the home',
  'provider-information': 'Information from another provider (a tutor or online school)',
  'no-response': 'No reply to the informal enquiry',
} as const;
export type InformationKind = keyof typeof INFORMATION_KINDS;

export const OFFER_RESPONSES = { received: 'Received', offered: 'Offered to the family', accepted: 'Accepted by the family', declined: 'Declined by the family' } as const;

export const informationSchema = z
  .object({
    version,
    kind: z.enum(Object.keys(INFORMATION_KINDS) as [InformationKind, ...InformationKind[]], { error: 'Select what was received' }),
    response: z.enum(Object.keys(OFFER_RESPONSES) as [keyof typeof OFFER_RESPONSES, ...(keyof typeof OFFER_RESPONSES)[]], { error: 'Select what happened' }),
    receivedOn: isoDate,
    summary: text('Enter a summary of what was received or agreed', 5000, 'Summary'),
  })
  .superRefine((v, issue) => {
    const offer = v.kind === 'meeting' || v.kind === 'visit';
    if (offer && v.response === 'received') issue.addIssue({ code: 'custom', path: ['response'], message: 'Select whether the meeting or visit was offered, accepted or declined' });
    if (!offer && v.response !== 'received') issue.addIssue({ code: 'custom', path: ['response'], message: 'Select received for a report, samples of work, provider information or no reply' });
  });

export const TEST_ANSWERS = { yes: 'Yes', no: 'No', 'not-known': 'Not known from the evidence' } as const;
export const SEN_ANSWERS = { ...TEST_ANSWERS, 'not-applicable': 'Not applicable: no special educational needs' } as const;
type TestAnswer = keyof typeof TEST_ANSWERS;
type SenAnswer = keyof typeof SEN_ANSWERS;

export const EVIDENCE_KINDS = {
  'written-report': 'Written report',
  'samples-of-work': 'Samples of work',
  meeting: 'Meeting',
  visit: 'Visit',
  'provider-information': 'Information from a provider',
  'no-response': 'No reply to the informal enquiry',
  'visit-declined': 'The family declined a visit',
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

export const OUTCOMES = {
  suitable: 'Suitable: the education meets the legal test',
  'not-suitable': 'Not suitable: the education does not meet the legal test',
  'not-satisfied': 'Not satisfied: the council does not have enough to be satisfied the education is suitable',
} as const;
export type Outcome = keyof typeof OUTCOMES;

const answer = (message: string) => z.enum(Object.keys(TEST_ANSWERS) as [TestAnswer, ...TestAnswer[]], { error: message });

export const judgementSchema = z
  .object({
    version,
    efficient: answer('Select whether the education is efficient'),
    fullTime: answer('Select whether the education is full-time'),
    suitableToAgeAbilityAptitude: answer('Select whether the education is suitable to the child’s age, ability and aptitude'),
    suitableToSen: z.enum(Object.keys(SEN_ANSWERS) as [SenAnswer, ...SenAnswer[]], { error: 'Select whether the education is suitable to any special educational needs' }),
    evidence: list(z.enum(Object.keys(EVIDENCE_KINDS) as [EvidenceKind, ...EvidenceKind[]], { error: 'Select the evidence considered' })).refine((v) => v.length > 0, 'Select the evidence considered'),
    reasoning: text('Enter the reasons for the judgement', 10000, 'Reasons'),
    outcome: z.enum(Object.keys(OUTCOMES) as [Outcome, ...Outcome[]], { error: 'Select the outcome' }),
    familyResponse: optionalText(5000, 'The family’s response'),
    childViews: optionalText(5000, 'The child’s views'),
  })
  .superRefine((v, issue) => {
    const parts = [v.efficient, v.fullTime, v.suitableToAgeAbilityAptitude, v.suitableToSen === 'not-applicable' ? 'yes' : v.suitableToSen];
    if (v.outcome === 'suitable' && parts.some((p) => p !== 'yes'))
      issue.addIssue({ code: 'custom', path: ['outcome'], message: 'Education can only be judged suitable when every part of the test is met' });
    if (v.outcome === 'not-suitable' && !parts.includes('no'))
      issue.addIssue({ code: 'custom', path: ['outcome'], message: 'Say which part of the test the education does not meet before judging it not suitable' });
    if (v.outcome === 'not-satisfied' && parts.every((p) => p === 'yes'))
      issue.addIssue({ code: 'custom', path: ['outcome'], message: 'Every part of the test is met, so the council cannot say it is not satisfied' });
  });

export const moderationSchema = z
  .object({
    version,
    decision: z.enum(['agree', 'disagree'], { error: 'Select whether you agree with the judgement' }),
    note: optionalText(5000, 'Moderation note'),
  })
  .superRefine((v, issue) => {
    if (v.decision === 'disagree' && !v.note) issue.addIssue({ code: 'custom', path: ['note'], message: 'Enter why you do not agree with the judgement' });
  });

export const s437NoticeSchema = z.object({ version, concerns: text('Enter the council’s concerns about the education', 10000, 'Concerns') });

export const satisfiedSchema = z.object({ version, reasons: text('Enter why the council is now satisfied', 10000, 'Reasons') });

export const noticeOfIntentionSchema = z.object({
  version,
  schoolIds: list(z.uuid({ error: 'Select the schools to name' }))
    .refine((v) => v.length > 0, 'Select at least one school to name')
    .refine((v) => v.length <= 4, 'Name no more than 4 schools'),
});

export const schoolChoiceSchema = z.object({ version, schoolId: z.uuid({ error: 'Select the school the parent chose' }), receivedOn: isoDate });

export const saoSchema = z.object({ version, schoolId: z.uuid({ error: 'Select the school the order names' }) });

export const saoCompliedSchema = z.object({ version, startDate: isoDate });

export const reasonsSchema = z.object({ version, reasons: text('Enter the reasons', 10000, 'Reasons') });

export const CLOSE_REASONS = { 'moved-away': 'Moved to another council’s area', 'over-compulsory-school-age': 'Passed compulsory school age' } as const;

export const closeSchema = z
  .object({
    version,
    reason: z.enum(Object.keys(CLOSE_REASONS) as [keyof typeof CLOSE_REASONS, ...(keyof typeof CLOSE_REASONS)[]], { error: 'Select why the episode is closing' }),
    newCouncil: optionalText(200, 'Council name'),
    handOverNotes: optionalText(5000, 'Hand-over notes'),
  })
  .superRefine((v, issue) => {
    if (v.reason === 'moved-away' && !v.newCouncil) issue.addIssue({ code: 'custom', path: ['newCouncil'], message: 'Enter the name of the council the family moved to' });
  });

export const RESPONSE_METHODS = { letter: 'Letter', email: 'Email', meeting: 'At a meeting', phone: 'Phone call', online: 'Online' } as const;

export const familyResponseSchema = z.object({
  stepId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'Select the step this responds to' }).optional()),
  receivedOn: isoDate,
  method: z.enum(Object.keys(RESPONSE_METHODS) as [keyof typeof RESPONSE_METHODS, ...(keyof typeof RESPONSE_METHODS)[]], { error: 'Select how the response came' }),
  summary: text('Enter what the family said', 10000, 'Response'),
});
