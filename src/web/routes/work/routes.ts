import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { bodyOf, text } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { formatDate } from '../../setup/nunjucks.ts';

/** The worker's own follow-ups, and the messages Cairn has sent them. */
export function registerWorkRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Querystring: { done?: string; stale?: string } }>(paths.work, async (request, reply) => {
    const work = await services.listMyWork(request.context());
    const present = (items: typeof work.overdue) =>
      items.map((i) => ({ ...i, due: formatDate(i.followUpBy), childLink: paths.children.record(i.childId), doneAction: paths.followUpDone(i.noteId) }));
    return reply.render('work/work.njk', {
      pageTitle: 'Your work',
      overdue: present(work.overdue),
      upcoming: present(work.upcoming),
      flash: request.query.done ? 'Follow-up marked as done' : undefined,
      errors: request.query.stale ? { list: [{ text: 'Someone else changed that follow-up while you were working on it. Check the list and try again.', href: '#overdue' }] } : undefined,
    });
  });

  app.post<{ Params: { noteId: string } }>('/work/:noteId/done', async (request, reply) => {
    try {
      await services.completeFollowUp(request.context(), request.params.noteId, { version: text(bodyOf(request.body), 'version') });
      return reply.redirect(`${paths.work}?done=1`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'stale-version') return reply.redirect(`${paths.work}?stale=1`, 303);
      throw error;
    }
  });

  app.get(paths.outbox, async (request, reply) => {
    const ctx = request.context();
    const { messages, all } = await services.listMessages(ctx, request.session?.user.email ?? '');
    return reply.render('work/outbox.njk', { pageTitle: 'Messages', messages, all });
  });
}
