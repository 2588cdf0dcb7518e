import { z } from 'zod';

/**
 * A council's own settings: whether the Children's Wellbeing and Schools Act 2026 register regime is
 * on (and from when), and the periods behind every clock. The law fixes some periods only as
 * minimums and leaves others unconfirmed, so each is configurable; a change applies to steps taken
 * after it, never to steps already on their way.
 */
export const councilSettingsSchema = z.object({
  /** How families reach the council's home education team; printed on every letter. */
  contact: z
    .object({
      team: z.string().max(200).default('Elective Home Education Team'),
      addressLines: z.array(z.string().max(200)).max(6).default([]),
      phone: z.string().max(50).default(''),
      email: z.string().max(200).default(''),
      website: z.string().max(300).default(''),
      /** Children's social care signs its own letters and gives its own contact details. */
      socialCareTeam: z.string().max(200).default('Children’s Social Care'),
      socialCarePhone: z.string().max(50).default(''),
      socialCareEmail: z.string().max(200).default(''),
    })
    .prefault({}),
  registerRegime: z
    .object({
      enabled: z.boolean().default(false),
      /** The day the register duties start for this council. */
      commencesOn: z.iso.date().nullable().default(null),
    })
    .prefault({}),
  periods: z
    .object({
      /** Working days a family is asked to reply to an informal enquiry within (guidance: a reasonable time). */
      informalEnquiryReplyWorkingDays: z.number().int().min(5).max(60).default(15),
      /** s437(1): the period a notice gives a parent to satisfy the council; at least 15 days. */
      s437NoticeDays: z.number().int().min(15).max(90).default(15),
      /** s437(3): the days a parent has to choose a school after a notice of intention. */
      schoolChoiceDays: z.number().int().min(15).max(90).default(15),
      /** Annual contact with home-educating families: months until the next contact. */
      annualContactMonths: z.number().int().min(1).max(24).default(12),
      /** 2026 Act: days after registration within which the home is considered. */
      homeConsiderationDays: z.number().int().min(1).max(90).default(15),
      /** 2026 Act: days a preliminary notice gives a parent to register or update (period unconfirmed). */
      preliminaryNoticeDays: z.number().int().min(1).max(90).default(15),
      /** 2026 Act: provider updates may be requested no more often than this many months. */
      providerUpdateIntervalMonths: z.number().int().min(1).max(24).default(3),
      /** 2026 Act s434A: years after a child protection plan or s47 enquiry ends during which withdrawal still needs consent. */
      consentProtectionLookbackYears: z.number().int().min(0).max(18).default(0),
      /** Working days within which a family must be told that a social care episode has closed. */
      closureNoticeWorkingDays: z.number().int().min(1).max(60).default(20),
      /** Months between Child in Need plan reviews. */
      cinReviewMonths: z.number().int().min(1).max(12).default(3),
    })
    .prefault({}),
});

export type CouncilSettings = z.infer<typeof councilSettingsSchema>;

export const DEFAULT_COUNCIL_SETTINGS: CouncilSettings = councilSettingsSchema.parse({});

/** Reads stored settings, filling in any period added since they were saved. */
export function readCouncilSettings(stored: unknown): CouncilSettings {
  const parsed = councilSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_COUNCIL_SETTINGS;
}

/** Whether the 2026 register regime applies on a day. */
export function registerRegimeInForce(settings: CouncilSettings, today: string): boolean {
  const { enabled, commencesOn } = settings.registerRegime;
  return enabled && commencesOn !== null && commencesOn <= today;
}
