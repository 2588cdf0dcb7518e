import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../../../services.ts';
import type { SupportOptions } from '../../../../../domain/family/notices-support.ts';
import { SUPPORT_KINDS } from '../../../../../domain/family/notices-schemas.ts';
import { bodyOf, formErrors, isValidationError, text, type FormBody, type FormErrors } from '../../../../forms.ts';
import { noticePaths } from '../paths.ts';

const checked = (body: FormBody, name: string): string[] => {
  const value = body[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' && value !== '' ? [value] : [];
};

/** Ask for support: what the council offers home educators, and a request to the team. */
export function registerSupportRoutes(app: FastifyInstance, services: Services): void {
  function render(reply: FastifyReply, options: SupportOptions, values: { kinds: string[]; childId: string; details: string }, errors: FormErrors | null) {
    return reply.status(errors ? 400 : 200).render('family/notices/support/form.njk', {
      pageTitle: 'Ask for support with home education',
      noticePaths,
      options,
      values,
      kindItems: Object.entries(SUPPORT_KINDS).map(([value, label]) => ({ value, text: label, checked: values.kinds.includes(value) })),
      childItems: [...options.children.map((c) => ({ value: c.childId, text: c.name })), ...(options.children.length ? [{ divider: 'or' }] : []), { value: 'family', text: 'The whole family' }],
      errors,
    });
  }

  app.get(noticePaths.support.start, async (request, reply) => render(reply, await services.viewSupportOptions(request.context()), { kinds: [], childId: '', details: '' }, null));

  app.post(noticePaths.support.start, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const input = { kinds: checked(body, 'kinds'), childId: text(body, 'childId'), details: text(body, 'details') };
    try {
      const sent = await services.requestSupport(ctx, input);
      return reply.redirect(noticePaths.support.sent(sent.submissionId), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return render(reply, await services.viewSupportOptions(ctx), input, formErrors(error));
    }
  });

  app.get<{ Params: { submissionId: string } }>('/family/support/sent/:submissionId', async (request, reply) => {
    const sent = await services.viewNoticeConfirmation(request.context(), request.params.submissionId, ['support-request']);
    return reply.render('family/notices/sent.njk', {
      pageTitle: 'Request for support sent',
      noticePaths,
      heading: 'Request for support sent',
      reference: sent.reference,
      whatNext: ['The council’s home education team will contact you about the support you asked for, in the way you have said you want to be contacted.'],
      lines: sent.lines.map((l) => ({ key: { text: l.label }, value: { text: l.value } })),
    });
  });
}
