/**
 * Small-sample statistics for the fairness report: confidence intervals of rates and of their
 * difference and ratio, and exact or approximate tests of "no difference between two groups".
 * Pure functions, no randomness, identical on every machine.
 */

/** Two-sided 95 % normal quantile. */
export const Z_95 = 1.959963984540054;
export const CONFIDENCE_LEVEL = 0.95;

export interface Interval {
  readonly lower: number;
  readonly upper: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
}

/**
 * Wilson score interval of a binomial proportion `successes / n` (95 %). Unlike the normal
 * ("Wald") interval it stays inside [0, 1] and is not empty at 0 or n successes: 0 of 20 gives
 * [0, 0.161], 5 of 20 gives [0.112, 0.469]. `null` when n = 0.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval | null {
  if (n <= 0) return null;
  if (successes < 0 || successes > n)
    throw new RangeError(`successes must be in 0..n (${successes} of ${n})`);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 (n) successes the bound is exactly 0 (1); rounding must not lift it past the estimate.
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
    level: CONFIDENCE_LEVEL,
  };
}

/**
 * Newcombe's hybrid score interval (his method 10) of the difference p1 − p2 of two independent
 * proportions, from their Wilson intervals. `null` when either group is empty.
 */
export function newcombeDifferenceInterval(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
  z: number = Z_95,
): Interval | null {
  const w1 = wilsonInterval(successes1, n1, z);
  const w2 = wilsonInterval(successes2, n2, z);
  if (!w1 || !w2) return null;
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const d = p1 - p2;
  return {
    lower: Math.max(-1, d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2)),
    upper: Math.min(1, d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2)),
    level: CONFIDENCE_LEVEL,
  };
}

/**
 * Katz log interval of the ratio (s1 / n1) / (s2 / n2) of two proportions. With a zero count,
 * 0.5 is added to both counts and 1 to both sizes (Haldane), so 0 of 20 against 10 of 100 still
 * gets a finite interval. `null` when either group is empty.
 */
export function ratioInterval(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
  z: number = Z_95,
): Interval | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const corrected = successes1 === 0 || successes2 === 0;
  const a = corrected ? successes1 + 0.5 : successes1;
  const c = corrected ? successes2 + 0.5 : successes2;
  const m1 = corrected ? n1 + 1 : n1;
  const m2 = corrected ? n2 + 1 : n2;
  const logRatio = Math.log(a / m1) - Math.log(c / m2);
  const se = Math.sqrt(Math.max(0, 1 / a - 1 / m1 + 1 / c - 1 / m2));
  return { lower: Math.exp(logRatio - z * se), upper: Math.exp(logRatio + z * se), level: CONFIDENCE_LEVEL };
}

const logFactorials: number[] = [0];

/** ln(n!) for an integer n ≥ 0 (exact sums, cached). */
export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0 (got ${n})`);
  for (let i = logFactorials.length; i <= n; i += 1)
    logFactorials.push((logFactorials[i - 1] ?? 0) + Math.log(i));
  return logFactorials[n] ?? 0;
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/**
 * Fisher's exact test, two-sided, of the 2 × 2 table
 *
 *              selected   not selected
 *   group 1       a            b
 *   group 2       c            d
 *
 * Given the margins, the count `a` is hypergeometric when selection ignores the group: exactly
 * the null of a top k drawn blind to the attribute. The p-value sums the probabilities of every
 * table no more likely than the observed one (the usual two-sided rule, with a relative tolerance
 * of 1e-7 for ties). Tea-tasting table [[3, 1], [1, 3]]: p = 34 / 70 = 0.486.
 */
export function fisherExactTest(a: number, b: number, c: number, d: number): number {
  for (const x of [a, b, c, d]) {
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`table counts must be integers ≥ 0 (got ${x})`);
  }
  const n1 = a + b;
  const n2 = c + d;
  const m = a + c;
  const total = n1 + n2;
  const logDenominator = logChoose(total, m);
  const logP = (x: number) => logChoose(n1, x) + logChoose(n2, m - x) - logDenominator;
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, m - n2); x <= Math.min(n1, m); x += 1) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/**
 * Standard normal upper-tail probability P(Z > z) via the complementary error function
 * (W. J. Cody's rational approximation as in Numerical Recipes `erfcc`, relative error < 1.2e-7).
 */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const upper = erfc / 2;
  return z >= 0 ? upper : 1 - upper;
}

/**
 * Two-sided p-value of the difference of two groups' mean values (here: position exposure) under
 * random assignment of the group labels to the same members: the difference of means has variance
 * S² (1/n1 + 1/n2), S² the variance (n − 1 denominator) of all their values together, and is
 * compared with the normal distribution. An approximation, fair from ~30 members per group.
 * `null` when either group is empty or the values do not vary.
 */
export function meanDifferenceTest(values1: readonly number[], values2: readonly number[]): number | null {
  const n1 = values1.length;
  const n2 = values2.length;
  if (n1 === 0 || n2 === 0 || n1 + n2 < 3) return null;
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const all = [...values1, ...values2];
  const grand = mean(all);
  const s2 = all.reduce((s, x) => s + (x - grand) ** 2, 0) / (all.length - 1);
  if (s2 <= 0) return null;
  const z = (mean(values1) - mean(values2)) / Math.sqrt(s2 * (1 / n1 + 1 / n2));
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

/** Bonferroni adjustment of a p-value for the pairs among `groups` compared post hoc. */
export function bonferroniPairs(p: number, groups: number): number {
  const pairs = (groups * (groups - 1)) / 2;
  return Math.min(1, p * Math.max(1, pairs));
}
