import { z } from 'zod';
import { caseNoteSchema, childSearchSchema } from '../../domain/children/schemas.ts';
import { deletionReturnSchema } from '../../domain/register/schemas.ts';
import { homeEducationNotificationSchema, partnerReferralSchema } from '../../domain/register/referrals.ts';

/** Response shapes of the JSON API, written once: they type the handlers and make the OpenAPI document. */
export const childSummarySchema = z.object({
  id: z.uuid(),
  laChildId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.iso.date(),
  postcode: z.string(),
  upn: z.string().nullable(),
});

export const childSearchResponseSchema = z.object({
  results: z.array(childSummarySchema),
  total: z.number().int(),
  limit: z.number().int(),
});

export const childRecordResponseSchema = z.object({
  child: childSummarySchema.extend({
    nhsNumber: z.string().nullable(),
    sex: z.enum(['F', 'M', 'U']),
    address: z.object({ line1: z.string(), line2: z.string().nullable(), town: z.string(), postcode: z.string() }),
    version: z.number().int(),
  }),
  adults: z.array(z.object({ name: z.string(), relationship: z.string(), parentalResponsibility: z.boolean(), livesWith: z.boolean() })),
  enrolments: z.array(z.object({ schoolName: z.string(), urn: z.string(), startDate: z.iso.date(), endDate: z.iso.date().nullable(), deletionGround: z.string().nullable() })),
  timeline: z.array(
    z.object({
      type: z.string(),
      summary: z.string(),
      by: z.string(),
      occurredAt: z.iso.datetime(),
      note: z.object({ id: z.uuid(), body: z.string(), followUpBy: z.iso.date().nullable() }).nullable(),
    }),
  ),
});

export const caseNoteResponseSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  body: z.string(),
  followUpBy: z.iso.date().nullable(),
  createdAt: z.iso.datetime(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  correlationId: z.string(),
  errors: z.record(z.string(), z.string()).optional(),
});

export const searchQuerySchema = childSearchSchema;
export const caseNoteRequestSchema = caseNoteSchema;

export const deletionReturnRequestSchema = deletionReturnSchema;

export const deletionReturnResponseSchema = z.object({
  returnId: z.uuid(),
  childId: z.uuid().nullable(),
  outcome: z.enum(['ehe-episode-opened', 'cme-case-opened', 'held-for-consent', 'recorded', 'awaiting-match']),
  duplicate: z.boolean(),
});

export const referralRequestSchema = partnerReferralSchema;

export const referralResponseSchema = z.object({
  referralId: z.uuid(),
  childId: z.uuid().nullable(),
  outcome: z.enum(['cme-case-opened', 'ehe-episode-opened', 'recorded', 'awaiting-match']),
});

export const homeEducationNotificationRequestSchema = homeEducationNotificationSchema;

const timestamp = z.union([z.date(), z.string()]).transform((v) => (v instanceof Date ? v.toISOString() : v)).pipe(z.string());

export const educationArrangementResponseSchema = z.object({
  id: z.uuid(),
  parentHoursPerWeek: z.number().int().nullable(),
  otherHoursPerWeek: z.number().int().nullable(),
  source: z.string().describe('parent, school, partner or officer'),
  recordedAt: timestamp,
});

export const educationProviderResponseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  addressOrWebsite: z.string(),
  hoursPerWeek: z.number().int().nullable(),
  hoursWithoutParentPerWeek: z.number().int().nullable(),
  endedOn: z.string().nullable(),
  source: z.string(),
  recordedAt: timestamp,
});

export const educationResponseSchema = z.object({
  current: educationArrangementResponseSchema.nullable().describe('The newest statement of time educated'),
  arrangements: z.array(educationArrangementResponseSchema).describe('Every statement, newest first'),
  providers: z.array(educationProviderResponseSchema).describe('Every provider, ended ones included'),
});
