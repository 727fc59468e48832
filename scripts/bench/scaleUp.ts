/**
 * Stores beyond `importMax` candidates (1M on this machine) are scaled up from the prepared
 * `importMax` store instead of imported row by row: at the importer's measured rate (about 700–950
 * candidates/s quiet, 200/s contended) 1M candidates would take 18–85 minutes before any
 * measurement. The scale-up:
 *
 * 1. prepares the base store (`.data/bench-<importMax>`) if needed and copies it: ESCO, the 1,000
 *    vacancies, the base candidates with their applications and vectors stay exactly as imported;
 * 2. writes the extra candidates with `bench/create-candidates` (CREATE, skills, occupations,
 *    audit-only profile and vector in one statement, batches of 2,000): each is resampled from a
 *    random base candidate (deterministic seed): its occupations, 80 % of its skills (at least one)
 *    and 0–2 skills of another base candidate with the same main occupation, another candidate's
 *    region, its years ± 2, its summary and profile; its vector synthesised from those labels
 *    exactly as for the base store (synthVectors.ts);
 * 3. drops the candidate vector index before the writes and builds it again afterwards (timed).
 *
 * The extra candidates have no applications (their outcome-history feature is 0). Resampling makes
 * near-neighbour clusters tighter than independent profiles, which should make the index's recall
 * against exact search harder rather than easier (expected, not measured against such a store).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { loadEscoSnapshot } from '../../src/demo/escoSnapshot.js';
import { streamFor } from '../../src/demo/random.js';
import { ConceptResolver } from '../../src/graph/people/conceptResolver.js';
import { parseInput, toCandidateRow, type CandidateRow } from '../../src/graph/people/peopleRows.js';
import { readPeopleFile } from '../../src/import/people/importPeople.js';
import { PeopleRecord } from '../../src/import/people/peopleRecords.js';
import { createEmbedder } from '../../src/inference/index.js';
import { portsFor, startBenchNeo4j, storeDir } from './benchInstance.js';
import { buildCandidateIndex, prepareScale, type Ingestion, type ScaleOptions } from './scalePrepare.js';
import { embedLabels, synthesiseVector } from './synthVectors.js';
import { folderSizeMb, loadSample, processMemory } from './system.js';

const PREPARED_FILE = 'prepared.json';
const BATCH = 2000;

export async function prepareScaleUp(
  options: ScaleOptions & { readonly importMax: number },
  log: (msg: string) => void,
): Promise<Ingestion> {
  const dir = storeDir(options.size);
  const marker = path.join(dir, PREPARED_FILE);
  if (!options.rebuild && fs.existsSync(marker)) {
    log(`bench-${options.size}: store already prepared (${marker}); pass --rebuild to start over`);
    return JSON.parse(fs.readFileSync(marker, 'utf8')) as Ingestion;
  }
  const base = await prepareScale({ ...options, size: options.importMax, rebuild: false }, log);
  const baseDir = storeDir(options.importMax);
  const peopleFile = path.join(baseDir, 'demo', 'people.jsonl');
  if (!fs.existsSync(peopleFile))
    throw new Error(`${peopleFile} is missing: prepare bench-${options.importMax} again with --rebuild`);

  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const start = loadSample();
  let t = performance.now();
  // The base Neo4j is stopped (prepareScale stops it), so its files are consistent to copy.
  fs.cpSync(path.join(baseDir, 'data'), path.join(dir, 'data'), { recursive: true });
  const copyMs = performance.now() - t;
  log(
    `bench-${options.size}: copied the bench-${options.importMax} store in ${(copyMs / 1000).toFixed(1)} s`,
  );

  const neo4j = await startBenchNeo4j(dir, portsFor(options.size).bolt, options.memory, log);
  const config = loadConfig({
    ...process.env,
    DEMO_AUTOLOAD: 'false',
    NEO4J_LOCAL_DATA_DIR: dir,
    EMBEDDING_MODEL: base.embeddingModel,
  });
  const embedder = await createEmbedder(config);
  try {
    const { gateway } = neo4j;
    const bases = await readBaseCandidates(peopleFile, new ConceptResolver(gateway));
    log(`bench-${options.size}: ${bases.length} base candidates read`);
    await gateway.runAutoCommit('embedding/drop-index-candidate');
    const snapshot = await loadEscoSnapshot(gateway);
    t = performance.now();
    const labels = await embedLabels(embedder, snapshot);
    const labelEmbeddingMs = performance.now() - t;
    const dimension = embedder.info.dimension;

    const byOccupation = new Map<string, number[]>();
    bases.forEach((b, i) => {
      const main = b.occupations[0]?.uri;
      if (!main) return;
      const list = byOccupation.get(main);
      if (list) list.push(i);
      else byOccupation.set(main, [i]);
    });
    const random = streamFor(options.seed, 'bench-scale-up', options.size);
    const rng = () => random.next();
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
    const extra = options.size - options.importMax;
    t = performance.now();
    let written = 0;
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const [row] = await gateway.write('bench/create-candidates', { rows: batch });
      written += Number(row?.written ?? 0);
      batch = [];
      if (written % 100_000 === 0) {
        const s = (performance.now() - t) / 1000;
        log(`  ${written} candidates written in ${s.toFixed(0)} s (${(written / s).toFixed(0)}/s)`);
      }
    };
    for (let n = 1; n <= extra; n += 1) {
      const b = pick(bases);
      const kept = b.skills.filter(() => rng() < 0.8);
      const skills = kept.length > 0 ? [...kept] : [pick(b.skills)];
      const peers = byOccupation.get(b.occupations[0]?.uri ?? '') ?? [];
      for (let k = Math.floor(rng() * 3); k > 0 && peers.length > 0; k -= 1) {
        const peer = bases[pick(peers)];
        const s = peer && peer.skills.length > 0 ? pick(peer.skills) : undefined;
        if (s && !skills.some((x) => x.uri === s.uri)) skills.push(s);
      }
      const baseYears = b.props.yearsExperience;
      const years = typeof baseYears === 'number' ? Math.max(0, baseYears + Math.floor(rng() * 5) - 2) : null;
      batch.push({
        id: `cand-${String(options.importMax + n).padStart(7, '0')}`,
        props: { ...b.props, region: pick(bases).props.region ?? null, yearsExperience: years },
        skills,
        occupations: b.occupations,
        sensitive: b.sensitive,
        vector: synthesiseVector(labels, dimension, skills, b.occupations),
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    const writeMs = performance.now() - t;
    log(
      `bench-${options.size}: ${written} candidates written in ${(writeMs / 1000).toFixed(1)} s (${((written * 1000) / writeMs).toFixed(0)}/s)`,
    );

    const vectorIndexMs = await buildCandidateIndex(gateway, dimension, options.size, log);

    const ingestion: Ingestion = {
      ...base,
      candidates: options.importMax + written,
      embeddingMs: writeMs,
      labelEmbeddingMs,
      vectorIndexMs,
      storeMb: folderSizeMb(path.join(dir, 'data')),
      neo4jPeakDuringImportMb: processMemory(neo4j.handle.pid)?.peakMb ?? null,
      load: { start, end: loadSample() },
      scaledUp: { from: options.importMax, written, writeMs, copyMs },
    };
    fs.writeFileSync(marker, `${JSON.stringify(ingestion, null, 1)}\n`);
    return ingestion;
  } finally {
    await embedder.close();
    await neo4j.stop();
  }
}

/** The base store's candidates as the importer builds its rows (same validation and concept resolution). */
async function readBaseCandidates(file: string, resolver: ConceptResolver): Promise<CandidateRow[]> {
  const out: CandidateRow[] = [];
  for await (const source of readPeopleFile(file)) {
    if (source.value instanceof Error) continue;
    const record = parseInput(PeopleRecord, source.value, 'row');
    if (record.type === 'candidate') out.push(await toCandidateRow(record, resolver));
  }
  return out;
}
