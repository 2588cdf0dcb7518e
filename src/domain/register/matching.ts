import { and, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { children } from '../../db/schema/index.ts';
import { postcodeKey } from '../identifiers/postcode.ts';

/** What intake knows about a person it is about to add to the register. */
export interface PersonAtIntake {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  upn?: string | undefined;
  nhsNumber?: string | undefined;
  postcode?: string | undefined;
  /** F or M when known. */
  sex?: string | undefined;
}

/** One comparison in the evidence for a match: what was compared, how it came out, and its weight. */
export interface MatchEvidenceStep {
  comparison: string;
  level: string;
  incoming: string;
  register: string;
  /** log2 of the Bayes factor, term frequency included: positive for, negative against. */
  weight: number;
}

/** The waterfall behind a score: the starting weight, each comparison's contribution, the result. */
export interface MatchEvidence {
  /** What the starting weight is based on: all pairs, or a group such as records from one household. */
  startingPoint: string;
  priorWeight: number;
  steps: MatchEvidenceStep[];
  matchWeight: number;
  probability: number;
}

export interface MatchCandidate {
  childId: string;
  name: string;
  dateOfBirth: string;
  postcode: string;
  /** 0–100; 100 means an identifier matched exactly. */
  score: number;
  /** Why, in words an officer can check. */
  reasons: string[];
  /** The engine's match probability, when the matcher has one. */
  probability?: number;
  /** The waterfall that explains the score, when the matcher has one. */
  evidence?: MatchEvidence;
}

/**
 * Finds children already on the register who may be the person arriving at intake. Cairn uses the
 * record-linkage engine (linkage-matcher.ts); the simple scorer below is kept for comparison and for
 * tests that need fixed scores.
 */
export interface ChildMatcher {
  findCandidates(executor: Executor, person: PersonAtIntake): Promise<MatchCandidate[]>;
  /** The same for many people at once (bulk intake), in one pass over the register. */
  findCandidatesForMany(executor: Executor, people: readonly PersonAtIntake[]): Promise<MatchCandidate[][]>;
}

/** Score at or above which intake links to an existing child without asking. */
export const AUTOMATIC_LINK_SCORE = 100;

const lower = (s: string) => s.trim().toLowerCase();

/**
 * Exact identifiers first (UPN, NHS number), then people with the same date of birth whose names or
 * postcode agree.
 */
type ChildRow = typeof children.$inferSelect;

/** Scores one register child against one person at intake, with the reasons. */
export function scoreCandidate(person: PersonAtIntake, row: ChildRow): MatchCandidate {
  const key = person.postcode ? postcodeKey(person.postcode) : null;
  const reasons: string[] = [];
  let score = 0;
  if (person.upn && row.upn === person.upn) {
    reasons.push('Same UPN');
    score = 100;
  }
  if (person.nhsNumber && row.nhsNumber === person.nhsNumber) {
    reasons.push('Same NHS number');
    score = 100;
  }
  if (score < 100) {
    if (row.dateOfBirth === person.dateOfBirth) {
      reasons.push('Same date of birth');
      score += 40;
    }
    if (lower(row.lastName) === lower(person.lastName)) {
      reasons.push('Same last name');
      score += 25;
    }
    if (lower(row.firstName) === lower(person.firstName) || lower(row.preferredName ?? '') === lower(person.firstName)) {
      reasons.push('Same first name');
      score += 20;
    }
    if (key && row.postcodeKey === key) {
      reasons.push('Same postcode');
      score += 10;
    }
    score = Math.min(score, 95);
  }
  return { childId: row.id, name: `${row.firstName} ${row.lastName}`, dateOfBirth: row.dateOfBirth, postcode: row.postcode, score, reasons };
}

/** Could this register child be this person at all? The same test the database query applies. */
function isCandidate(person: PersonAtIntake, row: ChildRow): boolean {
  return (
    (person.upn !== undefined && row.upn === person.upn) ||
    (person.nhsNumber !== undefined && row.nhsNumber === person.nhsNumber) ||
    (row.dateOfBirth === person.dateOfBirth && (lower(row.lastName) === lower(person.lastName) || lower(row.firstName) === lower(person.firstName)))
  );
}

/**
 * Exact identifiers first (UPN, NHS number), then people with the same date of birth whose names or
 * postcode agree.
 */
export function createSimpleMatcher(): ChildMatcher {
  const matcher: ChildMatcher = {
    async findCandidates(executor, person) {
      const [result] = await matcher.findCandidatesForMany(executor, [person]);
      return result ?? [];
    },
    async findCandidatesForMany(executor, people) {
      if (people.length === 0) return [];
      const upns = [...new Set(people.flatMap((p) => (p.upn ? [p.upn] : [])))];
      const nhs = [...new Set(people.flatMap((p) => (p.nhsNumber ? [p.nhsNumber] : [])))];
      const dates = [...new Set(people.map((p) => p.dateOfBirth))];
      const rows = await executor
        .select()
        .from(children)
        .where(
          and(
            isNull(children.mergedInto),
            or(...(upns.length ? [inArray(children.upn, upns)] : []), ...(nhs.length ? [inArray(children.nhsNumber, nhs)] : []), inArray(children.dateOfBirth, dates)),
          ),
        );
      return people.map((person) =>
        rows
          .filter((row) => isCandidate(person, row))
          .map((row) => scoreCandidate(person, row))
          .sort((a, b) => b.score - a.score)
          .slice(0, 20),
      );
    },
  };
  return matcher;
}
