import type { FastifyInstance } from 'fastify';

/**
 * Just enough of multipart/form-data (RFC 7578) for a GOV.UK file upload form: text fields (the
 * `_csrf` token among them) and files, read from a body Fastify has already buffered under a size
 * limit. Cairn has no multipart package, and a browser cannot send a file any other way without
 * JavaScript. Registered only inside the imports routes' own plugin, so no other page accepts it.
 */

export interface UploadedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
  /** Every file under each name, in the order sent, for an input that takes several (`multiple`). */
  fileLists: Record<string, UploadedFile[]>;
  /** Text fields are also top-level, so the CSRF check finds `_csrf` as on any form. */
  [field: string]: unknown;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
  readonly statusCode = 400;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 70) throw new MultipartError('The form could not be read: it has no multipart boundary');
  return boundary;
}

/** A parameter of Content-Disposition, e.g. name="file" or filename="returns.csv". */
function dispositionParam(disposition: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(disposition);
  return match ? match[1]!.replace(/\\(.)/g, '$1') : null;
}

/** Splits a buffered multipart body into its fields and files. */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const result: MultipartBody = { fields: {}, files: {}, fileLists: {} };
  let position = body.indexOf(delimiter);
  if (position < 0) throw new MultipartError('The form could not be read');
  for (let parts = 0; ; parts += 1) {
    if (parts > 20) throw new MultipartError('The form has too many parts');
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    if (!body.subarray(position, position + 2).equals(CRLF)) throw new MultipartError('The form could not be read');
    position += 2;
    const headerEnd = body.indexOf(HEADER_END, position);
    if (headerEnd < 0) throw new MultipartError('The form could not be read');
    const headers: Record<string, string> = {};
    for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const contentStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), contentStart);
    if (next < 0) throw new MultipartError('The form could not be read: it ends too soon');
    const content = body.subarray(contentStart, next);
    const disposition = headers['content-disposition'] ?? '';
    const name = dispositionParam(disposition, 'name');
    const fileName = dispositionParam(disposition, 'filename');
    if (name && name !== 'fields' && name !== 'files' && name !== 'fileLists') {
      if (fileName !== null) {
        const file = { fileName, contentType: headers['content-type'] ?? 'application/octet-stream', data: Buffer.from(content) };
        result.files[name] = file;
        (result.fileLists[name] ??= []).push(file);
      } else {
        const value = content.toString('utf8');
        result.fields[name] = value;
        result[name] = value;
      }
    }
    position = next + CRLF.length;
  }
  return result;
}

/** Lets this plugin (and only it) read multipart/form-data bodies up to `bodyLimit` bytes. */
export function acceptMultipart(scope: FastifyInstance, bodyLimit: number): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, request.headers['content-type'] ?? ''));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
