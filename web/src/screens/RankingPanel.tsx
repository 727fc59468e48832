/** One vacancy's ranking: options, the ranked page with explanations, paging, fairness, gaps. */
import {
  Alert,
  Badge,
  Button,
  Collapse,
  Drawer,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { FEATURE_COLORS, FeatureBar, featureName } from '../components/FeatureBar';
import { SkillChips } from '../components/SkillChips';
import type {
  RankingFieldsFragment,
  RankingOptions,
  RankingWeights,
  ViewerQuery as ViewerQueryType,
} from '../gql/graphql';
import { RankingPseudonymisedQuery, RankingWithNamesQuery } from '../operations';
import { useQuery } from '../useQuery';
import { CandidateDetail } from './CandidateDetail';
import { StageTimes } from '../components/StageTimes';

type Viewer = ViewerQueryType['viewer'];

const WEIGHT_FIELDS: readonly (keyof RankingWeights)[] = [
  'essentialCoverage',
  'optionalCoverage',
  'occupationMatch',
  'embeddingCosine',
  'idealProfileCosine',
  'regionMatch',
  'outcomeHistory',
  'crossEncoder',
];

interface Form {
  useReranker: boolean;
  region: string;
  excludeApplied: boolean;
  attribute: 'GENDER' | 'AGE_BAND';
  minGroupShare: number | '';
  group: string;
  weights: Partial<Record<keyof RankingWeights, number | ''>>;
  pageSize: string;
}

const INITIAL: Form = {
  useReranker: false,
  region: '',
  excludeApplied: false,
  attribute: 'GENDER',
  minGroupShare: '',
  group: '',
  weights: {},
  pageSize: '20',
};

function toOptions(form: Form): RankingOptions {
  const weights = Object.fromEntries(
    Object.entries(form.weights).filter(([, v]) => typeof v === 'number'),
  ) as RankingWeights;
  return {
    useReranker: form.useReranker,
    ...(form.region.trim() ? { region: form.region.trim() } : {}),
    ...(form.excludeApplied ? { excludeApplied: true } : {}),
    ...(Object.keys(weights).length > 0 ? { weights } : {}),
    fairness: {
      attribute: form.attribute,
      ...(typeof form.minGroupShare === 'number' && form.minGroupShare > 0
        ? { minGroupShare: form.minGroupShare, ...(form.group.trim() ? { group: form.group.trim() } : {}) }
        : {}),
    },
  };
}

export function RankingPanel({ vacancyId, viewer }: { vacancyId: string; viewer: Viewer }) {
  const withNames = !viewer.deniedFields.includes('Candidate.displayName');
  const mayOpenCandidates = viewer.operations.includes('Query.skillGap') && withNames;
  const [form, setForm] = useState<Form>(INITIAL);
  const [applied, setApplied] = useState<Form>(INITIAL);
  const [cursors, setCursors] = useState<string[]>([]);
  const [showWeights, setShowWeights] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const variables = {
    vacancyId,
    first: Number(applied.pageSize),
    after: cursors.at(-1) ?? null,
    options: toOptions(applied),
  };
  const runKey = JSON.stringify(variables);
  const named = useQuery(RankingWithNamesQuery, variables, withNames ? runKey : null);
  const pseudonymised = useQuery(RankingPseudonymisedQuery, variables, withNames ? null : runKey);
  const state = withNames ? named : pseudonymised;
  const ranking = state.data?.rankCandidates;
  const set = <K extends keyof Form>(k: K, value: Form[K]) => setForm((f) => ({ ...f, [k]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setApplied(form);
  };
  const rows = ranking?.nodes ?? [];
  const maxScore = Math.max(1e-9, ...rows.map((r) => r.score));
  const nameOf = (candidate: { id: string; displayName?: string }) => candidate.displayName ?? candidate.id;

  return (
    <Stack gap="md">
      <Paper withBorder p="sm">
        <form onSubmit={submit} aria-label="Ranking options">
          <Group align="end" gap="md">
            <Switch
              label="Cross-encoder reranker"
              checked={form.useReranker}
              onChange={(e) => set('useReranker', e.currentTarget.checked)}
            />
            <Switch
              label="Exclude applicants"
              checked={form.excludeApplied}
              onChange={(e) => set('excludeApplied', e.currentTarget.checked)}
            />
            <TextInput
              label="Region"
              placeholder="any"
              value={form.region}
              onChange={(e) => set('region', e.currentTarget.value)}
              w={140}
            />
            <Select
              label="Fairness attribute"
              data={[
                { value: 'GENDER', label: 'gender' },
                { value: 'AGE_BAND', label: 'age band' },
              ]}
              value={form.attribute}
              onChange={(v) => set('attribute', v ?? 'GENDER')}
              allowDeselect={false}
              w={140}
            />
            <NumberInput
              label="Min. group share"
              description="0 = off"
              min={0}
              max={1}
              step={0.05}
              decimalScale={2}
              value={form.minGroupShare}
              onChange={(v) => set('minGroupShare', typeof v === 'number' ? v : '')}
              w={130}
            />
            <Select
              label="Per page"
              data={['10', '20', '50']}
              value={form.pageSize}
              onChange={(v) => set('pageSize', v ?? '20')}
              allowDeselect={false}
              w={90}
            />
            <Button variant="subtle" onClick={() => setShowWeights((s) => !s)} aria-expanded={showWeights}>
              Weights
            </Button>
            <Button type="submit">Rank</Button>
          </Group>
          <Collapse expanded={showWeights}>
            <SimpleGrid cols={{ base: 2, md: 4 }} mt="sm">
              {WEIGHT_FIELDS.map((w) => (
                <NumberInput
                  key={w}
                  label={w}
                  placeholder="default"
                  min={0}
                  step={0.05}
                  decimalScale={3}
                  value={form.weights[w] ?? ''}
                  onChange={(v) => set('weights', { ...form.weights, [w]: typeof v === 'number' ? v : '' })}
                />
              ))}
            </SimpleGrid>
          </Collapse>
        </form>
      </Paper>

      {state.loading && <Loader aria-label="Ranking candidates" />}
      {state.error && <ErrorNotice error={state.error} />}
      {ranking && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Group justify="space-between" align="baseline">
              <Title order={2} size="h4" data-testid="ranking-title">
                {ranking.vacancy.title}
              </Title>
              <Text size="xs" c="dimmed">
                {ranking.totalCount} ranked · ranking {ranking.meta.rankingId.slice(0, 12)}
                {ranking.meta.cached ? ' · from cache' : ''}
                {ranking.meta.rerankerModel ? ` · reranked by ${ranking.meta.rerankerModel.name}` : ''}
              </Text>
            </Group>
            <StageTimes timings={ranking.meta.timingsMs} />
            {ranking.meta.stagesSkipped.length > 0 && (
              <Text size="xs" c="red.9">
                skipped: {ranking.meta.stagesSkipped.join('; ')}
              </Text>
            )}
            {rows.length === 0 && <Text>No candidate fits this vacancy with these options.</Text>}
            {rows.length > 0 && (
              <Table striped highlightOnHover verticalSpacing="xs" data-testid="ranking-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{withNames ? 'Candidate' : 'Candidate (pseudonym)'}</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Skills and explanation</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.candidate.id} data-rank={r.rank}>
                      <Table.Td>{r.rank}</Table.Td>
                      <Table.Td>
                        {mayOpenCandidates ? (
                          <Button
                            variant="subtle"
                            size="compact-sm"
                            onClick={() => setOpen(r.candidate.id)}
                            data-testid="candidate-name"
                          >
                            {nameOf(r.candidate)}
                          </Button>
                        ) : (
                          <Text size="sm" data-testid="candidate-name">
                            {nameOf(r.candidate)}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {r.candidate.region ?? 'no region'}
                          {r.candidate.yearsExperience != null ? ` · ${r.candidate.yearsExperience} y` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {r.score.toFixed(3)}
                        </Text>
                        <FeatureBar breakdown={r.breakdown} maxScore={maxScore} />
                      </Table.Td>
                      <Table.Td>
                        <SkillChips
                          matched={r.matchedSkills}
                          missing={r.missingEssentialSkills}
                          partial={r.partialMatches}
                        />
                        <Text size="xs" mt={4}>
                          {r.explanation}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group gap="xs">
              {Object.entries(FEATURE_COLORS).map(([f, color]) => (
                <Group key={f} gap={4}>
                  <span
                    style={{
                      width: 10,
                      height: 10,
                      background: color,
                      display: 'inline-block',
                      borderRadius: 2,
                    }}
                  />
                  <Text size="xs">{featureName(f)}</Text>
                </Group>
              ))}
            </Group>
            <Group justify="space-between">
              <Button
                variant="default"
                size="xs"
                disabled={cursors.length === 0}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous page
              </Button>
              <Text size="xs" c="dimmed">
                page {cursors.length + 1}
              </Text>
              <Button
                variant="default"
                size="xs"
                disabled={!ranking.pageInfo.hasNextPage}
                onClick={() =>
                  ranking.pageInfo.endCursor && setCursors((c) => [...c, ranking.pageInfo.endCursor!])
                }
              >
                Next page
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {ranking && <FairnessPanel ranking={ranking} />}
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="xl"
        title="Candidate against the vacancy"
        closeButtonProps={{ 'aria-label': 'Close the candidate' }}
      >
        {open && <CandidateDetail candidateId={open} vacancyId={vacancyId} />}
      </Drawer>
    </Stack>
  );
}

const pct = (x: number | null | undefined) => (x == null ? '—' : `${(100 * x).toFixed(1)} %`);

function FairnessPanel({ ranking }: { ranking: RankingFieldsFragment }) {
  const f = ranking.fairness;
  const c = ranking.fairnessConstraint;
  if (!f) return null;
  return (
    <Paper withBorder p="sm" data-testid="fairness-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Fairness of the top {f.k} ({f.attribute === 'GENDER' ? 'gender' : 'age band'})
          </Title>
          {f.fourFifthsRulePassed == null ? (
            <Badge color="gray">four-fifths rule: not decidable</Badge>
          ) : (
            <Badge color={f.fourFifthsRulePassed ? 'green' : 'red'}>
              four-fifths rule {f.fourFifthsRulePassed ? 'passed' : 'failed'}
            </Badge>
          )}
        </Group>
        <Text size="sm">
          Pool of {f.poolSize}; disparate impact ratio {f.disparateImpactRatio?.toFixed(2) ?? '—'},
          demographic parity difference {f.demographicParityDifference?.toFixed(3) ?? '—'}
          {f.suppressedGroups > 0 ? `; ${f.suppressedGroups} group(s) too small to report, suppressed` : ''}.
        </Text>
        <Table fz="sm" w="auto">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th>In pool</Table.Th>
              <Table.Th>In top {f.k}</Table.Th>
              <Table.Th>Expected in top {f.k}</Table.Th>
              <Table.Th>Pool share</Table.Th>
              <Table.Th>Top share</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {f.groups.map((g) => (
              <Table.Tr key={g.group}>
                <Table.Td>{g.group}</Table.Td>
                <Table.Td>{g.poolCount}</Table.Td>
                <Table.Td>{g.topKCount}</Table.Td>
                <Table.Td>{g.expectedTopKCount.toFixed(1)}</Table.Td>
                <Table.Td>{pct(g.poolShare)}</Table.Td>
                <Table.Td>{pct(g.topKShare)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {f.notes.map((n) => (
          <Text key={n} size="xs" c="dimmed">
            {n}
          </Text>
        ))}
        {c && (
          <Alert
            color={c.applied ? 'blue' : 'gray'}
            title="Minimum group share"
            data-testid="fairness-constraint"
          >
            {c.applied
              ? `${c.swaps} swap(s) into the top, score loss ${c.scoreLoss.toFixed(3)}${c.feasible ? '' : ' (not fully feasible)'}. `
              : ''}
            {c.note}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
