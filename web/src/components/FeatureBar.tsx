import { Tooltip } from '@mantine/core';

export const FEATURE_COLORS: Record<string, string> = {
  ESSENTIAL_COVERAGE: '#2f9e44',
  OPTIONAL_COVERAGE: '#8ce99a',
  OCCUPATION_MATCH: '#1971c2',
  EMBEDDING_COSINE: '#7048e8',
  IDEAL_PROFILE_COSINE: '#ae3ec9',
  REGION_MATCH: '#f08c00',
  OUTCOME_HISTORY: '#0c8599',
  CROSS_ENCODER: '#e03131',
};

export const featureName = (feature: string) => feature.toLowerCase().replaceAll('_', ' ');

/** A score's parts: one segment per feature, as wide as its contribution to the score. */
export function FeatureBar({
  breakdown,
  maxScore,
}: {
  breakdown: readonly { feature: string; value?: number | null; weight: number; contribution: number }[];
  maxScore: number;
}) {
  const scale = maxScore > 0 ? 100 / maxScore : 0;
  const label = breakdown
    .filter((b) => b.contribution > 0)
    .map((b) => `${featureName(b.feature)} ${b.contribution.toFixed(3)}`)
    .join(', ');
  return (
    <Tooltip label={label || 'no feature contributed'} multiline w={280}>
      <div className="feature-bar" role="img" aria-label={`score parts: ${label || 'none'}`}>
        {breakdown
          .filter((b) => b.contribution > 0)
          .map((b) => (
            <span
              key={b.feature}
              style={{
                width: `${Math.min(100, b.contribution * scale)}%`,
                background: FEATURE_COLORS[b.feature] ?? '#868e96',
              }}
            />
          ))}
      </div>
    </Tooltip>
  );
}
