import { Badge, Group, Tooltip } from '@mantine/core';

interface SkillRef {
  readonly uri: string;
  readonly preferredLabel: string;
}

/** Matched (green, ✓), missing essential (red, ✕) and partial (yellow, ≈) skills as chips; the marks are for colour-blind readers. */
export function SkillChips({
  matched,
  missing,
  partial,
  limit = 8,
}: {
  matched: readonly SkillRef[];
  missing: readonly SkillRef[];
  partial: readonly { kind: string; required: SkillRef; held: SkillRef }[];
  limit?: number;
}) {
  const more = (n: number) =>
    n > limit ? (
      <Badge variant="transparent" size="sm">
        +{n - limit}
      </Badge>
    ) : null;
  return (
    <Group gap={4}>
      {matched.slice(0, limit).map((s) => (
        <Badge key={`m${s.uri}`} color="green" variant="light" size="sm" tt="none" data-chip="matched">
          <span aria-hidden="true">✓ </span>
          {s.preferredLabel}
        </Badge>
      ))}
      {more(matched.length)}
      {partial.slice(0, limit).map((p) => (
        <Tooltip
          key={`p${p.required.uri}${p.held.uri}`}
          label={`holds ${p.held.preferredLabel} (${p.kind.toLowerCase()})`}
        >
          <Badge color="yellow" variant="light" size="sm" tt="none" data-chip="partial">
            <span aria-hidden="true">≈ </span>
            {p.required.preferredLabel}
          </Badge>
        </Tooltip>
      ))}
      {more(partial.length)}
      {missing.slice(0, limit).map((s) => (
        <Badge key={`x${s.uri}`} color="red" variant="outline" size="sm" tt="none" data-chip="missing">
          <span aria-hidden="true">✕ </span>
          {s.preferredLabel}
        </Badge>
      ))}
      {more(missing.length)}
    </Group>
  );
}
