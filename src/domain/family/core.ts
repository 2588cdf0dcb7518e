import { createHash, randomInt } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, childAdults, children, familyDocuments, familySubmissions } from '../../db/schema/index.ts';
import type { Actor, UseCaseContext } from '../auth/actor.ts';
import type { PolicySettings } from '../auth/policies.ts';
import { DomainError, notFound } from '../errors.ts';

/**
 * The family service's foundation: who the signed-in parent or carer is, which children are theirs,
 * and the submissions (with their documents) they send the council. Every family use case starts
 * with `loadFamily`, so a parent reaches only their own family: another family's child, letter,
 * episode or document is "not found", exactly as if it did not exist, and the attempt is audited.
 */

export interface FamilyDeps {
  runInTransaction: RunInTransaction;
  baseUrl?: string | undefined;
  policy: PolicySettings;
}

export type AdultRow = typeof adults.$inferSelect;
export type SubmissionRow = typeof familySubmissions.$inferSelect;
export type DocumentRow = typeof familyDocuments.$inferSelect;

export interface FamilyChild {
  childId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  relationship: string;
  parentalResponsibility: boolean;
  livesWith: boolean;
}

export interface Family {
  adult: AdultRow;
  children: FamilyChild[];
}

/** The signed-in parent's adult record and children; anyone else is refused. */
export async function loadFamily(tx: Tx, actor: Actor): Promise<Family> {
  if (actor.role !== 'parent' || actor.kind !== 'user' || actor.id === null) throw new DomainError('forbidden', 'This service is for parents and carers.');
  const [adult] = await tx.select().from(adults).where(eq(adults.userId, actor.id)).limit(1);
  if (!adult) throw new DomainError('forbidden', 'Your account is not yet linked to a family. Contact the council to link it.');
  const rows = await tx
    .select({
      childId: children.id,
      firstName: children.firstName,
      lastName: children.lastName,
      dateOfBirth: children.dateOfBirth,
      relationship: childAdults.relationship,
      parentalResponsibility: childAdults.parentalResponsibility,
      livesWith: childAdults.livesWith,
    })
    .from(childAdults)
    .innerJoin(children, eq(children.id, childAdults.childId))
    .where(and(eq(childAdults.adultId, adult.id), isNull(children.mergedInto)))
    .orderBy(children.dateOfBirth);
  return { adult, children: rows };
}

/** One of the family's children, or "not found" (audited) for any other child. */
export function childOfFamily(uow: UnitOfWork, family: Family, childId: string): FamilyChild {
  const child = family.children.find((c) => c.childId === childId);
  if (!child) {
    uow.audit({ action: 'family.child.refused', recordType: 'child', recordId: null, childId: null, details: { asked: childId } });
    throw notFound('The child');
  }
  return child;
}

/**
 * Runs a family use case: loads the family, then the work. A refusal ("not found" for someone else's
 * record) is audited in its own transaction, since the refused one rolls back.
 */
export async function asFamily<T>(deps: FamilyDeps, ctx: UseCaseContext, action: string, work: (uow: UnitOfWork, family: Family) => Promise<T>): Promise<T> {
  try {
    return await deps.runInTransaction(ctx, async (uow) => work(uow, await loadFamily(uow.tx, ctx.actor)));
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'not-found' || error.code === 'forbidden')) {
      await deps.runInTransaction(ctx, async (uow) => {
        uow.audit({ action: `${action}.refused`, recordType: 'family', recordId: null, childId: null, details: { reason: error.code } });
      });
    }
    throw error;
  }
}

const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference a family can read out on the phone: FS- and eight Crockford base-32 characters. */
export function newSubmissionReference(): string {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `FS-${body.slice(0, 4)}-${body.slice(4)}`;
}

export type SubmissionKind =
  | 'home-education-notice'
  | 'change-of-address'
  | 'new-provider'
  | 'enquiry-reply'
  | 'visit-declined'
  | 'meeting-chosen'
  | 'assessment-comment'
  | 'closure-confirmation-request'
  | 'views-for-meeting'
  | 'correction-request'
  | 'support-request'
  | 'complaint';

/** What each kind is called, for the family and for staff. */
export const SUBMISSION_KIND_LABELS: Record<SubmissionKind, string> = {
  'home-education-notice': 'Notice of home education',
  'change-of-address': 'Change of address',
  'new-provider': 'New education provider',
  'enquiry-reply': 'Reply to an enquiry',
  'visit-declined': 'Visit declined',
  'meeting-chosen': 'Meeting chosen',
  'assessment-comment': 'Comments on an assessment',
  'closure-confirmation-request': 'Request for written confirmation of closure',
  'views-for-meeting': 'Views for a meeting',
  'correction-request': 'Request for a correction',
  'support-request': 'Request for support',
  complaint: 'Complaint',
};

/** One line of a submission's readable summary, shown the same way to the family and to staff. */
export interface SummaryLine {
  label: string;
  value: string;
}

export interface NewSubmission {
  kind: SubmissionKind;
  childId?: string | null;
  eheEpisodeId?: string | null;
  eheStepId?: string | null;
  letterId?: string | null;
  socialCareEpisodeId?: string | null;
  socialCareStepId?: string | null;
  /** What the kind records; `lines` is its readable summary ("Your reply": "…"), in the family's words. */
  details: { lines: SummaryLine[] } & Record<string, unknown>;
  status?: string;
  dueOn?: string | null;
  assignedTo?: string | null;
  /** What the child's timeline says; the family sees it too. */
  summary: string;
  /** Who else sees the timeline entry: social care detail stays with social care staff; 'staff' keeps it from the other parent. */
  visibility?: 'social-care' | 'staff' | 'family';
}

/** Records a submission from the family, audited and on the child's timeline, in the caller's transaction. */
export async function insertSubmission(uow: UnitOfWork, family: Family, input: NewSubmission): Promise<SubmissionRow> {
  const [row] = await uow.tx
    .insert(familySubmissions)
    .values({
      reference: newSubmissionReference(),
      kind: input.kind,
      adultId: family.adult.id,
      userId: uow.ctx.actor.id,
      childId: input.childId ?? null,
      eheEpisodeId: input.eheEpisodeId ?? null,
      eheStepId: input.eheStepId ?? null,
      letterId: input.letterId ?? null,
      socialCareEpisodeId: input.socialCareEpisodeId ?? null,
      socialCareStepId: input.socialCareStepId ?? null,
      details: input.details,
      status: input.status ?? 'received',
      dueOn: input.dueOn ?? null,
      assignedTo: input.assignedTo ?? null,
      createdAt: uow.ctx.now,
      updatedAt: uow.ctx.now,
    })
    .returning();
  if (!row) throw new Error('The submission was not saved');
  uow.audit({ action: `family.${input.kind}`, recordType: 'family-submission', recordId: row.id, childId: row.childId, details: { reference: row.reference } });
  uow.event({
    type: `family.${input.kind}`,
    aggregateType: 'family-submission',
    aggregateId: row.id,
    childId: row.childId,
    summary: input.summary,
    visibility: input.visibility ?? 'family',
    payload: { reference: row.reference, kind: input.kind },
  });
  return row;
}

/** The submissions this parent has sent, newest first (another parent's stay with them). */
export async function submissionsOf(tx: Tx, family: Family, filter: { kinds?: readonly SubmissionKind[]; childId?: string } = {}): Promise<SubmissionRow[]> {
  const conditions = [eq(familySubmissions.adultId, family.adult.id)];
  if (filter.kinds && filter.kinds.length > 0) conditions.push(inArray(familySubmissions.kind, [...filter.kinds]));
  if (filter.childId) conditions.push(eq(familySubmissions.childId, filter.childId));
  const rows = await tx.select().from(familySubmissions).where(and(...conditions));
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

// Uploads ---------------------------------------------------------------------------------------

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_UPLOADS_PER_SUBMISSION = 5;

/** The kinds of file a family may send, recognised by their first bytes, not by their name. */
const UPLOAD_TYPES: readonly { mediaType: string; extensions: readonly string[]; label: string; sniff: (data: Uint8Array) => boolean }[] = [
  { mediaType: 'application/pdf', extensions: ['pdf'], label: 'PDF', sniff: (d) => startsWith(d, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPG', sniff: (d) => startsWith(d, [0xff, 0xd8, 0xff]) },
  { mediaType: 'image/png', extensions: ['png'], label: 'PNG', sniff: (d) => startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    label: 'Word document (DOCX)',
    sniff: (d) => startsWith(d, [0x50, 0x4b, 0x03, 0x04]),
  },
  { mediaType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], label: 'OpenDocument text (ODT)', sniff: (d) => startsWith(d, [0x50, 0x4b, 0x03, 0x04]) },
  { mediaType: 'text/plain', extensions: ['txt'], label: 'plain text (TXT)', sniff: (d) => isUtf8Text(d) },
];

/** Named for the error message: "The selected file must be a PDF, JPG, …". */
export const ACCEPTED_UPLOAD_LABELS = UPLOAD_TYPES.map((t) => t.label);
export const ACCEPTED_UPLOAD_EXTENSIONS = UPLOAD_TYPES.flatMap((t) => t.extensions.map((e) => `.${e}`));

function startsWith(data: Uint8Array, prefix: readonly number[]): boolean {
  return data.length >= prefix.length && prefix.every((byte, i) => data[i] === byte);
}

function isUtf8Text(data: Uint8Array): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file name safe to store, show and send back in a download header: no path, no control or
 * reserved characters, no leading dots, at most 100 characters, keeping its extension.
 */
export function sanitiseFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let cleaned = base
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}<>:"|?*%;,=`$'{}[\]]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (cleaned.length > 100) {
    const dot = cleaned.lastIndexOf('.');
    const extension = dot > 0 && cleaned.length - dot <= 6 ? cleaned.slice(dot) : '';
    cleaned = cleaned.slice(0, 100 - extension.length).trimEnd() + extension;
  }
  return cleaned === '' ? 'document' : cleaned;
}

export interface UploadInput {
  fileName: string;
  data: Uint8Array;
}

export interface CheckedUpload {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  data: Uint8Array;
}

/**
 * Checks one uploaded file, or explains in GOV.UK wording what is wrong with it. The type is taken
 * from the file's content and must agree with its extension.
 */
export function checkUpload(file: UploadInput): CheckedUpload | { error: string } {
  const fileName = sanitiseFileName(file.fileName);
  if (file.data.length === 0) return { error: `The selected file ${fileName} is empty` };
  if (file.data.length > MAX_UPLOAD_BYTES) return { error: `The selected file ${fileName} must be smaller than 10MB` };
  const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
  const type = UPLOAD_TYPES.find((t) => t.extensions.includes(extension));
  if (!type || !type.sniff(file.data)) return { error: `The selected file ${fileName} must be a ${ACCEPTED_UPLOAD_LABELS.slice(0, -1).join(', ')} or ${ACCEPTED_UPLOAD_LABELS.at(-1)}` };
  return { fileName, mediaType: type.mediaType, sizeBytes: file.data.length, sha256: createHash('sha256').update(file.data).digest('hex'), data: file.data };
}

/** Stores checked files against a submission, in the caller's transaction. */
export async function attachDocuments(uow: UnitOfWork, family: Family, submission: SubmissionRow, files: readonly CheckedUpload[]): Promise<DocumentRow[]> {
  if (files.length === 0) return [];
  const rows = await uow.tx
    .insert(familyDocuments)
    .values(
      files.map((f) => ({
        submissionId: submission.id,
        childId: submission.childId,
        adultId: family.adult.id,
        fileName: f.fileName,
        mediaType: f.mediaType,
        sizeBytes: f.sizeBytes,
        sha256: f.sha256,
        content: f.data,
        createdAt: uow.ctx.now,
      })),
    )
    .returning();
  uow.audit({
    action: 'family.documents.upload',
    recordType: 'family-submission',
    recordId: submission.id,
    childId: submission.childId,
    details: { documents: rows.map((r) => ({ id: r.id, fileName: r.fileName, sha256: r.sha256, sizeBytes: r.sizeBytes })) },
  });
  return rows;
}
