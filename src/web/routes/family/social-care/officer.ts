import type { EpisodeFamilySubmission } from '../../../../domain/family/social-care-officer.ts';
import { SUBMISSION_KIND_LABELS, type SubmissionKind } from '../../../../domain/family/core.ts';
import type { SocialCareEpisodeView } from '../../../../domain/social-care/use-cases.ts';
import { formatDate } from '../../../setup/nunjucks.ts';
import { familySocialCarePaths as p } from './paths.ts';

/**
 * What the social worker's episode page shows of the family service: prominent notices (a declined
 * visit, a request for written confirmation of closure), a "From the family" table with the files
 * that came with each item, the family's views beside the meeting they were sent for, and whether
 * each step is shown to the family, with the link to withhold it or show it again.
 */

type Step = SocialCareEpisodeView['steps'][number];

const OPEN = ['received', 'acknowledged'];

function line(s: EpisodeFamilySubmission, label: string): string | null {
  return s.details.lines.find((l) => l.label === label)?.value ?? null;
}

/** What the social worker must not miss: a declined visit, and a request for written confirmation not yet answered. */
export function familyNotices(view: SocialCareEpisodeView): string[] {
  const notices: string[] = [];
  for (const s of view.familySubmissions) {
    if (s.kind === 'visit-declined') {
      const reasons = line(s, 'My reasons');
      const instead = line(s, 'What I would prefer instead');
      notices.push(`The family declined a visit on ${formatDate(s.sentOn)} (${s.fromName}, reference ${s.reference}).${reasons ? ` Their reasons: ${reasons}` : ' They gave no reasons.'}${instead ? ` They would prefer: ${instead}` : ''}`);
    }
    if (s.kind === 'closure-confirmation-request' && OPEN.includes(s.status)) {
      notices.push(`${s.fromName} asked for written confirmation that the case is closed on ${formatDate(s.sentOn)} (reference ${s.reference}). Send the letter with “The family asked for written confirmation of closure”.`);
    }
  }
  return notices;
}

/** The family's views for the meeting a step stands for (an initial conference, a plan review). */
export function viewsForStep(view: SocialCareEpisodeView, stepId: string): string {
  return view.familySubmissions
    .filter((s) => s.kind === 'views-for-meeting' && s.socialCareStepId === stepId)
    .map((s) => {
      const parts = s.details.lines.filter((l) => l.label !== 'Meeting').map((l) => `${l.label}: ${l.value}`);
      return `Views from ${s.fromName} for the meeting, sent ${formatDate(s.sentOn)}: ${parts.join('; ')}`;
    })
    .join(' · ');
}

/** Whether the family sees a step, and the link to change it (for those who may). */
export function familyCell(view: SocialCareEpisodeView, step: Step): { html: string } {
  const link = (text: string) => (view.allowed.withhold ? ` <a class="govuk-link" href="${escape(p.withhold(view.episode.id, step.id))}">${text}<span class="govuk-visually-hidden"> (${escape(formatDate(step.startedOn))})</span></a>` : '');
  if (step.withheldFromFamily) return { html: `<strong class="govuk-tag govuk-tag--red">Withheld</strong> ${escape(step.withheldReason ?? '')}${link('Show to the family')}` };
  return { html: `Shown${link('Withhold')}` };
}

/** The "From the family" table: each item's own summary lines, its files, and the link to handle it. */
export function familyRows(view: SocialCareEpisodeView) {
  return view.familySubmissions.map((s) => {
    const details = s.details.lines.map((l) => `<strong>${escape(l.label)}:</strong> ${escape(l.value)}`).join('<br>');
    const documents = s.documents.map((d) => `<a class="govuk-link" href="${escape(p.document(d.id))}">${escape(d.fileName)}</a>`).join('<br>');
    return [
      { text: formatDate(s.sentOn) },
      { text: s.fromName },
      { text: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind },
      { html: `${details}${documents ? `<br>${documents}` : ''}` },
      { html: `<a class="govuk-link" href="${escape(p.familyItem(s.id))}">${escape(s.reference)}</a>` },
    ];
  });
}

/** Everything the episode page needs from the family service, in one spread. */
export function presentFamilyForOfficer(view: SocialCareEpisodeView) {
  return { familyNotices: familyNotices(view), familyRows: familyRows(view) };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
