import type { z } from 'zod';
import { DomainError } from './errors.ts';

/** Parses input with a schema, or throws a validation error naming each field's first problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= issue.message;
  }
  throw new DomainError('validation', 'There is a problem', fields);
}
