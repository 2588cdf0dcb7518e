import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FIELD_GROUP_LABELS, type FieldGroup } from '../../../domain/children/merge.ts';
import { formatDate } from '../../setup/nunjucks.ts';
import { statusTag } from '../family-items/routes.ts';
import type { Services } from '../../../services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { canGlobally, timelineAudienceFor } from '../../../domain/auth/policies.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { PROTECTION_STATUSES } from '../../../domain/children/schemas.ts';
import { presentChildRecord, presentCorrespondence } from './record/presenter.ts';
import { registerEducationRoutes } from './education/routes.ts';

type ChildRowLike = { firstName: string; lastName: string; preferredName: string | null; dateOfBirth: string; sex: string; addressLine1: string; addressLine2: string | null; town: string; postcode: string; upn: string | null; nhsNumber: string | null };

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
  merged: 'Records merged',
  unmerged: 'Merge undone: both records are as they were',
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
    // How each parent wants to be contacted, in the order the record lists them (staff only).
    const contactPreferences = record.staffDetails?.contactPreferences;
    const adultContactPreferences = contactPreferences ? record.adults.map((a) => contactPreferences.find((p) => p.adultId === a.id) ?? null) : null;
    const correspondence = letters && record.audience === 'staff' ? presentCorrespondence(letters) : null;
    return reply.render('children/record/record.njk', { pageTitle: `${record.child.firstName} ${record.child.lastName}`, flash: done, ...presentChildRecord(record), adultContactPreferences, correspondence, fromFamily: record.staffDetails ? record.staffDetails.fromFamily.map((item) => ({ ...item, tag: statusTag(item.status, item.statusLabel) })) : null });
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

  const MERGE_ROWS: [FieldGroup, (c: ChildRowLike) => string][] = [
    ['name', (c) => [c.firstName, c.lastName].join(' ') + (c.preferredName ? ` (known as ${c.preferredName})` : '')],
    ['dateOfBirth', (c) => formatDate(c.dateOfBirth)],
    ['sex', (c) => ({ F: 'Female', M: 'Male', U: 'Not known' })[c.sex] ?? c.sex],
    ['address', (c) => [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', ')],
    ['upn', (c) => c.upn ?? 'None'],
    ['nhsNumber', (c) => c.nhsNumber ?? 'None'],
  ];

  async function renderMerge(request: FastifyRequest<{ Params: { childId: string }; Querystring: { with?: string } }>, reply: FastifyReply, reference: string, values: Record<string, string>, errors: FormErrors | null, status = 200) {
    const ctx = request.context();
    if (!reference) {
      const record = await services.viewChildRecord(ctx, request.params.childId);
      if (!record.allowed.merge) throw new DomainError('forbidden', 'You do not have access to this.');
      return reply.status(status).render('children/merge/merge.njk', { pageTitle: 'Merge with a duplicate record', child: record.child, reference, errors });
    }
    try {
      const { survivor, other } = await services.compareForMerge(ctx, request.params.childId, reference);
      return reply.status(status).render('children/merge/merge.njk', {
        pageTitle: 'Merge with a duplicate record',
        child: survivor,
        other,
        reference,
        rows: MERGE_ROWS.map(([group, show]) => ({
          group,
          label: FIELD_GROUP_LABELS[group],
          items: [
            { value: 'survivor', text: show(survivor), checked: (values[group] ?? 'survivor') === 'survivor', hint: { text: `From this record (${survivor.laChildId})` } },
            { value: 'merged', text: show(other), checked: values[group] === 'merged', hint: { text: `From the duplicate (${other.laChildId})` } },
          ],
        })),
        values,
        errors,
      });
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const record = await services.viewChildRecord(ctx, request.params.childId);
      return reply.status(400).render('children/merge/merge.njk', { pageTitle: 'Merge with a duplicate record', child: record.child, reference, errors: formErrors(error) });
    }
  }

  app.get<{ Params: { childId: string }; Querystring: { with?: string } }>('/children/:childId/merge', (request, reply) => renderMerge(request, reply, request.query.with ?? '', {}, null));

  app.post<{ Params: { childId: string }; Querystring: { with?: string } }>('/children/:childId/merge', async (request, reply) => {
    const body = bodyOf(request.body);
    const reference = text(body, 'reference');
    const values = Object.fromEntries(MERGE_ROWS.map(([group]) => [group, text(body, group) || 'survivor']));
    try {
      const { other } = await services.compareForMerge(request.context(), request.params.childId, reference);
      const record = await services.viewChildRecord(request.context(), request.params.childId);
      await services.mergeChildren(request.context(), {
        survivorId: request.params.childId,
        mergedId: other.id,
        survivorVersion: text(body, 'survivorVersion') || String(record.child.version),
        mergedVersion: text(body, 'mergedVersion') || String(other.version),
        reason: text(body, 'reason'),
        fields: values,
      });
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=merged`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const errors = stale ? { list: [{ text: error.message, href: '#reason' }], fields: {} } : formErrors(error);
      return renderMerge(request, reply, reference, { ...values, reason: text(body, 'reason') }, errors, stale ? 409 : 400);
    }
  });

  app.post<{ Params: { childId: string; mergeId: string } }>('/children/:childId/merges/:mergeId/undo', async (request, reply) => {
    await services.unmergeChildren(request.context(), request.params.mergeId);
    return reply.redirect(`${paths.children.record(request.params.childId)}?done=unmerged`, 303);
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
