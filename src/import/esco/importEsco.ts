/**
 * ESCO importer: streams the bulk CSV files into Neo4j with batched, parameterised
 * `UNWIND … MERGE` statements. Idempotent (MERGE on uri), so a re-run changes no counts.
 * Bad rows and references to concepts that do not exist are counted and reported with
 * examples: neither silently dropped nor fatal.
 */
import { int, type Neo4jGateway, type Row } from '../../graph/gateway.js';
import { applySchema } from '../../graph/schema.js';
import { type Progress, silentProgress } from '../progress.js';
import {
  type EscoFile,
  type EscoTable,
  EscoSourceError,
  ESCO_DOWNLOAD_HELP,
  locateEscoFiles,
  missingRequiredTables,
  readCsvRecords,
} from './escoFiles.js';
import { RowError, toEdgeRow, toNodeRow, toTranslationRow, type EdgeRow, type NodeRow } from './escoRows.js';

export interface EscoCounts {
  readonly occupations: number;
  readonly skills: number;
  readonly iscoGroups: number;
  readonly skillGroups: number;
  readonly requires: number;
  readonly essential: number;
  readonly optional: number;
  readonly broader: number;
  readonly relatedSkills: number;
}

export interface RowProblem {
  readonly origin: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

export interface MissingReference {
  readonly table: EscoTable;
  readonly from: string;
  readonly to: string;
  readonly missing: 'from' | 'to' | 'both';
}

export interface EscoImportReport {
  readonly version: string;
  readonly sources: readonly string[];
  readonly files: readonly string[];
  /** Rows read per table (after validation). */
  readonly rowsRead: Readonly<Record<string, number>>;
  readonly invalidRowCount: number;
  /** The first invalid rows (capped), with line, field and reason. */
  readonly invalidRows: readonly RowProblem[];
  readonly missingReferenceCount: Readonly<Record<string, number>>;
  readonly missingReferences: readonly MissingReference[];
  readonly counts: EscoCounts;
  readonly durationMs: number;
}

export interface ImportEscoOptions {
  readonly sources: readonly string[];
  readonly batchSize: number;
  readonly progress?: Progress;
  /** Version to record when file names do not carry one. */
  readonly version?: string;
}

const EXAMPLES = 25;

const NODE_STATEMENTS: Partial<Record<EscoTable, string>> = {
  iscoGroups: 'esco/merge-isco-groups',
  skillGroups: 'esco/merge-skill-groups',
  occupations: 'esco/merge-occupations',
  skills: 'esco/merge-skills',
};

const EDGE_STATEMENTS: Partial<Record<EscoTable, string>> = {
  broaderOccupations: 'esco/merge-broader',
  broaderSkills: 'esco/merge-broader',
  occupationSkills: 'esco/merge-occupation-skills',
  skillSkills: 'esco/merge-related-skills',
};

const NODE_ORDER: EscoTable[] = ['iscoGroups', 'skillGroups', 'occupations', 'skills'];
const EDGE_ORDER: EscoTable[] = ['broaderOccupations', 'broaderSkills', 'occupationSkills', 'skillSkills'];

export async function readEscoCounts(gateway: Neo4jGateway): Promise<EscoCounts> {
  const [row] = await gateway.read('esco/counts');
  const n = (key: keyof EscoCounts) => Number(row?.[key] ?? 0);
  return {
    occupations: n('occupations'),
    skills: n('skills'),
    iscoGroups: n('iscoGroups'),
    skillGroups: n('skillGroups'),
    requires: n('requires'),
    essential: n('essential'),
    optional: n('optional'),
    broader: n('broader'),
    relatedSkills: n('relatedSkills'),
  };
}

export async function importEsco(
  gateway: Neo4jGateway,
  options: ImportEscoOptions,
): Promise<EscoImportReport> {
  const started = Date.now();
  const progress = options.progress ?? silentProgress;
  const set = await locateEscoFiles(options.sources);
  const missing = missingRequiredTables(set.files);
  if (missing.length > 0) {
    throw new EscoSourceError(
      `ESCO files missing from ${options.sources.join(', ')}: ${missing.join(', ')}. ${ESCO_DOWNLOAD_HELP}`,
    );
  }
  await applySchema(gateway);

  const rowsRead: Record<string, number> = {};
  const invalidRows: RowProblem[] = [];
  let invalidRowCount = 0;
  const missingReferenceCount: Record<string, number> = {};
  const missingReferences: MissingReference[] = [];

  const onInvalid = (file: EscoFile, line: number, error: unknown) => {
    invalidRowCount += 1;
    if (invalidRows.length < EXAMPLES) {
      invalidRows.push({
        origin: file.origin,
        line,
        field: error instanceof RowError ? error.field : '(row)',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const base = (f: EscoFile) => f.lang === undefined || f.lang === 'en';

  // Nodes first (English is the base language), then translations, then relations.
  for (const table of NODE_ORDER) {
    for (const file of set.files.filter((f) => f.table === table && base(f))) {
      const statement = NODE_STATEMENTS[table] ?? '';
      rowsRead[table] = await streamBatches<NodeRow>(
        file,
        (record) => toNodeRow(table, record),
        options.batchSize,
        async (rows) => {
          await gateway.write(statement, { rows }, { operation: `import:esco:${table}` });
        },
        onInvalid,
        progress.start(`ESCO ${table}`, undefined),
      );
    }
  }
  for (const file of set.files.filter((f) => NODE_ORDER.includes(f.table) && !base(f))) {
    const lang = file.lang ?? 'en';
    const key = `${file.table}_${lang}`;
    rowsRead[key] = await streamBatches<NodeRow>(
      file,
      (record) => toTranslationRow(lang, record),
      options.batchSize,
      async (rows) => {
        const missingRows = await gateway.write(
          'esco/set-translations',
          { rows },
          { operation: `import:esco:${key}` },
        );
        recordMissing(
          key,
          file.table,
          missingRows.map((r) => ({ from: String(r.uri), to: '', missingFrom: true, missingTo: false })),
        );
      },
      onInvalid,
      progress.start(`ESCO ${key}`, undefined),
    );
  }
  for (const table of EDGE_ORDER) {
    for (const file of set.files.filter((f) => f.table === table)) {
      const statement = EDGE_STATEMENTS[table] ?? '';
      rowsRead[table] = await streamBatches<EdgeRow>(
        file,
        (record) => toEdgeRow(table, record),
        options.batchSize,
        async (rows) => {
          const missingRows = await gateway.write(statement, { rows }, { operation: `import:esco:${table}` });
          recordMissing(table, table, missingRows);
        },
        onInvalid,
        progress.start(`ESCO ${table}`, undefined),
      );
    }
  }

  function recordMissing(key: string, table: EscoTable, rows: Row[]): void {
    missingReferenceCount[key] = (missingReferenceCount[key] ?? 0) + rows.length;
    for (const r of rows) {
      if (missingReferences.length >= EXAMPLES) break;
      const missingFrom = r.missingFrom === true;
      const missingTo = r.missingTo === true;
      missingReferences.push({
        table,
        from: String(r.from),
        to: String(r.to),
        missing: missingFrom && missingTo ? 'both' : missingFrom ? 'from' : 'to',
      });
    }
  }

  await gateway.write('esco/compute-specificity', {}, { operation: 'import:esco:specificity' });
  await buildLabelNodes(gateway, progress);
  await gateway.write('admin/await-indexes', { seconds: int(300) });
  const counts = await readEscoCounts(gateway);
  const version = set.version ?? options.version ?? 'unknown';
  await gateway.write('esco/upsert-dataset', {
    name: 'ESCO',
    version,
    sources: [...options.sources],
    counts: { ...counts },
  });
  return {
    version,
    sources: options.sources,
    files: set.files.map((f) => f.origin),
    rowsRead,
    invalidRowCount,
    invalidRows,
    missingReferenceCount,
    missingReferences,
    counts,
    durationMs: Date.now() - started,
  };
}

/** Label nodes (one per distinct label and language) that title and skill matching embed. */
export async function buildLabelNodes(
  gateway: Neo4jGateway,
  progress: Progress = silentProgress,
): Promise<void> {
  const task = progress.start('ESCO label nodes', 2);
  await gateway.runAutoCommit('esco/merge-occupation-labels');
  task.tick(1);
  await gateway.runAutoCommit('esco/merge-skill-labels');
  task.tick(1);
  task.done('occupation and skill labels');
}

async function streamBatches<T>(
  file: EscoFile,
  map: (record: Record<string, string>) => T,
  batchSize: number,
  flush: (rows: T[]) => Promise<void>,
  onInvalid: (file: EscoFile, line: number, error: unknown) => void,
  task: { tick(n: number): void; done(summary?: string): void },
): Promise<number> {
  let batch: T[] = [];
  let count = 0;
  for await (const { record, line } of readCsvRecords(file)) {
    try {
      batch.push(map(record));
    } catch (error) {
      onInvalid(file, line, error);
      continue;
    }
    if (batch.length >= batchSize) {
      await flush(batch);
      count += batch.length;
      task.tick(batch.length);
      batch = [];
    }
  }
  if (batch.length > 0) {
    await flush(batch);
    count += batch.length;
    task.tick(batch.length);
  }
  task.done(`${count} rows`);
  return count;
}

/** A human-readable summary of a report, for the CLI and start-up logs. */
export function formatEscoReport(report: EscoImportReport): string {
  const c = report.counts;
  const lines = [
    `ESCO ${report.version} imported in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  occupations ${c.occupations}, skills ${c.skills}, ISCO groups ${c.iscoGroups}, skill groups ${c.skillGroups}`,
    `  occupation→skill ${c.requires} (essential ${c.essential}, optional ${c.optional}), broader ${c.broader}, related skills ${c.relatedSkills}`,
  ];
  const missing = Object.entries(report.missingReferenceCount).filter(([, n]) => n > 0);
  if (missing.length > 0) {
    lines.push(
      `  references to missing concepts (not linked): ${missing.map(([t, n]) => `${t} ${n}`).join(', ')}`,
    );
    for (const m of report.missingReferences.slice(0, 5))
      lines.push(`    e.g. ${m.table}: ${m.from} → ${m.to} (missing ${m.missing})`);
  }
  if (report.invalidRowCount > 0) {
    lines.push(`  invalid rows skipped: ${report.invalidRowCount}`);
    for (const p of report.invalidRows.slice(0, 5))
      lines.push(`    ${p.origin} line ${p.line} ${p.field}: ${p.reason}`);
  }
  return lines.join('\n');
}
