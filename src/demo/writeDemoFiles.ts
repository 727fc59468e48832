/**
 * Writes a generated demo dataset to a folder: `people.jsonl` (candidates, vacancies, applications
 * as `PeopleRecord` lines, ready for the people importer), `fit.jsonl` (graded labels, never
 * imported) and `manifest.json` (options, counts and the fit function, to reproduce and cite it).
 *
 * Streams with backpressure in bounded chunks, so memory does not grow with the dataset. Files are
 * written under temporary names and renamed at the end: a crash never leaves a truncated file
 * that looks complete.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { EscoSnapshot } from './escoSnapshot.js';
import { generateDemo, type DemoOptions, type ResolvedDemoOptions } from './generateDemo.js';
import { CLOSENESS, FIT_NOISE_SD, FIT_WEIGHTS, RELEVANCE_THRESHOLDS } from './hiddenFit.js';

export const PEOPLE_FILE = 'people.jsonl';
export const FIT_FILE = 'fit.jsonl';
export const MANIFEST_FILE = 'manifest.json';

export interface DemoCounts {
  readonly candidates: number;
  readonly vacancies: number;
  readonly applications: number;
  readonly fitRecords: number;
}

export interface DemoFilesReport {
  readonly dir: string;
  readonly files: { readonly people: string; readonly fit: string; readonly manifest: string };
  readonly options: ResolvedDemoOptions;
  readonly counts: DemoCounts;
  readonly durationMs: number;
}

const CHUNK_CHARS = 1 << 20;

export async function writeDemoFiles(
  snapshot: EscoSnapshot,
  options: DemoOptions,
  dir: string,
): Promise<DemoFilesReport> {
  const started = performance.now();
  const demo = generateDemo(snapshot, options);
  await fs.promises.mkdir(dir, { recursive: true });
  const files = {
    people: path.join(dir, PEOPLE_FILE),
    fit: path.join(dir, FIT_FILE),
    manifest: path.join(dir, MANIFEST_FILE),
  };

  const byType = { candidate: 0, vacancy: 0, application: 0 };
  await writeLines(files.people, demo.records, (record) => {
    byType[record.type] += 1;
  });
  const fitRecords = await writeLines(files.fit, demo.fit);
  const counts: DemoCounts = {
    candidates: byType.candidate,
    vacancies: byType.vacancy,
    applications: byType.application,
    fitRecords,
  };

  // Deterministic content (no timestamps), so two runs with one seed produce identical folders.
  const manifest = {
    generator: 'talentgraph demo generator',
    builtInHouse: 'Synthetic data: outcomes follow a hidden fit function, not real hiring decisions.',
    options: demo.options,
    snapshot: { occupations: snapshot.occupations.length, skills: snapshot.skills.length },
    counts,
    files: { people: PEOPLE_FILE, fit: FIT_FILE },
    fitFunction: {
      weights: FIT_WEIGHTS,
      closeness: CLOSENESS,
      noiseSd: FIT_NOISE_SD,
      relevanceThresholds: RELEVANCE_THRESHOLDS,
    },
  };
  await writeAtomically(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, files, options: demo.options, counts, durationMs: performance.now() - started };
}

/** Writes one JSON document per line; returns the number of lines. */
async function writeLines<T>(file: string, items: Iterable<T>, onItem?: (item: T) => void): Promise<number> {
  const temporary = `${file}.${process.pid}.tmp`;
  const stream = fs.createWriteStream(temporary, { encoding: 'utf8' });
  let count = 0;
  try {
    let chunk = '';
    for (const item of items) {
      onItem?.(item);
      chunk += `${JSON.stringify(item)}\n`;
      count += 1;
      if (chunk.length >= CHUNK_CHARS) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await finished(stream);
    await fs.promises.rename(temporary, file);
    return count;
  } catch (error) {
    stream.destroy();
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, content, 'utf8');
  await fs.promises.rename(temporary, file);
}
