/**
 * Typed domain errors with documented codes. The web layer maps each code once to a GOV.UK error
 * page, and the JSON API to a problem body; nothing else decides status codes.
 *
 * | code             | meaning                                                     | HTTP |
 * |------------------|-------------------------------------------------------------|------|
 * | not-signed-in    | the request has no valid session or token                    | 401  |
 * | forbidden        | the actor may not do this to this record                     | 403  |
 * | not-found        | no such record (or none the actor may know exists)           | 404  |
 * | validation       | the input breaks a rule; `fields` says which                 | 400  |
 * | stale-version    | someone else changed the record since it was read            | 409  |
 */
export type DomainErrorCode = 'not-signed-in' | 'forbidden' | 'not-found' | 'validation' | 'stale-version';

export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: DomainErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

export const forbidden = (message = 'You do not have access to this.') => new DomainError('forbidden', message);
export const notFound = (what: string) => new DomainError('not-found', `${what} was not found.`);
export const staleVersion = (what: string) =>
  new DomainError('stale-version', `Someone else changed this ${what} while you were working on it. Check the latest details and try again.`);
