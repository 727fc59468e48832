/**
 * Okapi BM25 over a small in-memory corpus: the lexical baseline of the ranking evaluation
 * (vacancy text as the query, candidate texts as documents). Pure.
 *
 * score(q, d) = Σ_t∈q idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl)),
 * idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5)) (the Lucene form, never negative).
 * A query term repeated counts once per repetition, as in Lucene's BooleanQuery of term clauses.
 */

export interface Bm25Options {
  readonly k1?: number;
  readonly b?: number;
}

/** A few English function words that carry no topic (kept short: ESCO labels are terse). */
const STOPWORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the to was were will with you your our we this their they'.split(
    ' ',
  ),
);

/** Lower-cased alphanumeric tokens (Unicode letters and digits), stopwords removed, a plural "s" stripped. */
export function tokenize(text: string): string[] {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens
    .filter((t) => !STOPWORDS.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));
}

export class Bm25Index {
  private readonly ids: string[] = [];
  private readonly termFrequencies: Array<Map<string, number>> = [];
  private readonly lengths: number[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private readonly k1: number;
  private readonly b: number;

  constructor(
    documents: Iterable<{ readonly id: string; readonly text: string }>,
    options: Bm25Options = {},
  ) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    for (const doc of documents) {
      const tf = new Map<string, number>();
      const tokens = tokenize(doc.text);
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.documentFrequency.set(t, (this.documentFrequency.get(t) ?? 0) + 1);
      this.ids.push(doc.id);
      this.termFrequencies.push(tf);
      this.lengths.push(tokens.length);
    }
  }

  get size(): number {
    return this.ids.length;
  }

  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  /** The top `k` documents with a positive score, best first; ties by id. */
  search(query: string, k: number): Array<{ id: string; score: number }> {
    const terms = tokenize(query);
    const avgdl = this.lengths.reduce((s, l) => s + l, 0) / Math.max(1, this.lengths.length);
    const scored: Array<{ id: string; score: number }> = [];
    this.termFrequencies.forEach((tf, index) => {
      let score = 0;
      for (const term of terms) {
        const f = tf.get(term);
        if (!f) continue;
        const norm = 1 - this.b + (this.b * this.lengths[index]!) / (avgdl || 1);
        score += (this.idf(term) * f * (this.k1 + 1)) / (f + this.k1 * norm);
      }
      if (score > 0) scored.push({ id: this.ids[index]!, score });
    });
    return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, k);
  }
}
