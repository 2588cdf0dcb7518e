import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { adults, familyDocuments, familySubmissions } from '../../db/schema/index.ts';

/**
 * What the family sent about one social care episode, for the social worker's episode page: declined
 * visits, comments on an assessment, requests for written confirmation of closure and views for a
 * meeting, each with who sent it and the files that came with it. Read inside the episode view's own
 * audited transaction.
 */

export interface EpisodeFamilySubmission {
  id: string;
  reference: string;
  kind: string;
  status: string;
  socialCareStepId: string | null;
  details: { lines: { label: string; value: string }[] } & Record<string, unknown>;
  fromName: string;
  sentOn: Date;
  outcome: string | null;
  documents: { id: string; fileName: string; sizeBytes: number }[];
}

/** Everything any parent sent about the episode, oldest first, with who sent it and its files. */
export async function familySubmissionsForEpisode(tx: Tx, episodeId: string): Promise<EpisodeFamilySubmission[]> {
  const rows = await tx
    .select({ s: familySubmissions, firstName: adults.firstName, lastName: adults.lastName })
    .from(familySubmissions)
    .innerJoin(adults, eq(adults.id, familySubmissions.adultId))
    .where(eq(familySubmissions.socialCareEpisodeId, episodeId))
    .orderBy(asc(familySubmissions.createdAt));
  const ids = rows.map((r) => r.s.id);
  const documents =
    ids.length === 0
      ? []
      : await tx
          .select({ id: familyDocuments.id, submissionId: familyDocuments.submissionId, fileName: familyDocuments.fileName, sizeBytes: familyDocuments.sizeBytes })
          .from(familyDocuments)
          .where(inArray(familyDocuments.submissionId, ids))
          .orderBy(asc(familyDocuments.createdAt));
  return rows.map(({ s, firstName, lastName }) => {
    const details = (s.details ?? {}) as Record<string, unknown>;
    const lines = Array.isArray(details['lines']) ? (details['lines'] as { label: string; value: string }[]) : [];
    return {
      id: s.id,
      reference: s.reference,
      kind: s.kind,
      status: s.status,
      socialCareStepId: s.socialCareStepId,
      details: { ...details, lines },
      fromName: `${firstName} ${lastName}`,
      sentOn: s.createdAt,
      outcome: s.outcome,
      documents: documents.filter((d) => d.submissionId === s.id).map(({ id, fileName, sizeBytes }) => ({ id, fileName, sizeBytes })),
    };
  });
}
