import type { Db } from '../db/client.ts';
import { findCaseNote, findChildById, listAllocatedUsers, listOpenFollowUps, type FollowUpItem } from '../db/repositories/children.ts';
import type { RunInTransaction } from '../db/unit-of-work.ts';
import { SYSTEM_ACTOR, type UseCaseContext } from '../domain/auth/actor.ts';
import type { Notifier } from '../notify/notifier.ts';

export interface JobDeps {
  db: Db;
  runInTransaction: RunInTransaction;
  notifier: Notifier;
  baseUrl: string;
  now: () => Date;
}

function systemContext(deps: JobDeps, correlationId: string): UseCaseContext {
  return { actor: SYSTEM_ACTOR, correlationId, now: deps.now() };
}

/**
 * Tells the workers allocated to a child that a note was added to the child's record. The email
 * names the child only by the council's reference: the detail stays behind sign-in.
 */
export async function notifyAllocatedWorkersOfNote(deps: JobDeps, jobId: string, data: { noteId: string }): Promise<number> {
  return deps.runInTransaction(systemContext(deps, `job:${jobId}`), async (uow) => {
    const note = await findCaseNote(uow.tx, data.noteId);
    if (!note) return 0;
    const child = await findChildById(uow.tx, note.childId);
    if (!child) return 0;
    const recipients = (await listAllocatedUsers(uow.tx, note.childId)).filter((u) => u.id !== note.authorId);
    for (const recipient of recipients) {
      await deps.notifier.sendEmail(uow.tx, {
        to: recipient.email,
        template: 'case-note-added',
        subject: `New case note for child ${child.laChildId}`,
        body: `A case note was added to the record of child ${child.laChildId}, who is allocated to you.\n\nSign in to Cairn to read it: ${deps.baseUrl}/children/${child.id}`,
        reference: `case-note-added:${note.id}:${recipient.id}`,
      });
    }
    uow.audit({
      action: 'notification.case-note-added',
      recordType: 'case_note',
      recordId: note.id,
      childId: note.childId,
      details: { recipients: recipients.map((r) => r.id) },
    });
    return recipients.length;
  });
}

/** Groups open, overdue follow-ups by the worker who owns them. */
export function groupByAuthor(items: readonly FollowUpItem[]): Map<string, FollowUpItem[]> {
  const byAuthor = new Map<string, FollowUpItem[]>();
  for (const item of items) {
    const list = byAuthor.get(item.authorId) ?? [];
    list.push(item);
    byAuthor.set(item.authorId, list);
  }
  return byAuthor;
}

/**
 * The daily digest: each worker with overdue follow-ups gets one email listing them. Runs on a
 * schedule; the reference includes the date so a retried run does not send the same digest twice.
 */
export async function sendOverdueWorkDigests(deps: JobDeps, jobId: string): Promise<number> {
  const ctx = systemContext(deps, `job:${jobId}`);
  const today = ctx.now.toISOString().slice(0, 10);
  const yesterday = new Date(ctx.now.getTime() - 86_400_000).toISOString().slice(0, 10);
  return deps.runInTransaction(ctx, async (uow) => {
    const overdue = await listOpenFollowUps(uow.tx, { dueOnOrBefore: yesterday });
    const byAuthor = groupByAuthor(overdue);
    for (const [authorId, items] of byAuthor) {
      const first = items[0];
      if (!first) continue;
      const lines = items.map((i) => `- child ${i.laChildId}: follow-up was due ${i.followUpBy} (${deps.baseUrl}/children/${i.childId})`);
      await deps.notifier.sendEmail(uow.tx, {
        to: first.authorEmail,
        template: 'overdue-work-digest',
        subject: `You have ${items.length} overdue follow-up${items.length === 1 ? '' : 's'}`,
        body: `Good morning ${first.authorName},\n\nThese follow-ups are overdue:\n\n${lines.join('\n')}\n\nSee all your work: ${deps.baseUrl}/work`,
        reference: `overdue-work-digest:${today}:${authorId}`,
      });
      uow.audit({
        action: 'notification.overdue-work-digest',
        recordType: 'user',
        recordId: authorId,
        childId: null,
        details: { children: [...new Set(items.map((i) => i.childId))], date: today },
      });
    }
    return byAuthor.size;
  });
}
