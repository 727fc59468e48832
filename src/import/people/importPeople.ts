/**
 * Bulk import of candidates, vacancies and applications from JSONL or CSV.
 *
 * - Streaming: rows are read, validated and written in batches, so memory stays flat for a 1 GB file.
 * - Each batch is one transaction. A batch the database refuses is retried row by row, so one bad
 *   row costs only itself; every refused row is reported with its line, field and reason.
 * - Idempotent on ids: re-importing a file leaves the same graph.
 * - Applications are written after the candidates and vacancies read before them, so a file may
 *   list people and their applications together.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import { AppError } from '../../errors.js';
import type { Neo4jGateway } from '../../graph/gateway.js';
import type { ConceptResolver } from '../../graph/people/conceptResolver.js';
import type { PeopleRepository } from '../../graph/people/peopleRepository.js';
import {
  parseInput,
  toApplicationRow,
  toCandidateRow,
  toVacancyRow,
  type ApplicationRow,
  type CandidateRow,
  type VacancyRow,
} from '../../graph/people/peopleRows.js';
import type { PeopleCounts } from '../../graph/people/records.js';
import { PeopleRecord } from './peopleRecords.js';
import { type Progress, silentProgress } from '../progress.js';

export interface SourceRow {
  readonly origin: string;
  readonly line: number;
  /** A parsed record, or an Error when the line itself could not be parsed. */
  readonly value: unknown;
}

export interface RowIssue {
  readonly origin: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

export interface PeopleImportReport {
  readonly rowsRead: number;
  readonly written: { candidates: number; vacancies: number; applications: number };
  readonly rejectedCount: number;
  /** Every rejected row, up to `maxIssues`. */
  readonly issues: readonly RowIssue[];
  readonly durationMs: number;
  readonly counts: PeopleCounts;
}

export interface ImportPeopleOptions {
  readonly batchSize: number;
  readonly progress?: Progress;
  /** Called for every rejected row (e.g. to stream an error report to a file). */
  readonly onIssue?: (issue: RowIssue) => void;
  readonly maxIssues?: number;
}

interface Pending<T> {
  readonly row: T;
  readonly origin: string;
  readonly line: number;
}

export async function importPeople(
  gateway: Neo4jGateway,
  repository: PeopleRepository,
  resolver: ConceptResolver,
  rows: AsyncIterable<SourceRow>,
  options: ImportPeopleOptions,
): Promise<PeopleImportReport> {
  const started = Date.now();
  const maxIssues = options.maxIssues ?? 1000;
  const issues: RowIssue[] = [];
  let rejectedCount = 0;
  let rowsRead = 0;
  const written = { candidates: 0, vacancies: 0, applications: 0 };
  const candidates: Pending<CandidateRow>[] = [];
  const vacancies: Pending<VacancyRow>[] = [];
  const applications: Pending<ApplicationRow>[] = [];
  const task = (options.progress ?? silentProgress).start('people', undefined);

  const reject = (origin: string, line: number, field: string, reason: string) => {
    rejectedCount += 1;
    const issue = { origin, line, field, reason };
    if (issues.length < maxIssues) issues.push(issue);
    options.onIssue?.(issue);
  };

  /** Writes a batch in one transaction; if refused, row by row to isolate the bad ones. */
  async function flush<T>(pending: Pending<T>[], write: (rows: T[]) => Promise<number>): Promise<number> {
    if (pending.length === 0) return 0;
    const batch = pending.splice(0, pending.length);
    try {
      return await write(batch.map((p) => p.row));
    } catch {
      let ok = 0;
      for (const p of batch) {
        try {
          ok += await write([p.row]);
        } catch (error) {
          reject(
            p.origin,
            p.line,
            '(row)',
            error instanceof AppError ? error.message : 'the database refused this row',
          );
        }
      }
      return ok;
    }
  }

  const writeCandidates = (batch: CandidateRow[]) =>
    gateway.writeTransaction(
      async (tx) => {
        await repository.writeCandidates(tx, batch);
        return batch.length;
      },
      { operation: 'import:people:candidates' },
    );
  const writeVacancies = (batch: VacancyRow[]) =>
    gateway.writeTransaction(
      async (tx) => {
        await repository.writeVacancies(tx, batch);
        return batch.length;
      },
      { operation: 'import:people:vacancies' },
    );

  async function flushPeople(): Promise<void> {
    written.candidates += await flush(candidates, writeCandidates);
    written.vacancies += await flush(vacancies, writeVacancies);
  }

  async function flushApplications(): Promise<void> {
    await flushPeople();
    if (applications.length === 0) return;
    const batch = applications.splice(0, applications.length);
    const missing = await gateway.writeTransaction(
      (tx) =>
        repository.mergeApplications(
          tx,
          batch.map((p) => p.row),
        ),
      {
        operation: 'import:people:applications',
      },
    );
    for (const m of missing) {
      const p = batch[m.index];
      if (!p) continue;
      if (!m.candidateFound)
        reject(p.origin, p.line, 'candidateId', `no candidate with id ${p.row.candidateId}`);
      else reject(p.origin, p.line, 'vacancyId', `no vacancy with id ${p.row.vacancyId}`);
    }
    written.applications += batch.length - missing.length;
  }

  for await (const source of rows) {
    rowsRead += 1;
    task.tick(1);
    if (source.value instanceof Error) {
      reject(source.origin, source.line, '(line)', source.value.message);
      continue;
    }
    let record: PeopleRecord;
    try {
      record = parseInput(PeopleRecord, source.value, 'row');
    } catch (error) {
      const first = (
        (error as AppError).details?.issues as Array<{ field: string; reason: string }> | undefined
      )?.[0];
      reject(source.origin, source.line, first?.field ?? '(row)', first?.reason ?? (error as Error).message);
      continue;
    }
    try {
      if (record.type === 'candidate') {
        candidates.push({
          row: await toCandidateRow(record, resolver),
          origin: source.origin,
          line: source.line,
        });
        if (candidates.length >= options.batchSize)
          written.candidates += await flush(candidates, writeCandidates);
      } else if (record.type === 'vacancy') {
        vacancies.push({
          row: await toVacancyRow(record, resolver),
          origin: source.origin,
          line: source.line,
        });
        if (vacancies.length >= options.batchSize)
          written.vacancies += await flush(vacancies, writeVacancies);
      } else {
        applications.push({ row: toApplicationRow(record), origin: source.origin, line: source.line });
        if (applications.length >= options.batchSize) await flushApplications();
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const field = typeof error.details?.field === 'string' ? error.details.field : '(row)';
      reject(source.origin, source.line, field, error.message);
    }
  }
  await flushApplications();
  task.done(`${rowsRead} rows, ${rejectedCount} rejected`);
  return {
    rowsRead,
    written,
    rejectedCount,
    issues,
    durationMs: Date.now() - started,
    counts: await repository.counts(),
  };
}

/** Streams a JSONL (one JSON object per line) or CSV file as source rows, by extension. */
export function readPeopleFile(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readCsv(file, onBytes);
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return readJsonl(file, onBytes);
  throw new Error(`${file}: expected a .jsonl or .csv file`);
}

async function* readJsonl(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  if (onBytes) stream.on('data', (chunk) => onBytes(Buffer.byteLength(chunk)));
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = new Error('not valid JSON');
    }
    yield { origin: file, line, value };
  }
}

async function* readCsv(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const stream = fs.createReadStream(file);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  const parser = stream.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    let value: unknown;
    try {
      value = csvRowToRecord(item.record);
    } catch (error) {
      value = error instanceof Error ? error : new Error(String(error));
    }
    yield { origin: file, line: item.info.lines, value };
  }
}

const blankToUndefined = (v: string | undefined) =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

function numberOrText(v: string | undefined): number | string | undefined {
  const t = blankToUndefined(v);
  if (t === undefined) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** "uri-or-label;uri-or-label|3" → refs; an entry starting with http is a uri, else a label. */
function refs(list: string | undefined): Array<{ uri?: string; label?: string; extra?: string }> {
  const t = blankToUndefined(list);
  if (!t) return [];
  return t
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      const [ref = '', extra] = entry.split('|');
      return { ...(/^https?:\/\//.test(ref) ? { uri: ref } : { label: ref }), ...(extra ? { extra } : {}) };
    });
}

/**
 * Maps a CSV row to a people record. Columns: `type` (candidate|vacancy|application) and, by type,
 * candidate: id, displayName, region, yearsExperience, summary, skills, occupations, gender, ageBand;
 * vacancy: id, title, description, region, status, organizationId, organizationName, occupation,
 * essentialSkills, optionalSkills, postedAt; application: candidateId, vacancyId, status, at, updatedAt.
 * Lists are `;`-separated uris or labels; occupations may carry years as `uri|years`.
 */
export function csvRowToRecord(row: Record<string, string>): unknown {
  const get = (k: string) => blankToUndefined(row[k]);
  switch (get('type')) {
    case 'candidate': {
      const gender = get('gender');
      const ageBand = get('ageBand');
      return {
        type: 'candidate',
        id: get('id'),
        displayName: get('displayName'),
        region: get('region'),
        yearsExperience: numberOrText(row.yearsExperience),
        summary: get('summary'),
        skills: refs(row.skills).map(({ extra, ...ref }) => ({
          ...ref,
          ...(extra ? { source: extra } : {}),
        })),
        occupations: refs(row.occupations).map(({ extra, ...ref }) => ({
          ...ref,
          ...(extra ? { years: numberOrText(extra) } : {}),
        })),
        ...(gender || ageBand
          ? { sensitive: { ...(gender ? { gender } : {}), ...(ageBand ? { ageBand } : {}) } }
          : {}),
      };
    }
    case 'vacancy': {
      const occupation = get('occupation');
      const orgId = get('organizationId');
      return {
        type: 'vacancy',
        id: get('id'),
        title: get('title'),
        description: get('description'),
        region: get('region'),
        status: get('status'),
        postedAt: get('postedAt'),
        ...(orgId ? { organization: { id: orgId, name: get('organizationName') ?? orgId } } : {}),
        ...(occupation
          ? {
              occupation: /^https?:\/\//.test(occupation)
                ? { uri: occupation }
                : /^\d{4}(\.\d+)+$/.test(occupation)
                  ? { code: occupation }
                  : { label: occupation },
            }
          : {}),
        skills: [
          ...refs(row.essentialSkills).map(({ extra: _e, ...ref }) => ({ ...ref, relation: 'essential' })),
          ...refs(row.optionalSkills).map(({ extra: _e, ...ref }) => ({ ...ref, relation: 'optional' })),
        ],
      };
    }
    case 'application':
      return {
        type: 'application',
        candidateId: get('candidateId'),
        vacancyId: get('vacancyId'),
        status: get('status'),
        at: get('at'),
        updatedAt: get('updatedAt'),
      };
    default:
      throw new Error(
        `type must be candidate, vacancy or application (got "${String(row.type ?? '').slice(0, 40)}")`,
      );
  }
}

/** Concatenates several files' rows (the CLI takes many files). */
export async function* readPeopleFiles(
  files: readonly string[],
  onBytes?: (n: number) => void,
): AsyncIterable<SourceRow> {
  for (const file of files) yield* readPeopleFile(file, onBytes);
}

export function formatPeopleReport(report: PeopleImportReport): string {
  const secs = report.durationMs / 1000;
  const lines = [
    `Read ${report.rowsRead} rows in ${secs.toFixed(1)} s (${Math.round(report.rowsRead / Math.max(secs, 0.001))} rows/s)`,
    `  written: ${report.written.candidates} candidates, ${report.written.vacancies} vacancies, ${report.written.applications} applications`,
    `  rejected: ${report.rejectedCount} rows`,
    `  graph now holds ${report.counts.candidates} candidates, ${report.counts.vacancies} vacancies, ${report.counts.organizations} organizations, ${report.counts.applications} applications`,
  ];
  for (const i of report.issues.slice(0, 20)) lines.push(`    ${i.origin}:${i.line} ${i.field}: ${i.reason}`);
  if (report.rejectedCount > 20)
    lines.push(`    … and ${report.rejectedCount - 20} more (see the error report)`);
  return lines.join('\n');
}
