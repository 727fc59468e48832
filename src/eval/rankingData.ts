/**
 * Labelled ranking data for `npm run eval:ranking -- --file <jsonl>`: candidates, vacancies,
 * (optional) applications with outcomes, and graded relevance judgements per vacancy. Pure: the
 * script reads the lines, this module validates and indexes them. The format is documented in
 * docs/evaluation.md ("Bring your own labelled data").
 *
 * One JSON object per line:
 * - `{"type":"candidate", …}`, `{"type":"vacancy", …}`, `{"type":"application", …}`: exactly the
 *   people records of `npm run import:people` (src/domain/peopleInput.ts). A candidate may come
 *   with a text (`summary`) and/or skills; `sensitive.gender` is used only for the aggregate
 *   fairness figures.
 * - `{"type":"judgement","vacancyId":…,"candidateId":…,"relevance":0-3}`: a graded label. A line
 *   without `type` holding `vacancyId`, `candidateId` and `relevance` is read the same way, so the
 *   demo generator's `fit.jsonl` can be passed as it is.
 *
 * Unjudged (vacancy, candidate) pairs count as irrelevant, as in trec_eval.
 */
import { z } from 'zod';
import { PeopleRecord } from '../domain/peopleInput.js';

export const JudgementLine = z
  .object({
    type: z.literal('judgement').optional(),
    vacancyId: z.string().min(1),
    candidateId: z.string().min(1),
    relevance: z.number().int().min(0).max(10),
    /** The demo generator's hidden fit (ignored). */
    fit: z.number().optional(),
  })
  .strict();

export interface DataIssue {
  readonly origin: string;
  readonly line: number;
  readonly reason: string;
}

export interface RankingDataset {
  /** Candidates, vacancies and applications, in file order (ready for the people importer). */
  readonly records: PeopleRecord[];
  /** vacancy id → candidate id → grade. */
  readonly judgements: Map<string, Map<string, number>>;
  /** candidate id → audit group (gender) or null; only for aggregate fairness figures. */
  readonly groups: Map<string, string | null>;
  /** vacancy id → candidate id → application status. */
  readonly outcomes: Map<string, Map<string, string>>;
  readonly issues: DataIssue[];
}

export function emptyDataset(): RankingDataset {
  return { records: [], judgements: new Map(), groups: new Map(), outcomes: new Map(), issues: [] };
}

const describe = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');

/** Adds the lines of one file to `dataset`; bad lines become issues, the rest is kept. */
export function addLines(dataset: RankingDataset, origin: string, lines: Iterable<string>): RankingDataset {
  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber += 1;
    const text = raw.trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      dataset.issues.push({ origin, line: lineNumber, reason: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    if (type === undefined || type === 'judgement') {
      const parsed = JudgementLine.safeParse(value);
      if (!parsed.success) {
        dataset.issues.push({ origin, line: lineNumber, reason: describe(parsed.error) });
        continue;
      }
      const { vacancyId, candidateId, relevance } = parsed.data;
      let forVacancy = dataset.judgements.get(vacancyId);
      if (!forVacancy) dataset.judgements.set(vacancyId, (forVacancy = new Map<string, number>()));
      forVacancy.set(candidateId, relevance);
      continue;
    }
    const parsed = PeopleRecord.safeParse(value);
    if (!parsed.success) {
      dataset.issues.push({ origin, line: lineNumber, reason: describe(parsed.error) });
      continue;
    }
    const record = parsed.data;
    dataset.records.push(record);
    if (record.type === 'candidate') dataset.groups.set(record.id, record.sensitive?.gender ?? null);
    if (record.type === 'application') {
      let forVacancy = dataset.outcomes.get(record.vacancyId);
      if (!forVacancy) dataset.outcomes.set(record.vacancyId, (forVacancy = new Map<string, string>()));
      forVacancy.set(record.candidateId, record.status ?? 'APPLIED');
    }
  }
  return dataset;
}

/** Ids of the dataset's vacancies and candidates, in file order. */
export function datasetIds(dataset: RankingDataset): { vacancies: string[]; candidates: string[] } {
  const vacancies: string[] = [];
  const candidates: string[] = [];
  for (const r of dataset.records) {
    if (r.type === 'vacancy') vacancies.push(r.id);
    else if (r.type === 'candidate') candidates.push(r.id);
  }
  return { vacancies, candidates };
}

/**
 * Deterministic split of vacancy ids by a hash of the id: about `validationShare` of them are
 * held out. The same id always lands on the same side, whatever else the file holds.
 */
export function isValidationVacancy(
  id: string,
  validationShare: number,
  salt = 'talentgraph-split',
): boolean {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (const ch of `${salt}|${id}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32 < validationShare;
}
