/**
 * Reads ESCO concepts from Neo4j. Every method takes a batch of keys and returns results in
 * key order, so DataLoaders (see `taxonomyReader.ts`) can sit in front of it.
 */
import { int, type Neo4jGateway, type Row } from '../gateway.js';
import { str } from '../rowDecoders.js';
import type {
  ConceptRecord,
  DatasetRecord,
  IscoGroupRecord,
  OccupationRecord,
  Page,
  RelatedSkillRecord,
  SearchHitRecord,
  SkillGroupRecord,
  SkillRecord,
} from './records.js';

export type ConceptKind = ConceptRecord['kind'];
export type Lang = 'en' | 'fr';

/**
 * How much of a page to read. `summary`: the concepts' identity and English labels only (uri,
 * code, ISCO group, preferred and alternative labels), not descriptions, notes or translations.
 * `count`: whether the total is needed (a separate statement for the top-level lists).
 */
export interface PageDetail {
  readonly summary: boolean;
  readonly count: boolean;
}

export const FULL_DETAIL: PageDetail = { summary: false, count: true };

/** A skill page to read along with each occupation of a list (look-ahead from the query). */
export interface PagePrefetch {
  readonly relation: 'essential' | 'optional';
  readonly first: number | null;
  readonly after: string | null;
  readonly summary: boolean;
}

/** The skill pages read along with a list of occupations, by occupation uri. */
export type PrefetchedPages = ReadonlyMap<
  string,
  ReadonlyArray<{ readonly key: PageKey; readonly page: Page<SkillRecord> }>
>;

export interface PageKey {
  /** The owner's uri or code. */
  readonly key: string;
  readonly relation: 'essential' | 'optional' | null;
  readonly skip: number;
  readonly limit: number;
  /** Summary projection (see `PageDetail`); the page statements always count, it is free there. */
  readonly summary: boolean;
}

export const FULLTEXT_INDEXES: Readonly<Record<ConceptKind, Record<Lang, string>>> = {
  Occupation: { en: 'occupation_labels_en', fr: 'occupation_labels_fr' },
  Skill: { en: 'skill_labels_en', fr: 'skill_labels_fr' },
  IscoGroup: { en: 'isco_group_labels_en', fr: 'isco_group_labels_fr' },
  SkillGroup: { en: 'skill_group_labels_en', fr: 'skill_group_labels_fr' },
};

const STATEMENTS = [
  'taxonomy/occupations-by-uri',
  'taxonomy/occupations-by-code',
  'taxonomy/skills-by-uri',
  'taxonomy/isco-groups-by-code',
  'taxonomy/skill-groups-by-uri',
  'taxonomy/occupation-broader',
  'taxonomy/occupation-narrower',
  'taxonomy/skill-broader',
  'taxonomy/skill-narrower',
  'taxonomy/skill-groups-of-skills',
  'taxonomy/isco-group-broader',
  'taxonomy/isco-group-narrower',
  'taxonomy/skill-group-broader',
  'taxonomy/skill-group-narrower',
  'taxonomy/related-skills',
  'taxonomy/occupation-skills-page',
  'taxonomy/skill-required-by-page',
  'taxonomy/isco-group-occupations-page',
  'taxonomy/occupations-page',
  'taxonomy/occupations-count',
  'taxonomy/skills-page',
  'taxonomy/skills-count',
  'taxonomy/fulltext-page',
  'taxonomy/search',
  'esco/dataset',
] as const;

export type ListRelation =
  | 'occupation-broader'
  | 'occupation-narrower'
  | 'skill-broader'
  | 'skill-narrower'
  | 'skill-groups-of-skills'
  | 'isco-group-broader'
  | 'isco-group-narrower'
  | 'skill-group-broader'
  | 'skill-group-narrower';

export type PageRelation =
  'occupation-skills-page' | 'skill-required-by-page' | 'isco-group-occupations-page';

export class TaxonomyRepository {
  constructor(private readonly gateway: Neo4jGateway) {
    gateway.registry.require(STATEMENTS);
  }

  async occupationsByUri(uris: readonly string[]): Promise<(OccupationRecord | null)[]> {
    return this.lookup('taxonomy/occupations-by-uri', uris) as Promise<(OccupationRecord | null)[]>;
  }

  async occupationsByCode(codes: readonly string[]): Promise<(OccupationRecord | null)[]> {
    return this.lookup('taxonomy/occupations-by-code', codes) as Promise<(OccupationRecord | null)[]>;
  }

  async skillsByUri(uris: readonly string[]): Promise<(SkillRecord | null)[]> {
    return this.lookup('taxonomy/skills-by-uri', uris) as Promise<(SkillRecord | null)[]>;
  }

  async iscoGroupsByCode(codes: readonly string[]): Promise<(IscoGroupRecord | null)[]> {
    return this.lookup('taxonomy/isco-groups-by-code', codes) as Promise<(IscoGroupRecord | null)[]>;
  }

  async skillGroupsByUri(uris: readonly string[]): Promise<(SkillGroupRecord | null)[]> {
    return this.lookup('taxonomy/skill-groups-by-uri', uris) as Promise<(SkillGroupRecord | null)[]>;
  }

  /** Neighbours along one hierarchy relation, for each key. */
  async lists(relation: ListRelation, keys: readonly string[]): Promise<ConceptRecord[][]> {
    const rows = await this.gateway.read(`taxonomy/${relation}`, { keys: [...keys] });
    const byKey = new Map(rows.map((r) => [String(r.key), toConcepts(r.items)]));
    return keys.map((k) => byKey.get(k) ?? []);
  }

  async relatedSkills(uris: readonly string[]): Promise<RelatedSkillRecord[][]> {
    const rows = await this.gateway.read('taxonomy/related-skills', { keys: [...uris] });
    const byKey = new Map(
      rows.map((r) => [
        String(r.key),
        (r.items as Row[]).map((item) => ({
          relation: str(item.relation) ?? 'related',
          skill: toConcept(item.skill as Row) as SkillRecord,
        })),
      ]),
    );
    return uris.map((u) => byKey.get(u) ?? []);
  }

  /** One page per key of a relation (owner uri/code → related concepts). */
  async pages(relation: PageRelation, keys: readonly PageKey[]): Promise<Page<ConceptRecord>[]> {
    const ownerField = relation === 'isco-group-occupations-page' ? 'code' : 'uri';
    const params = keys.map((k, i) => ({
      id: String(i),
      [ownerField]: k.key,
      relation: k.relation,
      skip: int(k.skip),
      limit: int(k.limit),
      summary: k.summary,
    }));
    const rows = await this.gateway.read(`taxonomy/${relation}`, { keys: params });
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return keys.map((k, i) => {
      const row = byId.get(String(i));
      return { items: toConcepts(row?.items), offset: k.skip, totalCount: Number(row?.totalCount ?? 0) };
    });
  }

  async occupationsPage(
    iscoGroup: string | null,
    skip: number,
    limit: number,
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<OccupationRecord>> {
    return (await this.occupationsPageWithSkills(iscoGroup, skip, limit, detail, [])).page;
  }

  /**
   * `occupationsPage` plus, for each occupation, the given skill pages (already validated and
   * resolved to skip/limit), in one statement.
   */
  async occupationsPageWithSkills(
    iscoGroup: string | null,
    skip: number,
    limit: number,
    detail: PageDetail,
    pages: ReadonlyArray<{
      readonly relation: 'essential' | 'optional';
      readonly skip: number;
      readonly limit: number;
      readonly summary: boolean;
    }>,
  ): Promise<{ page: Page<OccupationRecord>; skills: PrefetchedPages }> {
    const [rows, count] = await Promise.all([
      this.gateway.read('taxonomy/occupations-page', {
        iscoGroup,
        skip: int(skip),
        limit: int(limit),
        summary: detail.summary,
        pages: pages.map((p) => ({
          relation: p.relation,
          skip: int(p.skip),
          limit: int(p.limit),
          summary: p.summary,
        })),
      }),
      detail.count ? this.gateway.read('taxonomy/occupations-count', { iscoGroup }) : Promise.resolve(null),
    ]);
    const skills = new Map<string, Array<{ key: PageKey; page: Page<SkillRecord> }>>();
    const items = rows.map((r) => {
      const occupation = toConcept(r.node as Row) as OccupationRecord;
      skills.set(
        occupation.uri,
        (r.pages as Row[]).map((p) => {
          const key: PageKey = {
            key: occupation.uri,
            relation: p.relation === 'optional' ? 'optional' : 'essential',
            skip: Number(p.skip),
            limit: Number(p.limit),
            summary: p.summary === true,
          };
          return {
            key,
            page: {
              items: toConcepts(p.items) as SkillRecord[],
              offset: key.skip,
              totalCount: Number(p.totalCount ?? 0),
            },
          };
        }),
      );
      return occupation;
    });
    return {
      page: { items, offset: skip, totalCount: count ? Number(count[0]?.totalCount ?? 0) : null },
      skills,
    };
  }

  async skillsPage(
    skillType: string | null,
    skip: number,
    limit: number,
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<SkillRecord>> {
    const [rows, count] = await Promise.all([
      this.gateway.read('taxonomy/skills-page', {
        skillType,
        skip: int(skip),
        limit: int(limit),
        summary: detail.summary,
      }),
      detail.count ? this.gateway.read('taxonomy/skills-count', { skillType }) : Promise.resolve(null),
    ]);
    return {
      items: rows.map((r) => toConcept(r.node as Row) as SkillRecord),
      offset: skip,
      totalCount: count ? Number(count[0]?.totalCount ?? 0) : null,
    };
  }

  /** A page of fulltext hits in one label index, optionally filtered on one property. */
  async fulltextPage(
    kind: ConceptKind,
    lang: Lang,
    query: string,
    filter: { prop: string; value: string } | null,
    skip: number,
    limit: number,
  ): Promise<Page<ConceptRecord>> {
    const [row] = await this.gateway.read('taxonomy/fulltext-page', {
      index: FULLTEXT_INDEXES[kind][lang],
      query,
      filterProp: filter?.prop ?? null,
      filterValue: filter?.value ?? null,
      skip: int(skip),
      limit: int(limit),
    });
    const items = (row?.items as Row[] | undefined) ?? [];
    return {
      items: items.map((i) => toConcept(i.node as Row)),
      scores: items.map((i) => Number(i.score)),
      offset: skip,
      totalCount: Number(row?.totalCount ?? 0),
    };
  }

  async search(
    kinds: readonly ConceptKind[],
    lang: Lang,
    query: string,
    limit: number,
  ): Promise<SearchHitRecord[]> {
    const rows = await this.gateway.read('taxonomy/search', {
      indexes: kinds.map((k) => FULLTEXT_INDEXES[k][lang]),
      query,
      limit: int(limit),
    });
    return rows.map((r) => ({ concept: toConcept(r.node as Row), score: Number(r.score), lang }));
  }

  async dataset(name: string): Promise<DatasetRecord | null> {
    const [row] = await this.gateway.read('esco/dataset', { name });
    if (!row) return null;
    return {
      name: str(row.name) ?? name,
      version: str(row.version) ?? 'unknown',
      importedAt: typeof row.importedAt === 'string' ? row.importedAt : null,
      occupationCount: Number(row.occupations ?? 0),
      skillCount: Number(row.skills ?? 0),
    };
  }

  private async lookup(name: string, keys: readonly string[]): Promise<(ConceptRecord | null)[]> {
    const rows = await this.gateway.read(name, { keys: [...keys] });
    const byKey = new Map(rows.map((r) => [String(r.key), r.node ? toConcept(r.node as Row) : null]));
    return keys.map((k) => byKey.get(k) ?? null);
  }
}

function toConcepts(items: unknown): ConceptRecord[] {
  return Array.isArray(items) ? items.filter(Boolean).map((i) => toConcept(i as Row)) : [];
}

const strs = (v: unknown): string[] | null => (Array.isArray(v) ? v.map(String) : null);

/** Maps the shared concept projection of `cypher/taxonomy` to a typed record. */
export function toConcept(row: Row): ConceptRecord {
  const base = {
    uri: String(row.uri),
    preferredLabel: str(row.preferredLabel) ?? String(row.uri),
    altLabels: strs(row.altLabels) ?? [],
    description: str(row.description),
    preferredLabelFr: str(row.preferredLabelFr),
    altLabelsFr: strs(row.altLabelsFr),
    descriptionFr: str(row.descriptionFr),
  };
  switch (row.kind) {
    case 'Occupation':
      return {
        ...base,
        kind: 'Occupation',
        code: str(row.code) ?? '',
        iscoGroup: str(row.iscoGroup),
        definition: str(row.definition),
        scopeNote: str(row.scopeNote),
        regulatedProfessionNote: str(row.regulatedProfessionNote),
      };
    case 'Skill':
      return { ...base, kind: 'Skill', skillType: str(row.skillType), reuseLevel: str(row.reuseLevel) };
    case 'IscoGroup':
      return { ...base, kind: 'IscoGroup', code: str(row.code) ?? '' };
    case 'SkillGroup':
      return { ...base, kind: 'SkillGroup', code: str(row.code) };
    default:
      throw new Error(`Unexpected concept kind ${String(row.kind)} for ${base.uri}`);
  }
}
