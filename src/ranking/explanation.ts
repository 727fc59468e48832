/**
 * One-sentence explanations of a ranked item, built from the same values as its score.
 */
import type { OccupationLevel } from './features.js';
import type { SkillMatch } from './skillMatch.js';

export interface ExplanationInput {
  readonly match: SkillMatch;
  readonly occupationLevel: OccupationLevel;
  readonly occupationLabel: string | null;
  readonly sameRegion: boolean;
  readonly embeddingCosine: number | null;
  readonly crossEncoder: number | null;
  /** Whose point of view: a candidate for a vacancy, or a vacancy for a candidate. */
  readonly subject: 'candidate' | 'vacancy';
}

function list(labels: readonly string[], max = 3): string {
  const shown = labels.slice(0, max);
  const more = labels.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

export function explain(input: ExplanationInput): string {
  const m = input.match;
  const held = m.matched.filter((r) => r.relation === 'essential');
  const parts: string[] = [];
  if (m.essentialCount > 0) {
    const partialEssential = m.partial.filter((p) => p.required.relation === 'essential').length;
    let s = `${input.subject === 'candidate' ? 'Holds' : 'Covers'} ${held.length} of ${m.essentialCount} essential skills`;
    if (held.length > 0) s += ` (${list(held.map((r) => r.label))})`;
    if (partialEssential > 0) s += `, ${partialEssential} more in part`;
    if (m.missingEssential.length > 0 && m.missingEssential.length <= 3) {
      s += `, missing ${list(m.missingEssential.map((x) => x.requirement.label))}`;
    }
    parts.push(s);
  } else {
    parts.push('No essential skills are listed');
  }
  if (input.occupationLevel !== 'none') {
    parts.push(
      input.occupationLevel === 'same occupation'
        ? `worked as ${input.occupationLabel ?? 'the same occupation'}`
        : `experience in the ${input.occupationLevel.replace('same ', 'same ISCO ')}${input.occupationLabel ? ` (${input.occupationLabel})` : ''}`,
    );
  }
  if (input.sameRegion) parts.push('same region');
  if (input.crossEncoder !== null) parts.push(`reranker relevance ${input.crossEncoder.toFixed(2)}`);
  else if (input.embeddingCosine !== null) parts.push(`text similarity ${input.embeddingCosine.toFixed(2)}`);
  return `${parts.join('; ')}.`;
}
