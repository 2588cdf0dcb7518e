import { readFileSync } from 'node:fs';
import { TableBuilder } from './data.ts';
import { loadModel, withModelTermFrequencies, type LinkageModel } from './model.ts';
import { createScorer, explain, type Waterfall } from './score.ts';
import { requiredColumns } from './settings.ts';

/**
 * Scoring one incoming record against a few candidates, as intake does: the candidates come from
 * the database (found by whatever search intake uses), the model was trained in advance, and each
 * candidate gets its match weight, probability and waterfall.
 *
 * A batch of one record and fifty candidates says nothing about how common a name is, so the
 * model's own term-frequency tables (from the data it was trained on) are used where it has them;
 * a model without them falls back to the batch's frequencies, which treat every value as common.
 */

/** A record keyed by the model's column names; a missing key, null, undefined and '' are all "not known". */
export type PersonRecord = Readonly<Record<string, string | null | undefined>>;

export interface RecordMatch {
  /** Match weight: log2 of the odds that the two records are the same child. */
  weight: number;
  probability: number;
  /**
   * Every contribution to the weight. `left` is the incoming record (index 0) and `right` the
   * candidate (index = its position in the candidates + 1); their ids are the records' id column,
   * or '' when they have none.
   */
  waterfall: Waterfall;
}

export interface RecordMatcher {
  readonly model: LinkageModel;
  /** Scores `left` against each candidate; the results are in the candidates' order. */
  score(left: PersonRecord, candidates: readonly PersonRecord[]): RecordMatch[];
}

/** Binds a trained model for scoring single records; the matcher keeps no state between calls. */
export function createRecordMatcher(model: LinkageModel): RecordMatcher {
  const settings = model.settings;
  const idColumn = settings.uniqueIdColumn;
  const columns = requiredColumns(settings).filter((column) => column !== idColumn);
  const text = (value: string | null | undefined): string => (typeof value === 'string' ? value : '');
  return {
    model,
    score(left, candidates) {
      if (candidates.length === 0) return [];
      const builder = new TableBuilder(settings);
      const records = [left, ...candidates];
      const add = builder.beginSource([idColumn, ...columns], 'records');
      // Positions, not the callers' ids, identify records in the table: an incoming record may have
      // no id yet, and a candidate list may repeat one.
      records.forEach((record, index) => add([String(index), ...columns.map((column) => text(record[column]))]));
      const table = withModelTermFrequencies(model, builder.finish());
      const scorer = createScorer(model, table);
      const leftId = text(left[idColumn]).trim();
      return candidates.map((candidate, index) => {
        const waterfall = explain(scorer, 0, index + 1);
        waterfall.left.id = leftId;
        waterfall.right.id = text(candidate[idColumn]).trim();
        return { weight: waterfall.matchWeight, probability: waterfall.probability, waterfall };
      });
    },
  };
}

let childrenPresetModel: LinkageModel | null = null;

/**
 * The model trained on synthetic children with `presets/children.json` (`npm run
 * linkage:train-preset`), read once and shared: treat it as read-only.
 */
export function loadChildrenPresetModel(): LinkageModel {
  childrenPresetModel ??= loadModel(readFileSync(new URL('./presets/children.model.json', import.meta.url), 'utf8'));
  return childrenPresetModel;
}
