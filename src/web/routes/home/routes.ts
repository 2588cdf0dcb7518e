import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';
import { paths } from '../../paths.ts';
import { canGlobally } from '../../../domain/auth/policies.ts';
import { hasCaseworkRole, ROLE_LABELS } from '../../../domain/auth/roles.ts';

/** The page each person lands on after signing in: what they can do, and their own work. */
export function registerHomeRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.home, async (request, reply) => {
    if (!request.session) return reply.redirect(paths.signIn);
    const ctx = request.context();
    const role = request.session.user.role;
    if (role === 'parent') return reply.redirect('/family', 303);
    const canSearch = canGlobally(ctx.actor, 'child.search');
    const work = hasCaseworkRole(role) ? await services.listMyWork(ctx) : null;
    return reply.render('home/staff.njk', {
      pageTitle: 'Home',
      roleLabel: ROLE_LABELS[role],
      canSearch,
      work,
    });
  });
}
