/**
 * The console: who the caller is comes from the server (`viewer`), and only the screens the
 * caller's role may use are offered. Screens: vacancy ranking (recruiters, partners, admins),
 * skill demand and occupation profiles (analysts, recruiters, admins), text tools (everyone).
 */
import {
  Alert,
  Anchor,
  AppShell,
  Badge,
  Button,
  Group,
  Loader,
  PasswordInput,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { storeKey, storedKey } from './api';
import { ErrorNotice } from './components/ErrorNotice';
import { ViewerQuery } from './operations';
import { AnalystScreen } from './screens/AnalystScreen';
import { RankingScreen } from './screens/RankingScreen';
import { TextToolsScreen } from './screens/TextToolsScreen';
import { useQuery } from './useQuery';

export const ESCO_NOTICE = 'This service uses the ESCO classification of the European Commission.';

export function App() {
  const [key, setKey] = useState(storedKey());
  const [draft, setDraft] = useState(key);
  const [generation, setGeneration] = useState(0);
  const viewer = useQuery(ViewerQuery, {}, `${generation}`);
  const operations = new Set(viewer.data?.viewer.operations ?? []);
  const may = (field: string) => operations.has(`Query.${field}`);

  const applyKey = (event: FormEvent) => {
    event.preventDefault();
    storeKey(draft.trim());
    setKey(draft.trim());
    setGeneration((g) => g + 1);
  };
  const forget = () => {
    storeKey('');
    setKey('');
    setDraft('');
    setGeneration((g) => g + 1);
  };

  const tabs = [
    may('rankCandidates') && { value: 'ranking', label: 'Vacancies and rankings' },
    may('skillDemand') && { value: 'analyst', label: 'Skill demand and profiles' },
    may('normalizeJobTitle') && { value: 'text', label: 'Text tools' },
  ].filter((t): t is { value: string; label: string } => Boolean(t));
  const v = viewer.data?.viewer;

  return (
    <AppShell header={{ height: 64 }} footer={{ height: 36 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h3">
              TalentGraph
            </Title>
            {v && (
              <Badge variant="light" size="lg" tt="none" data-testid="viewer-role">
                {v.role}
                {v.organization
                  ? ` · ${v.organization.name}`
                  : v.organizationId
                    ? ` · ${v.organizationId}`
                    : ''}
              </Badge>
            )}
            {v?.pseudonymised && (
              <Badge color="gray" variant="outline">
                people pseudonymised
              </Badge>
            )}
          </Group>
          <form onSubmit={applyKey} aria-label="Credentials">
            <Group gap="xs" wrap="nowrap">
              <PasswordInput
                aria-label="API key"
                placeholder="API key (x-api-key)"
                value={draft}
                onChange={(e) => setDraft(e.currentTarget.value)}
                w={260}
              />
              <Button type="submit">Use key</Button>
              {key && (
                <Button variant="subtle" onClick={forget}>
                  Forget key
                </Button>
              )}
              <Anchor href="/explorer" ml="sm">
                API explorer
              </Anchor>
            </Group>
          </form>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {viewer.loading && !viewer.data && <Loader aria-label="Loading" />}
        {viewer.error && <ErrorNotice error={viewer.error} />}
        {v && tabs.length === 0 && (
          <Alert color="yellow" title="Nothing to show for this caller">
            The server lets the {v.role} role use no screen of this console. Enter an API key above.
          </Alert>
        )}
        {v && tabs.length > 0 && (
          // Keyed by who the server says the caller is: a new caller starts on their first screen.
          <Tabs
            defaultValue={tabs[0]!.value}
            keepMounted={false}
            key={`${generation}:${v.role}:${v.organizationId ?? ''}`}
          >
            <Tabs.List>
              {tabs.map((t) => (
                <Tabs.Tab key={t.value} value={t.value}>
                  {t.label}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="ranking" pt="md">
              <RankingScreen viewer={v} />
            </Tabs.Panel>
            <Tabs.Panel value="analyst" pt="md">
              <AnalystScreen />
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="md">
              <TextToolsScreen />
            </Tabs.Panel>
          </Tabs>
        )}
      </AppShell.Main>
      <AppShell.Footer>
        <Group h="100%" px="md" justify="space-between">
          <Text size="xs" c="dimmed">
            {ESCO_NOTICE}
          </Text>
          {viewer.data?.escoDataset?.version && (
            <Text size="xs" c="dimmed">
              ESCO {viewer.data.escoDataset.version}
            </Text>
          )}
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
