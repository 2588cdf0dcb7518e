import { DomainError } from '../domain/errors.ts';

/** Error summary and inline messages in the shape the GOV.UK macros take. */
export interface FormErrors {
  list: { text: string; href: string }[];
  fields: Record<string, { text: string }>;
}

/** Turns a validation error into GOV.UK error summary items, linking each to its field's id. */
export function formErrors(error: DomainError, fieldIds: Record<string, string> = {}): FormErrors {
  const fields: FormErrors['fields'] = {};
  const list: FormErrors['list'] = [];
  for (const [field, message] of Object.entries(error.fields)) {
    fields[field] = { text: message };
    list.push({ text: message, href: `#${fieldIds[field] ?? field}` });
  }
  if (list.length === 0) list.push({ text: error.message, href: '#main-content' });
  return { list, fields };
}

export function isValidationError(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === 'validation';
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Reads a GOV.UK date input (`<name>-day`, `-month`, `-year`) into parts and an ISO date if complete. */
export function readDateInput(body: Record<string, unknown>, name: string): { parts: DateParts; iso: string } {
  const part = (suffix: string) => (typeof body[`${name}-${suffix}`] === 'string' ? String(body[`${name}-${suffix}`]).trim() : '');
  const parts = { day: part('day'), month: part('month'), year: part('year') };
  if (!parts.day && !parts.month && !parts.year) return { parts, iso: '' };
  const iso = `${parts.year.padStart(4, '0')}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  return { parts, iso };
}

/** Splits an ISO date back into the parts a date input shows. */
export function dateParts(iso: string | null | undefined): DateParts {
  if (!iso) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

export function dateInputItems(name: string, parts: DateParts, hasError: boolean) {
  const cls = (width: number) => `govuk-input--width-${width}${hasError ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', id: `${name}-day`, value: parts.day, classes: cls(2) },
    { name: 'month', label: 'Month', id: `${name}-month`, value: parts.month, classes: cls(2) },
    { name: 'year', label: 'Year', id: `${name}-year`, value: parts.year, classes: cls(4) },
  ];
}

export type FormBody = Record<string, unknown>;

export function bodyOf(body: unknown): FormBody {
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

export function text(body: FormBody, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value : '';
}
