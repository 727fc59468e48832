/** Normalise a job title to ESCO occupations; extract ESCO skills from a text with their evidence. */
import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { ExtractSkillsQuery, NormalizeTitleQuery } from '../operations';
import { useQuery } from '../useQuery';

export function TextToolsScreen() {
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <TitlePanel />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <SkillsPanel />
      </Grid.Col>
    </Grid>
  );
}

function Signals({
  r,
}: {
  r: {
    noMatch: boolean;
    languageSupported: boolean;
    detectedLanguage?: string | null;
    warnings: readonly string[];
    confidenceThreshold: number;
  };
}) {
  return (
    <>
      {!r.languageSupported && (
        <Alert color="orange" title="Language not supported">
          Detected {r.detectedLanguage ?? 'an unknown language'}: matches are unreliable.
        </Alert>
      )}
      {r.noMatch && (
        <Alert color="yellow" title="No good match">
          Nothing reaches the confidence threshold of {r.confidenceThreshold.toFixed(2)}.
        </Alert>
      )}
      {r.warnings.map((w) => (
        <Text key={w} size="xs" c="red.9">
          {w}
        </Text>
      ))}
    </>
  );
}

function TitlePanel() {
  const [draft, setDraft] = useState('Senior backend developer (Java)');
  const [title, setTitle] = useState<string | null>(null);
  const state = useQuery(NormalizeTitleQuery, { title: title ?? '' }, title);
  const r = state.data?.normalizeJobTitle;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) setTitle(draft.trim());
  };
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Normalise a job title
        </Title>
        <form onSubmit={submit}>
          <Group gap="xs" align="end">
            <TextInput
              label="Job title"
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit">Normalise</Button>
          </Group>
        </form>
        {state.loading && <Loader aria-label="Normalising" />}
        {state.error && <ErrorNotice error={state.error} />}
        {r && <Signals r={r} />}
        {r && r.matches.length > 0 && (
          <Table fz="sm" data-testid="title-matches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ESCO occupation</Table.Th>
                <Table.Th>Code</Table.Th>
                <Table.Th>Confidence</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.matches.map((m) => (
                <Table.Tr key={m.occupation.uri}>
                  <Table.Td>
                    {m.occupation.preferredLabel}
                    {m.matchedLabel && m.matchedLabel !== m.occupation.preferredLabel && (
                      <Text size="xs" c="dimmed">
                        via “{m.matchedLabel}”
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{m.occupation.code}</Table.Td>
                  <Table.Td>{m.confidence == null ? '—' : `${(100 * m.confidence).toFixed(0)} %`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** `text` with the evidence spans marked (overlapping spans: the first one wins). */
export function highlight(text: string, spans: readonly Span[], active: string | null): ReactNode[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at || s.end > text.length || s.end <= s.start) continue;
    if (s.start > at) parts.push(text.slice(at, s.start));
    parts.push(
      <mark
        key={`${s.start}-${s.label}`}
        className={`evidence${active === s.label ? ' active' : ''}`}
        title={s.label}
      >
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts;
}

function SkillsPanel() {
  const [draft, setDraft] = useState(
    'We are looking for a developer with experience in Java and SQL databases, who can design software architecture and work in an agile team.',
  );
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const state = useQuery(ExtractSkillsQuery, { text: text ?? '' }, text);
  const r = state.data?.extractSkills;
  const spans: Span[] = (r?.skills ?? []).flatMap((s) =>
    s.evidence ? [{ start: s.evidence.start, end: s.evidence.end, label: s.skill.preferredLabel }] : [],
  );
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Extract skills from a text
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) setText(draft);
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Text (a posting, a CV)"
              autosize
              minRows={4}
              maxRows={12}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Enter writes a new line; Ctrl+Enter (Cmd+Enter) extracts, as in the explorer.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
              }}
              description="Ctrl+Enter to extract"
            />
            <Group>
              <Button type="submit">Extract skills</Button>
            </Group>
          </Stack>
        </form>
        {state.loading && <Loader aria-label="Extracting" />}
        {state.error && <ErrorNotice error={state.error} />}
        {r && <Signals r={r} />}
        {r && text && (
          <Text size="sm" className="text-with-evidence" data-testid="evidence-text">
            {highlight(text, spans, active)}
          </Text>
        )}
        {r && r.skills.length > 0 && (
          <Group gap={6} data-testid="extracted-skills">
            {r.skills.map((s) => (
              <Badge
                key={s.skill.uri}
                tt="none"
                variant={active === s.skill.preferredLabel ? 'filled' : 'light'}
                onMouseEnter={() => setActive(s.skill.preferredLabel)}
                onMouseLeave={() => setActive(null)}
                title={`confidence ${(100 * s.confidence).toFixed(0)} %${s.evidence ? `, from “${s.evidence.text}”` : ''}`}
              >
                {s.skill.preferredLabel} · {(100 * s.confidence).toFixed(0)} %
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
