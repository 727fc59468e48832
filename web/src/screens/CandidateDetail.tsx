/** A candidate against the vacancy (skill gap) and their closest other occupations (career paths). */
import { Loader, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorNotice } from '../components/ErrorNotice';
import { SkillChips } from '../components/SkillChips';
import { ThreeWayGap } from '../components/ThreeWayGap';
import { CandidateGapQuery } from '../operations';
import { useQuery } from '../useQuery';

export function CandidateDetail({ candidateId, vacancyId }: { candidateId: string; vacancyId: string }) {
  const variables = { candidateId, vacancyId };
  const state = useQuery(CandidateGapQuery, variables, JSON.stringify(variables));
  if (state.loading) return <Loader aria-label="Loading the skill gap" />;
  if (state.error) return <ErrorNotice error={state.error} />;
  const gap = state.data?.skillGap;
  const paths = state.data?.careerPaths?.paths ?? [];
  if (!gap) return <Text>No skill gap for this candidate.</Text>;
  return (
    <Stack gap="sm" data-testid="candidate-detail">
      <Title order={3} size="h4">
        {gap.candidate.displayName}
      </Title>
      <Text size="sm" c="dimmed">
        {gap.candidate.id} · {gap.candidate.region ?? 'no region'}
        {gap.candidate.yearsExperience != null ? ` · ${gap.candidate.yearsExperience} years` : ''}
      </Text>
      <Text size="sm">Essential skills covered: {(100 * gap.coverage.essential).toFixed(0)} %</Text>
      <Progress value={100 * gap.coverage.essential} aria-label="essential coverage" />
      <Text size="sm">Optional skills covered: {(100 * gap.coverage.optional).toFixed(0)} %</Text>
      <Progress value={100 * gap.coverage.optional} color="teal" aria-label="optional coverage" />
      <SkillChips
        matched={gap.matchedSkills}
        missing={gap.missingEssentialSkills.map((m) => m.skill)}
        partial={gap.partialMatches}
        limit={30}
      />
      {gap.missingOptionalSkills.length > 0 && (
        <Text size="xs" c="dimmed">
          Missing optional: {gap.missingOptionalSkills.map((m) => m.skill.preferredLabel).join(', ')}
        </Text>
      )}
      <Title order={3} size="h5" mt="md">
        Against the vacancy and its ESCO occupation
      </Title>
      <ThreeWayGap candidateId={candidateId} vacancyId={vacancyId} />
      <Title order={3} size="h5" mt="md">
        Career paths
      </Title>
      {paths.length === 0 ? (
        <Text size="sm">No other occupation is close.</Text>
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Occupation</Table.Th>
              <Table.Th>Weighted coverage</Table.Th>
              <Table.Th>Essentials missing</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {paths.map((p) => (
              <Table.Tr key={p.occupation.uri}>
                <Table.Td>{p.occupation.preferredLabel}</Table.Td>
                <Table.Td>{(100 * p.weightedCoverage).toFixed(0)} %</Table.Td>
                <Table.Td>{p.missingEssentialCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
