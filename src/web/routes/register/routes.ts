import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';

/** The register: episodes and children-missing-education cases, their worklists and lifecycles. */
export function registerRegisterRoutes(_app: FastifyInstance, _services: Services) {}
