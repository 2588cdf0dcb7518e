import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { EXERCISE_COLUMNS } from '../../../domain/register/matching-exercise.ts';
import { snakeCase } from '../../../domain/register/csv.ts';
import { bodyOf, formErrors, isValidationError, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { formatDate, formatDateTime } from '../../setup/nunjucks.ts';
import { acceptMultipart, MultipartError, type MultipartBody } from '../imports/multipart.ts';

const MAX_BYTES = 20 * 1024 * 1024;

const STATUS_TEXT: Record<string, { text: string; colour: string }> = {
  unknown: { text: 'Not known to Cairn', colour: 'govuk-tag--red' },
  'unknown-record': { text: 'On no roll or register', colour: 'govuk-tag--orange' },
  'case-opened': { text: 'Case opened', colour: 'govuk-tag--green' },
  known: { text: 'Known', colour: 'govuk-tag--grey' },
};

/** Data-matching exercises: upload a population list, review the children known to no school or register, open cases. */
export function registerMatchingRoutes(app: FastifyInstance, services: Services) {
  async function renderList(request: FastifyRequest, reply: FastifyReply, errors: FormErrors | null, values: Record<string, string> = {}, status = 200) {
    const list = await services.listMatchingExercises(request.context());
    return reply.status(status).render('matching/list.njk', {
      pageTitle: 'Data-matching exercises',
      requiredColumns: EXERCISE_COLUMNS.required.map(snakeCase),
      optionalColumns: EXERCISE_COLUMNS.optional.map(snakeCase),
      exercises: list.map((e) => ({ href: paths.matching.exercise(e.id), name: e.name, when: formatDateTime(e.createdAt), rows: e.rowCount, unknown: e.unknownCount })),
      values,
      errors,
    });
  }

  void app.register(async (scope) => {
    acceptMultipart(scope, MAX_BYTES + 64 * 1024);
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The selected file must be smaller than 20MB' : error instanceof MultipartError ? 'The selected file could not be read. Upload it again' : null;
      if (request.session && message) return renderList(request, reply, formErrors(new DomainError('validation', 'There is a problem', { file: message })), {}, 400);
      throw error;
    });
    scope.post(paths.matching.list, async (request, reply) => {
      const body = request.body as MultipartBody | undefined;
      const file = body?.files?.['file'];
      const name = body?.fields?.['name'] ?? '';
      try {
        if (!file || (file.fileName === '' && file.data.length === 0)) throw new DomainError('validation', 'There is a problem', { file: 'Select a CSV file' });
        const exercise = await services.runMatchingExercise(request.context(), file.data, { name, fileName: file.fileName });
        return reply.redirect(paths.matching.exercise(exercise.id), 303);
      } catch (error) {
        if (!isValidationError(error)) throw error;
        return renderList(request, reply, formErrors(error), { name }, 400);
      }
    });
  });

  app.get(paths.matching.list, (request, reply) => renderList(request, reply, null));

  async function renderExercise(request: FastifyRequest<{ Params: { exerciseId: string }; Querystring: { done?: string } }>, reply: FastifyReply, errors: FormErrors | null, status = 200) {
    const { exercise, rows } = await services.viewMatchingExercise(request.context(), request.params.exerciseId);
    const person = (p: unknown) => p as { firstName: string; lastName: string; dateOfBirth: string; postcode: string };
    const unknown = rows.filter((r) => r.status !== 'known');
    return reply.status(status).render('matching/exercise.njk', {
      pageTitle: exercise.name,
      flash: request.query.done,
      exercise: { ...exercise, when: formatDateTime(exercise.createdAt) },
      unknown: unknown.map((r) => ({
        id: r.id,
        line: r.line,
        name: `${person(r.person).firstName} ${person(r.person).lastName}`,
        born: formatDate(person(r.person).dateOfBirth),
        postcode: person(r.person).postcode,
        status: STATUS_TEXT[r.status] ?? { text: r.status, colour: '' },
        canOpen: r.status === 'unknown' || r.status === 'unknown-record',
        score: r.score,
        reasons: (r.reasons as string[]).join(', ') || 'No similar child',
        childHref: r.caseChildId ? paths.children.record(r.caseChildId) : r.matchedChildId ? paths.children.record(r.matchedChildId) : null,
      })),
      knownCount: exercise.knownCount,
      errors,
    });
  }

  app.get<{ Params: { exerciseId: string }; Querystring: { done?: string } }>('/matching/:exerciseId', (request, reply) => renderExercise(request, reply, null));

  app.post<{ Params: { exerciseId: string }; Querystring: { done?: string } }>('/matching/:exerciseId/cases', async (request, reply) => {
    const body = bodyOf(request.body);
    try {
      const result = await services.openCasesFromExercise(request.context(), request.params.exerciseId, { rowIds: body['rowIds'] });
      return reply.redirect(`${paths.matching.exercise(request.params.exerciseId)}?done=${encodeURIComponent(`${result.opened} children missing education ${result.opened === 1 ? 'case' : 'cases'} opened`)}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderExercise(request, reply, formErrors(error, { rowIds: 'unknown-children' }), 400);
    }
  });
}
