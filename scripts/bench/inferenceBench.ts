/**
 * Inference throughput: runs the existing `bench:inference` script (tests/int/inference.bench.ts:
 * every bi-encoder int8 and fp32 at batch 1/32/64 on 1,000 ESCO skill labels, transformers.js on
 * the same ONNX files and texts in the same process, the cross-encoder on label pairs) `repeats`
 * times per intra-op thread setting, parses its table, and keeps per-row medians; ratios to
 * transformers.js are taken within each run, then the median over runs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { summarize, type Summary } from './stats.js';
import { loadSample, type LoadSample } from './system.js';

export interface EmbedderRow {
  readonly model: string;
  readonly batch: number;
  readonly threads: number;
  readonly textsPerSecond: Summary;
  readonly textsPerCpuSecond: Summary;
  readonly loopMaxMs: Summary;
  readonly referenceTextsPerSecond: Summary | null;
  readonly referenceTextsPerCpuSecond: Summary | null;
  /** ours / transformers.js, per run, then summarised. */
  readonly ratio: Summary | null;
  readonly cpuRatio: Summary | null;
}

export interface RerankerRow {
  readonly model: string;
  readonly threads: number;
  readonly labelPairsPerSecond: Summary;
  readonly labelPairsPerCpuSecond: Summary;
  readonly longPairsPerSecond: Summary;
  readonly referencePairsPerSecond: Summary | null;
  readonly ratio: Summary | null;
}

export interface InferenceResult {
  readonly repeats: number;
  readonly threads: readonly number[];
  readonly texts: string;
  readonly embedders: EmbedderRow[];
  readonly rerankers: RerankerRow[];
  readonly cuda: string;
  readonly runs: Array<{
    readonly threads: number;
    readonly load: { readonly start: LoadSample; readonly end: LoadSample };
  }>;
}

interface ParsedRun {
  texts: string;
  embedders: Array<{
    model: string;
    batch: number;
    rate: number;
    cpuRate: number;
    loopMax: number;
    ref: number | null;
    refCpu: number | null;
  }>;
  reranker: { model: string; rate: number; cpuRate: number; longRate: number; ref: number | null } | null;
}

export function parseInferenceOutput(output: string): ParsedRun {
  const embedders: ParsedRun['embedders'] = [];
  let reranker: ParsedRun['reranker'] = null;
  let texts = '';
  for (const line of output.split('\n')) {
    const row = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\|\s*(?:(\d+)\s+(\d+))?\s*$/.exec(line);
    if (row) {
      embedders.push({
        model: row[1] ?? '',
        batch: Number(row[2]),
        rate: Number(row[3]),
        cpuRate: Number(row[4]),
        loopMax: Number(row[5]),
        ref: row[6] ? Number(row[6]) : null,
        refCpu: row[7] ? Number(row[7]) : null,
      });
      continue;
    }
    const ce =
      /^cross-encoder (\S+): label pairs (\d+) pairs\/s \((\d+) per cpu-s\); label \+ description pairs ([\d.]+) pairs\/s/.exec(
        line,
      );
    if (ce)
      reranker = {
        model: ce[1] ?? '',
        rate: Number(ce[2]),
        cpuRate: Number(ce[3]),
        longRate: Number(ce[4]),
        ref: null,
      };
    const ref = /^transformers\.js cross-encoder: label pairs (\d+) pairs\/s/.exec(line);
    if (ref && reranker) reranker.ref = Number(ref[1]);
    if (line.startsWith('texts:')) texts = line.slice('texts:'.length).trim();
  }
  return { texts, embedders, reranker };
}

function runOnce(threads: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'tests', 'int', 'inference.bench.ts')],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, INFERENCE_THREADS: String(threads) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      const out = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(out);
      else reject(new Error(`inference benchmark exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
}

const optional = (values: number[]) => (values.length > 0 ? summarize(values) : null);

export async function runInferenceBench(
  options: { repeats: number; threads: readonly number[] },
  log: (msg: string) => void,
): Promise<InferenceResult> {
  const runs: InferenceResult['runs'] = [];
  const parsed = new Map<number, ParsedRun[]>();
  for (let r = 0; r < options.repeats; r += 1) {
    for (const threads of options.threads) {
      const start = loadSample();
      log(`inference run ${r + 1}/${options.repeats}, threads=${threads || 'default'}`);
      const out = parseInferenceOutput(await runOnce(threads));
      runs.push({ threads, load: { start, end: loadSample() } });
      parsed.set(threads, [...(parsed.get(threads) ?? []), out]);
    }
  }
  const embedders: EmbedderRow[] = [];
  const rerankers: RerankerRow[] = [];
  let texts = '';
  for (const [threads, list] of parsed) {
    texts ||= list[0]?.texts ?? '';
    const keys = [...new Set(list.flatMap((p) => p.embedders.map((e) => `${e.model}|${e.batch}`)))];
    for (const key of keys) {
      const rows = list.flatMap((p) => p.embedders.filter((e) => `${e.model}|${e.batch}` === key));
      const [model = '', batch = '0'] = key.split('|');
      const withRef = rows.filter((e) => e.ref !== null && e.refCpu !== null);
      embedders.push({
        model,
        batch: Number(batch),
        threads,
        textsPerSecond: summarize(rows.map((e) => e.rate)),
        textsPerCpuSecond: summarize(rows.map((e) => e.cpuRate)),
        loopMaxMs: summarize(rows.map((e) => e.loopMax)),
        referenceTextsPerSecond: optional(withRef.map((e) => e.ref ?? 0)),
        referenceTextsPerCpuSecond: optional(withRef.map((e) => e.refCpu ?? 0)),
        ratio: optional(withRef.map((e) => e.rate / (e.ref ?? 1))),
        cpuRatio: optional(withRef.map((e) => e.cpuRate / (e.refCpu ?? 1))),
      });
    }
    const ce = list.flatMap((p) => (p.reranker ? [p.reranker] : []));
    if (ce.length > 0) {
      const withRef = ce.filter((c) => c.ref !== null);
      rerankers.push({
        model: ce[0]?.model ?? '',
        threads,
        labelPairsPerSecond: summarize(ce.map((c) => c.rate)),
        labelPairsPerCpuSecond: summarize(ce.map((c) => c.cpuRate)),
        longPairsPerSecond: summarize(ce.map((c) => c.longRate)),
        referencePairsPerSecond: optional(withRef.map((c) => c.ref ?? 0)),
        ratio: optional(withRef.map((c) => c.rate / (c.ref ?? 1))),
      });
    }
  }
  return {
    repeats: options.repeats,
    threads: options.threads,
    texts,
    embedders,
    rerankers,
    cuda: 'not measured — no GPU machine was lent to this task',
    runs,
  };
}
