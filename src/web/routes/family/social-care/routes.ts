import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../services.ts';
import { formatLongDate } from '../../../../domain/calendar/index.ts';
import { DomainError } from '../../../../domain/errors.ts';
import { ACCEPTED_UPLOAD_EXTENSIONS, ACCEPTED_UPLOAD_LABELS, MAX_UPLOAD_BYTES, SUBMISSION_KIND_LABELS, type SubmissionKind, type SubmissionRow } from '../../../../domain/family/core.ts';
import { NOT_VOLUNTARY_MESSAGE, type FamilyEpisodeView } from '../../../../domain/family/social-care.ts';
import { renderLetterHtml } from '../../../../letters/index.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../forms.ts';
import { formatDate } from '../../../setup/nunjucks.ts';
import { acceptMultipart, MultipartError, type MultipartBody } from '../../imports/multipart.ts';
import { registerComplaintRoutes } from './complaints/routes.ts';
import { familySocialCarePaths as p } from './paths.ts';
import { registerWithholdRoutes } from './withhold.ts';

type EpisodeRequest = FastifyRequest<{ Params: { episodeId: string }; Querystring: { sent?: string } }>;

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  received: { text: 'Received', classes: 'govuk-tag--blue' },
  acknowledged: { text: 'Acknowledged', classes: 'govuk-tag--light-blue' },
  done: { text: 'Done', classes: 'govuk-tag--green' },
  declined: { text: 'Declined', classes: 'govuk-tag--grey' },
};

/** A submission's status as the family reads it. */
export function submissionStatus(status: string): { text: string; classes: string } {
  return STATUS_TAGS[status] ?? { text: status.charAt(0).toUpperCase() + status.slice(1).replace(/-/g, ' '), classes: 'govuk-tag--grey' };
}

function sentMessage(view: FamilyEpisodeView, sent: string | undefined): string | undefined {
  const submission = sent ? view.submissions.find((s) => s.id === sent) : undefined;
  if (!submission) return undefined;
  const what: Partial<Record<SubmissionKind, string>> = {
    'visit-declined': 'We have told the social worker that you do not agree to a home visit.',
    'assessment-comment': 'Your comments have been added to the assessment.',
    'closure-confirmation-request': 'You have asked for written confirmation that the case is closed.',
    'views-for-meeting': 'Your views have been sent for the meeting.',
  };
  return `${what[submission.kind as SubmissionKind] ?? 'Sent.'} Your reference is ${submission.reference}.`;
}

function submissionRows(submissions: readonly SubmissionRow[]) {
  return submissions.map((s) => {
    const tag = submissionStatus(s.status);
    return [
      { text: formatDate(s.createdAt) },
      { text: SUBMISSION_KIND_LABELS[s.kind as SubmissionKind] ?? s.kind },
      { text: s.reference },
      { html: `<strong class="govuk-tag ${tag.classes}">${escape(tag.text)}</strong>${s.outcome ? `<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">${escape(s.outcome)}</p>` : ''}` },
    ];
  });
}

/** The rights that apply at this stage, in plain words: what is voluntary, what is not, and where to get advice. */
function rightsFor(view: FamilyEpisodeView): { heading: string; paragraphs: string[] } {
  const always = [
    'You can ask for a copy of anything we write about you or your child. You can bring a supportive person, such as a friend or relative, to visits and meetings (for a child protection conference, ask the chair first).',
    'Your child can have an advocate to help them give their views. You can get free, independent advice from a family rights advice service such as Family Rights Group, or from a solicitor; you may be able to get legal aid.',
  ];
  if (view.closed) return { heading: 'Your rights', paragraphs: ['The case is closed. You can ask for written confirmation that it is closed.', ...always] };
  if (view.voluntary) {
    return {
      heading: 'Help under section 17 is voluntary',
      paragraphs: [
        'This help is under section 17 of the Children Act 1989. You do not have to accept it. You can say no to an assessment or a visit, or change your mind later. It is best to tell us in writing, and you can tell us why.',
        'If we think that saying no means we must take further steps to keep your child safe, we will tell you in writing.',
        ...always,
      ],
    };
  }
  return {
    heading: 'Section 47 enquiries and child protection plans are not voluntary',
    paragraphs: [
      'Section 47 of the Children Act 1989 says the council must make enquiries when it has reasonable cause to suspect a child is suffering, or is likely to suffer, significant harm. You cannot say no to these enquiries, and what a child protection plan says must happen is not optional.',
      'This does not mean a decision has been made about your family. Your views and your child’s views are asked for and recorded at every stage, and you are invited to conferences.',
      ...always,
    ],
  };
}

function episodeContext(view: FamilyEpisodeView) {
  return {
    view,
    p,
    childName: `${view.child.firstName} ${view.child.lastName}`,
    backHref: p.episode(view.episode.id),
  };
}

/** The family service's social care pages and complaints, and the social worker's withholding page. */
export function registerSocialCareFamilyRoutes(app: FastifyInstance, services: Services): void {
  app.get(p.list, async (request, reply) => {
    const episodes = await services.listFamilySocialCareEpisodes(request.context());
    return reply.render('family/social-care/list.njk', {
      pageTitle: 'Children’s social care',
      p,
      rows: episodes.map((e) => [
        { html: `<a class="govuk-link" href="${escape(p.episode(e.episodeId))}">${escape(e.childName)}</a>` },
        { text: e.stageLabel },
        { text: formatLongDate(e.referralDate) },
      ]),
    });
  });

  app.get(p.episode(':episodeId'), async (request: EpisodeRequest, reply) => {
    const view = await services.viewFamilySocialCareEpisode(request.context(), request.params.episodeId);
    return reply.render('family/social-care/episode.njk', {
      pageTitle: `Children’s social care: ${view.child.firstName} ${view.child.lastName}`,
      ...episodeContext(view),
      flash: sentMessage(view, request.query.sent),
      rights: rightsFor(view),
      notVoluntaryMessage: NOT_VOLUNTARY_MESSAGE,
      dueRows: view.dueDates.map((d) => ({
        key: { text: d.what },
        value: { html: `${escape(formatLongDate(d.dueOn))}<br><span class="govuk-hint govuk-!-margin-bottom-0">${escape(d.rule)}</span>${d.passed ? `<br><strong class="govuk-tag govuk-tag--red">This date has passed</strong>` : ''}` },
      })),
      anyPassed: view.dueDates.some((d) => d.passed),
      stepRows: view.steps.map((s) => [{ text: formatLongDate(s.date) }, { text: s.label }, { text: s.text }]),
      submissionRows: submissionRows(view.submissions),
      letters: view.letters.map((l) => ({ href: p.letter(view.episode.id, l.id), subject: l.subject, date: formatDate(l.createdAt) })),
      closureAskedOn: view.openClosureRequest ? formatDate(view.openClosureRequest.createdAt) : null,
      closureDueOn: view.openClosureRequest?.dueOn ? formatLongDate(view.openClosureRequest.dueOn) : null,
      meetingDue: view.meeting?.dueOn ? formatLongDate(view.meeting.dueOn) : null,
      complaintHref: `${p.newComplaint}?episodeId=${encodeURIComponent(view.episode.id)}`,
    });
  });

  // Saying no to a visit ---------------------------------------------------------------------------

  const renderDecline = async (request: EpisodeRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null) => {
    const view = await services.viewFamilySocialCareEpisode(request.context(), request.params.episodeId);
    return reply.status(errors ? 400 : 200).render('family/social-care/decline-visit.njk', {
      pageTitle: view.can.declineVisit ? 'Say no to a home visit' : 'You cannot say no to a visit at this stage',
      ...episodeContext(view),
      notVoluntaryMessage: NOT_VOLUNTARY_MESSAGE,
      values,
      errors,
    });
  };
  app.get(p.declineVisit(':episodeId'), (request: EpisodeRequest, reply) => renderDecline(request, reply, {}, null));
  app.post(p.declineVisit(':episodeId'), async (request: EpisodeRequest, reply) => {
    const body = bodyOf(request.body);
    const values = { reason: text(body, 'reason'), preferInstead: text(body, 'preferInstead') };
    try {
      const row = await services.declineSocialCareVisit(request.context(), request.params.episodeId, values);
      return reply.redirect(`${p.episode(request.params.episodeId)}?sent=${row.id}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderDecline(request, reply, values, formErrors(error));
    }
  });

  // The assessment and the family's comments --------------------------------------------------------

  const renderAssessment = async (request: EpisodeRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null) => {
    const view = await services.viewFamilySocialCareEpisode(request.context(), request.params.episodeId);
    const a = view.assessment;
    if (!a) throw new DomainError('not-found', 'The assessment was not found.');
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    return reply.status(errors ? 400 : 200).render('family/social-care/assessment.njk', {
      pageTitle: 'Your child and family assessment',
      ...episodeContext(view),
      assessmentRows: [
        row('Finished on', formatLongDate(a.completedOn)),
        row('Sent to you on', formatLongDate(a.sharedOn)),
        row('What the assessment found', a.summary),
        row(`${view.child.firstName}’s education`, a.educationSection),
        ...(a.servicesOffered ? [row('Help offered', a.servicesOffered)] : []),
        ...(a.outcome ? [row('What happens now', a.outcome)] : []),
      ],
      earlier: view.submissions.filter((s) => s.kind === 'assessment-comment' && s.socialCareStepId === a.stepId).map((s) => ({ date: formatDate(s.createdAt), reference: s.reference, lines: (s.details as { lines?: { label: string; value: string }[] }).lines ?? [] })),
      values,
      errors,
    });
  };
  app.get(p.assessment(':episodeId'), (request: EpisodeRequest, reply) => renderAssessment(request, reply, {}, null));
  app.post(p.assessment(':episodeId'), async (request: EpisodeRequest, reply) => {
    const body = bodyOf(request.body);
    const values = { comments: text(body, 'comments'), childComments: text(body, 'childComments') };
    try {
      const row = await services.commentOnSocialCareAssessment(request.context(), request.params.episodeId, values);
      return reply.redirect(`${p.episode(request.params.episodeId)}?sent=${row.id}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderAssessment(request, reply, values, formErrors(error));
    }
  });

  // Written confirmation that the case is closed ----------------------------------------------------

  const renderClosure = async (request: EpisodeRequest, reply: FastifyReply, errors: FormErrors | null, status = 200) => {
    const view = await services.viewFamilySocialCareEpisode(request.context(), request.params.episodeId);
    return reply.status(status).render('family/social-care/closure-confirmation.njk', {
      pageTitle: 'Ask for written confirmation that the case is closed',
      ...episodeContext(view),
      closedOn: view.episode.closedOn ? formatLongDate(view.episode.closedOn) : null,
      toldOn: view.episode.familyToldOn ? formatLongDate(view.episode.familyToldOn) : null,
      closureAskedOn: view.openClosureRequest ? formatDate(view.openClosureRequest.createdAt) : null,
      closureDueOn: view.openClosureRequest?.dueOn ? formatLongDate(view.openClosureRequest.dueOn) : null,
      errors,
    });
  };
  app.get(p.closureConfirmation(':episodeId'), (request: EpisodeRequest, reply) => renderClosure(request, reply, null));
  app.post(p.closureConfirmation(':episodeId'), async (request: EpisodeRequest, reply) => {
    const body = bodyOf(request.body);
    try {
      const row = await services.askForWrittenClosureConfirmation(request.context(), request.params.episodeId, { version: text(body, 'version') });
      return reply.redirect(`${p.episode(request.params.episodeId)}?sent=${row.id}`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const errors = stale ? { list: [{ text: 'Something changed on this case while you were looking at it. Check the page and try again.', href: '#main-content' }], fields: {} } : formErrors(error);
      return renderClosure(request, reply, errors, stale ? 409 : 400);
    }
  });

  // Views for a meeting, with an optional upload from the child --------------------------------------

  const renderViews = async (request: EpisodeRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null) => {
    const view = await services.viewFamilySocialCareEpisode(request.context(), request.params.episodeId);
    return reply.status(errors ? 400 : 200).render('family/social-care/views.njk', {
      pageTitle: view.meeting ? `Send your views for the ${view.meeting.label.toLowerCase()}` : 'There is no meeting at the moment',
      ...episodeContext(view),
      meetingDue: view.meeting?.dueOn ? formatLongDate(view.meeting.dueOn) : null,
      accept: ACCEPTED_UPLOAD_EXTENSIONS.join(','),
      acceptedLabels: `${ACCEPTED_UPLOAD_LABELS.slice(0, -1).join(', ')} or ${ACCEPTED_UPLOAD_LABELS.at(-1) ?? ''}`,
      values,
      errors,
    });
  };
  app.get(p.views(':episodeId'), (request: EpisodeRequest, reply) => renderViews(request, reply, {}, null));
  void app.register(async (scope) => {
    acceptMultipart(scope, MAX_UPLOAD_BYTES + 256 * 1024);
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The selected file must be smaller than 10MB' : error instanceof MultipartError ? 'The selected file could not be read. Upload it again' : null;
      if (request.session && message) return renderViews(request as EpisodeRequest, reply, {}, formErrors(new DomainError('validation', 'There is a problem', { childFile: message })));
      throw error;
    });
    scope.post(p.views(':episodeId'), async (request: EpisodeRequest, reply) => {
      const body = (request.body ?? {}) as Partial<MultipartBody>;
      const fields = body.fields ?? {};
      const values = { parentViews: fields['parentViews'] ?? '', childViews: fields['childViews'] ?? '' };
      const file = body.files?.['childFile'];
      try {
        const files = file && (file.fileName !== '' || file.data.length > 0) ? [{ fileName: file.fileName, data: new Uint8Array(file.data) }] : [];
        const row = await services.sendSocialCareMeetingViews(request.context(), request.params.episodeId, values, files);
        return reply.redirect(`${p.episode(request.params.episodeId)}?sent=${row.id}`, 303);
      } catch (error) {
        if (!isValidationError(error)) throw error;
        return renderViews(request, reply, values, formErrors(error));
      }
    });
  });

  // Letters -----------------------------------------------------------------------------------------

  app.get<{ Params: { episodeId: string; letterId: string } }>(p.letter(':episodeId', ':letterId'), async (request, reply) => {
    const letter = await services.viewFamilySocialCareLetter(request.context(), request.params.episodeId, request.params.letterId);
    return reply.render('family/social-care/letter.njk', {
      pageTitle: letter.subject,
      p,
      letter,
      written: formatDate(letter.createdAt),
      backHref: p.episode(request.params.episodeId),
      letterHtml: renderLetterHtml(letter.content),
    });
  });

  registerComplaintRoutes(app, services);
  registerWithholdRoutes(app, services);
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
