import { and, eq, or, sql } from 'drizzle-orm';
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
}

/**
 * Finds children already on the register who may be the person arriving at intake. An interface, so
 * a fuller identity-resolution engine can replace the scoring without touching intake.
 */
export interface ChildMatcher {
  findCandidates(executor: Executor, person: PersonAtIntake): Promise<MatchCandidate[]>;
}

/** Score at or above which intake links to an existing child without asking. */
export const AUTOMATIC_LINK_SCORE = 100;

const lower = (s: string) => s.trim().toLowerCase();

/**
 * Exact identifiers first (UPN, NHS number), then people with the same date of birth whose names or
 * postcode agree.
 */
export function createSimpleMatcher(): ChildMatcher {
  return {
    async findCandidates(executor, person) {
      const identifierConditions = [
        ...(person.upn ? [eq(children.upn, person.upn)] : []),
        ...(person.nhsNumber ? [eq(children.nhsNumber, person.nhsNumber)] : []),
      ];
      const rows = await executor
        .select()
        .from(children)
        .where(or(...identifierConditions, and(eq(children.dateOfBirth, person.dateOfBirth), or(sql`lower(${children.lastName}) = ${lower(person.lastName)}`, sql`lower(${children.firstName}) = ${lower(person.firstName)}`))))
        .limit(20);
      const key = person.postcode ? postcodeKey(person.postcode) : null;
      return rows
        .map((row) => {
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
        })
        .sort((a, b) => b.score - a.score);
    },
  };
}
