import { createHash } from 'node:crypto';

/** The content of one audit row that its hash covers. */
export interface AuditContent {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  recordType: string;
  recordId: string | null;
  childId: string | null;
  correlationId: string;
  details: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A row's hash: SHA-256 over the previous row's hash and this row's canonical content. */
export function auditHash(prevHash: string, content: AuditContent): string {
  const body = canonicalJson({
    seq: content.seq,
    occurredAt: content.occurredAt.toISOString(),
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    action: content.action,
    recordType: content.recordType,
    recordId: content.recordId,
    childId: content.childId,
    correlationId: content.correlationId,
    details: content.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredAuditRow extends AuditContent {
  prevHash: string;
  hash: string;
}

export type ChainBreak =
  | { seq: number; problem: 'missing-row'; expectedSeq: number }
  | { seq: number; problem: 'wrong-previous-hash' }
  | { seq: number; problem: 'content-altered' }
  | { seq: number; problem: 'head-mismatch'; lastSeq: number };

export interface ChainVerifier {
  /** Feeds the next row in sequence order; returns the first problem found, if any. */
  check(row: StoredAuditRow): ChainBreak | null;
  readonly checked: number;
}

/**
 * Verifies rows one at a time so a long log can be streamed in pages rather than loaded at once.
 * A removed row shows as a gap in the sequence; an altered row as a hash that no longer matches.
 */
export function createChainVerifier(): ChainVerifier {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    check(row) {
      if (row.seq !== expectedSeq) return { seq: row.seq, problem: 'missing-row', expectedSeq };
      if (row.prevHash !== prevHash) return { seq: row.seq, problem: 'wrong-previous-hash' };
      if (auditHash(row.prevHash, row) !== row.hash) return { seq: row.seq, problem: 'content-altered' };
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
      return null;
    },
  };
}
