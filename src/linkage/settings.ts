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
  'dateDigits',
  'namesSwapped',
  'nameVariant',
  'sharedWord',
  'else',
] as const;

export type LevelKind = (typeof LEVEL_KINDS)[number];

export const KEY_TRANSFORMS = ['doubleMetaphone', 'first3', 'year', 'date', 'lower'] as const;
export type KeyTransform = (typeof KEY_TRANSFORMS)[number];

const DATE_KINDS: ReadonlySet<LevelKind> = new Set(['dateExact', 'dateTransposedDayMonth', 'dateWithinDays', 'dateWithinYears', 'dateDigits']);

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
      kind: z.literal('dateDigits'),
      /** Written as yyyymmdd, the dates differ in at most this many of the eight digits. */
      maxDifferent: z.number().int('maxDifferent must be a whole number').min(1, 'maxDifferent must be at least 1').max(8, 'maxDifferent must be at most 8'),
      ...levelCommon,
    }),
    z.strictObject({ kind: z.literal('nameVariant'), ...levelCommon }),
    z.strictObject({ kind: z.literal('sharedWord'), ...levelCommon }),
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
    /** Shown in waterfalls before each level's label, e.g. "Date of birth"; defaults to the name. */
    label: z.string().trim().min(1, 'a label must not be blank').optional(),
    /**
     * Other columns this comparison is not independent of (an address line of the postcode): a
     * training rule or segment on one of them leaves this comparison out, as it does the comparisons
     * on its own columns.
     */
    correlatedWith: z.array(columnName).optional(),
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
        swappedWith: columnName.optional(),
      },
      { error: 'a key is a column name or { "column": ..., "transform": ... }' },
    ),
  )
  .refine((key) => key.swappedWith === undefined || key.transform === undefined || key.transform === null || key.transform === 'lower' || key.transform === 'first3', {
    message: 'swappedWith works with no transform, "lower" or "first3"',
  })
  .transform((key): BlockingKey => ({ column: key.column, transform: key.transform ?? null, ...(key.swappedWith === undefined ? {} : { swappedWith: key.swappedWith }) }));

const ruleSchema = z.array(blockingKeySchema).min(1, 'a rule needs at least one column');

export const KEEP_CHARACTERS = ['alphanumeric', 'letters', 'digits'] as const;

/** How a column's values are cleaned before anything compares them (see README.md). */
const cleaningSchema = z.strictObject(
  {
    /** Values (compared after trimming and lower-casing) that mean "not known", e.g. "U" for sex. */
    missingValues: z.array(z.string()).optional(),
    /** Drops text in brackets or double quotes: "Katherine (Kate)" and 'William "Bill"' become the first name alone. */
    dropBracketed: z.boolean().optional(),
    /** Replaces accented letters by plain ones: "Zoë" as "zoe", "Kozłowski" as "kozlowski". */
    foldAccents: z.boolean().optional(),
    /** Keeps only these characters, dropping spaces and punctuation: "999 123 4567" as "9991234567". */
    keep: z.enum(KEEP_CHARACTERS, { error: `keep must be one of: ${KEEP_CHARACTERS.join(', ')}` }).optional(),
    /** Whole words replaced by others (after lower-casing), e.g. { "rd": "road" }, so abbreviations agree. */
    words: z.record(z.string().min(1), z.string()).optional(),
  },
  { error: 'cleaning for a column is an object such as { "missingValues": ["U"] }' },
);

export const settingsSchema = z
  .strictObject({
    linkType: z.enum(['dedupe', 'link'], { error: 'linkType must be "dedupe" or "link"' }),
    uniqueIdColumn: columnName,
    comparisons: z.array(comparisonSchema).min(1, 'give at least one comparison'),
    blockingRules: z.array(ruleSchema).min(1, 'give at least one blocking rule'),
    deterministicRules: z.array(ruleSchema).default([]),
    /** Rules for the expectation-maximisation sessions that estimate m; the blocking rules by default. */
    trainingRules: z.array(ruleSchema).optional(),
    recall: z.number().gt(0, 'recall must be more than 0').max(1, 'recall must be at most 1').optional(),
    /**
     * How training estimates λ: from the deterministic rules and their assumed recall (the default
     * when there are any), or as the expected number of matches among the candidate pairs.
     */
    priorEstimate: z.enum(['deterministicRules', 'candidatePairs'], { error: 'priorEstimate must be "deterministicRules" or "candidatePairs"' }).optional(),
    maxPairs: z.number().int('maxPairs must be a whole number').positive('maxPairs must be more than 0').default(50_000_000),
    /**
     * When set, clustering never joins two groups of records if a record of one and a record of the
     * other are more likely different children than the same (match probability below 0.5, and
     * below the threshold) with some comparison weighing this much or less against them (a negative
     * weight, e.g. -6: different first names within one household, different NHS numbers).
     */
    clusterContradictionWeight: z.number().max(0, 'clusterContradictionWeight is a weight against a match, so 0 or less').optional(),
    /** Other names a file may give a column, e.g. { "address": ["address_line_1"] }; the column's own name wins. */
    columnAliases: z.record(columnName, z.array(columnName)).optional(),
    /** Per column, how values are cleaned before comparison and blocking. */
    cleaning: z.record(columnName, cleaningSchema).optional(),
    /** Further groups of names that are variants of each other, added to the built-in list (names.ts). */
    nameVariants: z.array(z.array(z.string().trim().min(1)).min(2, 'a group of name variants needs at least two names')).optional(),
    /**
     * Subsets of pairs, each defined by a rule, whose comparisons are not independent of one another
     * (two records at one address with one surname are most often the same family): pairs a
     * segment's rule accepts are scored with the prior and u estimated among such pairs.
     */
    segments: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1, 'a segment needs a name'),
          label: z.string().trim().min(1).optional(),
          rule: ruleSchema,
          /**
           * Comparisons that tell the segment's members apart (first names, identifiers within one
           * household): clustering takes a link inside the segment only when at least one of them is
           * known on both records, so the rule's shared values alone never join two records.
           */
          identifying: z.array(z.string().trim().min(1)).min(1, 'identifying needs at least one comparison').optional(),
        }),
      )
      .optional(),
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
    const segmentNames = new Set<string>();
    settings.segments?.forEach((segment, index) => {
      if (segmentNames.has(segment.name)) context.addIssue({ code: 'custom', path: ['segments', index, 'name'], message: `"${segment.name}" is already the name of another segment` });
      segmentNames.add(segment.name);
      segment.identifying?.forEach((name, k) => {
        if (!seen.has(name)) context.addIssue({ code: 'custom', path: ['segments', index, 'identifying', k], message: `"${name}" is not the name of a comparison` });
      });
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
  /**
   * Another column: the key is then the two columns' values (each transformed) as an unordered
   * pair, so a record with the two swapped (a surname in the first-name field) agrees.
   */
  swappedWith?: string;
}

export type BlockingRule = BlockingKey[];
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type ComparisonSettings = Settings['comparisons'][number];
export type LevelSettings = ComparisonSettings['levels'][number];
export type ColumnCleaning = NonNullable<Settings['cleaning']>[string];

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

/** A plain-English name for a comparison, for waterfalls and reports. */
export function comparisonLabel(comparison: ComparisonSettings): string {
  return comparison.label ?? comparison.name;
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
    case 'dateDigits':
      return `at most ${level.maxDifferent} digit${level.maxDifferent === 1 ? '' : 's'} different${on}`;
    case 'nameVariant':
      return `same or a known variant${on}`;
    case 'sharedWord':
      return `a word in common${on}`;
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
  for (const comparison of settings.comparisons) for (const column of [...comparison.columns, ...(comparison.correlatedWith ?? [])]) columns.add(column);
  for (const rule of [...settings.blockingRules, ...settings.deterministicRules, ...(settings.trainingRules ?? []), ...(settings.segments ?? []).map((segment) => segment.rule)]) {
    for (const key of rule) {
      columns.add(key.column);
      if (key.swappedWith !== undefined) columns.add(key.swappedWith);
    }
  }
  return [...columns];
}

/** The columns a comparison reads, and those it is declared not independent of. */
export function comparisonDependsOn(comparison: ComparisonSettings): string[] {
  return [...comparison.columns, ...(comparison.correlatedWith ?? [])];
}

/** Columns of a blocking rule, for working out which comparisons a training session must hold fixed. */
export function ruleColumns(rule: BlockingRule): Set<string> {
  return new Set(rule.map((key) => key.column));
}

/** A short description of a rule, e.g. `surname(doubleMetaphone) & dob(year)`. */
export function describeRule(rule: BlockingRule): string {
  const one = (column: string, transform: KeyTransform | null): string => (transform === null ? column : `${column}(${transform})`);
  return rule.map((key) => (key.swappedWith === undefined ? one(key.column, key.transform) : `{${one(key.column, key.transform)}, ${one(key.swappedWith, key.transform)}}`)).join(' & ');
}
