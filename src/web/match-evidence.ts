import type { MatchCandidate, MatchEvidence } from '../domain/register/matching.ts';
import { formatDate } from './setup/nunjucks.ts';

/**
 * How a match candidate is shown to an officer: a radio for each candidate with its probability and
 * plain reasons, and beside the choice the waterfall that explains it, one comparison a row.
 */

function strength(weight: number): string {
  if (weight >= 4) return 'Strongly for';
  if (weight >= 1) return 'For';
  if (weight > -1) return 'Neutral';
  if (weight > -4) return 'Against';
  return 'Strongly against';
}

const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(1)}`;

export function percent(probability: number): string {
  if (probability >= 0.9995) return 'over 99.9%';
  if (probability < 0.001) return 'under 0.1%';
  return `${(probability * 100).toFixed(probability >= 0.1 ? 0 : 1)}%`;
}

export interface EvidenceTable {
  childId: string;
  title: string;
  caption: string;
  head: { text: string; format?: string }[];
  rows: { text: string; format?: string }[][];
}

function evidenceTable(candidate: MatchCandidate, evidence: MatchEvidence, source: string): EvidenceTable {
  return {
    childId: candidate.childId,
    title: `Why Cairn suggests ${candidate.name} (${percent(evidence.probability)})`,
    caption: `How the ${source} compares with ${candidate.name}’s record`,
    head: [{ text: 'Compared' }, { text: `On the ${source}` }, { text: 'On the register' }, { text: 'Evidence' }, { text: 'Weight', format: 'numeric' }],
    rows: [
      [{ text: 'Starting point' }, { text: '' }, { text: '' }, { text: evidence.startingPoint }, { text: signed(evidence.priorWeight), format: 'numeric' }],
      ...evidence.steps.map((step) => [
        { text: `${step.comparison}: ${step.level}` },
        { text: step.incoming },
        { text: step.register },
        { text: strength(step.weight) },
        { text: signed(step.weight), format: 'numeric' },
      ]),
      [{ text: 'Match probability' }, { text: '' }, { text: '' }, { text: percent(evidence.probability) }, { text: signed(evidence.matchWeight), format: 'numeric' }],
    ],
  };
}

/** Radio items for the candidates, and the evidence table for each candidate that has one. */
export function presentCandidates(candidates: readonly MatchCandidate[], source: string) {
  return {
    items: candidates.map((c) => ({
      value: c.childId,
      text: `${c.name}, born ${formatDate(c.dateOfBirth)}, ${c.postcode}`,
      hint: { text: `${c.probability === undefined ? `Score ${c.score}` : `Match probability ${percent(c.probability)}`}${c.reasons.length ? `: ${c.reasons.join(', ')}` : ''}` },
    })),
    evidence: candidates.flatMap((c) => (c.evidence ? [evidenceTable(c, c.evidence, source)] : [])),
  };
}
