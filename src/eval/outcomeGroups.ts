/**
 * Training groups of the ranking cross-encoder, from the graph's own application outcomes: per
 * vacancy, its applicants graded by how far they got (hired 2; interviewed or kept in the talent
 * pool 1; rejected 0) and the exact texts the service's cross-encoder pairs for that vacancy
 * (`RankingSide.load`/`texts` of `rankCandidates`, clipped by `crossEncoderPair`). Statuses that
 * say nothing of the fit (applied, screened, withdrawn) are left out, and so are vacancies whose
 * applicants all share one grade (no preference to learn).
 *
 * Vacancies are split by `isValidationVacancy` (the hash `npm run eval:ranking` and learned
 * fusion use, same share): the dev part is written for the training run's own dev figures and
 * never trained on, so the vacancies `eval:ranking` reports on are never trained on either.
 */
import crypto from 'node:crypto';
import type { Neo4jGateway } from '../graph/gateway.js';
import type { RankingReads } from '../graph/ranking/rankingRepository.js';
import { crossEncoderPair } from '../ranking/texts.js';
import { candidatesForVacancy } from '../services/rankingSides.js';
import { isValidationVacancy } from './rankingData.js';

export const OUTCOME_GRADES: Readonly<Record<string, number>> = {
  HIRED: 2,
  INTERVIEW: 1,
  TALENT_POOL: 1,
  REJECTED: 0,
};

export interface OutcomeGroup {
  readonly vacancyId: string;
  readonly split: 'train' | 'dev';
  /** The vacancy as the cross-encoder's query reads it. */
  readonly query: string;
  readonly items: ReadonlyArray<{
    readonly candidateId: string;
    readonly text: string;
    readonly grade: number;
  }>;
}

export interface OutcomeRow {
  readonly vacancyId: string;
  readonly candidateId: string;
  readonly status: string;
}

/** Graded applicants per vacancy; vacancies with fewer than two grades are dropped. Pure. */
export function gradeApplications(rows: Iterable<OutcomeRow>): Map<string, Map<string, number>> {
  const byVacancy = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const grade = OUTCOME_GRADES[r.status];
    if (grade === undefined) continue;
    let m = byVacancy.get(r.vacancyId);
    if (!m) byVacancy.set(r.vacancyId, (m = new Map<string, number>()));
    m.set(r.candidateId, grade);
  }
  for (const [v, m] of byVacancy) if (new Set(m.values()).size < 2) byVacancy.delete(v);
  return byVacancy;
}

export interface OutcomeGroupsResult {
  readonly groups: OutcomeGroup[];
  /** sha256 of the groups' JSON lines, in order (the manifest's data hash of this source). */
  readonly sha256: string;
  readonly counts: {
    readonly vacancies: number;
    readonly train: number;
    readonly dev: number;
    readonly pairs: number;
  };
}

export async function outcomeGroups(
  gateway: Neo4jGateway,
  repository: RankingReads,
  options: { readonly validationShare: number },
): Promise<OutcomeGroupsResult> {
  const rows = await gateway.read('training/outcome-statuses', {
    statuses: Object.keys(OUTCOME_GRADES),
  });
  const graded = gradeApplications(
    rows.map((r) => ({
      vacancyId: String(r.vacancyId),
      candidateId: String(r.candidateId),
      status: String(r.status),
    })),
  );
  const side = candidatesForVacancy(repository);
  const groups: OutcomeGroup[] = [];
  const hash = crypto.createHash('sha256');
  for (const [vacancyId, applicants] of [...graded].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const subject = await side.load(vacancyId, []);
    const ids = [...applicants.keys()].sort();
    const texts = await side.texts(ids);
    const [query] = crossEncoderPair(subject.rerankText, '', false);
    const group: OutcomeGroup = {
      vacancyId,
      split: isValidationVacancy(vacancyId, options.validationShare) ? 'dev' : 'train',
      query,
      items: ids.map((candidateId) => ({
        candidateId,
        text: crossEncoderPair(subject.rerankText, texts.get(candidateId) ?? '', false)[1],
        grade: applicants.get(candidateId)!,
      })),
    };
    groups.push(group);
    hash.update(`${JSON.stringify(group)}\n`);
  }
  const train = groups.filter((g) => g.split === 'train').length;
  return {
    groups,
    sha256: hash.digest('hex'),
    counts: {
      vacancies: groups.length,
      train,
      dev: groups.length - train,
      pairs: groups.reduce((n, g) => n + g.items.length, 0),
    },
  };
}
