/**
 * Pieces the evaluation scripts share to score runs and print them: the Decorte et al. RP@K, a
 * per-configuration summary over `metrics.ts`, markdown tables, and replacing one script's section
 * of `docs/evaluation.md` between marker comments. Pure.
 */
import { evaluateRun, hitAtK, mean, recallAtK, reciprocalRankAtK, type Judgements } from './metrics.js';

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
export function summarize(run: ReadonlyMap<string, readonly string[]>, gold: ReadonlyMap<string, readonly string[]>): RankingSummary {
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

/** Per-query reciprocal rank and recall, e.g. for paired comparisons of two configurations. */
export function perQuery(
  run: ReadonlyMap<string, readonly string[]>,
  gold: ReadonlyMap<string, readonly string[]>,
): Map<string, { rr: number; hit1: number; recall10: number }> {
  const out = new Map<string, { rr: number; hit1: number; recall10: number }>();
  for (const [id, ids] of gold) {
    const j = judgementsOf(ids);
    const ranked = run.get(id) ?? [];
    out.set(id, { rr: reciprocalRankAtK(ranked, j, 10), hit1: hitAtK(ranked, j, 1), recall10: recallAtK(ranked, j, 10) });
  }
  return out;
}

/** A fixed-precision number, or `n/a` for NaN / null. */
export function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

/** A markdown table; cells are escaped for `|`. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'l' | 'r'>): string {
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
