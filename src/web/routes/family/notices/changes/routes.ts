import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../../../services.ts';
import type { FamilyForChanges } from '../../../../../domain/family/notices-changes.ts';
import { PARENT_PROVIDER_TYPES } from '../../../../../domain/family/notices-schemas.ts';
import { DomainError } from '../../../../../domain/errors.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type FormBody, type FormErrors } from '../../../../forms.ts';
import { noticePaths } from '../paths.ts';

const CHANGE_KINDS = {
  address: { text: 'We have moved, or are moving, to a new address', href: noticePaths.changes.address },
  provider: { text: 'My child has a new tutor, online school, group or other provider', href: noticePaths.changes.provider },
} as const;

const checked = (body: FormBody, name: string): string[] => {
  const value = body[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' && value !== '' ? [value] : [];
};

/** Report a change: a new address, or a new provider of a child's education. */
export function registerChangeRoutes(app: FastifyInstance, services: Services): void {
  const renderStart = (reply: FastifyReply, errors: FormErrors | null) =>
    reply.status(errors ? 400 : 200).render('family/notices/changes/start.njk', {
      pageTitle: 'Report a change',
      noticePaths,
      kindItems: Object.entries(CHANGE_KINDS).map(([value, k]) => ({ value, text: k.text })),
      errors,
    });

  app.get(noticePaths.changes.start, async (request, reply) => {
    await services.viewFamilyForChanges(request.context());
    return renderStart(reply, null);
  });

  app.post(noticePaths.changes.start, async (request, reply) => {
    request.context();
    const kind = text(bodyOf(request.body), 'change');
    if (kind !== 'address' && kind !== 'provider') return renderStart(reply, formErrors(new DomainError('validation', 'There is a problem', { change: 'Select what has changed' })));
    return reply.redirect(CHANGE_KINDS[kind].href, 303);
  });

  function renderAddress(reply: FastifyReply, family: FamilyForChanges, values: Record<string, unknown>, errors: FormErrors | null, status = 200) {
    const chosen = (values['childIds'] as string[] | undefined) ?? family.children.filter((c) => c.livesWith).map((c) => c.childId);
    return reply.status(errors ? status : 200).render('family/notices/changes/address.njk', {
      pageTitle: 'Tell us your new address',
      noticePaths,
      family,
      values,
      currentAddress: [family.address.addressLine1, family.address.town, family.address.postcode].join(', '),
      childItems: family.children.filter((c) => c.livesWith).map((c) => ({ value: c.childId, text: c.name, checked: chosen.includes(c.childId) })),
      dateItems: dateInputItems('movedOn', (values['movedOnParts'] as ReturnType<typeof dateParts> | undefined) ?? dateParts(null), Boolean(errors?.fields['movedOn'])),
      errors,
    });
  }

  app.get(noticePaths.changes.address, async (request, reply) => {
    const family = await services.viewFamilyForChanges(request.context());
    return renderAddress(reply, family, { version: String(family.version) }, null);
  });

  app.post(noticePaths.changes.address, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const moved = readDateInput(body, 'movedOn');
    const input = {
      version: text(body, 'version'),
      addressLine1: text(body, 'addressLine1'),
      addressLine2: text(body, 'addressLine2'),
      town: text(body, 'town'),
      postcode: text(body, 'postcode'),
      movedOn: moved.iso,
      childIds: checked(body, 'childIds'),
    };
    try {
      const sent = await services.reportChangeOfAddress(ctx, input);
      return reply.redirect(noticePaths.changes.sent(sent.submissionId), 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const family = await services.viewFamilyForChanges(ctx);
      const errors = stale ? { list: [{ text: error.message, href: '#addressLine1' }], fields: {} } : formErrors(error, { movedOn: 'movedOn-day', childIds: 'childIds' });
      // After a stale save the form carries the record's new version, so the parent can save again.
      return renderAddress(reply, family, { ...input, version: stale ? String(family.version) : input.version, movedOnParts: moved.parts }, errors, stale ? 409 : 400);
    }
  });

  function renderProvider(reply: FastifyReply, family: FamilyForChanges, values: Record<string, unknown>, errors: FormErrors | null) {
    return reply.status(errors ? 400 : 200).render('family/notices/changes/provider.njk', {
      pageTitle: 'Tell us about a new provider',
      noticePaths,
      regimeInForce: family.regimeInForce,
      values,
      childItems: family.children.map((c) => ({ value: c.childId, text: c.name })),
      typeItems: Object.entries(PARENT_PROVIDER_TYPES).map(([value, label]) => ({ value, text: label })),
      dateItems: dateInputItems('startedOn', (values['startedOnParts'] as ReturnType<typeof dateParts> | undefined) ?? dateParts(null), Boolean(errors?.fields['startedOn'])),
      errors,
    });
  }

  app.get(noticePaths.changes.provider, async (request, reply) => renderProvider(reply, await services.viewFamilyForChanges(request.context()), {}, null));

  app.post(noticePaths.changes.provider, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const started = readDateInput(body, 'startedOn');
    const input = {
      childId: text(body, 'childId'),
      type: text(body, 'type'),
      name: text(body, 'name'),
      addressOrWebsite: text(body, 'addressOrWebsite'),
      hoursPerWeek: text(body, 'hoursPerWeek'),
      hoursWithoutParentPerWeek: text(body, 'hoursWithoutParentPerWeek'),
      startedOn: started.iso,
    };
    try {
      const sent = await services.reportNewProvider(ctx, input);
      return reply.redirect(noticePaths.changes.sent(sent.submissionId), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderProvider(reply, await services.viewFamilyForChanges(ctx), { ...input, startedOnParts: started.parts }, formErrors(error, { startedOn: 'startedOn-day' }));
    }
  });

  app.get<{ Params: { submissionId: string } }>('/family/changes/sent/:submissionId', async (request, reply) => {
    const sent = await services.viewNoticeConfirmation(request.context(), request.params.submissionId, ['change-of-address', 'new-provider']);
    return reply.render('family/notices/sent.njk', {
      pageTitle: sent.kind === 'change-of-address' ? 'Change of address sent' : 'New provider sent',
      noticePaths,
      heading: sent.kind === 'change-of-address' ? 'Change of address sent' : 'New provider sent',
      reference: sent.reference,
      whatNext:
        sent.kind === 'change-of-address'
          ? ['The council has updated your address and the address of each child who moved with you. If you have moved to another council’s area, tell that council too.']
          : ['The council has added the provider to the details it holds about your child’s education. An officer may contact you if they need to know more.'],
      lines: sent.lines.map((l) => ({ key: { text: l.label }, value: { text: l.value } })),
    });
  });
}
