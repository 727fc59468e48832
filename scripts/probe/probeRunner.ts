/**
 * Replays the outside probe of issue #15 against a running server (`npm run probe` starts one; the
 * e2e tier runs a reduced form) and counts every attempt's outcome per shape: refused with a known
 * code, answered harmlessly, accepted wrongly, refused with another code, 5xx, hang. A graph
 * snapshot taken before and after the reads phase (which holds the refused writes) says whether
 * the graph is unchanged.
 */
import { createProbeHttp, OUTCOMES, type Attempt, type Outcome, type ProbeKeys } from './probeClient.js';
import { PROBE_SHAPES, type ProbeContext, type ProbeFixture, type ProbeShape } from './probeShapes.js';

/** An answer later than this is a hang. */
export const PROBE_HANG_MS = 10_000;
/**
 * The request deadline the probed service runs with: below the hang threshold, so a flood of model
 * work must end by the server's deadline (answered or TIMEOUT), which is what the probe checks.
 */
export const PROBE_REQUEST_TIMEOUT_MS = 8_000;

export interface ProbeOptions {
  /** The server with people data (GraphQL endpoint). */
  readonly url: string;
  /** Where the write races make their own data; `url` when omitted. */
  readonly writeUrl?: string;
  readonly keys: ProbeKeys;
  /** How many times each shape repeats its attempts (1 in the e2e tier). */
  readonly repetitions: number;
  /** An attempt slower than this is a hang (default 10 s). */
  readonly hangMs?: number;
  /** A fingerprint of everything the API can change on `url`'s graph (before and after the reads phase). */
  readonly snapshot?: () => Promise<string>;
  /** Only these shapes (names); all when omitted. */
  readonly only?: readonly string[];
  readonly onProgress?: (line: string) => void;
}

export type OutcomeCounts = Record<Outcome, number>;

export interface ShapeReport {
  readonly name: string;
  readonly item: string;
  readonly phase: ProbeShape['phase'];
  readonly what: string;
  readonly attempts: number;
  readonly counts: OutcomeCounts;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Up to three notes of attempts that were not refused or harmless. */
  readonly notes: readonly string[];
}

export interface ProbeReport {
  readonly shapes: readonly ShapeReport[];
  readonly totals: OutcomeCounts & { attempts: number };
  /** Snapshot before the reads phase equals the one after it; null without a snapshot. */
  readonly graphUnchanged: boolean | null;
  readonly fixture: ProbeFixture;
  readonly durationS: number;
}

const zero = (): OutcomeCounts => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
}

/**
 * The probe's targets, read from the graph as ADMIN: an organization (one the keys cover) with a
 * vacancy that has applicants, an applicant, a candidate who applied to none of its vacancies,
 * a vacancy of another organization.
 */
export async function discoverFixture(url: string, keys: ProbeKeys): Promise<ProbeFixture> {
  const http = createProbeHttp(url, 60_000);
  const res = await http.post(
    {
      query:
        '{ vacancies(first: 100) { nodes { id organization { id } occupation { uri } applications { candidate { id } } } } candidates(first: 100) { nodes { id } } }',
    },
    keys.admin,
  );
  const data = res.data as
    | {
        vacancies: {
          nodes: Array<{
            id: string;
            organization: { id: string } | null;
            occupation: { uri: string } | null;
            applications: Array<{ candidate: { id: string } | null }>;
          }>;
        };
        candidates: { nodes: Array<{ id: string }> };
      }
    | undefined;
  const vacancies = data?.vacancies.nodes ?? [];
  const target = vacancies.find(
    (v) => v.organization && v.occupation && v.applications.length > 0 && keys.recruiter(v.organization.id),
  );
  if (!target?.organization || !target.occupation)
    throw new Error(
      `the probe needs a vacancy with applicants of an organization its keys cover (got ${res.status} ${res.messages.join('; ')})`,
    );
  const org = target.organization.id;
  const ofOrg = vacancies.filter((v) => v.organization?.id === org);
  const applicants = new Set(ofOrg.flatMap((v) => v.applications.map((a) => a.candidate?.id)));
  const outsider = data?.candidates.nodes.find((c) => !applicants.has(c.id))?.id;
  const other = vacancies.find((v) => v.organization && v.organization.id !== org)?.id;
  const applicant = target.applications.find((a) => a.candidate)?.candidate?.id;
  if (!outsider || !other || !applicant)
    throw new Error('the probe needs an outsider, an applicant and a second organization');
  return {
    vacancy: target.id,
    organization: org,
    vacanciesOfOrganization: [
      target.id,
      ...ofOrg.filter((v) => v.id !== target.id && v.applications.length > 0).map((v) => v.id),
    ].slice(0, 3),
    otherVacancy: other,
    applicant,
    outsider,
    occupationUri: target.occupation.uri,
  };
}

export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const started = performance.now();
  const hangMs = options.hangMs ?? PROBE_HANG_MS;
  // Requests get twice the hang threshold to answer, so a slow answer is still seen (and counted as a hang).
  const http = createProbeHttp(options.url, 2 * hangMs);
  const writes = options.writeUrl ? createProbeHttp(options.writeUrl, 2 * hangMs) : http;
  const fixture = await discoverFixture(options.url, options.keys);
  const recruiter = options.keys.recruiter(fixture.organization);
  const partner = options.keys.partner(fixture.organization);
  if (!recruiter || !partner) throw new Error(`no RECRUITER / PARTNER key for ${fixture.organization}`);
  const ctx: ProbeContext = {
    http,
    writes,
    keys: options.keys,
    recruiter,
    partner,
    fixture,
    repetitions: options.repetitions,
    hangMs,
    runId: `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
  };
  const chosen = PROBE_SHAPES.filter((s) => !options.only || options.only.includes(s.name));
  const reports: ShapeReport[] = [];
  const runShape = async (shape: ProbeShape) => {
    const t0 = performance.now();
    let attempts: Attempt[];
    try {
      attempts = await shape.run(ctx);
    } catch (error) {
      attempts = [
        {
          outcome: 'serverError',
          ms: performance.now() - t0,
          note: `the shape failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    }
    const counts = zero();
    for (const a of attempts) counts[a.outcome] += 1;
    const notes = [
      ...new Set(
        attempts
          .filter((a) => a.note && a.outcome !== 'refused' && a.outcome !== 'harmless')
          .map((a) => `${a.outcome}: ${a.note}`),
      ),
    ].slice(0, 3);
    const ms = attempts.map((a) => a.ms);
    reports.push({
      name: shape.name,
      item: shape.item,
      phase: shape.phase,
      what: shape.what,
      attempts: attempts.length,
      counts,
      p95Ms: percentile(ms, 95),
      maxMs: Math.max(0, ...ms),
      notes,
    });
    options.onProgress?.(
      `${shape.name}: ${attempts.length} attempts, ${OUTCOMES.filter((o) => counts[o] > 0)
        .map((o) => `${counts[o]} ${o}`)
        .join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  };

  const before = await options.snapshot?.();
  for (const shape of chosen.filter((s) => s.phase === 'reads')) await runShape(shape);
  const after = await options.snapshot?.();
  for (const shape of chosen.filter((s) => s.phase === 'writes')) await runShape(shape);
  for (const shape of chosen.filter((s) => s.phase === 'last')) await runShape(shape);

  const totals = { attempts: 0, ...zero() };
  for (const r of reports) {
    totals.attempts += r.attempts;
    for (const o of OUTCOMES) totals[o] += r.counts[o];
  }
  return {
    shapes: reports,
    totals,
    graphUnchanged: before === undefined || after === undefined ? null : before === after,
    fixture,
    durationS: (performance.now() - started) / 1000,
  };
}

const COLUMNS: ReadonlyArray<[Outcome, string]> = [
  ['refused', 'refused'],
  ['harmless', 'harmless'],
  ['acceptedWrongly', 'accepted wrongly'],
  ['wrongCode', 'other code'],
  ['serverError', '5xx'],
  ['hang', 'hang'],
];

export function formatProbeTable(r: ProbeReport): string {
  const head = [
    'shape'.padEnd(27),
    'item'.padStart(6),
    'attempts'.padStart(9),
    ...COLUMNS.map(([, l]) => l.padStart(l.length < 8 ? 8 : l.length)),
    'p95 ms'.padStart(8),
  ];
  const row = (name: string, item: string, attempts: number, counts: OutcomeCounts, p95: string) =>
    [
      name.padEnd(27),
      item.padStart(6),
      String(attempts).padStart(9),
      ...COLUMNS.map(([o, l]) => String(counts[o]).padStart(l.length < 8 ? 8 : l.length)),
      p95.padStart(8),
    ].join(' ');
  return [
    head.join(' '),
    ...r.shapes.map((s) => row(s.name, s.item, s.attempts, s.counts, s.p95Ms.toFixed(0))),
    row('total', '', r.totals.attempts, r.totals, ''),
    `graph unchanged after the reads phase (refused writes included): ${r.graphUnchanged === null ? 'not checked' : r.graphUnchanged ? 'yes' : 'NO'}`,
    ...r.shapes.flatMap((s) => s.notes.map((n) => `  ${s.name}: ${n}`)),
  ].join('\n');
}

/** docs/security-probe.md: what was run, the table per shape and the totals, all as measured. */
export function probeMarkdown(
  r: ProbeReport,
  context: { command: string; when: string; setting: string },
): string {
  const cols = COLUMNS.map(([, l]) => l);
  return [
    '# Security probe',
    '',
    '<!-- Written by `npm run probe` (scripts/probe.ts); every figure below is measured by that run. Do not edit by hand. -->',
    '',
    `Replays the request shapes of the outside probe of issue #15 ("Why", items 1-10) and a few of the`,
    'bad-input corpus against a fresh service with API keys for every role, and classifies every',
    'attempt: **refused** with the code the shape expects, **harmless** answer, **accepted wrongly**',
    '(the leak, race or write the probe looks for happened), refused with **another code**, **5xx**',
    '(or a masked INTERNAL_SERVER_ERROR), **hang** (no answer within 10 s). Shapes judge what an',
    'attacker reads from the answers: a differencing walk that pins down one rank’s group is',
    'accepted wrongly even though every request was answered. The graph is compared (people data,',
    'applications, provenance: `cypher/admin/snapshot.cypher`) before and after the reads phase, which',
    'holds the refused writes; the write races make data of their own afterwards.',
    '',
    `- Run: ${context.when}, \`${context.command}\`, ${r.durationS.toFixed(0)} s`,
    `- Setting: ${context.setting}`,
    `- Targets: vacancy \`${r.fixture.vacancy}\` of \`${r.fixture.organization}\` (RECRUITER and PARTNER keys of that organization), applicant \`${r.fixture.applicant}\`, non-applicant \`${r.fixture.outsider}\`, another organization's vacancy \`${r.fixture.otherVacancy}\``,
    '',
    `| shape | #15 item | attempts | ${cols.join(' | ')} | p95 ms |`,
    `|---|---|---:|${cols.map(() => '---:').join('|')}|---:|`,
    ...r.shapes.map(
      (s) =>
        `| \`${s.name}\`: ${s.what} | ${s.item} | ${s.attempts} | ${COLUMNS.map(([o]) => s.counts[o]).join(' | ')} | ${s.p95Ms.toFixed(0)} |`,
    ),
    `| **total** | | **${r.totals.attempts}** | ${COLUMNS.map(([o]) => `**${r.totals[o]}**`).join(' | ')} | |`,
    '',
    `Graph unchanged after the reads phase: **${r.graphUnchanged === null ? 'not checked' : r.graphUnchanged ? 'yes' : 'no'}**.`,
    '',
    ...(r.shapes.some((s) => s.notes.length > 0)
      ? [
          'Attempts that were not refused or harmless:',
          '',
          ...r.shapes.flatMap((s) => s.notes.map((n) => `- \`${s.name}\`: ${n}`)),
          '',
        ]
      : ['Every attempt was refused with its expected code or answered harmlessly.', '']),
  ].join('\n');
}
