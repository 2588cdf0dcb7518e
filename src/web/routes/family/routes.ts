import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';
import { paths } from '../../paths.ts';
import { familyItemPaths, fileSize, registerFamilyItemRoutes, statusTag } from '../family-items/routes.ts';
import { registerNoticeRoutes } from './notices/routes.ts';
import { registerEnquiryRoutes } from './enquiries/routes.ts';
import { registerSocialCareFamilyRoutes } from './social-care/routes.ts';

/** The family service (/family/…) and the staff pages for what families send (/family-items/…). */
export function registerFamilyRoutes(app: FastifyInstance, services: Services): void {
  app.get('/family', async (request, reply) => {
    if (!request.session) return reply.redirect(paths.signIn);
    const home = await services.viewFamilyHome(request.context());
    return reply.render('family/hub.njk', {
      pageTitle: 'Your family',
      home,
      recent: home.recent.map((item) => ({ ...item, tag: statusTag(item.status, item.statusLabel) })),
    });
  });

  app.get<{ Params: { id: string } }>('/family/sent/:id', async (request, reply) => {
    const view = await services.viewFamilySubmission(request.context(), request.params.id);
    return reply.render('family/sent.njk', {
      pageTitle: `${view.submission.kindLabel} ${view.submission.reference}`,
      view,
      tag: statusTag(view.submission.status, view.submission.statusLabel),
      documents: view.documents.map((d) => ({ ...d, href: familyItemPaths.document(d.id), size: fileSize(d.sizeBytes) })),
    });
  });

  registerFamilyItemRoutes(app, services);
  registerNoticeRoutes(app, services);
  registerEnquiryRoutes(app, services);
  registerSocialCareFamilyRoutes(app, services);
}
