/**
 * From the dev-set features that `npm run calibrate` collects to the confidence models the service
 * serves (`src/services/calibration.json`): pure, so a unit test refits the committed features and
 * checks that the committed models are what the command gives.
 */
import {
  FEATURE_NAMES,
  chooseNoMatchThreshold,
  confidenceOf,
  fitCalibration,
  reliability,
  type CalibrationModel,
  type MatchFeatures,
} from '../services/calibration.js';

/** One dev query: its hash part and its answer's features (in `FEATURE_NAMES` order) with gold labels. */
export interface FeatureQuery {
  readonly id: string;
  readonly part: 'fit' | 'report';
  /** [features..., label] per returned match, best first. */
  readonly rows: ReadonlyArray<readonly number[]>;
}

export interface CalibrationFeatures {
  readonly meta: Readonly<Record<string, string | number>>;
  readonly titles: readonly FeatureQuery[];
  readonly skills: readonly FeatureQuery[];
}

export function toFeatureRow(f: MatchFeatures, label: 0 | 1): number[] {
  return [...FEATURE_NAMES.map((n) => Number(f[n].toFixed(5))), label];
}

export function fromFeatureRow(row: readonly number[]): { features: MatchFeatures; label: 0 | 1 } {
  const features = Object.fromEntries(
    FEATURE_NAMES.map((n, i) => [n, row[i] ?? 0]),
  ) as unknown as MatchFeatures;
  return { features, label: row[FEATURE_NAMES.length] === 1 ? 1 : 0 };
}

/** Fits one operation's model on the fit part and chooses its no-match threshold there. */
export function fitOperation(queries: readonly FeatureQuery[]): CalibrationModel {
  const fit = queries.filter((q) => q.part === 'fit');
  const model = fitCalibration(fit.flatMap((q) => q.rows.map(fromFeatureRow)));
  const noMatchThreshold = chooseNoMatchThreshold(
    fit.map((q) => {
      const rows = q.rows.map(fromFeatureRow);
      return {
        topConfidence: rows[0] ? confidenceOf({ ...model, noMatchThreshold: 0 }, rows[0].features) : 0,
        answered: rows.some((r) => r.label === 1),
      };
    }),
  );
  return { ...model, noMatchThreshold };
}

export function fitAll(data: CalibrationFeatures): { titles: CalibrationModel; skills: CalibrationModel } {
  return { titles: fitOperation(data.titles), skills: fitOperation(data.skills) };
}

/** Reliability of a confidence on the report part: the calibrated model and the raw-score baselines. */
export function reportOperation(queries: readonly FeatureQuery[], model: CalibrationModel) {
  const report = queries.filter((q) => q.part === 'report');
  const rows = report.flatMap((q) => q.rows.map(fromFeatureRow));
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  const calibrated = reliability(
    rows.map((r) => ({ confidence: confidenceOf(model, r.features), label: r.label })),
  );
  const fused = reliability(rows.map((r) => ({ confidence: clip(r.features.fused), label: r.label })));
  const cosine = reliability(rows.map((r) => ({ confidence: clip(r.features.cosine), label: r.label })));
  const flagged = report.map((q) => {
    const first = q.rows[0] ? fromFeatureRow(q.rows[0]) : null;
    return {
      noMatch: !first || confidenceOf(model, first.features) < model.noMatchThreshold,
      answered: q.rows.some((r) => r[FEATURE_NAMES.length] === 1),
      top1: first?.label === 1,
    };
  });
  const share = (xs: typeof flagged, p: (x: (typeof flagged)[number]) => boolean) =>
    xs.length ? xs.filter(p).length / xs.length : 0;
  const kept = flagged.filter((f) => !f.noMatch);
  const abstained = flagged.filter((f) => f.noMatch);
  return {
    queries: report.length,
    matches: rows.length,
    positives: rows.filter((r) => r.label === 1).length,
    calibrated,
    fused,
    cosine,
    abstention: {
      noMatchShare: share(flagged, (f) => f.noMatch),
      top1WhenAnswered: share(kept, (f) => f.top1),
      top1WhenNoMatch: share(abstained, (f) => f.top1),
      goldInAnswerWhenAnswered: share(kept, (f) => f.answered),
      goldInAnswerWhenNoMatch: share(abstained, (f) => f.answered),
      top1All: share(flagged, (f) => f.top1),
    },
  };
}
