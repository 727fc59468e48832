/**
 * Per-request context: fresh services (and so fresh DataLoaders) for every request.
 */
import type { Logger } from 'pino';
import type { PeopleReader } from '../graph/people/peopleReader.js';
import type { AccessRepository } from '../graph/security/accessRepository.js';
import type { PeopleService } from '../graph/people/peopleService.js';
import type { TaxonomyReader } from '../graph/taxonomy/taxonomyReader.js';
import type { ConceptSearchService } from '../services/conceptSearchService.js';
import type { RankingService } from '../services/rankingService.js';
import type { SkillGapService } from '../services/skillGapService.js';
import type { Principal } from '../security/principal.js';

export interface RequestContext {
  readonly requestId: string;
  readonly log: Logger;
  /** The authenticated caller (or anonymous); access rules read it, resolvers need not. */
  readonly principal: Principal;
  /** Reads behind data-dependent access rules. */
  readonly access: AccessRepository;
  readonly taxonomy: TaxonomyReader;
  readonly people: PeopleReader;
  readonly peopleService: PeopleService;
  readonly gaps: SkillGapService;
  readonly ranking: RankingService;
  readonly search: ConceptSearchService;
}
