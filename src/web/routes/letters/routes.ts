import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { LetterTemplateProblems, type LetterTemplateDetail } from '../../../domain/letters/use-cases.ts';
import { isLetterTemplateKey, SHIPPED_TEMPLATES } from '../../../domain/letters/templates.ts';
import { escapeHtml, renderLetterHtml } from '../../../letters/index.ts';
import { bodyOf, text, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { formatDate, formatDateTime } from '../../setup/nunjucks.ts';
import { channelLabel, letterStatusTag, templateErrors } from './presenter.ts';

type KeyRequest = FastifyRequest<{ Params: { key: string } }>;

interface TemplateFormState {
  values: { subject: string; body: string; version: string };
  errors?: FormErrors & { html?: Record<string, string> };
  previewHtml?: string;
  /** What the administrator typed when someone else saved first, so it is not lost. */
  unsaved?: { subject: string; bodyLines: string[] };
  status?: number;
}

function flashFor(query: { saved?: string; reset?: string }): string | undefined {
  if (query.saved && isLetterTemplateKey(query.saved)) return `${SHIPPED_TEMPLATES[query.saved].title}: your wording has been saved`;
  if (query.reset && isLetterTemplateKey(query.reset)) return `${SHIPPED_TEMPLATES[query.reset].title}: the shipped wording is in use again`;
  return undefined;
}

/** A letter as sent, with its PDF; and the letter templates administrators edit. */
export function registerLetterRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Params: { letterId: string } }>('/letters/:letterId', async (request, reply) => {
    const letter = await services.viewLetter(request.context(), request.params.letterId);
    const tag = letterStatusTag(letter.status);
    const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: key }, value });
    return reply.render('letters/view.njk', {
      pageTitle: `Letter: ${letter.subject}`,
      letter,
      backLink: letter.childId ? `${paths.children.record(letter.childId)}#correspondence` : paths.home,
      pdfLink: paths.letters.pdf(letter.id),
      rows: [
        row('To', { text: letter.recipientName }),
        row('Sent by', { text: letter.channel === 'email' && letter.emailAddress ? `Email to ${letter.emailAddress}` : channelLabel(letter.channel) }),
        row('Status', { text: tag.text }),
        ...(letter.status === 'failed' && letter.statusDetail ? [row('Why it was not sent', { text: letter.statusDetail })] : []),
        row('Written', { text: formatDate(letter.createdAt) }),
        ...(letter.sentAt ? [row('Sent', { text: formatDateTime(letter.sentAt) })] : []),
        row('Reference', { text: letter.reference }),
      ],
      statusTag: tag,
      letterHtml: renderLetterHtml(letter.content),
    });
  });

  app.get<{ Params: { letterId: string } }>('/letters/:letterId.pdf', async (request, reply) => {
    const { fileName, pdf } = await services.letterPdf(request.context(), request.params.letterId);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.get<{ Querystring: { saved?: string; reset?: string } }>(paths.adminLetters, async (request, reply) => {
    const templates = await services.listLetterTemplates(request.context());
    return reply.render('letters/templates.njk', {
      pageTitle: 'Letter templates',
      flash: flashFor(request.query),
      rows: templates.map((t) => [
        { html: `<a class="govuk-link" href="${escapeHtml(paths.adminLetter(t.key))}">${escapeHtml(t.title)}</a>` },
        { text: t.description },
        { html: t.customised ? '<strong class="govuk-tag govuk-tag--blue">Council’s own wording</strong>' : '<strong class="govuk-tag govuk-tag--grey">Shipped wording</strong>' },
      ]),
    });
  });

  function renderTemplatePage(reply: FastifyReply, detail: LetterTemplateDetail, state: TemplateFormState) {
    return reply.status(state.status ?? 200).render('letters/template.njk', {
      pageTitle: detail.title,
      detail,
      updatedOn: detail.updatedAt ? formatDate(detail.updatedAt) : null,
      action: paths.adminLetter(detail.key),
      values: state.values,
      errors: state.errors,
      previewHtml: state.previewHtml,
      unsaved: state.unsaved,
      placeholders: detail.placeholders,
      placeholderExample: '{{ child.firstName }}',
      ifExample: '{% if writtenOnly %} … {% endif %}',
      forExample: '{% for school in data.schools %} … {% endfor %}',
    });
  }

  const savedValues = (detail: LetterTemplateDetail) => ({ subject: detail.subject, body: detail.body, version: String(detail.version) });

  app.get<{ Params: { key: string } }>('/admin/letters/:key', async (request: KeyRequest, reply) => {
    const detail = await services.viewLetterTemplate(request.context(), request.params.key);
    return renderTemplatePage(reply, detail, { values: savedValues(detail) });
  });

  app.post<{ Params: { key: string } }>('/admin/letters/:key', async (request: KeyRequest, reply) => {
    const ctx = request.context();
    const { key } = request.params;
    const body = bodyOf(request.body);
    const values = { subject: text(body, 'subject'), body: text(body, 'body'), version: text(body, 'version') };
    const action = text(body, 'action');
    // Loading the template first also refuses anyone who is not an administrator, before anything else.
    const detail = await services.viewLetterTemplate(ctx, key);
    try {
      if (action === 'reset') {
        await services.resetLetterTemplate(ctx, key, { version: values.version });
        return reply.redirect(`${paths.adminLetters}?reset=${encodeURIComponent(detail.key)}`, 303);
      }
      if (action === 'preview') {
        const { letter } = await services.previewLetterTemplate(ctx, key, values);
        return renderTemplatePage(reply, detail, { values, previewHtml: renderLetterHtml(letter) });
      }
      await services.changeLetterTemplate(ctx, key, values);
      return reply.redirect(`${paths.adminLetters}?saved=${encodeURIComponent(detail.key)}`, 303);
    } catch (error) {
      if (error instanceof LetterTemplateProblems) {
        return renderTemplatePage(reply, detail, { values, errors: templateErrors(error.problems), status: 400 });
      }
      if (error instanceof DomainError && error.code === 'stale-version') {
        const latest = await services.viewLetterTemplate(ctx, key);
        const typed = action === 'reset' ? undefined : { subject: values.subject, bodyLines: values.body.split(/\r\n|\r|\n/) };
        return renderTemplatePage(reply, latest, {
          values: savedValues(latest),
          errors: { list: [{ text: error.message, href: '#subject' }], fields: {} },
          ...(typed ? { unsaved: typed } : {}),
          status: 409,
        });
      }
      throw error;
    }
  });
}
