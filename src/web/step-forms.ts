import { dateInputItems, dateParts, readDateInput, text, type FormBody, type FormErrors } from './forms.ts';

/**
 * Step forms described as data: each field becomes the GOV.UK macro for its type in step-form.njk,
 * keeping the user's answers and showing inline errors. Used by the home education and social care
 * steps, whose forms differ only in their fields.
 */
/** A field on a home education form, rendered by action.njk with the GOV.UK macro for its type. */
export type Field =
  | { type: 'textarea'; name: string; label: string; hint?: string }
  | { type: 'radios'; name: string; label: string; hint?: string; options: Record<string, string>; inline?: boolean }
  | { type: 'checkboxes'; name: string; label: string; hint?: string; options: Record<string, string> }
  | { type: 'select'; name: string; label: string; hint?: string; options: Record<string, string> }
  | { type: 'date'; name: string; label: string; hint?: string }
  | { type: 'text'; name: string; label: string; hint?: string };

/** Turns a field into the parameters its GOV.UK macro takes, with the user's values and errors. */
export function presentField(field: Field, values: Record<string, unknown>, errors: FormErrors | null) {
  const value = values[field.name];
  const error = errors?.fields[field.name];
  const base = { type: field.type, name: field.name, id: field.name, label: field.label, hint: field.hint ? { text: field.hint } : undefined, errorMessage: error };
  switch (field.type) {
    case 'radios':
      return { ...base, classes: field.inline ? 'govuk-radios--inline' : '', items: Object.entries(field.options).map(([v, t]) => ({ value: v, text: t, checked: value === v })) };
    case 'checkboxes': {
      const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      return { ...base, items: Object.entries(field.options).map(([v, t]) => ({ value: v, text: t, checked: chosen.includes(v) })) };
    }
    case 'select':
      return { ...base, items: Object.entries(field.options).map(([v, t]) => ({ value: v, text: t, selected: value === v })) };
    case 'date': {
      const parts = { day: String(values[`${field.name}-day`] ?? ''), month: String(values[`${field.name}-month`] ?? ''), year: String(values[`${field.name}-year`] ?? '') };
      return { ...base, items: dateInputItems(field.name, parts.day || parts.month || parts.year ? parts : dateParts(null), Boolean(error)) };
    }
    default:
      return { ...base, value: typeof value === 'string' ? value : '' };
  }
}

/** Reads a step form's fields from a submitted body: dates from their three inputs, checkboxes as lists. */
export function readFieldInput(fields: readonly Field[], body: FormBody): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.type === 'date') input[field.name] = readDateInput(body, field.name).iso;
    else if (field.type === 'checkboxes') input[field.name] = body[field.name] ?? [];
    else input[field.name] = text(body, field.name);
  }
  return input;
}
