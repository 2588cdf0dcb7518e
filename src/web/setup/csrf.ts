import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { forbidden } from '../../domain/errors.ts';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Every form post must carry the session's CSRF token in `_csrf`. The token lives in the server-side
 * session, so a page on another site cannot read or forge it. The JSON API (bearer tokens, no
 * cookies) and the embedded identity provider (its own protections) are outside this check.
 */
export function setUpCsrf(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (request.url.startsWith('/api/') || request.url.startsWith('/idp')) return;
    if (!request.session) return; // routes that need a session refuse on their own
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof body?.['_csrf'] === 'string' ? body['_csrf'] : '';
    if (!same(sent, request.session.csrfToken)) {
      request.log.warn({ event: 'csrf-mismatch' }, 'Form post without a valid CSRF token');
      throw forbidden('The form could not be checked. Go back, refresh the page and try again.');
    }
  });
}
