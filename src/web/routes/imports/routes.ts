import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';

/** Bulk CSV upload of deletion returns: check the whole file, report, then import. */
export function registerImportRoutes(_app: FastifyInstance, _services: Services) {}
