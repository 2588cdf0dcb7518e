import { z } from 'zod';
import { findChildWithRelationships } from '../../db/repositories/children.ts';
import { loadCouncil } from '../../db/repositories/councils.ts';
import { deleteLetterTemplate, findLetter, findLetterTemplate, listLettersForChild, listLetterTemplateRows, saveLetterTemplate, type CorrespondenceItem, type LetterRow } from '../../db/repositories/letters.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import { MAX_TEMPLATE_LENGTH, renderLetterPdf, renderTemplate, type Letter } from '../../letters/index.ts';
import type { Actor, UseCaseContext } from '../auth/actor.ts';
import { canOnChild, timelineAudienceFor, type PolicySettings } from '../auth/policies.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { checkWording, composeLetter, councilContext, renderSubject } from './compose.ts';
import { isLetterTemplateKey, LETTER_TEMPLATE_KEYS, placeholderNames, SHIPPED_TEMPLATES, type LetterTemplateKey } from './templates.ts';

export interface LetterDeps {
  runInTransaction: RunInTransaction;
  policy: PolicySettings;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// Correspondence on a child's record
// ---------------------------------------------------------------------------------------------

/**
 * Letters hold names, addresses and the council's reasoning about a family, so only council staff
 * who may open the child's record read them. Parents will see their own letters through their own
 * pages; schools see only what the timeline shows them.
 */
async function requireStaffReader(deps: LetterDeps, ctx: UseCaseContext, uow: UnitOfWork, childId: string): Promise<void> {
  const found = await findChildWithRelationships(uow.tx, childId);
  if (!found) throw notFound('The child');
  const staff = timelineAudienceFor(ctx.actor) === 'staff';
  if (!staff || !canOnChild(ctx.actor, 'child.view', found.relationships, ctx.now, deps.policy)) throw forbidden();
}

/** Records a refused attempt in its own transaction, since the refused one rolls back. */
async function withRefusalAudit<T>(deps: LetterDeps, ctx: UseCaseContext, action: string, record: { type: string; id: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'forbidden') {
      await deps.runInTransaction(ctx, async (uow) => {
        uow.audit({ action: `${action}.refused`, recordType: record.type, recordId: record.id, childId: null, details: {} });
      });
    }
    throw error;
  }
}

/** The letters sent about a child, newest first. Audited as a read of the child's record. */
export async function listCorrespondence(deps: LetterDeps, ctx: UseCaseContext, childId: string): Promise<CorrespondenceItem[]> {
  if (!UUID.test(childId)) throw notFound('The child');
  return withRefusalAudit(deps, ctx, 'letter.list', { type: 'child', id: childId }, () =>
    deps.runInTransaction(ctx, async (uow) => {
      await requireStaffReader(deps, ctx, uow, childId);
      const items = await listLettersForChild(uow.tx, childId);
      uow.audit({ action: 'letter.list', recordType: 'child', recordId: childId, childId, details: { letters: items.map((i) => i.id) } });
      return items;
    }),
  );
}

export interface ViewedLetter extends CorrespondenceItem {
  childId: string | null;
  content: Letter;
}

async function readLetter(deps: LetterDeps, ctx: UseCaseContext, letterId: string, action: 'letter.view' | 'letter.download'): Promise<ViewedLetter> {
  if (!UUID.test(letterId)) throw notFound('The letter');
  return withRefusalAudit(deps, ctx, action, { type: 'letter', id: letterId }, () =>
    deps.runInTransaction(ctx, async (uow) => {
      const row = await findLetter(uow.tx, letterId);
      if (!row) throw notFound('The letter');
      if (row.childId === null) {
        if (ctx.actor.role !== 'system') throw forbidden();
      } else {
        await requireStaffReader(deps, ctx, uow, row.childId);
      }
      uow.audit({ action, recordType: 'letter', recordId: row.id, childId: row.childId, details: { reference: row.reference } });
      return viewed(row);
    }),
  );
}

function viewed(row: LetterRow): ViewedLetter {
  return {
    id: row.id,
    childId: row.childId,
    templateKey: row.templateKey,
    recipientName: row.recipientName,
    channel: row.channel,
    emailAddress: row.emailAddress,
    reference: row.reference,
    subject: row.subject,
    status: row.status,
    statusDetail: row.statusDetail,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    content: row.content as Letter,
  };
}

/** One letter as it was sent. Audited as a read of the child's record. */
export async function viewLetter(deps: LetterDeps, ctx: UseCaseContext, letterId: string): Promise<ViewedLetter> {
  return readLetter(deps, ctx, letterId, 'letter.view');
}

/** A file name that is safe in a Content-Disposition header on every platform. */
export function letterFileName(reference: string): string {
  const safe = reference.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `letter-${safe === '' ? 'cairn' : safe}.pdf`;
}

/**
 * The letter as the same PDF that was posted: it is rendered again from the stored letter, with
 * the date it was written as the document's creation date.
 */
export async function letterPdf(deps: LetterDeps, ctx: UseCaseContext, letterId: string): Promise<{ fileName: string; pdf: Buffer }> {
  const letter = await readLetter(deps, ctx, letterId, 'letter.download');
  return { fileName: letterFileName(letter.reference), pdf: await renderLetterPdf(letter.content, { creationDate: letter.createdAt }) };
}

// ---------------------------------------------------------------------------------------------
// Letter templates, for administrators
// ---------------------------------------------------------------------------------------------

/**
 * Only administrators change the council's wording: a letter template speaks for the council in
 * every letter of its kind, so it is a setting of the service rather than casework.
 */
function requireAdministrator(actor: Actor): void {
  if (actor.role !== 'administrator' && actor.role !== 'system') throw forbidden();
}

function templateKey(key: string): LetterTemplateKey {
  if (!isLetterTemplateKey(key)) throw notFound('The letter template');
  return key;
}

/** Each problem with a template, for a GOV.UK error summary with one item per problem. */
export class LetterTemplateProblems extends DomainError {
  readonly problems: readonly { field: 'subject' | 'body'; text: string }[];

  constructor(problems: { field: 'subject' | 'body'; text: string }[]) {
    const fields: Record<string, string> = {};
    for (const problem of problems) fields[problem.field] ??= problem.text;
    super('validation', 'There is a problem', fields);
    this.problems = problems;
  }
}

export interface LetterTemplateSummary {
  key: LetterTemplateKey;
  title: string;
  description: string;
  /** The council has saved its own wording; otherwise the shipped wording is in use. */
  customised: boolean;
  updatedAt: Date | null;
}

export async function listLetterTemplates(deps: LetterDeps, ctx: UseCaseContext): Promise<LetterTemplateSummary[]> {
  requireAdministrator(ctx.actor);
  return deps.runInTransaction(ctx, async (uow) => {
    const saved = new Map((await listLetterTemplateRows(uow.tx)).map((row) => [row.key, row]));
    return LETTER_TEMPLATE_KEYS.map((key) => {
      const row = saved.get(key);
      return { key, title: SHIPPED_TEMPLATES[key].title, description: SHIPPED_TEMPLATES[key].description, customised: row !== undefined, updatedAt: row?.updatedAt ?? null };
    });
  });
}

export interface LetterTemplateDetail extends LetterTemplateSummary {
  subject: string;
  body: string;
  /** The saved wording's version; 0 while the shipped wording is in use. */
  version: number;
  /** The placeholders the template can use, from its sample. */
  placeholders: string[];
}

export async function viewLetterTemplate(deps: LetterDeps, ctx: UseCaseContext, key: string): Promise<LetterTemplateDetail> {
  requireAdministrator(ctx.actor);
  const k = templateKey(key);
  return deps.runInTransaction(ctx, async (uow) => {
    const row = await findLetterTemplate(uow.tx, k);
    const shipped = SHIPPED_TEMPLATES[k];
    return {
      key: k,
      title: shipped.title,
      description: shipped.description,
      customised: row !== undefined,
      updatedAt: row?.updatedAt ?? null,
      subject: row?.subject ?? shipped.subject,
      body: row?.body ?? shipped.body,
      version: row?.version ?? 0,
      placeholders: placeholderNames(shipped.sample),
    };
  });
}

const normaliseLines = (text: string) => text.replace(/\r\n?/g, '\n');

const wordingSchema = z.object({
  subject: z.string().trim().min(1, 'Enter a subject').max(200, 'The subject must be 200 characters or fewer'),
  body: z
    .string()
    .transform(normaliseLines)
    .pipe(z.string().trim().min(1, 'Enter the text of the letter').max(MAX_TEMPLATE_LENGTH, 'The text of the letter must be 20,000 characters or fewer')),
});

const versionSchema = z.object({ version: z.coerce.number({ error: 'The version is missing' }).int().min(0) });

/** Reads and checks a subject and body, raising every problem at once. */
function checkedWording(key: LetterTemplateKey, input: unknown): { subject: string; body: string } {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const parsed = wordingSchema.safeParse({ subject: typeof raw['subject'] === 'string' ? raw['subject'] : '', body: typeof raw['body'] === 'string' ? raw['body'] : '' });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ field: issue.path[0] === 'subject' ? ('subject' as const) : ('body' as const), text: issue.message }));
    throw new LetterTemplateProblems(problems);
  }
  const problems = checkWording(parsed.data.subject, parsed.data.body, SHIPPED_TEMPLATES[key].sample);
  if (problems.length > 0) throw new LetterTemplateProblems(problems);
  return parsed.data;
}

/** A made-up address for the sample recipient, so the preview is laid out like a real letter. */
const SAMPLE_FAMILY_ADDRESS = ['4 Example Row', 'Brackenthwaite', 'NZ1 2AB'];
const SAMPLE_SCHOOL_ADDRESS = ['Brackenthwaite Primary School', 'NZ1 3BP'];

/**
 * The letter the wording would produce, filled in with the template's sample values but under the
 * council's own letterhead and contact details, without saving anything.
 */
export async function previewLetterTemplate(deps: LetterDeps, ctx: UseCaseContext, key: string, input: unknown): Promise<{ letter: Letter }> {
  requireAdministrator(ctx.actor);
  const k = templateKey(key);
  const wording = checkedWording(k, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const sample = SHIPPED_TEMPLATES[k].sample;
    const council = await loadCouncil(uow.tx);
    const context = council ? { ...sample, council: councilContext(council, undefined) } : sample;
    const recipient = (sample['recipient'] as { name: string } | undefined)?.name ?? '';
    const blocks = renderTemplate(wording.body, context);
    const subject = renderSubject(wording.subject, context);
    const date = typeof sample['today'] === 'string' ? sample['today'] : '';
    const recipientBlock = { name: k === 'consent-decision-school' ? 'The Headteacher' : recipient, addressLines: k === 'consent-decision-school' ? SAMPLE_SCHOOL_ADDRESS : SAMPLE_FAMILY_ADDRESS };
    const letter: Letter = council
      ? composeLetter({ council, recipient: recipientBlock, date, reference: 'EHE/SAMPLE/PREVIEW', subject, blocks })
      : {
          council: { name: 'Your council', addressLines: [], phone: '', email: '', website: '' },
          recipient: recipientBlock,
          date,
          reference: 'EHE/SAMPLE/PREVIEW',
          subject,
          blocks,
          signOff: { name: 'Elective Home Education Team', jobTitle: 'Your council' },
        };
    return { letter };
  });
}

/**
 * Saves the council's own wording after checking it against the template's sample, refusing a
 * save made on an out-of-date copy. The audit row records the versions, not the wording.
 */
export async function changeLetterTemplate(deps: LetterDeps, ctx: UseCaseContext, key: string, input: unknown): Promise<{ version: number }> {
  requireAdministrator(ctx.actor);
  const k = templateKey(key);
  const { version } = parseInput(versionSchema, input);
  const wording = checkedWording(k, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const current = (await findLetterTemplate(uow.tx, k))?.version ?? 0;
    if (current !== version) throw staleVersion('letter template');
    const saved = await saveLetterTemplate(uow.tx, k, version, { subject: wording.subject, body: wording.body, updatedBy: ctx.actor.id, updatedAt: ctx.now });
    if (!saved) throw staleVersion('letter template');
    uow.audit({ action: 'letter-template.change', recordType: 'letter_template', recordId: k, childId: null, details: { fromVersion: version, toVersion: saved.version } });
    return { version: saved.version };
  });
}

/** Goes back to the shipped wording by removing the council's own, if it is still the version read. */
export async function resetLetterTemplate(deps: LetterDeps, ctx: UseCaseContext, key: string, input: unknown): Promise<void> {
  requireAdministrator(ctx.actor);
  const k = templateKey(key);
  const { version } = parseInput(versionSchema, input);
  await deps.runInTransaction(ctx, async (uow) => {
    const row = await findLetterTemplate(uow.tx, k);
    if (!row) {
      if (version === 0) return;
      throw staleVersion('letter template');
    }
    if (row.version !== version || !(await deleteLetterTemplate(uow.tx, k, version))) throw staleVersion('letter template');
    uow.audit({ action: 'letter-template.reset', recordType: 'letter_template', recordId: k, childId: null, details: { fromVersion: version } });
  });
}
