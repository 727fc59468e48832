/**
 * Resolves skills and occupations given by ESCO uri, code or exact label (case-insensitive,
 * preferred or alternative) to uris. The label index is loaded once per process (≈14k skills,
 * ≈3k occupations) so resolving is a map lookup, not a query per label.
 *
 * A preferred-label match wins over alternative labels; an alternative label shared by several
 * concepts (and no preferred match) is ambiguous and refused with the candidates named.
 */
import { BadUserInputError } from '../../errors.js';
import type { Neo4jGateway } from '../gateway.js';

interface LabelIndex {
  readonly uris: ReadonlySet<string>;
  readonly preferred: ReadonlyMap<string, string>;
  readonly alternative: ReadonlyMap<string, readonly string[]>;
  readonly codes: ReadonlyMap<string, string>;
}

export interface ConceptRef {
  readonly uri?: string | undefined;
  readonly label?: string | undefined;
  readonly code?: string | undefined;
}

export type ConceptKindName = 'skill' | 'occupation';

/** Why a reference did not resolve; the caller turns it into a field-level error. */
export class UnresolvedConceptError extends BadUserInputError {
  constructor(kind: ConceptKindName, ref: ConceptRef, reason: string, field: string) {
    const shown = ref.uri ?? ref.code ?? ref.label ?? '';
    super(`Unknown ${kind} ${JSON.stringify(shown.slice(0, 200))}: ${reason}`, {
      argument: field,
      [kind]: shown.slice(0, 200),
    });
  }
}

const keyOf = (label: string) => label.normalize('NFC').trim().toLowerCase();

export class ConceptResolver {
  private skills: Promise<LabelIndex> | undefined;
  private occupations: Promise<LabelIndex> | undefined;

  constructor(private readonly gateway: Neo4jGateway) {
    gateway.registry.require(['people/skill-label-index', 'people/occupation-label-index']);
  }

  /** Forget the indexes (after an ESCO re-import). */
  invalidate(): void {
    this.skills = undefined;
    this.occupations = undefined;
  }

  async resolveSkill(ref: ConceptRef, field: string): Promise<string> {
    this.skills ??= this.load('people/skill-label-index');
    return resolveIn(await this.skills, 'skill', ref, field);
  }

  async resolveOccupation(ref: ConceptRef, field: string): Promise<string> {
    this.occupations ??= this.load('people/occupation-label-index');
    return resolveIn(await this.occupations, 'occupation', ref, field);
  }

  private async load(statement: string): Promise<LabelIndex> {
    const rows = await this.gateway.read(statement);
    const uris = new Set<string>();
    const preferred = new Map<string, string>();
    const alternative = new Map<string, string[]>();
    const codes = new Map<string, string>();
    for (const row of rows) {
      const uri = String(row.uri);
      uris.add(uri);
      if (typeof row.preferredLabel === 'string') preferred.set(keyOf(row.preferredLabel), uri);
      if (typeof row.code === 'string') codes.set(row.code, uri);
      for (const alt of Array.isArray(row.altLabels) ? row.altLabels : []) {
        const key = keyOf(String(alt));
        const list = alternative.get(key);
        if (!list) alternative.set(key, [uri]);
        else if (!list.includes(uri)) list.push(uri);
      }
    }
    return { uris, preferred, alternative, codes };
  }
}

export function resolveIn(index: LabelIndex, kind: ConceptKindName, ref: ConceptRef, field: string): string {
  if (ref.uri !== undefined) {
    if (!index.uris.has(ref.uri))
      throw new UnresolvedConceptError(kind, ref, 'no ESCO concept has this uri', field);
    return ref.uri;
  }
  if (ref.code !== undefined) {
    const uri = index.codes.get(ref.code.trim());
    if (!uri) throw new UnresolvedConceptError(kind, ref, 'no ESCO occupation has this code', field);
    return uri;
  }
  const key = keyOf(ref.label ?? '');
  const exact = index.preferred.get(key);
  if (exact) return exact;
  const alternatives = index.alternative.get(key) ?? [];
  if (alternatives.length === 1 && alternatives[0]) return alternatives[0];
  if (alternatives.length > 1) {
    throw new UnresolvedConceptError(
      kind,
      ref,
      `the label is ambiguous (alternative label of ${alternatives.length} concepts: ${alternatives.slice(0, 3).join(', ')}…); give the uri`,
      field,
    );
  }
  throw new UnresolvedConceptError(
    kind,
    ref,
    'no preferred or alternative label matches (case-insensitive)',
    field,
  );
}
