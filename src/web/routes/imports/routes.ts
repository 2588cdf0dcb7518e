import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.ts';
import { DEFAULT_MAX_CSV_BYTES, snakeCase } from '../../../domain/register/csv.ts';
import { OPTIONAL_COLUMNS, PROBLEMS_SHOWN, REQUIRED_COLUMNS, type DeletionReturnsImportResult } from '../../../domain/register/import-deletion-returns.ts';
import { DomainError } from '../../../domain/errors.ts';
import { bodyOf, formErrors, isValidationError } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { acceptMultipart, MultipartError, type MultipartBody } from './multipart.ts';

/** The multipart body may be a little bigger than the file it carries (the boundary, the CSRF field). */
const UPLOAD_BODY_LIMIT = DEFAULT_MAX_CSV_BYTES + 64 * 1024;

const OUTCOME_LABELS: Record<keyof DeletionReturnsImportResult['outcomes'], string> = {
  'ehe-episode-opened': 'Home education episodes opened',
  'cme-case-opened': 'Missing education cases opened',
  'held-for-consent': 'Held for the council’s consent',
  recorded: 'Recorded (pupil left the roll)',
  'awaiting-match': 'Waiting to be matched to a child',
};

function renderUpload(request: FastifyRequest, reply: FastifyReply, status: number, message?: string) {
  const isSchool = request.session?.user.role === 'school_user';
  return reply.status(status).render('imports/upload.njk', {
    pageTitle: 'Upload deletion returns',
    isSchool,
    maxSize: `${DEFAULT_MAX_CSV_BYTES / (1024 * 1024)}MB`,
    requiredColumns: REQUIRED_COLUMNS.map(snakeCase),
    optionalColumns: OPTIONAL_COLUMNS.map(snakeCase),
    flash: (request.query as { done?: string } | undefined)?.done === 'cancelled' ? 'Nothing was imported' : undefined,
    errors: message ? formErrors(new DomainError('validation', 'There is a problem', { file: message })) : null,
  });
}

/**
 * Bulk CSV upload of deletion returns: upload, check the whole file, report every problem, then
 * import only the valid rows or nothing. The file waits server-side between the report and the
 * decision, so what is imported is exactly what was reported on.
 */
export function registerImportRoutes(app: FastifyInstance, services: Services) {
  void app.register(async (scope) => {
    acceptMultipart(scope, UPLOAD_BODY_LIMIT);
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (request.session && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return renderUpload(request, reply, 413, `The selected file must be smaller than ${DEFAULT_MAX_CSV_BYTES / (1024 * 1024)}MB`);
      if (request.session && error instanceof MultipartError) return renderUpload(request, reply, 400, 'The selected file could not be read. Upload it again');
      throw error;
    });

    scope.get(paths.imports.deletionReturns, async (request, reply) => {
      await services.loadHeldDeletionReturnsImport(request.context());
      return renderUpload(request, reply, 200);
    });

    scope.post(paths.imports.deletionReturns, async (request, reply) => {
      const ctx = request.context();
      const body = request.body as MultipartBody | undefined;
      const file = body?.files?.['file'];
      if (!file || (file.fileName === '' && file.data.length === 0)) {
        await services.loadHeldDeletionReturnsImport(ctx);
        return renderUpload(request, reply, 400, 'Select a CSV file');
      }
      const report = await services.checkAndHoldDeletionReturnsFile(ctx, file.data, file.fileName || 'uploaded file');
      if (report.fileError) return renderUpload(request, reply, 400, report.fileError.message);
      return reply.redirect(paths.imports.deletionReturnsReport, 303);
    });

    scope.get(paths.imports.deletionReturnsReport, async (request, reply) => {
      const held = await services.loadHeldDeletionReturnsImport(request.context());
      if (!held || held.stage !== 'checked') return reply.redirect(paths.imports.deletionReturns, 303);
      const { report } = held;
      return reply.render('imports/report.njk', {
        pageTitle: report.invalidRows > 0 ? 'The file has rows with problems' : 'The file is ready to import',
        fileName: held.fileName,
        report,
        problemRows: report.problems.slice(0, PROBLEMS_SHOWN).map((p) => [{ text: String(p.line) }, { text: p.column ?? 'Whole row' }, { text: p.reason }]),
        problemsCapped: report.problems.length >= PROBLEMS_SHOWN,
      });
    });

    scope.post(paths.imports.deletionReturnsReport, async (request, reply) => {
      const ctx = request.context();
      const body = bodyOf(request.body);
      const action = body['action'];
      if (action === 'cancel') {
        await services.loadHeldDeletionReturnsImport(ctx);
        await services.discardHeldDeletionReturnsFile(ctx);
        return reply.redirect(`${paths.imports.deletionReturns}?done=cancelled`, 303);
      }
      if (action !== 'valid-only' && action !== 'all') throw new DomainError('validation', 'Choose whether to import the file');
      try {
        await services.importHeldDeletionReturnsFile(ctx, { mode: action === 'all' ? 'all-or-nothing' : 'valid-only', sha256: typeof body['sha256'] === 'string' ? body['sha256'] : '' });
      } catch (error) {
        if (!isValidationError(error)) throw error;
        return renderUpload(request, reply, 400, error.fields['file'] ?? error.message);
      }
      return reply.redirect(paths.imports.deletionReturnsResult, 303);
    });

    scope.get(paths.imports.deletionReturnsResult, async (request, reply) => {
      const held = await services.loadHeldDeletionReturnsImport(request.context());
      if (!held || held.stage !== 'imported') return reply.redirect(paths.imports.deletionReturns, 303);
      const { result } = held;
      const summaryRows = [
        { key: { text: 'New returns imported' }, value: { text: String(result.imported) } },
        { key: { text: 'Already received, not imported again' }, value: { text: String(result.duplicates) } },
        { key: { text: 'Rows with problems, left out' }, value: { text: String(result.skipped) } },
        ...Object.entries(result.outcomes)
          .filter(([, n]) => n > 0)
          .map(([outcome, n]) => ({ key: { text: OUTCOME_LABELS[outcome as keyof typeof OUTCOME_LABELS] }, value: { text: String(n) } })),
      ];
      return reply.render('imports/result.njk', { pageTitle: result.status === 'imported' ? 'Deletion returns imported' : 'Nothing was imported', fileName: held.fileName, result, summaryRows });
    });
  });
}
