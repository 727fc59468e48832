/**
 * The taxonomy service a request sees: validated reads of ESCO concepts, every relationship
 * field behind a per-request DataLoader (one database round trip per field per level of a query,
 * however many parents). Create one per request: loaders cache per user, never across users.
 */
import type { TaxonomyRecordCache } from './recordCache.js';
import DataLoader from 'dataloader';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { toFulltextQuery } from '../fulltextQuery.js';
import { offsetAfter, pageSize } from '../paging.js';
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
import type {
  ConceptKind,
  Lang,
  ListRelation,
  PageDetail,
  PageKey,
  PagePrefetch,
  PageRelation,
  TaxonomyRepository,
} from './taxonomyRepository.js';
import { FULL_DETAIL } from './taxonomyRepository.js';

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

const ESCO_URI =
  /^http:\/\/data\.europa\.eu\/esco\/(occupation|skill|isco|isced-f|[a-z-]+)\/[A-Za-z0-9_\-.]+$/;
const ISCO_CODE = /^\d{1,4}$/;
const OCCUPATION_CODE = /^\d{4}(\.\d+)+$/;

export function assertEscoUri(uri: string, argument = 'uri'): void {
  if (!ESCO_URI.test(uri)) {
    throw new BadUserInputError(
      `${argument} is not an ESCO URI (http://data.europa.eu/esco/…): "${uri.slice(0, 100)}"`,
      {
        argument,
      },
    );
  }
}

const pageKeyId = (k: PageKey) =>
  `${k.key}\u0000${k.relation ?? ''}\u0000${k.skip}\u0000${k.limit}\u0000${k.summary ? 's' : 'f'}`;

export class TaxonomyReader {
  private readonly occupationByUri: DataLoader<string, OccupationRecord | null>;
  private readonly occupationByCode: DataLoader<string, OccupationRecord | null>;
  private readonly skillByUri: DataLoader<string, SkillRecord | null>;
  private readonly iscoGroupByCode: DataLoader<string, IscoGroupRecord | null>;
  private readonly skillGroupByUri: DataLoader<string, SkillGroupRecord | null>;
  private readonly listLoaders = new Map<ListRelation, DataLoader<string, ConceptRecord[]>>();
  private readonly pageLoaders = new Map<PageRelation, DataLoader<PageKey, Page<ConceptRecord>, string>>();
  private readonly relatedSkillsLoader: DataLoader<string, RelatedSkillRecord[]>;

  /** `records`: the process's shared skill and occupation records (none: every request reads them). */
  constructor(
    private readonly repository: TaxonomyRepository,
    private readonly records?: TaxonomyRecordCache,
  ) {
    this.occupationByUri = new DataLoader((keys) =>
      records
        ? records.occupationsByUri(keys, (k) => repository.occupationsByUri(k))
        : repository.occupationsByUri(keys),
    );
    this.occupationByCode = new DataLoader((keys) => repository.occupationsByCode(keys));
    this.skillByUri = new DataLoader((keys) =>
      records ? records.skillsByUri(keys, (k) => repository.skillsByUri(k)) : repository.skillsByUri(keys),
    );
    this.iscoGroupByCode = new DataLoader((keys) => repository.iscoGroupsByCode(keys));
    this.skillGroupByUri = new DataLoader((keys) => repository.skillGroupsByUri(keys));
    this.relatedSkillsLoader = new DataLoader((keys) => repository.relatedSkills(keys));
  }

  // ---- single concepts -------------------------------------------------------------------

  async occupation(args: { uri?: string | null; code?: string | null }): Promise<OccupationRecord> {
    const { uri, code } = args;
    if ((uri == null) === (code == null)) {
      throw new BadUserInputError('Give exactly one of uri or code', {
        argument: 'uri',
        oneOf: ['uri', 'code'],
      });
    }
    if (uri != null) {
      assertEscoUri(uri);
      const found = await this.occupationByUri.load(uri);
      if (!found) throw new NotFoundError('Occupation', uri);
      return found;
    }
    const c = code ?? '';
    if (!OCCUPATION_CODE.test(c)) {
      throw new BadUserInputError(`code is not an ESCO occupation code (e.g. 2511.4): "${c.slice(0, 40)}"`, {
        argument: 'code',
      });
    }
    const found = await this.occupationByCode.load(c);
    if (!found) throw new NotFoundError('Occupation', c);
    return found;
  }

  async skill(uri: string): Promise<SkillRecord> {
    assertEscoUri(uri);
    const found = await this.skillByUri.load(uri);
    if (!found) throw new NotFoundError('Skill', uri);
    return found;
  }

  async iscoGroup(code: string): Promise<IscoGroupRecord> {
    if (!ISCO_CODE.test(code)) {
      throw new BadUserInputError(`code is not an ISCO-08 code (1 to 4 digits): "${code.slice(0, 40)}"`, {
        argument: 'code',
      });
    }
    const found = await this.iscoGroupByCode.load(code);
    if (!found) throw new NotFoundError('IscoGroup', code);
    return found;
  }

  async skillGroup(uri: string): Promise<SkillGroupRecord> {
    assertEscoUri(uri);
    const found = await this.skillGroupByUri.load(uri);
    if (!found) throw new NotFoundError('SkillGroup', uri);
    return found;
  }

  /** A skill known to exist (from another graph read), batched with every other skill load. */
  async skillByUriKnown(uri: string): Promise<SkillRecord> {
    const found = await this.skillByUri.load(uri);
    if (!found) throw new NotFoundError('Skill', uri);
    return found;
  }

  /**
   * Skills known to exist, in order: the shared records themselves when all are kept (no promise
   * per skill: a page of 20 ranked items lists ~200 skill chips), else batched loads.
   */
  skillsByUriKnown(uris: readonly string[]): SkillRecord[] | Promise<SkillRecord[]> {
    return this.records?.skillsKept(uris) ?? Promise.all(uris.map((uri) => this.skillByUriKnown(uri)));
  }

  /** An occupation known to exist (from another graph read), batched. */
  async occupationByUriKnown(uri: string): Promise<OccupationRecord> {
    const found = await this.occupationByUri.load(uri);
    if (!found) throw new NotFoundError('Occupation', uri);
    return found;
  }

  /** For relationship fields (e.g. a vacancy's occupation): null when the uri names none. */
  occupationOrNull(uri: string): Promise<OccupationRecord | null> {
    return this.occupationByUri.load(uri);
  }

  /** The ISCO group of an occupation, by its code (null when ESCO names none). */
  async iscoGroupOf(occupation: OccupationRecord): Promise<IscoGroupRecord | null> {
    return occupation.iscoGroup ? this.iscoGroupByCode.load(occupation.iscoGroup) : null;
  }

  // ---- relationship fields (batched) -----------------------------------------------------

  async list<T extends ConceptRecord>(relation: ListRelation, key: string): Promise<T[]> {
    let loader = this.listLoaders.get(relation);
    if (!loader) {
      loader = new DataLoader((keys) => this.repository.lists(relation, keys));
      this.listLoaders.set(relation, loader);
    }
    return (await loader.load(key)) as T[];
  }

  async relatedSkills(uri: string): Promise<RelatedSkillRecord[]> {
    return this.relatedSkillsLoader.load(uri);
  }

  async occupationSkills(
    uri: string,
    relation: 'essential' | 'optional',
    args: PageArgs,
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<SkillRecord>> {
    return (await this.page('occupation-skills-page', uri, relation, args, 100, detail)) as Page<SkillRecord>;
  }

  async requiredBy(
    uri: string,
    relation: 'essential' | 'optional' | null,
    args: PageArgs,
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<OccupationRecord>> {
    return (await this.page(
      'skill-required-by-page',
      uri,
      relation,
      args,
      20,
      detail,
    )) as Page<OccupationRecord>;
  }

  async iscoGroupOccupations(
    code: string,
    args: PageArgs,
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<OccupationRecord>> {
    return (await this.page(
      'isco-group-occupations-page',
      code,
      null,
      args,
      20,
      detail,
    )) as Page<OccupationRecord>;
  }

  private async page(
    relation: PageRelation,
    key: string,
    rel: 'essential' | 'optional' | null,
    args: PageArgs,
    defaultSize: number,
    detail: PageDetail,
  ): Promise<Page<ConceptRecord>> {
    const limit = pageSize(args.first, defaultSize);
    const skip = offsetAfter(args.after);
    return this.pageLoader(relation).load({ key, relation: rel, skip, limit, summary: detail.summary });
  }

  private pageLoader(relation: PageRelation): DataLoader<PageKey, Page<ConceptRecord>, string> {
    let loader = this.pageLoaders.get(relation);
    if (!loader) {
      loader = new DataLoader((keys) => this.repository.pages(relation, keys), { cacheKeyFn: pageKeyId });
      this.pageLoaders.set(relation, loader);
    }
    return loader;
  }

  // ---- lists and search ------------------------------------------------------------------

  async occupations(
    args: PageArgs & { search?: string | null; lang: Lang; iscoGroup?: string | null },
    detail: PageDetail = FULL_DETAIL,
    prefetch: readonly PagePrefetch[] = [],
  ): Promise<Page<OccupationRecord>> {
    const limit = pageSize(args.first, 20);
    const skip = offsetAfter(args.after);
    const iscoGroup = args.iscoGroup ?? null;
    if (iscoGroup !== null && !/^\d{4}$/.test(iscoGroup)) {
      throw new BadUserInputError(
        `iscoGroup must be a 4-digit ISCO unit group code: "${iscoGroup.slice(0, 40)}"`,
        {
          argument: 'iscoGroup',
        },
      );
    }
    if (args.search == null) {
      const pages = prefetch.flatMap((p) => {
        try {
          return [
            {
              relation: p.relation,
              skip: offsetAfter(p.after),
              limit: pageSize(p.first, 100),
              summary: p.summary,
            },
          ];
        } catch {
          return []; // invalid paging arguments: the skill field reports them itself
        }
      });
      // Look-ahead: the selected skill pages come with the list; the skill fields find them in the loader.
      const { page, skills } = await this.repository.occupationsPageWithSkills(
        iscoGroup,
        skip,
        limit,
        detail,
        pages,
      );
      const loader = this.pageLoader('occupation-skills-page');
      for (const prefetched of skills.values())
        for (const { key, page: p } of prefetched) loader.prime(key, p);
      return page;
    }
    const filter = iscoGroup ? { prop: 'iscoGroup', value: iscoGroup } : null;
    return (await this.fulltext(
      'Occupation',
      args.lang,
      args.search,
      filter,
      skip,
      limit,
    )) as Page<OccupationRecord>;
  }

  async skills(
    args: PageArgs & { search?: string | null; lang: Lang; skillType?: string | null },
    detail: PageDetail = FULL_DETAIL,
  ): Promise<Page<SkillRecord>> {
    const limit = pageSize(args.first, 20);
    const skip = offsetAfter(args.after);
    const skillType = args.skillType ?? null;
    if (skillType !== null && skillType !== 'skill/competence' && skillType !== 'knowledge') {
      throw new BadUserInputError('skillType must be "skill/competence" or "knowledge"', {
        argument: 'skillType',
      });
    }
    if (args.search == null) return this.repository.skillsPage(skillType, skip, limit, detail);
    const filter = skillType ? { prop: 'skillType', value: skillType } : null;
    return (await this.fulltext('Skill', args.lang, args.search, filter, skip, limit)) as Page<SkillRecord>;
  }

  async search(args: {
    text: string;
    kinds: readonly ConceptKind[];
    lang: Lang;
    first: number;
  }): Promise<SearchHitRecord[]> {
    const query = toFulltextQuery(args.text, 'text');
    const limit = pageSize(args.first, 10);
    const kinds =
      args.kinds.length > 0 ? args.kinds : (['Occupation', 'Skill', 'IscoGroup', 'SkillGroup'] as const);
    const hits = await this.repository.search(kinds, args.lang, query, limit);
    if (hits.length > 0 || args.lang === 'en') return hits;
    return this.repository.search(kinds, 'en', query, limit);
  }

  async dataset(): Promise<DatasetRecord | null> {
    return this.repository.dataset('ESCO');
  }

  /** Fulltext in the requested language, falling back to English when it finds nothing. */
  private async fulltext(
    kind: ConceptKind,
    lang: Lang,
    text: string,
    filter: { prop: string; value: string } | null,
    skip: number,
    limit: number,
  ): Promise<Page<ConceptRecord>> {
    const query = toFulltextQuery(text);
    const page = await this.repository.fulltextPage(kind, lang, query, filter, skip, limit);
    if ((page.totalCount ?? 0) > 0 || lang === 'en') return page;
    return this.repository.fulltextPage(kind, 'en', query, filter, skip, limit);
  }
}
