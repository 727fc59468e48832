/**
 * Analysts (and recruiters, admins): skill demand against supply with filters, sorting, a chart
 * and CSV export; an occupation's ESCO profile against what vacancies ask. Groups under the
 * privacy threshold come back suppressed and are shown as such.
 */
import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { ThreeWayGap } from '../components/ThreeWayGap';
import type { SkillDemandQuery as SkillDemandResult, SkillDemandSort } from '../gql/graphql';
import { OccupationProfileQuery, OccupationSearchQuery, RegionsQuery, SkillDemandQuery } from '../operations';
import { useQuery } from '../useQuery';

type Row = NonNullable<SkillDemandResult['skillDemand']>['nodes'][number];
type Column = 'skill' | 'demand' | 'essentialDemand' | 'supply' | 'supplyRatio';

const COLUMNS: readonly { key: Column; label: string }[] = [
  { key: 'skill', label: 'Skill' },
  { key: 'demand', label: 'Vacancies asking' },
  { key: 'essentialDemand', label: 'as essential' },
  { key: 'supply', label: 'Candidates holding' },
  { key: 'supplyRatio', label: 'Supply ratio' },
];

const valueOf = (row: Row, column: Column): string | number =>
  column === 'skill' ? row.skill.preferredLabel : (row[column] ?? -1);

export function toCsv(rows: readonly Row[]): string {
  const quote = (v: string | number | boolean | null | undefined) => {
    const s = v == null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const header = [
    'skill_uri',
    'skill',
    'demand',
    'essential_demand',
    'weighted_demand',
    'supply',
    'supply_ratio',
    'suppressed',
  ];
  const lines = rows.map((r) =>
    [
      r.skill.uri,
      r.skill.preferredLabel,
      r.demand,
      r.essentialDemand,
      r.weightedDemand,
      r.supply,
      r.supplyRatio,
      r.suppressed,
    ]
      .map(quote)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function AnalystScreen() {
  return (
    <Stack gap="lg">
      <SkillDemandPanel />
      <OccupationProfilePanel />
      <ThreeWayPanel />
    </Stack>
  );
}

function SkillDemandPanel() {
  const regions = useQuery(RegionsQuery, {}, 'regions');
  const [region, setRegion] = useState<string | null>(null);
  const [isco, setIsco] = useState('');
  const [sort, setSort] = useState<SkillDemandSort>('SHORTAGE');
  const [applied, setApplied] = useState<{ region: string | null; isco: string; sort: SkillDemandSort }>({
    region: null,
    isco: '',
    sort: 'SHORTAGE',
  });
  const [column, setColumn] = useState<Column | null>(null);
  const [descending, setDescending] = useState(true);
  const variables = {
    filter: {
      ...(applied.region ? { region: applied.region } : {}),
      ...(applied.isco.trim() ? { iscoGroup: applied.isco.trim() } : {}),
    },
    sort: applied.sort,
    first: 30,
  };
  const demand = useQuery(SkillDemandQuery, variables, JSON.stringify(variables));
  const result = demand.data?.skillDemand;
  const rows = [...(result?.nodes ?? [])];
  if (column) {
    rows.sort((a, b) => {
      const x = valueOf(a, column);
      const y = valueOf(b, column);
      const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
      return descending ? -order : order;
    });
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied({ region, isco, sort });
  };
  const sortBy = (c: Column) => {
    if (column === c) setDescending((d) => !d);
    else {
      setColumn(c);
      setDescending(c !== 'skill');
    }
  };

  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Skill demand against supply
        </Title>
        <form onSubmit={submit} aria-label="Skill demand filters">
          <Group align="end">
            <Select
              label="Region"
              placeholder="all regions"
              clearable
              searchable
              data={(regions.data?.regions ?? []).map((r) => r.name)}
              value={region}
              onChange={setRegion}
              w={200}
            />
            <TextInput
              label="ISCO group"
              placeholder="e.g. 2512"
              value={isco}
              onChange={(e) => setIsco(e.currentTarget.value)}
              w={140}
            />
            <Select
              label="Order"
              data={[
                { value: 'SHORTAGE', label: 'shortage first' },
                { value: 'SURPLUS', label: 'surplus first' },
                { value: 'VOLUME', label: 'most asked first' },
              ]}
              value={sort}
              onChange={(v) => setSort(v ?? 'SHORTAGE')}
              allowDeselect={false}
              w={170}
            />
            <Button type="submit">Show</Button>
            <Button
              variant="default"
              disabled={rows.length === 0}
              onClick={() => download('skill-demand.csv', toCsv(rows))}
            >
              Export CSV
            </Button>
          </Group>
        </form>
        {demand.loading && <Loader aria-label="Loading skill demand" />}
        {demand.error && <ErrorNotice error={demand.error} />}
        {result && (
          <Text size="sm" c="dimmed">
            {result.vacancies ?? '—'} open vacancies, {result.candidates ?? '—'} candidates;{' '}
            {result.totalCount} skills asked.{' '}
            {result.note ??
              `Groups under ${result.threshold} people are suppressed (${result.suppressedCount} here).`}
          </Text>
        )}
        {result && rows.length === 0 && <Text>No skill is asked by open vacancies here.</Text>}
        {rows.length > 0 && (
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Table striped fz="sm" data-testid="skill-demand-table">
                <Table.Thead>
                  <Table.Tr>
                    {COLUMNS.map((c) => (
                      <Table.Th
                        key={c.key}
                        aria-sort={column === c.key ? (descending ? 'descending' : 'ascending') : 'none'}
                      >
                        <UnstyledButton onClick={() => sortBy(c.key)} fw={600} fz="sm">
                          {c.label} {column === c.key ? (descending ? '▼' : '▲') : ''}
                        </UnstyledButton>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.skill.uri}>
                      <Table.Td>{r.skill.preferredLabel}</Table.Td>
                      <Table.Td>{r.demand}</Table.Td>
                      <Table.Td>{r.essentialDemand}</Table.Td>
                      <Table.Td>
                        {r.suppressed ? <Badge color="gray">suppressed</Badge> : (r.supply ?? '—')}
                      </Table.Td>
                      <Table.Td>
                        {r.suppressed || r.supplyRatio == null ? '—' : r.supplyRatio.toFixed(2)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <SupplyChart rows={rows} />
            </Grid.Col>
          </Grid>
        )}
      </Stack>
    </Paper>
  );
}

/** Supply ratio per skill on a log scale around 1 (balanced): left of the line a shortage. */
function SupplyChart({ rows }: { rows: readonly Row[] }) {
  const shown = rows.filter((r) => !r.suppressed && r.supplyRatio != null && r.supplyRatio > 0).slice(0, 20);
  const rowHeight = 18;
  const width = 460;
  const labelWidth = 190;
  const half = (width - labelWidth) / 2;
  const limit = Math.max(1, ...shown.map((r) => Math.abs(Math.log10(r.supplyRatio!))));
  const height = shown.length * rowHeight + 24;
  return (
    <figure style={{ margin: 0 }}>
      <svg
        width="100%"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Supply ratio per skill"
        data-testid="supply-chart"
      >
        <line x1={labelWidth + half} x2={labelWidth + half} y1={0} y2={height - 20} stroke="#495057" />
        {shown.map((r, i) => {
          const v = Math.log10(r.supplyRatio!) / limit;
          const x = labelWidth + half + Math.min(0, v) * half;
          return (
            <g key={r.skill.uri}>
              <text x={labelWidth - 6} y={i * rowHeight + 13} textAnchor="end" className="chart-label">
                {r.skill.preferredLabel.length > 28
                  ? `${r.skill.preferredLabel.slice(0, 27)}…`
                  : r.skill.preferredLabel}
              </text>
              <rect
                x={x}
                y={i * rowHeight + 3}
                width={Math.abs(v) * half}
                height={rowHeight - 6}
                fill={v < 0 ? '#e03131' : '#2f9e44'}
              >
                <title>{`${r.skill.preferredLabel}: supply ratio ${r.supplyRatio!.toFixed(2)}`}</title>
              </rect>
            </g>
          );
        })}
        <text x={labelWidth + 2} y={height - 6} className="chart-label">
          shortage
        </text>
        <text x={width - 2} y={height - 6} textAnchor="end" className="chart-label">
          surplus
        </text>
      </svg>
      <figcaption>
        <Text size="xs" c="dimmed">
          Supply ratio (log scale, 1 = balanced) of the first {shown.length} skills shown.
        </Text>
      </figcaption>
    </figure>
  );
}

function OccupationProfilePanel() {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  const [uri, setUri] = useState<string | null>(null);
  const found = useQuery(OccupationSearchQuery, { search: search ?? '' }, search);
  const profile = useQuery(OccupationProfileQuery, { uri: uri ?? '' }, uri);
  const p = profile.data?.occupationSkillProfile;
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Occupation profile: ESCO against what vacancies ask
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) setSearch(draft.trim());
          }}
          role="search"
        >
          <Group gap="xs">
            <TextInput
              aria-label="Search an occupation"
              placeholder="Occupation, e.g. software developer"
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              w={320}
            />
            <Button type="submit" variant="light">
              Find
            </Button>
          </Group>
        </form>
        {found.error && <ErrorNotice error={found.error} />}
        <Group gap={6}>
          {found.data?.occupations.nodes.map((o) => (
            <Button
              key={o.uri}
              size="compact-sm"
              variant={uri === o.uri ? 'filled' : 'default'}
              onClick={() => setUri(o.uri)}
            >
              {o.preferredLabel} ({o.code})
            </Button>
          ))}
        </Group>
        {profile.loading && <Loader aria-label="Loading the profile" />}
        {profile.error && <ErrorNotice error={profile.error} />}
        {p && (
          <Stack gap="xs" data-testid="occupation-profile">
            <Text size="sm">
              {p.occupation.preferredLabel}: {p.vacancies ?? '—'} vacancies.
              {p.note ? ` ${p.note}` : ''}
            </Text>
            {p.suppressed ? (
              <Alert color="gray" title="Suppressed">
                Fewer than {p.threshold} vacancies ask for this occupation: the profile is not shown.
              </Alert>
            ) : (
              <Grid>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <ProfileTable title="Asked beyond the ESCO profile" rows={p.askedBeyondProfile} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <ProfileTable title="In the ESCO profile, rarely asked" rows={p.rarelyAsked} />
                </Grid.Col>
              </Grid>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function ProfileTable({
  title,
  rows,
}: {
  title: string;
  rows: readonly {
    askedBy: number;
    share: number;
    escoRelation?: string | null;
    skill: { uri: string; preferredLabel: string };
  }[];
}) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm">None.</Text>
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Skill</Table.Th>
              <Table.Th>Vacancies</Table.Th>
              <Table.Th>Share</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.skill.uri}>
                <Table.Td>{r.skill.preferredLabel}</Table.Td>
                <Table.Td>{r.askedBy}</Table.Td>
                <Table.Td>{(100 * r.share).toFixed(0)} %</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** A candidate (by id: analysts see people pseudonymised) against a vacancy and its ESCO occupation. */
function ThreeWayPanel() {
  const [candidate, setCandidate] = useState('');
  const [vacancy, setVacancy] = useState('');
  const [asked, setAsked] = useState<{ candidateId: string; vacancyId: string } | null>(null);
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Three-way gap: candidate, vacancy, ESCO
        </Title>
        <form
          aria-label="Three-way gap"
          onSubmit={(e) => {
            e.preventDefault();
            if (candidate.trim() && vacancy.trim())
              setAsked({ candidateId: candidate.trim(), vacancyId: vacancy.trim() });
          }}
        >
          <Group align="end">
            <TextInput
              label="Candidate id"
              placeholder="cand-000001"
              value={candidate}
              onChange={(e) => setCandidate(e.currentTarget.value)}
            />
            <TextInput
              label="Vacancy id"
              placeholder="vac-00001"
              value={vacancy}
              onChange={(e) => setVacancy(e.currentTarget.value)}
            />
            <Button type="submit">Compare</Button>
          </Group>
        </form>
        {asked && <ThreeWayGap key={`${asked.candidateId}/${asked.vacancyId}`} {...asked} />}
      </Stack>
    </Paper>
  );
}
