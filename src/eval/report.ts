/**
 * Pieces the evaluation scripts share to score runs and print them: the Decorte et al. RP@K, a
 * per-configuration summary over `metrics.ts`, markdown tables, and replacing one script's section
 * of `docs/evaluation.md` between marker comments. Pure.
 */
import { evaluateRun, mean, type Judgements } from './metrics.js';

/**
 * R-Precision@K as in Decorte et al. (skill extraction): relevant results in the top K divided by
 * min(K, #relevant), so a query with fewer relevant items than K can still score 1. Repeated ids
 * count once. 0 without relevant judgements.
 */
export function rPrecisionAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1 (got ${k})`);
  let relevant = 0;
  for (const gain of judgements.values()) if (gain > 0) relevant += 1;
  if (relevant === 0) return 0;
  const seen = new Set<string>();
  let hits = 0;
  for (const id of ranked.slice(0, k)) {
    if (!seen.has(id) && (judgements.get(id) ?? 0) > 0) hits += 1;
    seen.add(id);
  }
  return hits / Math.min(k, relevant);
}

/** Binary judgements from a gold id list. */
export function judgementsOf(gold: readonly string[]): Judgements {
  return new Map(gold.map((id) => [id, 1]));
}

export interface RankingSummary {
  readonly queries: number;
  /** MRR over the top 10. */
  readonly mrr10: number;
  readonly recall1: number;
  readonly recall5: number;
  readonly recall10: number;
  /** Accuracy@1 / @5: any relevant result in the top k. */
  readonly hit1: number;
  readonly hit5: number;
  /** Decorte et al. RP@5. */
  readonly rp5: number;
}

/**
 * Means over the queries with at least one relevant id (run: query id → ranked ids; a query the
 * run lacks counts as an empty ranking). Uses `evaluateRun` for the trec_eval conventions.
 */
export function summarize(
  run: ReadonlyMap<string, readonly string[]>,
  gold: ReadonlyMap<string, readonly string[]>,
): RankingSummary {
  const qrels = new Map([...gold].map(([id, ids]) => [id, judgementsOf(ids)]));
  const evaluation = evaluateRun(run, qrels, [1, 5, 10]);
  const at = (k: number) => evaluation.byK.find((m) => m.k === k)!;
  const judged = [...qrels].filter(([, j]) => j.size > 0);
  return {
    queries: evaluation.evaluatedQueries,
    mrr10: at(10).reciprocalRank,
    recall1: at(1).recall,
    recall5: at(5).recall,
    recall10: at(10).recall,
    hit1: at(1).hit,
    hit5: at(5).hit,
    rp5: mean(judged.map(([id, j]) => rPrecisionAtK(run.get(id) ?? [], j, 5))),
  };
}

/** A fixed-precision number, or `n/a` for NaN / null. */
export function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

/** A markdown table; cells are escaped for `|`. */
export function markdownTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align?: ReadonlyArray<'l' | 'r'>,
): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(esc).join(' | ')} |`;
  const rule = headers.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [line(headers), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

const marker = (key: string, edge: 'start' | 'end') => `<!-- ${key}:${edge} -->`;

/**
 * `doc` with the section between `<!-- key:start -->` and `<!-- key:end -->` replaced by `body`
 * (markers kept); appended at the end when the markers are missing. Other sections are untouched.
 */
export function replaceSection(doc: string, key: string, body: string): string {
  const start = marker(key, 'start');
  const end = marker(key, 'end');
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) return `${doc.slice(0, from)}${block}${doc.slice(to + end.length)}`;
  const base = doc.trimEnd();
  return `${base}${base ? '\n\n' : ''}${block}\n`;
}

/** Texts per second, or NaN when nothing was timed. */
export function rate(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.NaN;
}

/**
 * Paired bootstrap of the mean difference a − b over queries (per-query scores aligned by
 * index): the 95% percentile interval from `iterations` resamples, with a fixed-seed generator
 * so a table is reproducible.
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  iterations = 2000,
  seed = 42,
): { mean: number; low: number; high: number } {
  if (a.length !== b.length) throw new RangeError(`${a.length} vs ${b.length} scores`);
  const diff = a.map((x, i) => x - b[i]!);
  const n = diff.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN };
  // mulberry32
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const means: number[] = [];
  for (let it = 0; it < iterations; it += 1) {
    let sum = 0;
    for (let j = 0; j < n; j += 1) sum += diff[Math.floor(random() * n)]!;
    means.push(sum / n);
  }
  means.sort((x, y) => x - y);
  return {
    mean: diff.reduce((s, x) => s + x, 0) / n,
    low: means[Math.floor(0.025 * iterations)]!,
    high: means[Math.min(iterations - 1, Math.ceil(0.975 * iterations) - 1)]!,
  };
}

/** Per-query values of one metric, in the order of `ids`. */
export function perQueryValues(
  run: ReadonlyMap<string, readonly string[]>,
  gold: ReadonlyMap<string, readonly string[]>,
  ids: readonly string[],
  metric: (ranked: readonly string[], judgements: Judgements) => number,
): number[] {
  return ids.map((id) => metric(run.get(id) ?? [], judgementsOf(gold.get(id) ?? [])));
}

export interface NamedRun {
  readonly name: string;
  readonly run: ReadonlyMap<string, readonly string[]>;
}

/**
 * Whether the default configuration beats the lexical baseline and the best single dense run on
 * one set, by the mean of `metric`, with paired-bootstrap 95% intervals of the differences. One
 * markdown bullet.
 */
export function baselineCheck(args: {
  readonly set: string;
  readonly metricName: string;
  readonly metric: (ranked: readonly string[], judgements: Judgements) => number;
  readonly gold: ReadonlyMap<string, readonly string[]>;
  readonly defaultRun: NamedRun;
  readonly lexical: NamedRun;
  readonly dense: readonly NamedRun[];
}): { readonly beatsBoth: boolean; readonly line: string } {
  const ids = [...args.gold.keys()].filter((id) => (args.gold.get(id) ?? []).length > 0).sort();
  const values = (r: NamedRun) => perQueryValues(r.run, args.gold, ids, args.metric);
  const def = values(args.defaultRun);
  const lex = values(args.lexical);
  const dense = args.dense.map((r) => ({ r, v: values(r) })).sort((a, b) => mean(b.v) - mean(a.v))[0];
  const vsLex = pairedBootstrap(def, lex);
  const vsDense = dense ? pairedBootstrap(def, dense.v) : null;
  const beatsBoth = mean(def) > mean(lex) && dense !== undefined && mean(def) > mean(dense.v);
  const ci = (d: { mean: number; low: number; high: number }) =>
    `${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} [${fmt(d.low)}, ${fmt(d.high)}]`;
  const line =
    `- ${args.set} (${ids.length} queries): default ${fmt(mean(def))} vs lexical ${fmt(mean(lex))} (Δ ${ci(vsLex)}) and best single dense ` +
    `${dense ? `${fmt(mean(dense.v))}, ${dense.r.name}` : 'n/a'} (Δ ${vsDense ? ci(vsDense) : 'n/a'}), ${args.metricName}, Δ with paired-bootstrap 95% interval: ` +
    `**${beatsBoth ? 'beats both' : 'does not beat both'}**${beatsBoth && vsDense && vsDense.low <= 0 ? ' (the margin over the dense run is within noise)' : ''}.`;
  return { beatsBoth, line };
}
