/**
 * Skill extraction on the dev sets: Decorte et al. TECH and HOUSE validation sentences → ESCO
 * skill preferred labels.
 *
 *   npx tsx scripts/eval-skills.ts [--models a,b] [--no-doc]
 *
 * Rows: lexical (the service in LEXICAL mode), every catalog embedding model with exact cosine
 * search over all skill labels (preferred + alternative), RRF of lexical and the best exact model,
 * and the served configuration through the service's `extractSkills` (DENSE / HYBRID /
 * HYBRID_RERANK over the Neo4j vector index), with ablations of the fusion tuning, the lookalike
 * rejection and the boilerplate blanking; with the models `npm run train:models` wrote, the trained
 * bi-encoder's exact and hybrid rows and the trained cross-encoder's HYBRID_RERANK row. Prints one
 * markdown table and rewrites its section of docs/evaluation.md.
 */
import { parseArgs } from 'node:util';
import { parseSkillSentences, type LabelledQuery } from '../src/eval/evalData.js';
import {
  EvalHarness,
  elapsed,
  idsRun,
  machineDescription,
  mapLimit,
  progress,
  readEvalFile,
  recordRun,
  runTimesLine,
  writeDocSection,
} from '../src/eval/harness.js';
import {
  baselineCheck,
  fmt,
  markdownTable,
  pairedBootstrap,
  perQueryValues,
  rPrecisionAtK,
  summarize,
  type RankingSummary,
} from '../src/eval/report.js';
import { EMBEDDERS, type Embedder } from '../src/inference/index.js';
import { reciprocalRankFusion, splitClauses, type Scored } from '../src/ranking/rankFusion.js';
import {
  DEFAULT_SKILL_MODE,
  SKILL_FUSION,
  SKILL_LABELS_PER_CLAUSE,
  type SearchMode,
} from '../src/services/conceptSearchService.js';

const { values: argv } = parseArgs({
  options: {
    models: { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const MODELS = argv.models ? argv.models.split(',') : EMBEDDERS.map((e) => e.name);
const SETS = ['tech', 'house'] as const;
type SetName = (typeof SETS)[number];
const FILE: Record<SetName, string> = {
  tech: 'skill-extraction/tech_validation.csv',
  house: 'skill-extraction/house_validation.csv',
};
const K = 50;

interface Row {
  readonly name: string;
  readonly runs: Partial<Record<SetName, Map<string, Scored[]>>>;
  textsPerSecond?: number;
  readonly exactModel?: string;
  /** Exact top skills per clause text (exact rows). */
  readonly byClause?: Map<string, Scored[]>;
  readonly isDefault?: boolean;
  readonly isServiceDense?: boolean;
  /** Compared with the default row by a paired bootstrap (trained models, cross-encoders). */
  readonly versusDefault?: boolean;
}

/** The clauses the service embeds for a text (the whole text when it has no clause). */
function clausesOf(text: string): string[] {
  const clauses = splitClauses(text).map((c) => c.text);
  return clauses.length > 0 ? clauses : [text];
}

const started = performance.now();
let labelMs = 0;
const harness = await EvalHarness.open();
try {
  const skills = await harness.skills();
  const uriByLabel = new Map(skills.map((s) => [s.preferredLabel, s.uri]));
  const uriByLower = new Map(skills.map((s) => [s.preferredLabel.toLowerCase(), s.uri]));
  const data = {} as Record<SetName, LabelledQuery[]>;
  const gold = {} as Record<SetName, Map<string, readonly string[]>>;
  let unmapped = 0;
  for (const set of SETS) {
    data[set] = parseSkillSentences(readEvalFile(FILE[set]), `${set}-`);
    gold[set] = new Map(
      data[set].map((q) => [
        q.id,
        [
          ...new Set(
            q.gold.flatMap((label) => {
              const uri = uriByLabel.get(label) ?? uriByLower.get(label.toLowerCase());
              if (!uri) unmapped += 1;
              return uri ? [uri] : [];
            }),
          ),
        ],
      ]),
    );
  }
  const labelCount = skills.reduce((n, c) => n + c.labels.length, 0);
  progress(
    `TECH ${data.tech.length} sentences, HOUSE ${data.house.length}; ${skills.length} skills, ${labelCount} labels; gold labels without an ESCO skill: ${unmapped}`,
  );

  const rows: Row[] = [];
  const servedName = harness.config.inference.embeddingModel;
  const served = await harness.embedder(servedName);
  const reranker = await harness.reranker();
  const service = await harness.service(served, reranker);
  const untuned = await harness.service(served, reranker, {
    skillFusion: { k: 60, lexicalWeight: 1 },
    skillLabelsPerClause: 20,
  });
  const noLookalikeFilter = await harness.service(served, reranker, { rejectLookalikes: false });
  const noBoilerplate = await harness.service(served, reranker, { stripBoilerplate: false });
  const serviceRow = async (
    name: string,
    mode: SearchMode,
    extra: Partial<Row> = {},
    svc = service,
  ): Promise<Row> => {
    const t = performance.now();
    const runs: Row['runs'] = {};
    for (const set of SETS) {
      const results = await mapLimit(data[set], 2, async (q) =>
        (await svc.extractSkills({ text: q.text, k: K, mode })).hits.map((h) => ({
          id: h.uri,
          score: h.score,
        })),
      );
      runs[set] = new Map(data[set].map((q, i) => [q.id, results[i]!]));
    }
    progress(`${name}: ${elapsed(t)}`);
    return { name, runs, isDefault: svc === service && mode === DEFAULT_SKILL_MODE, ...extra };
  };
  const lexical = await serviceRow('Lexical: fulltext per clause (service LEXICAL)', 'LEXICAL');
  rows.push(lexical);

  // ---- each embedding model, exact search over all skill labels, per clause ----------------------
  const allClauses = [...new Set(SETS.flatMap((set) => data[set].flatMap((q) => clausesOf(q.text))))];
  const exactRows: Row[] = [];
  /** Exact search of `embedder` over all skill labels, per clause, a skill keeping its best clause. */
  const exactRuns = async (embedder: Embedder): Promise<Pick<Row, 'runs' | 'byClause'>> => {
    const t = performance.now();
    const index = await harness.labelIndex(embedder, skills);
    labelMs += performance.now() - t;
    const vectors = await embedder.embed(allClauses, 'query');
    const found = index.search(vectors, K);
    const byClause = new Map(allClauses.map((c, i) => [c, found[i]!]));
    const runs: Row['runs'] = {};
    for (const set of SETS) {
      runs[set] = new Map(
        data[set].map((q) => {
          // A skill's score is its best cosine over the sentence's clauses, as in the service.
          const best = new Map<string, number>();
          for (const clause of clausesOf(q.text)) {
            for (const hit of byClause.get(clause) ?? [])
              best.set(hit.id, Math.max(best.get(hit.id) ?? -Infinity, hit.score));
          }
          const ranked = [...best]
            .map(([id, score]) => ({ id, score }))
            .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
            .slice(0, K);
          return [q.id, ranked];
        }),
      );
    }
    return { runs, byClause };
  };
  for (const name of MODELS) {
    if (!EMBEDDERS.some((e) => e.name === name)) throw new Error(`unknown model ${name}`);
    const embedder = name === servedName ? served : await harness.embedder(name);
    const t = performance.now();
    try {
      const row: Row = {
        name: `Dense exact: ${name} (${name.endsWith('-q') ? 'int8' : 'fp32'})`,
        ...(await exactRuns(embedder)),
        exactModel: name,
      };
      exactRows.push(row);
      rows.push(row);
      progress(`${name}: exact search ${elapsed(t)}`);
    } finally {
      if (embedder !== served) await embedder.close();
    }
    const tps = await harness.throughput(name, allClauses.slice(0, 512), 'query');
    for (const row of exactRows) if (row.exactModel === name) row.textsPerSecond = tps;
  }
  // The bi-encoder `npm run train:models` wrote, when there is one: it trains on ESCO labels and
  // job titles, never on these sentences, so every sentence is unseen by it.
  const trainedBi = await harness.trainedEmbedder();
  progress(`trained bi-encoder: ${trainedBi.message}`);
  if (trainedBi.embedder) {
    const { name, sha256 } = trainedBi.embedder.info;
    const t = performance.now();
    try {
      const row: Row = {
        name: `Dense exact: trained ${name} (sha256 ${sha256.slice(0, 12)}…)`,
        ...(await exactRuns(trainedBi.embedder)),
        exactModel: `trained ${name}`,
        versusDefault: true,
      };
      exactRows.push(row);
      rows.push(row);
      progress(`trained ${name}: exact search ${elapsed(t)}`);
    } finally {
      await trainedBi.embedder.close();
    }
  }

  // ---- best exact model fused with lexical as the service fuses (per clause), per set ------------
  // The service's lexical list of each clause: extractSkills on the clause alone, which is one clause.
  const lexicalByClause = new Map(
    await mapLimit(allClauses, 2, async (clause) => {
      const { hits } = await service.extractSkills({ text: clause, k: K, mode: 'LEXICAL' });
      return [clause, hits.map((h) => ({ id: h.uri, score: h.score }))] as const;
    }),
  );
  const bestBy = Object.fromEntries(
    SETS.map((set) => [
      set,
      exactRows
        .map((r) => ({ r, v: summarize(idsRun(r.runs[set]!), gold[set]).rp5 }))
        .sort((a, b) => b.v - a.v)[0]?.r.exactModel,
    ]),
  ) as Record<SetName, string | undefined>;
  for (const dense of exactRows) {
    const byClause = dense.byClause;
    if (!byClause) continue;
    const runs: Row['runs'] = {};
    for (const set of SETS) {
      runs[set] = new Map(
        data[set].map((q) => {
          const bestOf = new Map<string, number>();
          for (const clause of clausesOf(q.text)) {
            const fused = reciprocalRankFusion(
              [
                { items: lexicalByClause.get(clause) ?? [], weight: SKILL_FUSION.lexicalWeight },
                { items: byClause.get(clause) ?? [] },
              ],
              SKILL_FUSION.k,
            );
            for (const f of fused) bestOf.set(f.id, Math.max(bestOf.get(f.id) ?? -Infinity, f.score));
          }
          const ranked = [...bestOf]
            .map(([id, score]) => ({ id, score }))
            .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
            .slice(0, K);
          return [q.id, ranked];
        }),
      );
    }
    const best = SETS.filter((set) => bestBy[set] === dense.exactModel).map((set) => set.toUpperCase());
    rows.push({
      name: `Hybrid: lexical + ${dense.exactModel ?? ''} exact, service fusion${best.length > 0 ? ` (best dense on ${best.join(', ')})` : ''}`,
      runs,
      versusDefault: dense.versusDefault ?? false,
    });
  }

  // ---- served model through Neo4j -------------------------------------------------------------
  const denseRow = await serviceRow(`Dense: ${servedName} via Neo4j vector index (service DENSE)`, 'DENSE', {
    isServiceDense: true,
  });
  denseRow.textsPerSecond = exactRows.find((r) => r.exactModel === servedName)?.textsPerSecond;
  rows.push(denseRow);
  rows.push(
    await serviceRow(
      `Hybrid: lexical + ${servedName} index, weighted RRF per clause k=${SKILL_FUSION.k}, lexical weight ${SKILL_FUSION.lexicalWeight} (service HYBRID)`,
      'HYBRID',
    ),
  );
  rows.push(await serviceRow('Hybrid, lookalike labels kept (ablation)', 'HYBRID', {}, noLookalikeFilter));
  rows.push(
    await serviceRow('Hybrid, advert boilerplate not blanked (ablation)', 'HYBRID', {}, noBoilerplate),
  );
  rows.push(
    await serviceRow(
      'Hybrid, plain RRF k=60 with equal weights and 20 index labels per clause (before tuning, ablation)',
      'HYBRID',
      {},
      untuned,
    ),
  );
  rows.push(
    await serviceRow(
      `Hybrid + generic cross-encoder ${reranker.info.name} on the top 20 (service HYBRID_RERANK)`,
      'HYBRID_RERANK',
      { versusDefault: true },
    ),
  );
  // The trained cross-encoder never saw these sentences (it trains on titles and ESCO labels).
  const trained = await harness.trainedReranker();
  progress(`trained cross-encoder: ${trained.message}`);
  if (trained.reranker) {
    rows.push(
      await serviceRow(
        `Hybrid + trained cross-encoder ${trained.reranker.info.name} (sha256 ${trained.reranker.info.sha256.slice(0, 12)}…) on the top 20 (HYBRID_RERANK)`,
        'HYBRID_RERANK',
        { versusDefault: true },
        await harness.service(served, trained.reranker),
      ),
    );
    await trained.reranker.close();
  }
  await served.close();
  await reranker.close();

  // ---- table ------------------------------------------------------------------------------------
  const summaries = rows.map((r) => ({
    row: r,
    tech: r.runs.tech ? summarize(idsRun(r.runs.tech), gold.tech) : null,
    house: r.runs.house ? summarize(idsRun(r.runs.house), gold.house) : null,
  }));
  const cells = (s: RankingSummary | null) =>
    s ? [fmt(s.rp5), fmt(s.recall10), fmt(s.mrr10)] : ['—', '—', '—'];
  const table = markdownTable(
    ['Configuration', 'TECH RP@5', 'R@10', 'MRR@10', 'HOUSE RP@5', 'R@10', 'MRR@10', 'clauses/s'],
    summaries.map((s) => [
      s.row.isDefault ? `**${s.row.name} — default**` : s.row.name,
      ...cells(s.tech),
      ...cells(s.house),
      s.row.textsPerSecond === undefined ? '—' : s.row.textsPerSecond.toFixed(0),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const caption = `Skill extraction, ${new Date().toISOString().slice(0, 10)}. TECH: ${data.tech.length} sentences, HOUSE: ${data.house.length} (validation sentences with at least one real ESCO label; several labels of a sentence are grouped). RP@5 = hits in the top 5 / min(5, #gold) (Decorte et al.); R@10 = Recall@10. clauses/s: query embedding throughput of the model on this machine (up to 512 clauses, no cache, batch 32, best of 2 passes).`;
  process.stdout.write(`${caption}\n\n${table}\n`);

  const defaultRow = rows.find((r) => r.isDefault);
  const checks = SETS.flatMap((set) => {
    if (!defaultRow?.runs[set] || !lexical.runs[set]) return [];
    const named = (r: Row) => ({ name: r.name, run: idsRun(r.runs[set]!) });
    return [
      baselineCheck({
        set: set.toUpperCase(),
        metricName: 'RP@5',
        metric: (ranked, j) => rPrecisionAtK(ranked, j, 5),
        gold: gold[set],
        defaultRun: named(defaultRow),
        lexical: named(lexical),
        dense: rows.filter((r) => (r.exactModel || r.isServiceDense) && r.runs[set]).map(named),
      }).line,
    ];
  });
  // Each trained-model and cross-encoder row against the default, per set (RP@5, paired bootstrap
  // over sentences).
  const crossChecks = rows
    .filter((r) => r.versusDefault && defaultRow)
    .flatMap((r) =>
      SETS.map((set) => {
        const ids = data[set].map((q) => q.id);
        const values = (row: Row) =>
          perQueryValues(idsRun(row.runs[set]!), gold[set], ids, (ranked, j) => rPrecisionAtK(ranked, j, 5));
        const d = pairedBootstrap(values(r), values(defaultRow!));
        return `${set.toUpperCase()}: ${r.name} − default RP@5 ${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} [${fmt(d.low)}, ${fmt(d.high)}]`;
      }),
    );
  process.stderr.write(`${[...checks, ...crossChecks].join('\n')}\n`);

  const seconds = (performance.now() - started) / 1000;
  const log = recordRun(harness.config, 'eval-skills', {
    date: new Date().toISOString(),
    seconds,
    labelSeconds: labelMs / 1000,
  });
  if (!argv['no-doc']) {
    writeDocSection(
      'eval:skills',
      `## Skill extraction (\`npm run eval:skills\`)

Data: \`../shared/eval/${FILE.tech}\` and \`../shared/eval/${FILE.house}\` (Decorte et al. skill-extraction benchmark, TECH / HOUSE validation, extending SkillSpan): one row per annotated span, sentence → ESCO skill preferred label (v1.1.0, all present in v1.1.1); \`LABEL NOT PRESENT\` / \`UNDERSPECIFIED\` rows are dropped and sentences left without a label skipped. Gold labels are mapped to skill URIs by exact preferred label (${unmapped} unmapped).

Command: \`npm run eval:skills\` (= \`tsx scripts/eval-skills.ts\`). Date: ${new Date().toISOString()}. Machine: ${machineDescription()}. Run time — ${runTimesLine(log)}.

${caption}

${table}

How the rows are computed:
- *Lexical*: the service's \`extractSkills\` in LEXICAL mode: the text split into clauses, each clause a fulltext query on \`skill_labels_en\`, a skill keeping its best clause.
- *Dense exact*: the same clauses embedded as queries with that model, **exact** cosine search in memory over all ${labelCount} skill labels (preferred + alternative; embedded as passages with the same model, cached on disk), a skill scoring its best label over the sentence's clauses. The served configuration uses the Neo4j HNSW vector index over the same labels embedded with ${servedName}, ${SKILL_LABELS_PER_CLAUSE} labels per clause.
- *Hybrid: lexical + <model> exact*: the service's fusion (per clause, weighted RRF k = ${SKILL_FUSION.k}, lexical weight ${SKILL_FUSION.lexicalWeight}, a skill keeping its best clause) of the service's lexical list of each clause with that model's exact list of the clause: what HYBRID would give with that model served (the row of the best single dense model on a set says so).
- *Service* rows run the API code path (\`ConceptSearchService.extractSkills\`, served model ${servedName}); HYBRID_RERANK reranks the top 20 (clause, skill preferred label) pairs with the cross-encoder. The lookalike ablation keeps skills whose label only looks like a word of the clause ("Docker" → "dock operations"; the default drops them), the boilerplate ablation matches gender markers, salary lines, contract words and benefits too (the default blanks them first).
- Does the default beat the lexical baseline and the best single dense model of this run?
${checks.map((line) => `  ${line}`).join('\n')}
- Trained-model and cross-encoder rows against the default (paired bootstrap over sentences, 95 % interval; the trained bi-encoder trains on ESCO labels and job titles, none of these sentences):
${crossChecks.map((line) => `  - ${line}`).join('\n')}
`,
    );
    progress('docs/evaluation.md updated (section eval:skills)');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await harness.close();
}
