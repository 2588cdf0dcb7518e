import { loadCouncil } from '../../db/repositories/councils.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { parseInput } from '../validation.ts';
import { asFamily, childOfFamily, insertSubmission, type FamilyDeps } from './core.ts';
import { openHomeEducationEpisode } from './notices-education.ts';
import { SUPPORT_KINDS, supportRequestSchema } from './notices-schemas.ts';

/**
 * A parent asks for the support the council offers home educators: advice from an officer, help
 * finding an exam centre, SEN support, local groups, or something else. The request goes to the
 * home education team as a submission with a reference.
 */

export interface SupportOptions {
  councilName: string;
  team: string;
  phone: string;
  email: string;
  website: string;
  children: { childId: string; name: string }[];
}

/** What the support page shows: the team's contact details and the parent's children. */
export async function viewSupportOptions(deps: FamilyDeps, ctx: UseCaseContext): Promise<SupportOptions> {
  return asFamily(deps, ctx, 'family.support.view', async (uow, family) => {
    const council = await loadCouncil(uow.tx);
    const contact = council?.settings.contact;
    uow.audit({ action: 'family.children.list', recordType: 'family', recordId: family.adult.id, childId: null, details: { children: family.children.map((c) => c.childId) } });
    return {
      councilName: council?.name ?? 'The council',
      team: contact?.team ?? 'Elective Home Education Team',
      phone: contact?.phone ?? '',
      email: contact?.email ?? '',
      website: contact?.website ?? '',
      children: family.children.map((c) => ({ childId: c.childId, name: `${c.firstName} ${c.lastName}` })),
    };
  });
}

/** A request for support, about one child or the whole family, for the home education team. */
export async function requestSupport(deps: FamilyDeps, ctx: UseCaseContext, input: unknown): Promise<{ submissionId: string; reference: string }> {
  return asFamily(deps, ctx, 'family.support-request', async (uow, family) => {
    const s = parseInput(supportRequestSchema, input);
    const child = s.childId && s.childId !== 'family' ? childOfFamily(uow, family, s.childId) : null;
    const submission = await insertSubmission(uow, family, {
      kind: 'support-request',
      childId: child?.childId ?? null,
      eheEpisodeId: child ? await openHomeEducationEpisode(uow.tx, child.childId) : null,
      details: {
        lines: [
          { label: 'Support asked for', value: s.kinds.map((k) => SUPPORT_KINDS[k]).join('; ') },
          { label: 'Who it is for', value: child ? `${child.firstName} ${child.lastName}` : 'The whole family' },
          { label: 'More about what would help', value: s.details ?? 'Not given' },
        ],
        kinds: s.kinds,
      },
      summary: 'A parent asked the council for support with home education',
    });
    return { submissionId: submission.id, reference: submission.reference };
  });
}
