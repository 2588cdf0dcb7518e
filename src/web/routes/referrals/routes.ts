import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UseCaseContext } from '../../../domain/auth/actor.ts';
import { DomainError } from '../../../domain/errors.ts';
import { formatDate } from '../../setup/nunjucks.ts';
import type { Services } from '../../../services.ts';
import { paths } from '../../paths.ts';
import { noticePaths } from '../family/notices/paths.ts';
import { presentCandidates } from '../../match-evidence.ts';
import { REFERRER_TYPES } from '../../../domain/register/referrals.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type FormErrors } from '../../forms.ts';

const OUTCOME_TEXT: Record<string, string> = {
  'cme-case-opened': 'The council has opened a children missing education case and will make enquiries to find out where the child is being educated.',
  'ehe-episode-opened': 'The council has recorded that the child is educated at home.',
  recorded: 'The child is on a school roll. The council has recorded what you told it.',
  'awaiting-match': 'The council will check who the child is against its records.',
};

const referrerItems = (selected: string) => Object.entries(REFERRER_TYPES).map(([value, label]) => ({ value, text: label, checked: value === selected }));

/**
 * Two intake channels besides schools: a partner's referral of a child not known to be in school,
 * and a parent telling the council they home educate.
 */
export function registerReferralRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.referrals.new, async (request, reply) => {
    request.context();
    return reply.render('referrals/referral.njk', {
      pageTitle: 'Refer a child who may not be in school',
      values: {},
      referrerItems: referrerItems(''),
      dateItems: dateInputItems('childDateOfBirth', dateParts(null), false),
    });
  });

  app.post(paths.referrals.new, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const { parts, iso } = readDateInput(body, 'childDateOfBirth');
    const input = {
      referrerType: text(body, 'referrerType'),
      referrerName: text(body, 'referrerName'),
      referrerOrganisation: text(body, 'referrerOrganisation'),
      childFirstName: text(body, 'childFirstName'),
      childLastName: text(body, 'childLastName'),
      childDateOfBirth: iso,
      addressLine1: text(body, 'addressLine1'),
      town: text(body, 'town'),
      postcode: text(body, 'postcode'),
      details: text(body, 'details'),
    };
    try {
      const result = await services.referChildNotInSchool(ctx, input);
      return reply.redirect(`/referrals/sent?outcome=${result.outcome}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const errors = formErrors(error, { childDateOfBirth: 'childDateOfBirth-day', referrerType: 'referrerType' });
      return reply.status(400).render('referrals/referral.njk', {
        pageTitle: 'Refer a child who may not be in school',
        values: input,
        referrerItems: referrerItems(input.referrerType),
        dateItems: dateInputItems('childDateOfBirth', parts, Boolean(errors.fields['childDateOfBirth'])),
        errors,
      });
    }
  });

  const STATUS_TAGS: Record<string, { text: string; colour: string }> = {
    'awaiting-match': { text: 'Awaiting match', colour: 'govuk-tag--yellow' },
    processed: { text: 'Processed', colour: 'govuk-tag--green' },
  };
  const KIND_LABELS: Record<string, string> = { 'partner-referral': 'Partner referral', 'parent-notification': 'Parent’s notification of home education' };

  app.get<{ Querystring: { status?: string } }>(paths.referrals.list, async (request, reply) => {
    const status = request.query.status ?? 'awaiting-match';
    const rows = await services.listReferrals(request.context(), { status: status === 'all' ? undefined : status });
    return reply.render('referrals/list.njk', {
      pageTitle: 'Referrals and notifications',
      status,
      statusItems: [
        { value: 'awaiting-match', text: 'Awaiting match', selected: status === 'awaiting-match' },
        { value: 'processed', text: 'Processed', selected: status === 'processed' },
        { value: 'all', text: 'All', selected: status === 'all' },
      ],
      referrals: rows.map((r) => ({
        href: paths.referrals.view(r.id),
        child: `${r.childFirstName} ${r.childLastName}`,
        kind: KIND_LABELS[r.kind] ?? r.kind,
        from: r.referrerOrganisation ?? r.referrerName,
        received: formatDate(r.createdAt.toISOString().slice(0, 10)),
        status: STATUS_TAGS[r.status] ?? { text: r.status, colour: 'govuk-tag--grey' },
      })),
    });
  });

  async function renderReferral(reply: FastifyReply, ctx: UseCaseContext, referralId: string, errors: FormErrors | null, flash?: string) {
    const view = await services.viewReferral(ctx, referralId);
    const r = view.referral;
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    const presented = presentCandidates(view.candidates, 'referral');
    const candidateItems = presented.items;
    return reply.status(errors ? 400 : 200).render('referrals/view.njk', {
      pageTitle: `Referral for ${r.childFirstName} ${r.childLastName}`,
      view,
      status: STATUS_TAGS[r.status] ?? { text: r.status, colour: 'govuk-tag--grey' },
      rows: [
        row('Type', KIND_LABELS[r.kind] ?? r.kind),
        row('From', [r.referrerName, r.referrerOrganisation, REFERRER_TYPES[r.referrerType as keyof typeof REFERRER_TYPES] ?? (r.referrerType === 'parent' ? 'Parent or carer' : r.referrerType)].filter(Boolean).join(', ')),
        row('Received', formatDate(r.createdAt.toISOString().slice(0, 10))),
        row('Child’s name', `${r.childFirstName} ${r.childLastName}`),
        row('Date of birth', formatDate(r.childDateOfBirth)),
        row('Address', [r.addressLine1, r.town, r.postcode].filter(Boolean).join(', ') || 'Not given'),
        ...(r.homeEducationFrom ? [row('Home educated from', formatDate(r.homeEducationFrom))] : []),
        ...(r.details ? [row('What the referrer said', r.details)] : []),
      ],
      matchItems: [...candidateItems, ...(candidateItems.length ? [{ divider: 'or' }] : []), { value: 'new', text: 'Add a new child from this referral’s details' }],
      matchEvidence: presented.evidence,
      errors,
      flash,
    });
  }

  app.get<{ Params: { referralId: string }; Querystring: { done?: string } }>('/referrals/:referralId', async (request, reply) =>
    renderReferral(reply, request.context(), request.params.referralId, null, request.query.done === 'matched' ? 'Referral matched' : undefined),
  );

  app.post<{ Params: { referralId: string } }>('/referrals/:referralId/match', async (request, reply) => {
    const ctx = request.context();
    const choice = text(bodyOf(request.body), 'match');
    try {
      await services.matchReferral(ctx, request.params.referralId, choice === 'new' ? { create: true } : { childId: choice });
      return reply.redirect(`${paths.referrals.view(request.params.referralId)}?done=matched`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderReferral(reply, ctx, request.params.referralId, formErrors(new DomainError('validation', error.message, { match: Object.values(error.fields)[0] ?? error.message })));
    }
  });

  app.get<{ Querystring: { outcome?: string } }>('/referrals/sent', async (request, reply) => {
    request.context();
    return reply.render('referrals/sent.njk', { pageTitle: 'Referral sent', heading: 'Referral sent', outcome: OUTCOME_TEXT[request.query.outcome ?? ''] ?? '' });
  });

  // Parents now tell the council through the family service, which also asks for the register's
  // items; the old single-page form's addresses lead there.
  app.get(paths.homeEducationNotify, async (_request, reply) => reply.redirect(noticePaths.notify.start, 303));
  app.post(paths.homeEducationNotify, async (_request, reply) => reply.redirect(noticePaths.notify.start, 303));
  app.get('/home-education/notified', async (_request, reply) => reply.redirect(noticePaths.family, 303));
}
