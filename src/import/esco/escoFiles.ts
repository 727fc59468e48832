/**
 * Finds the ESCO bulk CSV files in zips and/or folders and streams their records.
 * Accepts v1.1.x names (relation files without a language suffix) and v1.2 names (`_en` suffix).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { parse } from 'csv-parse';

export type EscoTable =
  | 'occupations'
  | 'skills'
  | 'iscoGroups'
  | 'skillGroups'
  | 'broaderOccupations'
  | 'broaderSkills'
  | 'occupationSkills'
  | 'skillSkills';

export interface EscoFile {
  readonly table: EscoTable;
  /** Language of a classification file (`en`, `fr`, …); relation files carry none in v1.1.x. */
  readonly lang: string | undefined;
  /** Where it came from, for reports: `zip!entry` or a path. */
  readonly origin: string;
  open(): Promise<Readable>;
}

export interface EscoSourceSet {
  readonly files: readonly EscoFile[];
  /** ESCO version read from a source name (`esco-v1.1.1-…`), if any. */
  readonly version: string | undefined;
  readonly sources: readonly string[];
}

const PATTERNS: ReadonlyArray<[EscoTable, RegExp]> = [
  ['occupations', /^occupations_([a-z]{2}(?:-[a-z]+)?)\.csv$/i],
  ['skills', /^skills_([a-z]{2}(?:-[a-z]+)?)\.csv$/i],
  ['iscoGroups', /^ISCOGroups_([a-z]{2}(?:-[a-z]+)?)\.csv$/i],
  ['skillGroups', /^skillGroups_([a-z]{2}(?:-[a-z]+)?)\.csv$/i],
  ['broaderOccupations', /^broaderRelationsOccPillar(?:_([a-z]{2}))?\.csv$/i],
  ['broaderSkills', /^broaderRelationsSkillPillar(?:_([a-z]{2}))?\.csv$/i],
  ['occupationSkills', /^occupationSkillRelations(?:_([a-z]{2}))?\.csv$/i],
  ['skillSkills', /^skillSkillRelations(?:_([a-z]{2}))?\.csv$/i],
];

/** Classifies a file name; undefined for files the importer does not use (collections, schemes…). */
export function classifyEscoFile(
  fileName: string,
): { table: EscoTable; lang: string | undefined } | undefined {
  const base = path.basename(fileName);
  for (const [table, re] of PATTERNS) {
    const m = re.exec(base);
    if (m) return { table, lang: m[1]?.toLowerCase() };
  }
  return undefined;
}

export function versionFromName(name: string): string | undefined {
  return /esco[-_ ]?v?(\d+\.\d+(?:\.\d+)?)/i.exec(path.basename(name))?.[1];
}

export class EscoSourceError extends Error {
  override readonly name = 'EscoSourceError';
}

export const ESCO_DOWNLOAD_HELP =
  'Download the ESCO classification (CSV, English, plus optionally French) from ' +
  'https://esco.ec.europa.eu/en/use-esco/download and pass the zips or the extracted folder: ' +
  '`npm run import:esco -- <zip|folder>…`, or set ESCO_DIR / ESCO_ZIPS. Needed files: occupations_en.csv, ' +
  'skills_en.csv, ISCOGroups_en.csv, skillGroups_en.csv, broaderRelationsOccPillar.csv, ' +
  'broaderRelationsSkillPillar.csv, occupationSkillRelations.csv, skillSkillRelations.csv ' +
  '(v1.2 names with an _en suffix are accepted).';

/** Expands sources (zips, folders holding zips or CSVs) into the ESCO files they contain. */
export async function locateEscoFiles(sources: readonly string[]): Promise<EscoSourceSet> {
  const files: EscoFile[] = [];
  let version: string | undefined;
  for (const source of sources) {
    if (!fs.existsSync(source))
      throw new EscoSourceError(`ESCO source not found: ${source}. ${ESCO_DOWNLOAD_HELP}`);
    version ??= versionFromName(source);
    const stat = fs.statSync(source);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(source).sort()) {
        const full = path.join(source, entry);
        if (/\.zip$/i.test(entry)) {
          version ??= versionFromName(entry);
          files.push(...(await listZip(full)));
        } else {
          const kind = classifyEscoFile(entry);
          if (kind)
            files.push({ ...kind, origin: full, open: () => Promise.resolve(fs.createReadStream(full)) });
        }
      }
    } else if (/\.zip$/i.test(source)) {
      files.push(...(await listZip(source)));
    } else {
      const kind = classifyEscoFile(source);
      if (!kind) throw new EscoSourceError(`Not an ESCO CSV file: ${source}`);
      files.push({ ...kind, origin: source, open: () => Promise.resolve(fs.createReadStream(source)) });
    }
  }
  return { files: dedupe(files), version, sources };
}

/** Several copies of one table (e.g. a relation file in two languages): keep English, else the first. */
function dedupe(files: EscoFile[]): EscoFile[] {
  const byKey = new Map<string, EscoFile>();
  for (const f of files) {
    const isRelation = !['occupations', 'skills', 'iscoGroups', 'skillGroups'].includes(f.table);
    const key = isRelation ? f.table : `${f.table}:${f.lang ?? ''}`;
    const existing = byKey.get(key);
    if (!existing || (isRelation && f.lang === 'en' && existing.lang !== 'en')) byKey.set(key, f);
  }
  return [...byKey.values()];
}

export function missingRequiredTables(files: readonly EscoFile[]): EscoTable[] {
  const present = new Set(files.filter((f) => f.lang === undefined || f.lang === 'en').map((f) => f.table));
  const required: EscoTable[] = [
    'occupations',
    'skills',
    'iscoGroups',
    'skillGroups',
    'broaderOccupations',
    'broaderSkills',
    'occupationSkills',
    'skillSkills',
  ];
  return required.filter((t) => !present.has(t));
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip)
        reject(new EscoSourceError(`Cannot read zip ${zipPath}: ${err?.message ?? 'unknown error'}`));
      else resolve(zip);
    });
  });
}

async function listZip(zipPath: string): Promise<EscoFile[]> {
  const zip = await openZip(zipPath);
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) names.push(entry.fileName);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  const out: EscoFile[] = [];
  for (const name of names) {
    const kind = classifyEscoFile(name);
    if (kind) out.push({ ...kind, origin: `${zipPath}!${name}`, open: () => openZipEntry(zipPath, name) });
  }
  return out;
}

async function openZipEntry(zipPath: string, entryName: string): Promise<Readable> {
  const zip = await openZip(zipPath);
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== entryName) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) {
          zip.close();
          reject(err ?? new Error(`cannot open ${entryName}`));
          return;
        }
        stream.on('end', () => zip.close());
        resolve(stream);
      });
    });
    zip.on('end', () => reject(new EscoSourceError(`${entryName} vanished from ${zipPath}`)));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * Streams a CSV file's records as objects keyed by the header row (multi-line quoted fields
 * allowed), each with the line it starts on, for error reports.
 */
export async function* readCsvRecords(
  file: EscoFile,
): AsyncGenerator<{ record: Record<string, string>; line: number }> {
  const stream = await file.open();
  const parser = stream.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { record: item.record, line: item.info.lines };
  }
}
