import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '../../domain/errors.ts';
import { paths } from '../paths.ts';

const STATUS: Record<DomainErrorCode, number> = {
  'not-signed-in': 401,
  forbidden: 403,
  'not-found': 404,
  validation: 400,
  'stale-version': 409,
};

/** A JSON problem body (RFC 9457) for the API. */
export function problem(request: FastifyRequest, status: number, code: string, detail: string, fields?: Readonly<Record<string, string>>) {
  return { type: `https://cairn.example/problems/${code}`, title: code, status, detail, correlationId: request.id, ...(fields && Object.keys(fields).length ? { errors: fields } : {}) };
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Renders the GOV.UK error page for a status. A refusal never ends the session. */
export function sendErrorPage(_request: FastifyRequest, reply: FastifyReply, status: number, message?: string) {
  const pages: Record<number, { pageTitle: string; heading: string; paragraphs: string[]; link?: { href: string; text: string } }> = {
    403: {
      pageTitle: 'You do not have access',
      heading: 'You do not have access',
      paragraphs: [message && message !== 'You do not have access to this.' ? message : 'You do not have permission to see this page or do this.', 'If you think you should, speak to your manager or the Cairn administrator.'],
      link: { href: paths.home, text: 'Go to your home page' },
    },
    400: {
      pageTitle: 'There is a problem with your request',
      heading: 'There is a problem with your request',
      paragraphs: ['Go back and try again.'],
    },
    404: {
      pageTitle: 'Page not found',
      heading: 'Page not found',
      paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the entire address.'],
    },
    409: {
      pageTitle: 'Someone else changed this',
      heading: 'Someone else changed this',
      paragraphs: [message ?? 'Someone else changed this record while you were working on it.'],
    },
    500: {
      pageTitle: 'Sorry, there is a problem with the service',
      heading: 'Sorry, there is a problem with the service',
      paragraphs: ['Try again later.', 'If the problem continues, contact the Cairn administrator and give them the reference below.'],
    },
  };
  const page = pages[status] ?? pages[500];
  if (!page) throw new Error('No error page');
  return reply.status(status).type('text/html; charset=utf-8').render('errors/error.njk', { ...page });
}

/** Maps every error once: domain errors to their status, anything else to a logged 500. */
export function setUpErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) => {
    if (isApi(request)) return reply.status(404).send(problem(request, 404, 'not-found', 'No such resource.'));
    return sendErrorPage(request, reply, 404);
  });

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      const status = STATUS[error.code];
      if (status === 403) request.log.info({ event: 'access-refused', url: request.url }, 'Access refused');
      if (isApi(request)) return reply.status(status).send(problem(request, status, error.code, error.message, error.fields));
      if (error.code === 'not-signed-in') return reply.redirect(paths.signIn);
      return sendErrorPage(request, reply, status, error.message);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'Unhandled error');
    if (status === 429) {
      if (isApi(request)) return reply.status(429).send(problem(request, 429, 'too-many-requests', 'Too many requests. Wait a minute and try again.'));
      return reply.status(429).type('text/html; charset=utf-8').render('errors/error.njk', { pageTitle: 'Too many attempts', heading: 'Too many attempts', paragraphs: ['Wait a minute, then try again.'] });
    }
    if (isApi(request)) return reply.status(status).send(problem(request, status, status === 500 ? 'internal' : 'bad-request', status === 500 ? 'Something went wrong.' : error.message));
    if (status !== 500) return sendErrorPage(request, reply, status === 404 ? 404 : 400);
    return sendErrorPage(request, reply, 500);
  });
}
