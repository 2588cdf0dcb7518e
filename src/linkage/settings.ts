import { z } from 'zod';

/**
 * Linkage settings as data: the JSON format described in `README.md` beside this file. Everything
 * the engine does with a data set — which columns are compared and how, which pairs are even
 * considered, how the prior is estimated — is fixed here, so a run can be reproduced and reviewed
 * from one file. Validation names the path of every problem so a data officer can fix the file
 * without reading code.
 */

export const LEVEL_KINDS = [
  'null',
  'exact',
  'jaroWinkler',
  'damerauLevenshtein',
  'levenshtein',
  'doubleMetaphone',
  'dateExact',
  'dateTransposedDayMonth',
  'dateWithinDays',
  'dateWithinYears',
  'namesSwapped',
  'else',
] as const;

export type LevelKind = (typeof LEVEL_KINDS)[number];

export const KEY_TRANSFORMS = ['doubleMetaphone', 'first3', 'year', 'lower'] as const;
export type KeyTransform = (typeof KEY_TRANSFORMS)[number];

const DATE_KINDS: ReadonlySet<LevelKind> = new Set(['dateExact', 'dateTransposedDayMonth', 'dateWithinDays', 'dateWithinYears']);

const columnName = z.string().trim().min(1, 'a column name must not be blank');

const levelCommon = {
  /** Shown in waterfalls; defaults to a description of the condition. */
  label: z.string().min(1).optional(),
  /** Restricts the condition to one of the comparison's columns (all of them by default). */
  column: columnName.optional(),
  termFrequencyAdjustment: z.boolean().optional(),
};

const levelSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('null'), ...levelCommon }),
    z.strictObject({ kind: z.literal('exact'), ...levelCommon }),
    z.strictObject({
      kind: z.literal('jaroWinkler'),
      threshold: z.number().min(0, 'threshold must be between 0 and 1').max(1, 'threshold must be between 0 and 1'),
      ...levelCommon,
    }),
    z.strictObject({
      kind: z.literal('damerauLevenshtein'),
      maxDistance: z.number().int('maxDistance must be a whole number').min(0, 'maxDistance must not be negative'),
      ...levelCommon,
    }),
    z.strictObject({
      kind: z.literal('levenshtein'),
      maxDistance: z.number().int('maxDistance must be a whole number').min(0, 'maxDistance must not be negative'),
      ...levelCommon,
    }),
    z.strictObject({ kind: z.literal('doubleMetaphone'), ...levelCommon }),
    z.strictObject({ kind: z.literal('dateExact'), ...levelCommon }),
    z.strictObject({ kind: z.literal('dateTransposedDayMonth'), ...levelCommon }),
    z.strictObject({
      kind: z.literal('dateWithinDays'),
      days: z.number().int('days must be a whole number').min(0, 'days must not be negative'),
      ...levelCommon,
    }),
    z.strictObject({
      kind: z.literal('dateWithinYears'),
      years: z.number().positive('years must be more than 0'),
      ...levelCommon,
    }),
    z.strictObject({
      kind: z.literal('namesSwapped'),
      /** Jaro-Winkler threshold for a fuzzy swap; without it the swapped names must be equal. */
      threshold: z.number().min(0, 'threshold must be between 0 and 1').max(1, 'threshold must be between 0 and 1').optional(),
      ...levelCommon,
    }),
    z.strictObject({ kind: z.literal('else'), ...levelCommon }),
  ],
  { error: `kind must be one of: ${LEVEL_KINDS.join(', ')}` },
);

const comparisonSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'a comparison needs a name'),
    columns: z.preprocess(
      (columns) => (typeof columns === 'string' ? [columns] : columns),
      z
        .array(columnName, { error: 'columns must be a column name or a list of one or two column names' })
        .min(1, 'give one column or two')
        .max(2, 'give one column or two'),
    ),
    levels: z.array(levelSchema).min(2, 'a comparison needs at least one level besides "else"'),
  })
  .superRefine((comparison, context) => {
    const { columns, levels } = comparison;
    if (new Set(columns).size !== columns.length) {
      context.addIssue({ code: 'custom', path: ['columns'], message: 'the two columns must be different' });
    }
    let substantive = 0;
    levels.forEach((level, index) => {
      const path = ['levels', index];
      if (level.kind === 'else' && index !== levels.length - 1) {
        context.addIssue({ code: 'custom', path: [...path, 'kind'], message: '"else" must be the last level' });
      }
      if (level.kind === 'null' && index !== 0) {
        context.addIssue({ code: 'custom', path: [...path, 'kind'], message: '"null" must be the first level' });
      }
      if (level.kind !== 'null' && level.kind !== 'else') substantive += 1;
      if (level.column !== undefined && !columns.includes(level.column)) {
        context.addIssue({ code: 'custom', path: [...path, 'column'], message: `"${level.column}" is not one of this comparison's columns (${columns.join(', ')})` });
      }
      const effective = level.column === undefined ? columns.length : 1;
      if (level.kind === 'namesSwapped') {
        if (columns.length !== 2) {
          context.addIssue({ code: 'custom', path: [...path, 'kind'], message: 'namesSwapped needs a comparison on two columns, e.g. ["first_name", "surname"]' });
        }
        if (level.column !== undefined) {
          context.addIssue({ code: 'custom', path: [...path, 'column'], message: 'namesSwapped uses both columns and cannot be restricted to one' });
        }
      }
      if (DATE_KINDS.has(level.kind) && effective !== 1) {
        context.addIssue({ code: 'custom', path: [...path, 'kind'], message: `${level.kind} compares one date column: restrict it with "column"` });
      }
      if (level.termFrequencyAdjustment === true && (level.kind === 'null' || level.kind === 'else')) {
        context.addIssue({ code: 'custom', path: [...path, 'termFrequencyAdjustment'], message: `a "${level.kind}" level cannot have a term frequency adjustment` });
      }
    });
    if (levels.length > 0 && levels[levels.length - 1]?.kind !== 'else') {
      context.addIssue({ code: 'custom', path: ['levels', levels.length - 1, 'kind'], message: 'the last level must be "else", to catch every other pair' });
    }
    if (substantive === 0) {
      context.addIssue({ code: 'custom', path: ['levels'], message: 'a comparison needs at least one level besides "null" and "else"' });
    }
    if (levels.length > 100) {
      context.addIssue({ code: 'custom', path: ['levels'], message: 'a comparison can have at most 100 levels' });
    }
  });

const blockingKeySchema = z
  .preprocess(
    (key) => (typeof key === 'string' ? { column: key } : key),
    z.strictObject(
      {
        column: columnName,
        transform: z.enum(KEY_TRANSFORMS, { error: `transform must be one of: ${KEY_TRANSFORMS.join(', ')}` }).nullable().optional(),
      },
      { error: 'a key is a column name or { "column": ..., "transform": ... }' },
    ),
  )
  .transform((key): BlockingKey => ({ column: key.column, transform: key.transform ?? null }));

const ruleSchema = z.array(blockingKeySchema).min(1, 'a rule needs at least one column');

export const settingsSchema = z
  .strictObject({
    linkType: z.enum(['dedupe', 'link'], { error: 'linkType must be "dedupe" or "link"' }),
    uniqueIdColumn: columnName,
    comparisons: z.array(comparisonSchema).min(1, 'give at least one comparison'),
    blockingRules: z.array(ruleSchema).min(1, 'give at least one blocking rule'),
    deterministicRules: z.array(ruleSchema).default([]),
    recall: z.number().gt(0, 'recall must be more than 0').max(1, 'recall must be at most 1').optional(),
    maxPairs: z.number().int('maxPairs must be a whole number').positive('maxPairs must be more than 0').default(50_000_000),
  })
  .superRefine((settings, context) => {
    const seen = new Map<string, number>();
    settings.comparisons.forEach((comparison, index) => {
      const earlier = seen.get(comparison.name);
      if (earlier !== undefined) {
        context.addIssue({ code: 'custom', path: ['comparisons', index, 'name'], message: `"${comparison.name}" is already the name of comparisons[${earlier}]` });
      } else {
        seen.set(comparison.name, index);
      }
    });
    if (settings.deterministicRules.length > 0 && settings.recall === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['recall'],
        message: 'recall is required with deterministicRules: the share of true matches those rules find, e.g. 0.8',
      });
    }
  });

export interface BlockingKey {
  column: string;
  /** Derived key; null compares the trimmed value as it is. */
  transform: KeyTransform | null;
}

export type BlockingRule = BlockingKey[];
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type ComparisonSettings = Settings['comparisons'][number];
export type LevelSettings = ComparisonSettings['levels'][number];

export interface SettingsIssue {
  /** Where the problem is, e.g. `comparisons[0].levels[2].threshold`. */
  path: string;
  message: string;
}

/** Settings that failed validation; `issues` lists every problem found, not just the first. */
export class SettingsError extends Error {
  override name = 'SettingsError';
  readonly issues: SettingsIssue[];
  constructor(issues: SettingsIssue[]) {
    super(`Invalid linkage settings:\n${issues.map((issue) => `- ${issue.path || '(top level)'}: ${issue.message}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Formats a zod path the way the JSON would be addressed in JavaScript. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

export function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): SettingsIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** Validates settings given as an object (already parsed JSON); throws a SettingsError. */
export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) throw new SettingsError(issuesOf(result.error));
  return result.data;
}

/** Validates settings given as JSON text; malformed JSON is reported as a settings error too. */
export function parseSettingsJson(text: string): Settings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SettingsError([{ path: '', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  return parseSettings(value);
}

/** The columns a level's condition reads: its restricted column, or all the comparison's columns. */
export function levelColumns(comparison: ComparisonSettings, level: LevelSettings): string[] {
  return level.column === undefined ? comparison.columns : [level.column];
}

export function isDateKind(kind: LevelKind): boolean {
  return DATE_KINDS.has(kind);
}

/** A plain-English label for a level, for waterfalls and reports. */
export function levelLabel(comparison: ComparisonSettings, level: LevelSettings): string {
  if (level.label !== undefined) return level.label;
  const on = level.column === undefined ? '' : ` on ${level.column}`;
  switch (level.kind) {
    case 'null':
      return 'value missing';
    case 'exact':
      return `exact match${on}`;
    case 'jaroWinkler':
      return `Jaro-Winkler ≥ ${level.threshold}${on}`;
    case 'damerauLevenshtein':
      return `Damerau-Levenshtein ≤ ${level.maxDistance}${on}`;
    case 'levenshtein':
      return `Levenshtein ≤ ${level.maxDistance}${on}`;
    case 'doubleMetaphone':
      return `sounds alike (Double Metaphone)${on}`;
    case 'dateExact':
      return `same date${on}`;
    case 'dateTransposedDayMonth':
      return `day and month transposed${on}`;
    case 'dateWithinDays':
      return `within ${level.days} days${on}`;
    case 'dateWithinYears':
      return `within ${level.years} years${on}`;
    case 'namesSwapped':
      return level.threshold === undefined
        ? `${comparison.columns.join(' and ')} swapped`
        : `${comparison.columns.join(' and ')} swapped (Jaro-Winkler ≥ ${level.threshold})`;
    case 'else':
      return 'all other';
  }
}

/** Every column the settings read, so a file missing one can be rejected before any work. */
export function requiredColumns(settings: Settings): string[] {
  const columns = new Set<string>([settings.uniqueIdColumn]);
  for (const comparison of settings.comparisons) for (const column of comparison.columns) columns.add(column);
  for (const rule of [...settings.blockingRules, ...settings.deterministicRules]) for (const key of rule) columns.add(key.column);
  return [...columns];
}

/** Columns of a blocking rule, for working out which comparisons a training session must hold fixed. */
export function ruleColumns(rule: BlockingRule): Set<string> {
  return new Set(rule.map((key) => key.column));
}

/** A short description of a rule, e.g. `surname(doubleMetaphone) & dob(year)`. */
export function describeRule(rule: BlockingRule): string {
  return rule.map((key) => (key.transform === null ? key.column : `${key.column}(${key.transform})`)).join(' & ');
}
