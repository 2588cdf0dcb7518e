import { and, eq, isNull } from 'drizzle-orm';
import { episodes } from '../../db/schema/index.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';

export interface EpisodeOpening {
  childId: string;
  kind: 'ehe' | 'cme';
  openedOn: string;
  openedBy: 'deletion-return' | 'parent-notification' | 'partner-referral' | 'officer';
  sourceId: string | null;
  reason: string | null;
}

/**
 * Opens a home education episode or a missing-education case unless one of that kind is already
 * open for the child, and puts it on the timeline. Every intake channel opens episodes this way.
 */
export async function openEpisodeIfNone(uow: UnitOfWork, opening: EpisodeOpening): Promise<{ id: string; opened: boolean }> {
  const [open] = await uow.tx
    .select({ id: episodes.id })
    .from(episodes)
    .where(and(eq(episodes.childId, opening.childId), eq(episodes.kind, opening.kind), isNull(episodes.closedOn)));
  if (open) return { id: open.id, opened: false };
  const [episode] = await uow.tx
    .insert(episodes)
    .values({
      childId: opening.childId,
      kind: opening.kind,
      status: opening.kind === 'ehe' ? 'notified' : 'identified',
      openedOn: opening.openedOn,
      openedBy: opening.openedBy,
      sourceId: opening.sourceId,
      reason: opening.reason,
      createdAt: uow.ctx.now,
      updatedAt: uow.ctx.now,
    })
    .returning();
  if (!episode) throw new Error('Insert returned no row');
  uow.event({
    type: opening.kind === 'ehe' ? 'ehe-episode.opened' : 'cme-case.opened',
    aggregateType: 'episode',
    aggregateId: episode.id,
    childId: opening.childId,
    summary: opening.kind === 'ehe' ? 'Elective home education episode opened' : 'Child missing education case opened',
    visibility: opening.kind === 'ehe' ? 'family' : 'staff',
    payload: { source: opening.openedBy },
  });
  uow.audit({ action: `${opening.kind}-episode.open`, recordType: 'episode', recordId: episode.id, childId: opening.childId, details: { source: opening.openedBy } });
  return { id: episode.id, opened: true };
}
