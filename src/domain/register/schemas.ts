import { z } from 'zod';
import { isoDate } from '../children/schemas.ts';
import { isValidUpn, normaliseUpn } from '../identifiers/upn.ts';
import { normalisePostcode } from '../identifiers/postcode.ts';
import { isValidUrn } from '../identifiers/school-identifiers.ts';
import { DELETION_GROUND_CODES, EHE_REASON_CODES } from './reference-data.ts';

/**
 * A deletion return, however it arrives (the school's form journey, a CSV row, the API), with the
 * GOV.UK error message for each rule. Empty strings count as not given.
 */
const trimmed = z.string().trim();
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

export const UK_PHONE = /^(?:\+44\s?|0)(?:\d\s?){9,10}$/;

const yesNo = z.preprocess((v) => (v === 'yes' || v === true ? true : v === 'no' || v === false ? false : v), z.boolean({ error: 'Select yes if the school has documented safeguarding concerns' }));

export const deletionReturnSchema = z
  .object({
    schoolUrn: optional(z.string().refine(isValidUrn, 'Enter a real URN, 6 digits like 999101')),
    pupilFirstName: trimmed.min(1, 'Enter the pupil’s first name').max(100, 'First name must be 100 characters or fewer'),
    pupilLastName: trimmed.min(1, 'Enter the pupil’s last name').max(100, 'Last name must be 100 characters or fewer'),
    pupilDateOfBirth: isoDate,
    upn: optional(
      z
        .string()
        .transform((v) => normaliseUpn(v))
        .refine(isValidUpn, 'Enter a real UPN: 13 characters, like A999212345678, with a correct check letter'),
    ),
    parentName: trimmed.min(1, 'Enter the name of the parent the pupil normally lives with').max(200, 'Name must be 200 characters or fewer'),
    parentAddressLine1: trimmed.min(1, 'Enter the first line of the parent’s address').max(200, 'Address line 1 must be 200 characters or fewer'),
    parentTown: trimmed.min(1, 'Enter the town or city').max(100, 'Town or city must be 100 characters or fewer'),
    parentPostcode: trimmed
      .min(1, 'Enter the postcode')
      .refine((v) => normalisePostcode(v) !== null, 'Enter a real postcode, like NZ1 2AB')
      .transform((v) => normalisePostcode(v) ?? v),
    emergencyPhone: trimmed.min(1, 'Enter an emergency telephone number').refine((v) => UK_PHONE.test(v), 'Enter a telephone number, like 01632 960 001 or 07700 900 982'),
    futureAddress: optional(z.string().max(300, 'Future address must be 300 characters or fewer')),
    destinationSchool: optional(z.string().max(200, 'School name must be 200 characters or fewer')),
    destinationStartDate: optional(isoDate),
    ground: z.enum(DELETION_GROUND_CODES as [string, ...string[]], { error: 'Select the ground for deletion' }),
    deletionDate: isoDate,
    eheReason: optional(z.enum(EHE_REASON_CODES as [string, ...string[]], { error: 'Select a reason from the list' })),
    safeguardingConcerns: yesNo,
    concernsDocumentedOn: optional(isoDate),
    concernsDetail: optional(z.string().max(5000, 'Description must be 5,000 characters or fewer')),
  })
  .superRefine((v, ctx) => {
    if (v.safeguardingConcerns) {
      if (!v.concernsDocumentedOn) ctx.addIssue({ code: 'custom', path: ['concernsDocumentedOn'], message: 'Enter the date the concerns were documented' });
      if (!v.concernsDetail) ctx.addIssue({ code: 'custom', path: ['concernsDetail'], message: 'Enter what the school documented' });
    }
    if (v.eheReason && v.ground !== 'f') ctx.addIssue({ code: 'custom', path: ['eheReason'], message: 'Only give a reason for home education for ground f' });
    if (v.destinationStartDate && !v.destinationSchool) ctx.addIssue({ code: 'custom', path: ['destinationSchool'], message: 'Enter the destination school' });
  });

export type DeletionReturnInput = z.input<typeof deletionReturnSchema>;
export type DeletionReturn = z.output<typeof deletionReturnSchema>;
