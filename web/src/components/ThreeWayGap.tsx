/**
 * A candidate against a vacancy and against that vacancy's ESCO occupation at once, as a chart of
 * the two coverages, with how the vacancy departs from ESCO.
 */
import { Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { ThreeWayGapQuery } from '../operations';
import { useQuery } from '../useQuery';
import { ErrorNotice } from './ErrorNotice';

interface Coverage {
  readonly essential: number;
  readonly optional: number;
}

const BARS: readonly { key: keyof Coverage; label: string }[] = [
  { key: 'essential', label: 'essential skills' },
  { key: 'optional', label: 'optional skills' },
];

/** Coverage against the vacancy (blue) and against the ESCO occupation (violet), per skill kind. */
export function CoverageChart({ vacancy, occupation }: { vacancy: Coverage; occupation: Coverage | null }) {
  const width = 520;
  const labelWidth = 130;
  const barWidth = width - labelWidth - 50;
  const rowHeight = 46;
  const height = BARS.length * rowHeight + 28;
  const bar = (y: number, value: number, color: string, name: string) => (
    <g>
      <rect x={labelWidth} y={y} width={Math.max(1, value * barWidth)} height={16} fill={color}>
        <title>{`${name}: ${(100 * value).toFixed(0)} %`}</title>
      </rect>
      <text x={labelWidth + value * barWidth + 6} y={y + 12} className="chart-label">
        {(100 * value).toFixed(0)} %
      </text>
    </g>
  );
  return (
    <figure style={{ margin: 0 }}>
      <svg
        width="100%"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Coverage against the vacancy and against the ESCO occupation"
        data-testid="three-way-chart"
      >
        {BARS.map((b, i) => (
          <g key={b.key}>
            <text x={labelWidth - 8} y={i * rowHeight + 24} textAnchor="end" className="chart-label">
              {b.label}
            </text>
            {bar(i * rowHeight + 4, vacancy[b.key], '#1971c2', 'against the vacancy')}
            {occupation &&
              bar(i * rowHeight + 22, occupation[b.key], '#7048e8', 'against the ESCO occupation')}
          </g>
        ))}
        <rect x={labelWidth} y={height - 18} width={10} height={10} fill="#1971c2" />
        <text x={labelWidth + 14} y={height - 9} className="chart-label">
          against the vacancy
        </text>
        {occupation && (
          <>
            <rect x={labelWidth + 160} y={height - 18} width={10} height={10} fill="#7048e8" />
            <text x={labelWidth + 174} y={height - 9} className="chart-label">
              against the ESCO occupation
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}

export function ThreeWayGap({ candidateId, vacancyId }: { candidateId: string; vacancyId: string }) {
  const variables = { candidateId, vacancyId };
  const state = useQuery(ThreeWayGapQuery, variables, JSON.stringify(variables));
  if (state.loading) return <Loader aria-label="Loading the three-way gap" />;
  if (state.error) return <ErrorNotice error={state.error} />;
  const gap = state.data?.threeWayGap;
  if (!gap) return null;
  return (
    <Stack gap="xs" data-testid="three-way-gap">
      <Title order={3} size="h5">
        {gap.candidate.id} against “{gap.vacancy.title}” and{' '}
        {gap.occupation ? `ESCO “${gap.occupation.preferredLabel}”` : 'no ESCO occupation'}
      </Title>
      <CoverageChart
        vacancy={gap.againstVacancy.coverage}
        occupation={gap.againstOccupation?.coverage ?? null}
      />
      <Text size="sm">The vacancy asks beyond ESCO ({gap.vacancySkillsBeyondEsco.length}):</Text>
      <Group gap={4}>
        {gap.vacancySkillsBeyondEsco.length === 0 && <Text size="sm">nothing</Text>}
        {gap.vacancySkillsBeyondEsco.map((s) => (
          <Badge key={s.skill.uri} color="blue" variant="light" size="sm" tt="none">
            {s.skill.preferredLabel} ({s.relation.toLowerCase()})
          </Badge>
        ))}
      </Group>
      <Text size="sm">ESCO essentials the vacancy leaves out ({gap.escoEssentialsOmitted.length}):</Text>
      <Group gap={4}>
        {gap.escoEssentialsOmitted.length === 0 && <Text size="sm">none</Text>}
        {gap.escoEssentialsOmitted.map((s) => (
          <Badge key={s.uri} color="gray" variant="outline" size="sm" tt="none">
            {s.preferredLabel}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}
