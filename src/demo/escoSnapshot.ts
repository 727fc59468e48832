/**
 * The slice of the ESCO graph that the demo generator needs, held in memory once: occupations with
 * the skills they require, and skill labels. Skills are referenced by index (typed arrays), so the
 * full taxonomy (≈3k occupations, ≈14k skills, ≈120k requirements) stays a few megabytes.
 *
 * Contract: occupations and skills are sorted by uri and skill lists by skill uri, so the same graph
 * always yields the same snapshot, and the same snapshot and seed always yield the same demo data.
 */
import { int, type Neo4jGateway, type Row } from '../graph/gateway.js';

/** Competences read as verb phrases ("manage staff"), knowledge as nouns ("accounting"); text differs. */
export type SkillKind = 'competence' | 'knowledge';

export interface SnapshotSkill {
  readonly uri: string;
  readonly preferredLabel: string;
  /** Alternative labels, without the preferred label and without duplicates. */
  readonly altLabels: readonly string[];
  readonly kind: SkillKind;
}

export interface SnapshotOccupation {
  readonly uri: string;
  /** ESCO code, e.g. `2512.4`. */
  readonly code: string;
  /** ISCO-08 unit group, 4 digits; its first 3 digits are the minor group, first 2 the sub-major group. */
  readonly iscoGroup: string;
  readonly preferredLabel: string;
  /** Alternative labels, without the preferred label and without duplicates. */
  readonly altLabels: readonly string[];
  readonly description: string;
  /** Indices into `EscoSnapshot.skills`, ascending. */
  readonly essential: Uint32Array;
  readonly optional: Uint32Array;
}

export interface EscoSnapshot {
  readonly occupations: readonly SnapshotOccupation[];
  readonly skills: readonly SnapshotSkill[];
}

/** An occupation as read from the graph or written by hand in a test: skills named by uri. */
export interface OccupationSource {
  readonly uri: string;
  readonly code: string;
  readonly iscoGroup: string;
  readonly preferredLabel: string;
  readonly altLabels?: readonly string[];
  readonly description?: string;
  readonly essential: readonly string[];
  readonly optional: readonly string[];
}

export interface SkillSource {
  readonly uri: string;
  readonly preferredLabel: string;
  readonly altLabels?: readonly string[];
  /** ESCO `skillType`: 'knowledge' makes a noun phrase; anything else a competence. */
  readonly skillType?: string | null;
}

export class EscoSnapshotError extends Error {
  override readonly name = 'EscoSnapshotError';
}

const ISCO_UNIT_GROUP = /^\d{4}$/;

/**
 * Builds a snapshot from plain sources (the graph, or a hand-made fixture). Throws when an
 * occupation names a skill that is not in `skills` or has no 4-digit ISCO group: a snapshot with
 * holes would quietly skew the generated data.
 */
export function createEscoSnapshot(input: {
  readonly occupations: readonly OccupationSource[];
  readonly skills: readonly SkillSource[];
}): EscoSnapshot {
  const skillSources = [...input.skills].sort((a, b) => compareStrings(a.uri, b.uri));
  const skillIndex = new Map<string, number>();
  const skills = skillSources.map((s, i): SnapshotSkill => {
    if (skillIndex.has(s.uri)) throw new EscoSnapshotError(`duplicate skill uri ${s.uri}`);
    skillIndex.set(s.uri, i);
    return {
      uri: s.uri,
      preferredLabel: s.preferredLabel,
      altLabels: otherLabels(s.preferredLabel, s.altLabels ?? []),
      kind: s.skillType === 'knowledge' ? 'knowledge' : 'competence',
    };
  });

  const toIndices = (occupation: OccupationSource, uris: readonly string[]): Uint32Array => {
    const indices = uris.map((uri) => {
      const index = skillIndex.get(uri);
      if (index === undefined)
        throw new EscoSnapshotError(`occupation ${occupation.uri} requires unknown skill ${uri}`);
      return index;
    });
    return Uint32Array.from(new Set(indices)).sort();
  };

  const occupations = [...input.occupations]
    .sort((a, b) => compareStrings(a.uri, b.uri))
    .map((o): SnapshotOccupation => {
      if (!ISCO_UNIT_GROUP.test(o.iscoGroup)) {
        throw new EscoSnapshotError(`occupation ${o.uri} has no 4-digit ISCO group (got "${o.iscoGroup}")`);
      }
      return {
        uri: o.uri,
        code: o.code,
        iscoGroup: o.iscoGroup,
        preferredLabel: o.preferredLabel,
        altLabels: otherLabels(o.preferredLabel, o.altLabels ?? []),
        description: o.description ?? '',
        essential: toIndices(o, o.essential),
        optional: toIndices(o, o.optional),
      };
    });
  return { occupations, skills };
}

export interface LoadEscoSnapshotOptions {
  /** Rows per query; each page is one short read transaction. */
  readonly occupationPageSize?: number;
  readonly skillPageSize?: number;
}

export const SNAPSHOT_STATEMENTS = ['demo/occupations-page', 'demo/skills-page'] as const;

/**
 * Reads the snapshot with a handful of keyset-paged queries (≈4 for occupations, ≈3 for skills).
 * Throws an `EscoSnapshotError` when the graph holds no occupations (ESCO not imported).
 */
export async function loadEscoSnapshot(
  gateway: Neo4jGateway,
  options: LoadEscoSnapshotOptions = {},
): Promise<EscoSnapshot> {
  gateway.registry.require(SNAPSHOT_STATEMENTS);
  const skillRows = await readAllPages(gateway, 'demo/skills-page', options.skillPageSize ?? 5000);
  const occupationRows = await readAllPages(
    gateway,
    'demo/occupations-page',
    options.occupationPageSize ?? 1000,
  );
  if (occupationRows.length === 0) {
    throw new EscoSnapshotError(
      'The graph holds no ESCO occupations: import ESCO first (npm run import:esco)',
    );
  }
  const skills = skillRows.map((row): SkillSource => ({
    uri: readString(row, 'uri'),
    preferredLabel: readString(row, 'preferredLabel'),
    altLabels: readStrings(row, 'altLabels'),
    skillType: typeof row.skillType === 'string' ? row.skillType : null,
  }));
  const occupations = occupationRows.map((row): OccupationSource => ({
    uri: readString(row, 'uri'),
    code: readString(row, 'code'),
    iscoGroup: readString(row, 'iscoGroup'),
    preferredLabel: readString(row, 'preferredLabel'),
    altLabels: readStrings(row, 'altLabels'),
    description: typeof row.description === 'string' ? row.description : '',
    essential: readStrings(row, 'essential'),
    optional: readStrings(row, 'optional'),
  }));
  return createEscoSnapshot({ occupations, skills });
}

async function readAllPages(gateway: Neo4jGateway, statement: string, pageSize: number): Promise<Row[]> {
  const all: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await gateway.read(statement, { after, limit: int(pageSize) });
    all.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return all;
    after = readString(last, 'uri');
  }
}

function readString(row: Row, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') {
    throw new EscoSnapshotError(`expected a string in column "${key}", got ${JSON.stringify(value)}`);
  }
  return value;
}

function readStrings(row: Row, key: string): string[] {
  const value = row[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function otherLabels(preferred: string, labels: readonly string[]): string[] {
  const seen = new Set([preferred.trim().toLowerCase()]);
  const out: string[] = [];
  for (const raw of labels) {
    const label = raw.trim().replace(/\s+/g, ' ');
    const key = label.toLowerCase();
    if (label.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  return out;
}

/** Code-unit order (not locale order), so sorting never depends on the machine's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
