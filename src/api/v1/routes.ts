import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { findApiClientByTokenHash } from '../../db/repositories/users.ts';
import type { UseCaseContext } from '../../domain/auth/actor.ts';
import { isRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Services } from '../../services.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { registerRegisterApi } from './register-routes.ts';
import { caseNoteResponseSchema, childRecordResponseSchema, childSearchResponseSchema, deletionReturnResponseSchema, referralResponseSchema } from './schemas.ts';

interface ApiDeps {
  db: Db;
  services: Services;
  now: () => Date;
  baseUrl?: string;
}

/**
 * The JSON API. Each handler is the same short pipeline: authenticate the bearer token, call the
 * use case (which validates, authorises and audits), and present the result through its schema.
 */
export function registerApi(api: FastifyInstance, deps: ApiDeps) {
  async function contextFor(request: FastifyRequest): Promise<UseCaseContext> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new DomainError('not-signed-in', 'Send a bearer token in the Authorization header.');
    const found = await findApiClientByTokenHash(deps.db, createHash('sha256').update(match[1]).digest('hex'));
    if (!found || !isRole(found.user.role)) throw new DomainError('not-signed-in', 'The bearer token is not valid.');
    return {
      actor: { kind: 'api-client', id: found.user.id, label: found.client.name, role: found.user.role, schoolId: found.user.schoolId },
      correlationId: request.id,
      now: deps.now(),
    };
  }

  api.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    if (reply.statusCode >= 400) reply.type('application/problem+json');
    return payload;
  });

  api.get('/openapi.json', async (request) => buildOpenApiDocument(deps.baseUrl ?? `${request.protocol}://${request.host}`));

  api.get('/children', async (request) => {
    const outcome = await deps.services.searchChildren(await contextFor(request), request.query);
    return childSearchResponseSchema.parse(outcome);
  });

  api.get<{ Params: { childId: string } }>('/children/:childId', async (request) => {
    const record = await deps.services.viewChildRecord(await contextFor(request), request.params.childId);
    const c = record.child;
    return childRecordResponseSchema.parse({
      child: {
        id: c.id,
        laChildId: c.laChildId,
        firstName: c.firstName,
        lastName: c.lastName,
        preferredName: c.preferredName,
        dateOfBirth: c.dateOfBirth,
        postcode: c.postcode,
        upn: c.upn,
        nhsNumber: c.nhsNumber,
        sex: c.sex,
        address: { line1: c.addressLine1, line2: c.addressLine2, town: c.town, postcode: c.postcode },
        version: c.version,
      },
      adults: record.adults.map((a) => ({ name: `${a.firstName} ${a.lastName}`, relationship: a.relationship, parentalResponsibility: a.parentalResponsibility, livesWith: a.livesWith })),
      enrolments: record.enrolments,
      timeline: record.timeline.map((t) => ({
        type: t.type,
        summary: t.summary,
        by: t.actorLabel,
        occurredAt: t.occurredAt.toISOString(),
        note: t.noteId && t.noteBody !== null ? { id: t.noteId, body: t.noteBody, followUpBy: t.noteFollowUpBy } : null,
      })),
    });
  });

  registerRegisterApi(api, { services: deps.services, contextFor });

  api.post('/referrals', async (request, reply) => {
    const result = await deps.services.referChildNotInSchool(await contextFor(request), request.body ?? {});
    return reply.status(201).send(referralResponseSchema.parse(result));
  });

  api.post('/deletion-returns', async (request, reply) => {
    const result = await deps.services.submitDeletionReturn(await contextFor(request), request.body ?? {}, 'api');
    return reply.status(result.duplicate ? 200 : 201).send(deletionReturnResponseSchema.parse(result));
  });

  api.post<{ Params: { childId: string } }>('/children/:childId/notes', async (request, reply) => {
    const note = await deps.services.addCaseNote(await contextFor(request), request.params.childId, request.body ?? {});
    return reply.status(201).send(
      caseNoteResponseSchema.parse({ id: note.id, childId: note.childId, body: note.body, followUpBy: note.followUpBy, createdAt: note.createdAt.toISOString() }),
    );
  });
}
