import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.ts';

/** School deletion returns: the school's form journey, and the returns it has sent. */
export function registerReturnRoutes(_app: FastifyInstance, _services: Services) {}
