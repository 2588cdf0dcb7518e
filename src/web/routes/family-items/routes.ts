import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../forms.ts';
import type { SubmissionView } from '../../../domain/family/staff.ts';

export const familyItemPaths = {
  list: '/family-items',
  item: (id: string) => `/family-items/${id}`,
  document: (id: string) => `/family/documents/${id}`,
} as const;

const STATUS_COLOURS: Record<string, string> = {
  received: 'govuk-tag--blue',
  acknowledged: 'govuk-tag--light-blue',
  escalated: 'govuk-tag--orange',
  done: 'govuk-tag--green',
  corrected: 'govuk-tag--green',
  declined: 'govuk-tag--grey',
  upheld: 'govuk-tag--green',
  'partly-upheld': 'govuk-tag--green',
  'not-upheld': 'govuk-tag--grey',
};

export function statusTag(status: string, label: string): { text: string; classes: string } {
  return { text: label, classes: STATUS_COLOURS[status] ?? 'govuk-tag--grey' };
}

/** A document's size as GOV.UK writes it: 12KB, 3.4MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))}KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)}MB`;
}

/**
 * What families send, as staff see it: the open items for their team, each item with its documents,
 * and the form that records what the council did. Documents download from one address for staff
 * and for the family that sent them.
 */
export function registerFamilyItemRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { status?: string } }>(familyItemPaths.list, async (request, reply) => {
    const ctx = request.context();
    const status = request.query.status === 'all' ? 'all' : 'open';
    const { items } = await services.listFamilySubmissions(ctx, { status });
    return reply.render('family-items/list.njk', {
      pageTitle: 'From families',
      status,
      items: items.map((item) => ({ ...item, tag: statusTag(item.status, item.statusLabel), href: familyItemPaths.item(item.id) })),
      statusItems: [
        { value: 'open', text: 'Waiting for the council', selected: status === 'open' },
        { value: 'all', text: 'All', selected: status === 'all' },
      ],
    });
  });

  const renderItem = (reply: import('fastify').FastifyReply, view: SubmissionView, errors?: FormErrors, values: Record<string, string> = {}) =>
    reply.render('family-items/item.njk', {
      pageTitle: `${view.submission.kindLabel} ${view.submission.reference}`,
      view,
      tag: statusTag(view.submission.status, view.submission.statusLabel),
      documents: view.documents.map((d) => ({ ...d, href: familyItemPaths.document(d.id), size: fileSize(d.sizeBytes) })),
      statusItems: view.nextStatuses.map((s) => ({ ...s, checked: values['status'] === s.value })),
      outcome: values['outcome'] ?? '',
      errors,
    });

  app.get<{ Params: { id: string } }>('/family-items/:id', async (request, reply) => {
    const ctx = request.context();
    return renderItem(reply, await services.viewFamilySubmission(ctx, request.params.id));
  });

  app.post<{ Params: { id: string } }>('/family-items/:id', async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const values = { status: text(body, 'status'), outcome: text(body, 'outcome'), version: text(body, 'version') };
    try {
      await services.handleFamilySubmission(ctx, request.params.id, values);
      return reply.redirect(`${familyItemPaths.item(request.params.id)}?done=1`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const view = await services.viewFamilySubmission(ctx, request.params.id);
      return renderItem(reply.status(400), view, formErrors(error, { status: 'status' }), values);
    }
  });

  app.get<{ Params: { id: string } }>('/family/documents/:id', async (request, reply) => {
    const ctx = request.context();
    const document = await services.downloadFamilyDocument(ctx, request.params.id);
    const asciiName = document.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .header('content-type', document.mediaType)
      .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(Buffer.from(document.content));
  });
}
