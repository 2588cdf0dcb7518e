import { describe, expect, test } from 'vitest';
import { auditHash, canonicalJson, createChainVerifier, GENESIS_HASH, type StoredAuditRow } from '../../src/domain/audit/audit-chain.ts';

function chain(count: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const content = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 10, 22, 9, 0, seq)),
      actorId: 'user-1',
      actorLabel: 'Officer (ehe_officer)',
      action: 'child.view',
      recordType: 'child',
      recordId: `child-${seq}`,
      childId: null,
      correlationId: `req-${seq}`,
      details: { b: 2, a: [1, { d: 4, c: 3 }] },
    };
    const hash = auditHash(prevHash, content);
    rows.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

const verify = (rows: StoredAuditRow[]) => {
  const verifier = createChainVerifier();
  for (const row of rows) {
    const problem = verifier.check(row);
    if (problem) return problem;
  }
  return null;
};

describe('audit hash chain', () => {
  test('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  test('an untouched chain verifies', () => {
    expect(verify(chain(20))).toBeNull();
  });

  test('an altered row is found', () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, action: 'child.edit' };
    expect(verify(rows)).toEqual({ seq: 5, problem: 'content-altered' });
  });

  test('a removed row is found', () => {
    const rows = chain(10);
    rows.splice(6, 1);
    expect(verify(rows)).toEqual({ seq: 8, problem: 'missing-row', expectedSeq: 7 });
  });

  test('a row rewritten with a fresh hash breaks the next link', () => {
    const rows = chain(10);
    const altered = { ...rows[2]!, recordId: 'someone-else' };
    altered.hash = auditHash(altered.prevHash, altered);
    rows[2] = altered;
    expect(verify(rows)).toEqual({ seq: 4, problem: 'wrong-previous-hash' });
  });
});
