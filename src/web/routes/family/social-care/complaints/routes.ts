import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../../services.ts';
import { formatLongDate } from '../../../../../domain/calendar/index.ts';
import { COMPLAINT_TOPICS, COMPLAINT_WORKING_DAYS, ESCALATED_COMPLAINT_WORKING_DAYS, type ComplaintView } from '../../../../../domain/family/complaints.ts';
import { DomainError } from '../../../../../domain/errors.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../../forms.ts';
import { formatDate } from '../../../../setup/nunjucks.ts';
import { familySocialCarePaths as p } from '../paths.ts';

type ComplaintRequest = FastifyRequest<{ Params: { submissionId: string }; Querystring: { sent?: string } }>;

const STATUS_CLASSES: Record<string, string> = {
  received: 'govuk-tag--blue',
  acknowledged: 'govuk-tag--light-blue',
  upheld: 'govuk-tag--green',
  'partly-upheld': 'govuk-tag--yellow',
  'not-upheld': 'govuk-tag--grey',
  escalated: 'govuk-tag--purple',
};

const tag = (c: ComplaintView) => ({ text: c.statusLabel, classes: STATUS_CLASSES[c.submission.status] ?? 'govuk-tag--grey' });

/** Complaints and escalation to a team manager, at /family/complaints. */
export function registerComplaintRoutes(app: FastifyInstance, services: Services): void {
  app.get(p.complaints, async (request, reply) => {
    const complaints = await services.listFamilyComplaints(request.context());
    return reply.render('family/social-care/complaints/list.njk', {
      pageTitle: 'Complaints',
      p,
      workingDays: COMPLAINT_WORKING_DAYS,
      rows: complaints.map((c) => {
        const t = tag(c);
        return [
          { html: `<a class="govuk-link" href="${escape(p.complaint(c.submission.id))}">${escape(c.submission.reference)}</a>` },
          { text: c.about },
          { text: formatDate(c.submission.createdAt) },
          { html: `<strong class="govuk-tag ${t.classes}">${escape(t.text)}</strong>` },
        ];
      }),
    });
  });

  const renderNew = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null) => {
    const options = await services.complaintFormOptions(request.context());
    const checked = (name: string, value: string) => values[name] === value;
    return reply.status(errors ? 400 : 200).render('family/social-care/complaints/new.njk', {
      pageTitle: 'Make a complaint',
      p,
      workingDays: COMPLAINT_WORKING_DAYS,
      aboutItems: Object.entries(COMPLAINT_TOPICS).map(([value, label]) => ({ value, text: label, checked: checked('about', value) })),
      childItems: [...options.children.map((c) => ({ value: c.childId, text: c.name, checked: checked('childId', c.childId) })), { divider: 'or' }, { value: 'none', text: 'It is not about one child', checked: checked('childId', 'none') }],
      values,
      errors,
    });
  };
  app.get<{ Querystring: { episodeId?: string } }>(p.newComplaint, async (request, reply) => {
    const episodeId = typeof request.query.episodeId === 'string' ? request.query.episodeId : '';
    if (episodeId) {
      // Starting from a social care case: it is about social care and that child.
      const view = await services.viewFamilySocialCareEpisode(request.context(), episodeId);
      return renderNew(request, reply, { about: 'social-care', childId: view.child.childId, socialCareEpisodeId: view.episode.id }, null);
    }
    return renderNew(request, reply, {}, null);
  });
  app.post(p.newComplaint, async (request, reply) => {
    const body = bodyOf(request.body);
    const values = { about: text(body, 'about'), childId: text(body, 'childId'), whatHappened: text(body, 'whatHappened'), wantedOutcome: text(body, 'wantedOutcome'), socialCareEpisodeId: text(body, 'socialCareEpisodeId') };
    try {
      const row = await services.makeFamilyComplaint(request.context(), values);
      return reply.redirect(`${p.complaint(row.id)}?sent=1`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderNew(request, reply, values, formErrors(error));
    }
  });

  const renderComplaint = async (request: ComplaintRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null, status = 200) => {
    const c = await services.viewFamilyComplaint(request.context(), request.params.submissionId);
    const s = c.submission;
    const lines = ((s.details as { lines?: { label: string; value: string }[] }).lines ?? []).map((l) => ({ key: { text: l.label }, value: { text: l.value } }));
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    const progress = [
      row('Sent', formatDate(s.createdAt)),
      row('Status', c.statusLabel),
      ...(s.acknowledgedOn ? [row('Acknowledged', formatLongDate(s.acknowledgedOn))] : []),
      ...(s.dueOn && !c.hasOutcome ? [row('We will reply by', formatLongDate(s.dueOn))] : []),
      ...(c.firstOutcome ? [row('Outcome at stage 1', `${c.firstOutcome.status}${c.firstOutcome.outcome ? `: ${c.firstOutcome.outcome}` : ''}`)] : []),
      ...(c.hasOutcome ? [row(c.stage === 2 ? 'Outcome at stage 2' : 'Outcome', `${c.statusLabel}${s.outcome ? `: ${s.outcome}` : ''}`)] : []),
      ...(c.hasOutcome && s.handledOn ? [row('Decided on', formatLongDate(s.handledOn))] : []),
    ];
    return reply.status(status).render('family/social-care/complaints/complaint.njk', {
      pageTitle: `Complaint ${s.reference}`,
      p,
      complaint: c,
      statusTag: tag(c),
      sent: request.query.sent === '1' && !errors,
      lines,
      progress,
      stage2Days: ESCALATED_COMPLAINT_WORKING_DAYS,
      replyBy: s.dueOn ? formatLongDate(s.dueOn) : null,
      values,
      errors,
    });
  };
  app.get(p.complaint(':submissionId'), (request: ComplaintRequest, reply) => renderComplaint(request, reply, {}, null));
  app.post(p.escalate(':submissionId'), async (request: ComplaintRequest, reply) => {
    const body = bodyOf(request.body);
    const values = { reason: text(body, 'reason') };
    try {
      await services.escalateFamilyComplaint(request.context(), request.params.submissionId, { version: text(body, 'version'), reason: values.reason });
      return reply.redirect(p.complaint(request.params.submissionId), 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const errors = stale ? { list: [{ text: 'The council has updated your complaint since you opened this page. Check the latest and try again.', href: '#reason' }], fields: {} } : formErrors(error);
      return renderComplaint(request, reply, values, errors, stale ? 409 : 400);
    }
  });
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
