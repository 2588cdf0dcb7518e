import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../../../services.ts';
import type { ContactPreferenceValues } from '../../../../../domain/family/notices-contact.ts';
import { ACCESSIBLE_FORMATS, CONTACT_WAYS, LETTER_CHANNELS, LANGUAGES } from '../../../../../domain/family/notices-schemas.ts';
import { DomainError } from '../../../../../domain/errors.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../../forms.ts';
import { noticePaths } from '../paths.ts';

const items = (options: Record<string, string>) => Object.entries(options).map(([value, label]) => ({ value, text: label }));

type FormValues = Omit<ContactPreferenceValues, 'interpreter'> & { interpreter: boolean; version: string };

/** How the parent wants the council to contact them: one page, saved on their own record. */
export function registerContactPreferenceRoutes(app: FastifyInstance, services: Services): void {
  function render(reply: FastifyReply, name: string, values: FormValues, summary: string[], errors: FormErrors | null, flash: string | undefined, status = 200) {
    return reply.status(errors ? status : 200).render('family/notices/contact-preferences/form.njk', {
      pageTitle: 'How you want the council to contact you',
      noticePaths,
      name,
      values,
      summary,
      flash,
      errors,
      wayItems: items(CONTACT_WAYS),
      channelItems: items(LETTER_CHANNELS),
      formatItems: items(ACCESSIBLE_FORMATS),
      languageItems: items(LANGUAGES),
    });
  }

  app.get<{ Querystring: { saved?: string } }>(noticePaths.contactPreferences, async (request, reply) => {
    const mine = await services.viewMyContactPreferences(request.context());
    return render(reply, mine.name, { ...mine.values, version: String(mine.version) }, mine.summary, null, request.query.saved === '1' ? 'Your contact preferences have been saved' : undefined);
  });

  app.post(noticePaths.contactPreferences, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const input = {
      version: text(body, 'version'),
      contactPreference: text(body, 'contactPreference'),
      preferredChannel: text(body, 'preferredChannel'),
      email: text(body, 'email'),
      format: text(body, 'format'),
      formatOther: text(body, 'format') === 'other' ? text(body, 'formatOther') : '',
      language: text(body, 'language'),
      languageOther: text(body, 'language') === 'other' ? text(body, 'languageOther') : '',
      interpreter: text(body, 'language') === 'other' ? text(body, 'interpreter') : '',
      supportiveName: text(body, 'supportiveName'),
      supportiveContact: text(body, 'supportiveContact'),
      supportiveRelationship: text(body, 'supportiveRelationship'),
    };
    try {
      await services.changeMyContactPreferences(ctx, input);
      return reply.redirect(`${noticePaths.contactPreferences}?saved=1`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const mine = await services.viewMyContactPreferences(ctx);
      const errors = stale ? { list: [{ text: error.message, href: '#contactPreference' }], fields: {} } : formErrors(error);
      const values = { ...input, interpreter: input.interpreter === 'yes', version: stale ? String(mine.version) : input.version } as unknown as FormValues;
      return render(reply, mine.name, values, mine.summary, errors, undefined, stale ? 409 : 400);
    }
  });
}
