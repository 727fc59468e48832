/**
 * Calibrated confidence for text-to-concept matches: a logistic model over features the search
 * already computes (fused rank score, rank, best-label cosine, lexical rank, margin to the next
 * candidate, stage agreement, word support of the label), fitted on the public dev sets by
 * `npm run calibrate` (scripts/calibrate.ts) and stored in `src/services/calibration.json`. Pure
 * code: the fit (Newton steps, deterministic), the prediction, and reliability figures.
 */

/** The features of one candidate match, all finite numbers. */
export interface MatchFeatures {
  /** Final fused score of the candidate (reciprocal rank fusion value). */
  readonly fused: number;
  /** 1-based rank in the answer. */
  readonly rank: number;
  /** Cosine of the candidate's nearest label to the text (0 when the dense stage missed it). */
  readonly cosine: number;
  /** 1 / rank in the lexical list (0 when fulltext missed it). */
  readonly lexicalRR: number;
  /** 1 / rank in the dense list (0 when the dense stage missed it). */
  readonly denseRR: number;
  /** (this fused score − the next one) / this fused score; 1 for the last. */
  readonly margin: number;
  /** Share of the label's content words that are whole words of the text. */
  readonly coverage: number;
  /** 1 when the label only looks like a text word (see text/lexicalSupport.ts). */
  readonly lookalike: number;
}

export const FEATURE_NAMES = [
  'fused',
  'rank',
  'cosine',
  'lexicalRR',
  'denseRR',
  'margin',
  'coverage',
  'lookalike',
] as const satisfies ReadonlyArray<keyof MatchFeatures>;

/** Feature vector: raw features plus log rank and the product of the two stage ranks (agreement). */
function vector(f: MatchFeatures): number[] {
  return [
    f.fused,
    Math.log(f.rank),
    f.cosine,
    f.lexicalRR,
    f.denseRR,
    f.margin,
    f.coverage,
    f.lookalike,
    f.lexicalRR * f.denseRR,
  ];
}

export interface CalibrationModel {
  /** Weights of the standardised features (see `vector`), then the intercept. */
  readonly weights: readonly number[];
  readonly means: readonly number[];
  readonly scales: readonly number[];
  /** Below this top confidence the answer reports `noMatch`. */
  readonly noMatchThreshold: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (x: number, digits = 6) => Number(x.toFixed(digits));

/** Calibrated probability that the match is right, in [0, 1]. */
export function confidenceOf(model: CalibrationModel, f: MatchFeatures): number {
  const x = vector(f);
  let z = model.weights[x.length] ?? 0;
  x.forEach((v, i) => {
    z += (model.weights[i] ?? 0) * ((v - (model.means[i] ?? 0)) / (model.scales[i] || 1));
  });
  return round(sigmoid(z), 4);
}

/**
 * Logistic regression by Newton's method with a small L2 penalty (deterministic: same rows, same
 * model). `rows[i].label` is 1 when the match is a gold concept.
 */
export function fitCalibration(
  rows: ReadonlyArray<{ readonly features: MatchFeatures; readonly label: 0 | 1 }>,
  l2 = 1e-2,
  iterations = 30,
): Omit<CalibrationModel, 'noMatchThreshold'> {
  const xs = rows.map((r) => vector(r.features));
  const d = xs[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j]!, 0) / xs.length);
  const scales = means.map(
    (m, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j]! - m) ** 2, 0) / xs.length) || 1,
  );
  const z = xs.map((x) => [...x.map((v, j) => (v - means[j]!) / scales[j]!), 1]);
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it += 1) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    z.forEach((x, i) => {
      const p = sigmoid(x.reduce((s, v, j) => s + v * w[j]!, 0));
      const err = p - rows[i]!.label;
      const h = p * (1 - p);
      for (let a = 0; a <= d; a += 1) {
        grad[a]! += err * x[a]!;
        for (let b = 0; b <= d; b += 1) hess[a]![b]! += h * x[a]! * x[b]!;
      }
    });
    for (let a = 0; a < d; a += 1) {
      grad[a]! += l2 * w[a]! * rows.length;
      hess[a]![a]! += l2 * rows.length;
    }
    const step = solve(hess, grad);
    let moved = 0;
    for (let a = 0; a <= d; a += 1) {
      w[a]! -= step[a]!;
      moved = Math.max(moved, Math.abs(step[a]!));
    }
    if (moved < 1e-9) break;
  }
  return {
    weights: w.map((v) => round(v)),
    means: means.map((v) => round(v)),
    scales: scales.map((v) => round(v)),
  };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c += 1) {
    let p = c;
    for (let r = c + 1; r < n; r += 1) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r += 1) {
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k += 1) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r -= 1) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k += 1) s -= m[r]![k]! * x[k]!;
    x[r] = s / (m[r]![r]! || 1e-12);
  }
  return x;
}

export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

/** Reliability bins (equal width, `bins` of them) and the expected calibration error (count-weighted |accuracy − confidence|). */
export function reliability(
  points: ReadonlyArray<{ readonly confidence: number; readonly label: 0 | 1 }>,
  bins = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const out: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b += 1) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = points.filter(
      (p) => p.confidence >= from && (p.confidence < to || (b === bins - 1 && p.confidence <= 1)),
    );
    const count = inBin.length;
    const meanConfidence = count ? inBin.reduce((s, p) => s + p.confidence, 0) / count : 0;
    const accuracy = count ? inBin.reduce((s, p) => s + p.label, 0) / count : 0;
    ece += points.length ? (count / points.length) * Math.abs(accuracy - meanConfidence) : 0;
    out.push({ from, to, count, meanConfidence, accuracy });
  }
  return { bins: out, ece };
}

/**
 * The no-match threshold: the top-1 confidence that best separates queries with a gold concept in
 * their answer from those without (Youden's J on the fit part; ties: the lower threshold).
 */
export function chooseNoMatchThreshold(
  queries: ReadonlyArray<{ readonly topConfidence: number; readonly answered: boolean }>,
): number {
  const pos = queries.filter((q) => q.answered).length;
  const neg = queries.length - pos;
  if (pos === 0 || neg === 0) return 0;
  let best = { j: -Infinity, t: 0 };
  for (let i = 1; i < 100; i += 1) {
    const t = i / 100;
    const tpr = queries.filter((q) => q.answered && q.topConfidence >= t).length / pos;
    const tnr = queries.filter((q) => !q.answered && q.topConfidence < t).length / neg;
    if (tpr + tnr - 1 > best.j + 1e-12) best = { j: tpr + tnr - 1, t };
  }
  return best.t;
}

/** A stable split of dev items: an FNV-1a hash of the id; `fit` for 70 %, `report` for the rest. */
export function calibrationPart(id: string): 'fit' | 'report' {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10 < 7 ? 'fit' : 'report';
}
