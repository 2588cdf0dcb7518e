import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TableBuilder } from '../data.ts';
import { saveModel, trainModel, type LinkageModel } from '../model.ts';
import { parseSettingsJson } from '../settings.ts';
import { CSV_COLUMNS } from '../synthetic/csv.ts';
import { generatePopulation, type SyntheticRecord } from '../synthetic/generate.ts';

/**
 * `npm run linkage:train-preset`: trains the children preset on synthetic children and writes
 * `children.model.json` beside this file, the model intake's record matcher loads. The data set is
 * generated here from a fixed seed (realistic error profile), so the same preset always gives the
 * same file; rerun it whenever `children.json` changes.
 */

export const PRESET_TRAINING = {
  seed: 20261122,
  records: 100_000,
  errorProfile: 'realistic',
  /** How many of the commonest values of each term-frequency column the model keeps. */
  termFrequencyValues: 2000,
} as const;

/** The generator's CSV row for a record, as the fields of a table source with CSV_COLUMNS as its header. */
export function csvFields(record: SyntheticRecord): string[] {
  return [
    record.recordId,
    record.personId,
    record.source,
    record.firstName,
    record.surname,
    record.dateOfBirth,
    record.sex,
    record.addressLine1,
    record.postcode,
    record.upn,
    record.nhsNumber,
  ];
}

const presetUrl = new URL('./children.json', import.meta.url);
const modelUrl = new URL('./children.model.json', import.meta.url);

async function main(): Promise<void> {
  const settings = parseSettingsJson(readFileSync(presetUrl, 'utf8'));
  const started = performance.now();
  const builder = new TableBuilder(settings);
  const add = builder.beginSource(CSV_COLUMNS, 'synthetic children');
  for (const record of generatePopulation({ seed: PRESET_TRAINING.seed, records: PRESET_TRAINING.records, errorProfile: PRESET_TRAINING.errorProfile })) {
    add(csvFields(record));
  }
  const table = builder.finish();
  const trained = trainModel(table, settings, {
    seed: 1,
    termFrequencyValues: PRESET_TRAINING.termFrequencyValues,
    onProgress: (stage) => process.stderr.write(`training: ${stage}\n`),
  });
  const { format, version, ...rest } = trained;
  const model: LinkageModel = {
    format,
    version,
    description:
      `The children preset (children.json) trained by \`npm run linkage:train-preset\` on ${PRESET_TRAINING.records.toLocaleString('en-GB')} ` +
      `synthetic records (${PRESET_TRAINING.errorProfile} error profile, seed ${PRESET_TRAINING.seed}); term frequencies are those of that data.`,
    ...rest,
  };
  const text = saveModel(model);
  writeFileSync(modelUrl, text);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`wrote ${fileURLToPath(modelUrl)} (${Math.round(text.length / 1024)} KiB) in ${seconds} s\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
