import { and, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { children } from '../../db/schema/index.ts';
import { createRecordMatcher, loadChildrenPresetModel, type LinkageModel, type PersonRecord, type Waterfall } from '../../linkage/index.ts';
import { normalisePostcode, postcodeKey } from '../identifiers/postcode.ts';
import type { ChildMatcher, MatchCandidate, MatchEvidence, PersonAtIntake } from './matching.ts';

/**
 * Intake matching through the record-linkage engine: the database finds children who could be the
 * person (blocking), and the children preset's trained model scores each one, with the waterfall
 * an officer reads to see why. See docs/decisions/0010-record-linkage.md.
 *
 * Scores stay on intake's 0–100 scale: the match probability as a percentage, and 100 only when an
 * identifier (UPN or NHS number) is the same and the rest of the record agrees (probability at
 * least 0.99). A shared UPN on a record whose names and date of birth disagree is not enough.
 */

/** Below this probability a child is not worth an officer's attention. */
const SHOW_FROM = 0.01;
/** How many candidates an officer sees, best first. */
const MAX_CANDIDATES = 20;
/** The most register rows considered for one person (a very common name on a large register). */
const MAX_BLOCKED_PER_PERSON = 500;

type ChildRow = typeof children.$inferSelect;

const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Day and month swapped, when that is still a date (12 March for 3 December). */
export function swappedDayMonth(iso: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [, year, month, day] = match;
  if (month === day || Number(day) > 12) return null;
  const swapped = `${year}-${day}-${month}`;
  const date = new Date(`${swapped}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== swapped ? null : swapped;
}

function personRecord(person: PersonAtIntake): PersonRecord {
  return {
    first_name: person.firstName,
    surname: person.lastName,
    date_of_birth: person.dateOfBirth,
    sex: person.sex === 'F' || person.sex === 'M' ? person.sex : '',
    postcode: person.postcode ? normalisePostcode(person.postcode) : '',
    upn: person.upn ?? '',
    nhs_number: person.nhsNumber ?? '',
  };
}

function childRecord(row: ChildRow): PersonRecord {
  return {
    record_id: row.id,
    first_name: row.firstName,
    surname: row.lastName,
    date_of_birth: row.dateOfBirth,
    sex: row.sex === 'F' || row.sex === 'M' ? row.sex : '',
    postcode: normalisePostcode(row.postcode),
    upn: row.upn ?? '',
    nhs_number: row.nhsNumber ?? '',
  };
}

/** Could this register child be this person? The test the database query over-approximates. */
function isCandidate(person: PersonAtIntake, row: ChildRow): boolean {
  if (person.upn && (row.upn === person.upn || row.formerUpn === person.upn)) return true;
  if (person.nhsNumber && row.nhsNumber === person.nhsNumber) return true;
  if (row.dateOfBirth === person.dateOfBirth || row.dateOfBirth === swappedDayMonth(person.dateOfBirth)) return true;
  const sameYear = row.dateOfBirth.slice(0, 4) === person.dateOfBirth.slice(0, 4);
  if (!sameYear) return false;
  if (lower(row.lastName) === lower(person.lastName)) return true;
  return person.postcode !== undefined && person.postcode !== '' && row.postcodeKey === postcodeKey(person.postcode);
}

/** The plain facts an officer checks first, in the words intake has always used. */
function reasonsFor(person: PersonAtIntake, row: ChildRow): string[] {
  const reasons: string[] = [];
  if (person.upn && row.upn === person.upn) reasons.push('Same UPN');
  if (person.upn && row.formerUpn === person.upn) reasons.push('Same as a former UPN');
  if (person.nhsNumber && row.nhsNumber === person.nhsNumber) reasons.push('Same NHS number');
  if (row.dateOfBirth === person.dateOfBirth) reasons.push('Same date of birth');
  else if (row.dateOfBirth === swappedDayMonth(person.dateOfBirth)) reasons.push('Date of birth with day and month swapped');
  if (lower(row.lastName) === lower(person.lastName)) reasons.push('Same last name');
  if (lower(row.firstName) === lower(person.firstName) || (row.preferredName && lower(row.preferredName) === lower(person.firstName))) reasons.push('Same first name');
  if (person.postcode && row.postcodeKey === postcodeKey(person.postcode)) reasons.push('Same postcode');
  return reasons;
}

function evidenceFrom(waterfall: Waterfall): MatchEvidence {
  return {
    startingPoint: waterfall.segment === null ? 'How often two records are the same child' : `How often two records are the same child, among pairs with the ${waterfall.segment.label}`,
    priorWeight: waterfall.priorWeight,
    matchWeight: waterfall.matchWeight,
    probability: waterfall.probability,
    steps: waterfall.steps.map((step) => ({
      comparison: step.comparisonLabel,
      level: step.decidedBySegment ? `${step.label} (counted in the starting point)` : step.label,
      incoming: step.leftValues.filter((v): v is string => v !== null && v !== '').join(' ') || 'not known',
      register: step.rightValues.filter((v): v is string => v !== null && v !== '').join(' ') || 'not known',
      weight: step.weight + (step.termFrequency?.weight ?? 0),
    })),
  };
}

export function createLinkageMatcher(model: LinkageModel = loadChildrenPresetModel()): ChildMatcher {
  const engine = createRecordMatcher(model);
  const matcher: ChildMatcher = {
    async findCandidates(executor, person) {
      const [result] = await matcher.findCandidatesForMany(executor, [person]);
      return result ?? [];
    },
    async findCandidatesForMany(executor: Executor, people: readonly PersonAtIntake[]): Promise<MatchCandidate[][]> {
      if (people.length === 0) return [];
      const upns = [...new Set(people.flatMap((p) => (p.upn ? [p.upn] : [])))];
      const nhs = [...new Set(people.flatMap((p) => (p.nhsNumber ? [p.nhsNumber] : [])))];
      const dates = [...new Set(people.flatMap((p) => [p.dateOfBirth, swappedDayMonth(p.dateOfBirth) ?? p.dateOfBirth]))];
      const surnames = [...new Set(people.map((p) => lower(p.lastName)).filter((s) => s !== ''))];
      const postcodes = [...new Set(people.flatMap((p) => (p.postcode ? [postcodeKey(p.postcode)] : [])))];
      const years = [...new Set(people.map((p) => Number(p.dateOfBirth.slice(0, 4))).filter((y) => Number.isInteger(y)))];
      const sameYear = years.length ? sql`extract(year from ${children.dateOfBirth})::int in (${sql.join(years.map((y) => sql`${y}`), sql`, `)})` : sql`false`;
      const rows = await executor
        .select()
        .from(children)
        .where(
          and(
            isNull(children.mergedInto),
            or(
              ...(upns.length ? [inArray(children.upn, upns), inArray(children.formerUpn, upns)] : []),
              ...(nhs.length ? [inArray(children.nhsNumber, nhs)] : []),
              inArray(children.dateOfBirth, dates),
              ...(surnames.length ? [and(inArray(sql`lower(${children.lastName})`, surnames), sameYear)] : []),
              ...(postcodes.length ? [and(inArray(children.postcodeKey, postcodes), sameYear)] : []),
            ),
          ),
        );
      return people.map((person) => {
        const blocked = rows.filter((row) => isCandidate(person, row)).slice(0, MAX_BLOCKED_PER_PERSON);
        const scored = engine.score(personRecord(person), blocked.map(childRecord));
        return blocked
          .map((row, i): MatchCandidate & { probability: number } => {
            const match = scored[i]!;
            const reasons = reasonsFor(person, row);
            const identifierAgrees = reasons.includes('Same UPN') || reasons.includes('Same NHS number');
            const percent = Math.min(99, Math.floor(match.probability * 100));
            return {
              childId: row.id,
              name: `${row.firstName} ${row.lastName}`,
              dateOfBirth: row.dateOfBirth,
              postcode: row.postcode,
              score: identifierAgrees && match.probability >= 0.99 ? 100 : percent,
              probability: match.probability,
              reasons,
              evidence: evidenceFrom(match.waterfall),
            };
          })
          .filter((c) => c.probability >= SHOW_FROM || c.score === 100)
          .sort((a, b) => b.probability - a.probability)
          .slice(0, MAX_CANDIDATES);
      });
    },
  };
  return matcher;
}
