import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { canGlobally, timelineAudienceFor } from '../../../domain/auth/policies.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { PROTECTION_STATUSES } from '../../../domain/children/schemas.ts';
import { presentChildRecord, presentCorrespondence } from './record/presenter.ts';
import { registerEducationRoutes } from './education/routes.ts';

const yesNoItems = (selected: string) => [
  { value: 'yes', text: 'Yes', checked: selected === 'yes' },
  { value: 'no', text: 'No', checked: selected === 'no' },
];

const DONE_MESSAGES: Record<string, string> = {
  'note-added': 'Case note added',
  'details-changed': 'Details changed',
  admitted: 'Admission recorded',
  education: 'Education details saved',
  'social-care': 'Social care status saved',
};

/** Find a child, open their record, add a case note, change their details. */
export function registerChildRoutes(app: FastifyInstance, services: Services) {
  registerEducationRoutes(app, services);
  app.get(paths.children.search, async (request, reply) => {
    const ctx = request.context();
    const query = bodyOf(request.query);
    const { parts, iso } = readDateInput(query, 'dateOfBirth');
    const input = { name: text(query, 'name'), dateOfBirth: iso, postcode: text(query, 'postcode'), upn: text(query, 'upn') };
    const searched = Object.keys(query).length > 0;
    let outcome: Awaited<ReturnType<Services['searchChildren']>> | null = null;
    let errors = null;
    if (searched) {
      try {
        outcome = await services.searchChildren(ctx, input);
      } catch (error) {
        if (!isValidationError(error)) throw error;
        errors = formErrors(error, { dateOfBirth: 'dateOfBirth-day' });
      }
    } else if (!canGlobally(ctx.actor, 'child.search')) {
      throw new DomainError('forbidden', 'You do not have access to this.');
    }
    return reply.status(errors ? 400 : 200).render('children/search/search.njk', {
      pageTitle: 'Find a child',
      values: input,
      dateItems: dateInputItems('dateOfBirth', parts, Boolean(errors?.fields['dateOfBirth'])),
      errors,
      outcome,
    });
  });

  app.get<{ Params: { childId: string }; Querystring: { done?: string } }>('/children/:childId', async (request, reply) => {
    // Letters are for council staff only; anyone else sees no correspondence section at all. They
    // are read first so the record's own read stays the last audit row of the request.
    const ctx = request.context();
    const letters = timelineAudienceFor(ctx.actor) === 'staff' ? await services.listCorrespondence(ctx, request.params.childId) : null;
    const record = await services.viewChildRecord(ctx, request.params.childId);
    const done = request.query.done ? DONE_MESSAGES[request.query.done] : undefined;
    const correspondence = letters && record.audience === 'staff' ? presentCorrespondence(letters) : null;
    return reply.render('children/record/record.njk', { pageTitle: `${record.child.firstName} ${record.child.lastName}`, flash: done, ...presentChildRecord(record), correspondence });
  });

  app.get<{ Params: { childId: string } }>('/children/:childId/notes/new', async (request, reply) => {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.addNote) throw new DomainError('forbidden', 'You do not have access to this.');
    return reply.render('children/notes/new-note.njk', {
      pageTitle: 'Add a case note',
      child: record.child,
      values: { body: '' },
      dateItems: dateInputItems('followUpBy', dateParts(null), false),
    });
  });

  app.post<{ Params: { childId: string } }>('/children/:childId/notes/new', async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const { parts, iso } = readDateInput(body, 'followUpBy');
    const input = { body: text(body, 'body'), followUpBy: iso };
    try {
      await services.addCaseNote(ctx, request.params.childId, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=note-added`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const record = await services.viewChildRecord(ctx, request.params.childId);
      const errors = formErrors(error, { followUpBy: 'followUpBy-day' });
      return reply.status(400).render('children/notes/new-note.njk', {
        pageTitle: 'Add a case note',
        child: record.child,
        values: input,
        dateItems: dateInputItems('followUpBy', parts, Boolean(errors.fields['followUpBy'])),
        errors,
      });
    }
  });

  app.get<{ Params: { childId: string } }>('/children/:childId/admission', async (request, reply) => {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.edit) throw new DomainError('forbidden', 'You do not have access to this.');
    return reply.render('children/admission/admission.njk', { pageTitle: 'Record a school admission', child: record.child, values: {}, dateItems: dateInputItems('startDate', dateParts(null), false) });
  });

  app.post<{ Params: { childId: string } }>('/children/:childId/admission', async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const { parts, iso } = readDateInput(body, 'startDate');
    const input = { childId: request.params.childId, schoolUrn: text(body, 'schoolUrn').trim() || undefined, startDate: iso };
    try {
      await services.recordAdmission(ctx, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=admitted`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const record = await services.viewChildRecord(ctx, request.params.childId);
      const errors = formErrors(error, { startDate: 'startDate-day' });
      return reply.status(400).render('children/admission/admission.njk', {
        pageTitle: 'Record a school admission',
        child: record.child,
        values: { schoolUrn: input.schoolUrn ?? '' },
        dateItems: dateInputItems('startDate', parts, Boolean(errors.fields['startDate'])),
        errors,
      });
    }
  });

  const socialCareItems = (values: Record<string, string>) => ({
    lookedAfter: yesNoItems(values['lookedAfter'] ?? ''),
    childInNeed: yesNoItems(values['childInNeed'] ?? ''),
    protectionStatus: Object.entries(PROTECTION_STATUSES).map(([value, label]) => ({ value, text: label, checked: values['protectionStatus'] === value })),
  });
  const socialCareValues = (c: { version: number; lookedAfter: boolean; childInNeed: boolean; protectionStatus: string }) => ({
    version: String(c.version),
    lookedAfter: c.lookedAfter ? 'yes' : 'no',
    childInNeed: c.childInNeed ? 'yes' : 'no',
    protectionStatus: c.protectionStatus,
  });

  app.get<{ Params: { childId: string } }>('/children/:childId/social-care', async (request, reply) => {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.editSocialCare) throw new DomainError('forbidden', 'You do not have access to this.');
    const values = socialCareValues(record.child);
    return reply.render('children/social-care/social-care.njk', { pageTitle: 'Change social care status', child: record.child, values, items: socialCareItems(values) });
  });

  app.post<{ Params: { childId: string } }>('/children/:childId/social-care', async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const input = { version: text(body, 'version'), lookedAfter: text(body, 'lookedAfter'), childInNeed: text(body, 'childInNeed'), protectionStatus: text(body, 'protectionStatus') };
    try {
      await services.changeSocialCareStatus(ctx, request.params.childId, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=social-care`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const record = await services.viewChildRecord(ctx, request.params.childId);
      const values = stale ? socialCareValues(record.child) : { ...input, version: input.version };
      const errors = stale ? { list: [{ text: error.message, href: '#lookedAfter' }], fields: {} } : formErrors(error);
      return reply.status(stale ? 409 : 400).render('children/social-care/social-care.njk', { pageTitle: 'Change social care status', child: record.child, values, items: socialCareItems(values), errors });
    }
  });

  app.get<{ Params: { childId: string } }>('/children/:childId/details', async (request, reply) => {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.edit) throw new DomainError('forbidden', 'You do not have access to this.');
    const c = record.child;
    return reply.render('children/details/change-details.njk', {
      pageTitle: 'Change details',
      child: c,
      values: { ...c, preferredName: c.preferredName ?? '', addressLine2: c.addressLine2 ?? '' },
      dateItems: dateInputItems('dateOfBirth', dateParts(c.dateOfBirth), false),
    });
  });

  app.post<{ Params: { childId: string } }>('/children/:childId/details', async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const { parts, iso } = readDateInput(body, 'dateOfBirth');
    const input = {
      version: text(body, 'version'),
      firstName: text(body, 'firstName'),
      lastName: text(body, 'lastName'),
      preferredName: text(body, 'preferredName'),
      dateOfBirth: iso,
      sex: text(body, 'sex'),
      addressLine1: text(body, 'addressLine1'),
      addressLine2: text(body, 'addressLine2'),
      town: text(body, 'town'),
      postcode: text(body, 'postcode'),
    };
    try {
      await services.changeChildDetails(ctx, request.params.childId, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=details-changed`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const record = await services.viewChildRecord(ctx, request.params.childId);
      const c = record.child;
      // A stale edit shows the latest saved details, so the user can see what changed and redo theirs.
      const values = stale ? { ...c, preferredName: c.preferredName ?? '', addressLine2: c.addressLine2 ?? '' } : input;
      const errors = stale ? { list: [{ text: error.message, href: '#firstName' }], fields: {} } : formErrors(error, { dateOfBirth: 'dateOfBirth-day' });
      return reply.status(stale ? 409 : 400).render('children/details/change-details.njk', {
        pageTitle: 'Change details',
        child: c,
        values,
        dateItems: dateInputItems('dateOfBirth', stale ? dateParts(c.dateOfBirth) : parts, Boolean(errors.fields['dateOfBirth' as keyof typeof errors.fields])),
        errors,
      });
    }
  });
}
