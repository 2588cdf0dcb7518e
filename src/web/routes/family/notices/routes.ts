import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../../services.ts';
import { registerChangeRoutes } from './changes/routes.ts';
import { registerContactPreferenceRoutes } from './contact-preferences/routes.ts';
import { registerNotifyRoutes } from './notify/routes.ts';
import { registerSupportRoutes } from './support/routes.ts';

/**
 * The family service's notices (/family/notify, /family/changes, /family/contact-preferences,
 * /family/support): telling the council about home education, reporting changes, how to be
 * contacted, and asking for support.
 */
export function registerNoticeRoutes(app: FastifyInstance, services: Services): void {
  registerNotifyRoutes(app, services);
  registerChangeRoutes(app, services);
  registerContactPreferenceRoutes(app, services);
  registerSupportRoutes(app, services);
}
