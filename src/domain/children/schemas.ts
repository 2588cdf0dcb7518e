import { z } from 'zod';
import { normalisePostcode } from '../identifiers/postcode.ts';
import { isValidUpn } from '../identifiers/upn.ts';

/**
 * Input schemas for the child-record use cases, with GOV.UK error wording. The web forms, the JSON
 * API and the OpenAPI document all use these, so a rule is written once.
 */

const trimmed = z.string().trim();
const optionalText = trimmed.transform((v) => (v === '' ? undefined : v)).optional();

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date')
  .refine(isRealDate, 'Enter a real date');

export const childSearchSchema = z
  .object({
    name: optionalText.pipe(z.string().max(100, 'Name must be 100 characters or fewer').optional()),
    dateOfBirth: optionalText.pipe(isoDate.optional()),
    postcode: optionalText.pipe(
      z
        .string()
        .refine((v) => normalisePostcode(v) !== null, 'Enter a real postcode')
        .optional(),
    ),
    upn: optionalText.pipe(
      z
        .string()
        .transform((v) => v.toUpperCase())
        .refine((v) => isValidUpn(v), 'Enter a real UPN, like A999212345678')
        .optional(),
    ),
  })
  .refine((v) => v.name || v.dateOfBirth || v.postcode || v.upn, {
    message: 'Enter a name, date of birth, postcode or UPN',
    path: ['name'],
  });
export type ChildSearchInput = z.input<typeof childSearchSchema>;

export const caseNoteSchema = z.object({
  body: trimmed.min(1, 'Enter the case note').max(5000, 'Case note must be 5,000 characters or fewer'),
  followUpBy: optionalText.pipe(isoDate.optional()),
});
export type CaseNoteInput = z.input<typeof caseNoteSchema>;

export const SEXES = ['F', 'M', 'U'] as const;

export const childDetailsSchema = z.object({
  version: z.coerce.number().int().min(1),
  firstName: trimmed.min(1, 'Enter a first name').max(100, 'First name must be 100 characters or fewer'),
  lastName: trimmed.min(1, 'Enter a last name').max(100, 'Last name must be 100 characters or fewer'),
  preferredName: optionalText.pipe(z.string().max(100, 'Preferred name must be 100 characters or fewer').optional()),
  dateOfBirth: isoDate,
  sex: z.enum(SEXES, { error: 'Select the child’s sex' }),
  addressLine1: trimmed.min(1, 'Enter address line 1').max(200, 'Address line 1 must be 200 characters or fewer'),
  addressLine2: optionalText.pipe(z.string().max(200, 'Address line 2 must be 200 characters or fewer').optional()),
  town: trimmed.min(1, 'Enter a town or city').max(100, 'Town or city must be 100 characters or fewer'),
  postcode: trimmed.min(1, 'Enter a postcode').refine((v) => normalisePostcode(v) !== null, 'Enter a real postcode'),
});
export type ChildDetailsInput = z.input<typeof childDetailsSchema>;

export const PROTECTION_STATUSES = {
  none: 'Not subject to s47 enquiries or a child protection plan',
  's47-enquiry': 'Subject to section 47 enquiries',
  'cp-plan': 'Subject to a child protection plan',
} as const;

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message }).transform((v) => v === 'yes');

export const socialCareStatusSchema = z.object({
  version: z.coerce.number().int().min(1),
  lookedAfter: yesNo('Select whether the child is looked after'),
  childInNeed: yesNo('Select whether the child is a child in need'),
  protectionStatus: z.enum(Object.keys(PROTECTION_STATUSES) as [keyof typeof PROTECTION_STATUSES, ...(keyof typeof PROTECTION_STATUSES)[]], {
    error: 'Select whether the child is subject to section 47 enquiries or a child protection plan',
  }),
});

export const followUpDoneSchema = z.object({ version: z.coerce.number().int().min(1) });
