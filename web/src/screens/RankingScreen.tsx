/**
 * Recruiters, partners and admins: find a vacancy, rank its candidates (options, paging, the
 * fairness panel), open a candidate's skill gap and career paths. What is asked depends on the
 * role the server reports: a role that sees people pseudonymised is never asked for names.
 */
import {
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import type { ViewerQuery as ViewerQueryType } from '../gql/graphql';
import { VacanciesQuery } from '../operations';
import { useQuery } from '../useQuery';
import { RankingPanel } from './RankingPanel';

type Viewer = ViewerQueryType['viewer'];

export function RankingScreen({ viewer }: { viewer: Viewer }) {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  // Only a caller bound to no organization (an admin) may pick one; others are pinned by the server.
  const mayPickOrganization = viewer.organizationId === null;
  const [organizationDraft, setOrganizationDraft] = useState('');
  const [organization, setOrganization] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<{ id: string; title: string } | null>(null);
  const after = cursors.at(-1) ?? null;
  const variables = {
    filter: {
      status: 'OPEN' as const,
      ...(search ? { titleContains: search } : {}),
      ...(organization ? { organization } : {}),
    },
    first: 12,
    after,
  };
  const vacancies = useQuery(VacanciesQuery, variables, JSON.stringify(variables));
  const page = vacancies.data?.vacancies;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setSearch(draft.trim());
    setOrganization(organizationDraft.trim());
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 3 }}>
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Open vacancies
            </Title>
            <form onSubmit={submit} role="search">
              <Group gap="xs" wrap="nowrap">
                <TextInput
                  aria-label="Search vacancies by title"
                  placeholder="Search by title"
                  value={draft}
                  onChange={(e) => setDraft(e.currentTarget.value)}
                  style={{ flex: 1 }}
                />
                <Button type="submit" variant="light">
                  Search
                </Button>
              </Group>
              {mayPickOrganization && (
                <TextInput
                  mt="xs"
                  aria-label="Organization id"
                  placeholder="Organization id (all when empty)"
                  value={organizationDraft}
                  onChange={(e) => setOrganizationDraft(e.currentTarget.value)}
                />
              )}
            </form>
            {vacancies.loading && <Loader size="sm" aria-label="Loading vacancies" />}
            {vacancies.error && <ErrorNotice error={vacancies.error} />}
            {page && (
              <Text size="xs" c="dimmed">
                {page.totalCount} open vacanc{page.totalCount === 1 ? 'y' : 'ies'}
                {search ? ` matching “${search}”` : ''}
                {viewer.organizationId ? ' of your organization' : ''}
              </Text>
            )}
            {page && page.nodes.length === 0 && <Text size="sm">No vacancy matches.</Text>}
            <Stack gap={2} data-testid="vacancy-list">
              {page?.nodes.map((v) => (
                <UnstyledButton
                  key={v.id}
                  onClick={() => setSelected({ id: v.id, title: v.title })}
                  aria-current={selected?.id === v.id ? 'true' : undefined}
                  p={6}
                  style={{
                    borderRadius: 4,
                    background: selected?.id === v.id ? 'var(--mantine-color-blue-light)' : undefined,
                  }}
                  data-vacancy-id={v.id}
                >
                  <Text size="sm" fw={500}>
                    {v.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {v.id} · {v.organization?.name ?? '—'} · {v.region ?? 'no region'}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
            <Group justify="space-between">
              <Button
                size="xs"
                variant="default"
                disabled={cursors.length === 0}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous
              </Button>
              <Button
                size="xs"
                variant="default"
                disabled={!page?.pageInfo.hasNextPage}
                onClick={() =>
                  page?.pageInfo.endCursor && setCursors((c) => [...c, page.pageInfo.endCursor!])
                }
              >
                Next
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 9 }}>
        {selected ? (
          <RankingPanel key={selected.id} vacancyId={selected.id} viewer={viewer} />
        ) : (
          <Paper withBorder p="lg">
            <Text>Choose a vacancy on the left to see its ranked candidates.</Text>
          </Paper>
        )}
      </Grid.Col>
    </Grid>
  );
}
