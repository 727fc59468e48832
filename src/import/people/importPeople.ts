/**
 * Bulk import of candidates, vacancies and applications from JSONL or CSV.
 *
 * - Streaming: rows are read, validated and written in batches, so memory stays flat for a 1 GB file.
 * - Each batch is one transaction. A batch the database refuses is retried row by row, so one bad
 *   row costs only itself; every refused row is reported with its line, field and reason.
 * - Idempotent on ids: re-importing a file leaves the same graph.
 * - Applications are written after the candidates and vacancies read before them, so a file may
 *   list people and their applications together.
 * - The API's rules hold here too (`src/domain/peopleInput.ts`): an existing application moves only
 *   along an allowed transition (HIRED and REJECTED are final; a line without a status keeps the
 *   current one; the same status again leaves it unchanged), and a CLOSED vacancy takes no new
 *   application in progress (APPLIED, SCREENED, INTERVIEW) — only past outcomes.
 * - Text is strict UTF-8: a byte-order mark is accepted, a line with invalid bytes (e.g. a
 *   Latin-1 file) or a lone surrogate (`"\ud800"` in JSON) is refused with its line number, never
 *   stored as U+FFFD.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../errors.js';
import {
  OPEN_APPLICATION_STATUSES,
  transitionRefusal,
  type ApplicationInput,
  type ApplicationStatus,
} from '../../domain/peopleInput.js';
import type { Neo4jGateway } from '../../graph/gateway.js';
import type { ConceptResolver } from '../../graph/people/conceptResolver.js';
import type { ApplicationState, PeopleRepository } from '../../graph/people/peopleRepository.js';
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
import { loneSurrogatePath, readUtf8Lines } from './utf8Lines.js';

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
  /** Rejected rows by the field their reason names (`(line)`, `status`, `vacancyId`, …). */
  readonly rejectedByField: Readonly<Record<string, number>>;
  /** Application lines that repeated an application's current status (nothing written). */
  readonly unchangedApplications: number;
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
  const applications: Pending<ApplicationInput>[] = [];
  const rejectedByField: Record<string, number> = {};
  let unchangedApplications = 0;
  const task = (options.progress ?? silentProgress).start('people', undefined);

  const reject = (origin: string, line: number, field: string, reason: string) => {
    rejectedCount += 1;
    rejectedByField[field] = (rejectedByField[field] ?? 0) + 1;
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

  /**
   * Applies the API's application rules to the pending lines, in file order, against the graph's
   * current state (read in the same transaction as the write), then writes the accepted ones.
   */
  async function flushApplications(): Promise<void> {
    await flushPeople();
    if (applications.length === 0) return;
    const batch = applications.splice(0, applications.length);
    const outcome = await gateway.writeTransaction(
      async (tx) => {
        const states = await repository.applicationStates(
          tx,
          batch.map((p) => ({ candidateId: p.row.candidateId, vacancyId: p.row.vacancyId })),
        );
        const decided = decideApplications(batch, states);
        if (decided.accepted.length > 0) await repository.mergeApplications(tx, decided.accepted);
        return decided;
      },
      { operation: 'import:people:applications' },
    );
    for (const r of outcome.refused) reject(r.origin, r.line, r.field, r.reason);
    unchangedApplications += outcome.unchanged;
    written.applications += outcome.accepted.length;
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
        applications.push({ row: record, origin: source.origin, line: source.line });
        if (applications.length >= options.batchSize) await flushApplications();
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const field = typeof error.details?.argument === 'string' ? error.details.argument : '(row)';
      reject(source.origin, source.line, field, error.message);
    }
  }
  await flushApplications();
  task.done(`${rowsRead} rows, ${rejectedCount} rejected`);
  return {
    rowsRead,
    written,
    rejectedCount,
    rejectedByField,
    unchangedApplications,
    issues,
    durationMs: Date.now() - started,
    counts: await repository.counts(),
  };
}

interface ApplicationDecisions {
  readonly accepted: ApplicationRow[];
  readonly refused: Array<{ origin: string; line: number; field: string; reason: string }>;
  readonly unchanged: number;
}

/**
 * The importer's application rules, the API's own: `states[i]` is the graph's state for
 * `lines[i]`; lines for the same pair apply in order (a later line moves from the earlier one's status).
 */
export function decideApplications(
  lines: readonly Pending<ApplicationInput>[],
  states: readonly ApplicationState[],
): ApplicationDecisions {
  const accepted: ApplicationRow[] = [];
  const refused: ApplicationDecisions['refused'] = [];
  let unchanged = 0;
  const current = new Map<string, ApplicationStatus | null>();
  lines.forEach((p, i) => {
    const state = states[i];
    const refuse = (field: string, reason: string) =>
      refused.push({ origin: p.origin, line: p.line, field, reason });
    if (!state?.candidateFound) return refuse('candidateId', `no candidate with id ${p.row.candidateId}`);
    if (!state.vacancyFound) return refuse('vacancyId', `no vacancy with id ${p.row.vacancyId}`);
    const pair = JSON.stringify([p.row.candidateId, p.row.vacancyId]);
    const from = current.has(pair)
      ? (current.get(pair) ?? null)
      : (state.applicationStatus as ApplicationStatus | null);
    if (from === null) {
      const status = p.row.status ?? 'APPLIED';
      if (state.vacancyStatus === 'CLOSED' && OPEN_APPLICATION_STATUSES.includes(status)) {
        return refuse(
          'vacancyId',
          `vacancy ${p.row.vacancyId} is closed and takes no applications in progress (${status}); only outcomes (HIRED, REJECTED, TALENT_POOL, WITHDRAWN)`,
        );
      }
      current.set(pair, status);
      accepted.push({ ...toApplicationRow(p.row), status });
      return;
    }
    const to = p.row.status ?? from;
    if (to === from) {
      unchanged += 1;
      return;
    }
    const refusal = transitionRefusal(from, to, false);
    if (refusal) return refuse('status', refusal);
    current.set(pair, to);
    accepted.push({ ...toApplicationRow(p.row), status: to });
  });
  return { accepted, refused, unchanged };
}

/** Streams a JSONL (one JSON object per line) or CSV file as source rows, by extension. */
export function readPeopleFile(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readCsv(file, onBytes);
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return readJsonl(file, onBytes);
  throw new Error(`${file}: expected a .jsonl or .csv file`);
}

async function* readJsonl(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const stream = fs.createReadStream(file);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  for await (const decoded of readUtf8Lines(stream)) {
    if (decoded.text === null) {
      yield { origin: file, line: decoded.line, value: new Error(decoded.problem ?? 'not valid UTF-8') };
      continue;
    }
    if (decoded.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(decoded.text);
    } catch {
      value = new Error('not valid JSON');
    }
    const surrogate = value instanceof Error ? null : loneSurrogatePath(value);
    if (surrogate)
      value = new Error(`${surrogate}: a lone surrogate (e.g. "\\ud800") is not valid Unicode text`);
    yield { origin: file, line: decoded.line, value };
  }
}

async function* readCsv(file: string, onBytes?: (n: number) => void): AsyncIterable<SourceRow> {
  const stream = fs.createReadStream(file);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  // The bytes go to the CSV parser unchanged; each physical line is also decoded strictly, so a
  // record spanning an invalid line is refused with that line's number.
  const invalidLines = new Map<number, string>();
  const parser = Readable.from(strictLines(stream, invalidLines)).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let previousEnd = 1; // the header line
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    const end = item.info.lines;
    let value: unknown;
    const bad = [...invalidLines.keys()].find((l) => l > previousEnd && l <= end);
    if (bad !== undefined) {
      value = new Error(`line ${bad}: ${invalidLines.get(bad) ?? 'not valid UTF-8'}`);
    } else {
      try {
        value = csvRowToRecord(item.record);
      } catch (error) {
        value = error instanceof Error ? error : new Error(String(error));
      }
    }
    for (const l of invalidLines.keys()) if (l <= end) invalidLines.delete(l);
    previousEnd = end;
    yield { origin: file, line: end, value };
  }
}

/**
 * A file's lines, strictly decoded and re-joined with LF (a BOM and CR before LF dropped), noting
 * each line that is not valid UTF-8; such a line passes as U+FFFD only to keep line numbers, and
 * the record holding it is refused.
 */
async function* strictLines(stream: fs.ReadStream, invalid: Map<number, string>): AsyncIterable<Buffer> {
  for await (const decoded of readUtf8Lines(stream)) {
    if (decoded.text === null) invalid.set(decoded.line, decoded.problem ?? 'not valid UTF-8');
    yield Buffer.from(`${decoded.text ?? '\uFFFD'}\n`, 'utf8');
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
    `  rejected: ${report.rejectedCount} rows` +
      (report.rejectedCount > 0
        ? ` (${Object.entries(report.rejectedByField)
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .map(([field, n]) => `${field}: ${n}`)
            .join(', ')})`
        : ''),
    ...(report.unchangedApplications > 0
      ? [`  unchanged: ${report.unchangedApplications} application lines repeated the current status`]
      : []),
    `  graph now holds ${report.counts.candidates} candidates, ${report.counts.vacancies} vacancies, ${report.counts.organizations} organizations, ${report.counts.applications} applications`,
  ];
  for (const i of report.issues.slice(0, 20)) lines.push(`    ${i.origin}:${i.line} ${i.field}: ${i.reason}`);
  if (report.rejectedCount > 20)
    lines.push(`    … and ${report.rejectedCount - 20} more (see the error report)`);
  return lines.join('\n');
}
