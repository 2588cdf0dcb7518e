import { asc, eq, gt } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { auditHead, auditLog } from '../../db/schema/index.ts';
import { createChainVerifier, type ChainBreak } from './audit-chain.ts';

export type AuditVerification = { ok: true; checked: number } | { ok: false; checked: number; firstBreak: ChainBreak };

/** Walks the whole audit log in sequence, a page at a time, and reports the first broken link. */
export async function verifyAuditLog(executor: Executor, pageSize = 5000): Promise<AuditVerification> {
  const verifier = createChainVerifier();
  const [head] = await executor.select().from(auditHead).where(eq(auditHead.id, 1));
  let after = 0;
  let lastSeq = 0;
  let lastHash: string | null = null;
  for (;;) {
    const rows = await executor.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(pageSize);
    for (const row of rows) {
      const problem = verifier.check({ ...row, seq: Number(row.seq) });
      if (problem) return { ok: false, checked: verifier.checked, firstBreak: problem };
    }
    const last = rows.at(-1);
    if (last) {
      lastSeq = Number(last.seq);
      lastHash = last.hash;
    }
    if (!last || rows.length < pageSize) {
      // The head records the last row appended: a shorter log means rows were cut from the end.
      if (head && (Number(head.seq) !== lastSeq || (lastSeq > 0 && head.hash !== lastHash))) {
        return { ok: false, checked: verifier.checked, firstBreak: { seq: Number(head.seq), problem: 'head-mismatch', lastSeq } };
      }
      return { ok: true, checked: verifier.checked };
    }
    after = lastSeq;
  }
}

/** Describes a break in words for the CLI and logs. */
export function describeBreak(b: ChainBreak): string {
  switch (b.problem) {
    case 'missing-row':
      return `Row ${b.expectedSeq} is missing (the next row found is ${b.seq}).`;
    case 'wrong-previous-hash':
      return `Row ${b.seq} does not follow the row before it: the previous row was changed or removed.`;
    case 'content-altered':
      return `Row ${b.seq} was altered after it was written.`;
    case 'head-mismatch':
      return `The chain's head says row ${b.seq} was the last appended, but the last row is ${b.lastSeq}: rows were removed from the end.`;
  }
}
