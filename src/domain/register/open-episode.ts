import { and, inArray, isNull } from 'drizzle-orm';
import { episodes } from '../../db/schema/index.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';

export interface EpisodeOpening {
  childId: string;
  kind: 'ehe' | 'cme';
  openedOn: string;
  openedBy: 'deletion-return' | 'parent-notification' | 'partner-referral' | 'officer' | 'data-matching';
  sourceId: string | null;
  reason: string | null;
}

/**
 * Opens a home education episode or a missing-education case unless one of that kind is already
 * open for the child, and puts it on the timeline. Every intake channel opens episodes this way.
 */
export async function openEpisodeIfNone(uow: UnitOfWork, opening: EpisodeOpening): Promise<{ id: string; opened: boolean }> {
  const [result] = await openEpisodesIfNone(uow, [opening]);
  if (!result) throw new Error('No episode result');
  return result;
}

/** The same for many children at once, in two queries. */
export async function openEpisodesIfNone(uow: UnitOfWork, openings: readonly EpisodeOpening[]): Promise<{ id: string; opened: boolean }[]> {
  if (openings.length === 0) return [];
  const childIds = [...new Set(openings.map((o) => o.childId))];
  const open = await uow.tx
    .select({ id: episodes.id, childId: episodes.childId, kind: episodes.kind })
    .from(episodes)
    .where(and(inArray(episodes.childId, childIds), isNull(episodes.closedOn)));
  const openByKey = new Map(open.map((e) => [`${e.childId}|${e.kind}`, e.id]));
  const toOpen: EpisodeOpening[] = [];
  for (const opening of openings) {
    const key = `${opening.childId}|${opening.kind}`;
    if (!openByKey.has(key)) {
      openByKey.set(key, '');
      toOpen.push(opening);
    }
  }
  const inserted = toOpen.length
    ? await uow.tx
        .insert(episodes)
        .values(
          toOpen.map((o) => ({
            childId: o.childId,
            kind: o.kind,
            status: o.kind === 'ehe' ? 'notified' : 'identified',
            openedOn: o.openedOn,
            openedBy: o.openedBy,
            sourceId: o.sourceId,
            reason: o.reason,
            createdAt: uow.ctx.now,
            updatedAt: uow.ctx.now,
          })),
        )
        .returning({ id: episodes.id, childId: episodes.childId, kind: episodes.kind })
    : [];
  const openedIds = new Set<string>();
  for (const episode of inserted) {
    openByKey.set(`${episode.childId}|${episode.kind}`, episode.id);
    openedIds.add(episode.id);
    const opening = toOpen.find((o) => o.childId === episode.childId && o.kind === episode.kind)!;
    uow.event({
      type: episode.kind === 'ehe' ? 'ehe-episode.opened' : 'cme-case.opened',
      aggregateType: 'episode',
      aggregateId: episode.id,
      childId: episode.childId,
      summary: episode.kind === 'ehe' ? 'Elective home education episode opened' : 'Child missing education case opened',
      visibility: episode.kind === 'ehe' ? 'family' : 'staff',
      payload: { source: opening.openedBy },
    });
    uow.audit({ action: `${episode.kind}-episode.open`, recordType: 'episode', recordId: episode.id, childId: episode.childId, details: { source: opening.openedBy } });
  }
  return openings.map((o) => {
    const id = openByKey.get(`${o.childId}|${o.kind}`) ?? '';
    return { id, opened: openedIds.has(id) };
  });
}
