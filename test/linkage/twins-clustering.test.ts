import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { clusterLinkedPairs, dedupeFile, loadChildrenPresetModel } from '../../src/linkage/index.ts';

/** Twins whose records slip out of the household segment (a mistyped postcode) must still not be joined. */
describe('clustering keeps twins apart just outside the household segment', () => {
  const header = 'record_id,first_name,surname,date_of_birth,sex,postcode,upn,nhs_number';
  const run = async (rows: string[]) => {
    const model = loadChildrenPresetModel();
    const result = await dedupeFile({ settings: model.settings, model, file: Readable.from([`${header}\n${rows.join('\n')}\n`]), threshold: 0.5, cluster: false, threads: 1 });
    return { result, clusters: clusterLinkedPairs(result, 0.8) };
  };

  test('different first names, one surname and date of birth, postcode one character apart', async () => {
    const { result, clusters } = await run(['a,Jesse,Tairkick,2008-08-12,M,NZ7 1LT,,', 'b,Rory,Tairkick,2008-08-12,M,NZ7 1TL,,9990830649']);
    expect(result.pairs.find((p) => p.leftId === 'a' && p.rightId === 'b')?.probability).toBeGreaterThanOrEqual(0.8);
    expect(clusters.clusterIds[0]).not.toBe(clusters.clusterIds[1]);
  });

  test('a sibling’s UPN on a record with another first name and a mistyped postcode', async () => {
    const { result, clusters } = await run(['a,Favour,Bamrinde,2007-12-22,F,NZ8 0ER,Q999209512045,', 'b,Precious,Bamrinde,2007-12-22,F,NZ8 0ZR,Q999209512045,']);
    expect(result.pairs.find((p) => p.leftId === 'a' && p.rightId === 'b')?.probability).toBeGreaterThanOrEqual(0.8);
    expect(clusters.clusterIds[0]).not.toBe(clusters.clusterIds[1]);
  });

  test('a record with no first name whose only identifier known on both differs is not joined on date and place alone', async () => {
    const { clusters } = await run(['a,,Saipick,2008-03-14,F,NZ8 7SH,L999224812088,', 'b,Mae,Brupwell,2008-03-14,F,NZ8 7SH,X999224812087,']);
    expect(clusters.clusterIds[0]).not.toBe(clusters.clusterIds[1]);
  });

  test('the same child just outside the household segment is still joined', async () => {
    const { clusters } = await run(['a,Jesse,Tairkick,2008-08-12,M,NZ7 1LT,,9990830649', 'b,Jesse,Tairkick,2008-08-12,M,NZ7 1TL,,9990830649']);
    expect(clusters.clusterIds[0]).toBe(clusters.clusterIds[1]);
  });
});
