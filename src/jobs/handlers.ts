import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { children, eheSteps, episodes, users } from '../db/schema/index.ts';
import { formatLongDate, todayIn } from '../domain/calendar/index.ts';
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

/**
 * The daily home education digest: each officer gets one email listing the steps on their episodes
 * whose due date has passed (a reply not come, a notice period ended, an annual contact due); steps
 * on unallocated episodes go to the team managers, so nothing waits unseen.
 */
export async function sendHomeEducationDigests(deps: JobDeps, jobId: string): Promise<number> {
  const ctx = systemContext(deps, `job:${jobId}`);
  const today = todayIn(ctx.now);
  return deps.runInTransaction(ctx, async (uow) => {
    const overdue = await uow.tx
      .select({ stepId: eheSteps.id, kind: eheSteps.kind, dueOn: eheSteps.dueOn, episodeId: episodes.id, allocatedTo: episodes.allocatedTo, childId: children.id, laChildId: children.laChildId })
      .from(eheSteps)
      .innerJoin(episodes, eq(episodes.id, eheSteps.episodeId))
      .innerJoin(children, eq(children.id, eheSteps.childId))
      .where(and(eq(eheSteps.status, 'open'), lt(eheSteps.dueOn, today), isNull(episodes.closedOn)))
      .orderBy(asc(eheSteps.dueOn));
    if (overdue.length === 0) return 0;
    const managers = await uow.tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'team_manager'), eq(users.active, true)));
    const byUser = new Map<string, typeof overdue>();
    for (const item of overdue) {
      for (const userId of item.allocatedTo ? [item.allocatedTo] : managers.map((m) => m.id)) byUser.set(userId, [...(byUser.get(userId) ?? []), item]);
    }
    const people = await uow.tx.select({ id: users.id, name: users.displayName, email: users.email }).from(users).where(inArray(users.id, [...byUser.keys()]));
    for (const person of people) {
      const items = byUser.get(person.id) ?? [];
      if (!person.email || items.length === 0) continue;
      const lines = items.map((i) => `- child ${i.laChildId}: ${i.kind.replace(/-/g, ' ')} was due ${formatLongDate(i.dueOn!)} (${deps.baseUrl}/home-education/episodes/${i.episodeId})`);
      await deps.notifier.sendEmail(uow.tx, {
        to: person.email,
        template: 'overdue-work-digest',
        subject: `${items.length} home education step${items.length === 1 ? ' is' : 's are'} overdue`,
        body: `Good morning ${person.name},\n\nThese home education steps are past their due date:\n\n${lines.join('\n')}\n\nSee the worklist: ${deps.baseUrl}/home-education`,
        reference: `home-education-digest:${today}:${person.id}`,
      });
      uow.audit({ action: 'notification.home-education-digest', recordType: 'user', recordId: person.id, childId: null, details: { children: [...new Set(items.map((i) => i.childId))], date: today } });
    }
    return people.length;
  });
}
