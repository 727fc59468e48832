import { EvalHarness, readEvalFile, mapLimit } from '../src/eval/harness.js';
import { parseJobbertTitles, everyNth } from '../src/eval/evalData.js';
import { cleanJobTitle } from '../src/ranking/titleCleaning.js';
import { summarize } from '../src/eval/report.js';
import type { SearchMode } from '../src/services/conceptSearchService.js';
const h = await EvalHarness.open();
const occ = await h.occupations();
const e = await h.embedder('bge-small-en-v15-q');
const r = await h.reranker();
const q = everyNth(parseJobbertTitles(readEvalFile('job-titles/jobbert-titles.validation.csv')), 50);
const gold = new Map(q.map((x) => [x.id, x.gold]));
const idx = await h.labelIndex(e, occ);
for (const kind of ['query', 'passage'] as const) for (const clean of [true, false]) {
  const vecs = await e.embed(q.map((x) => clean ? cleanJobTitle(x.text) : x.text), kind);
  const res = idx.search(vecs, 50);
  const s = summarize(new Map(q.map((x, i) => [x.id, res[i]!.map((s) => s.id)])), gold);
  console.log('exact', kind, clean, s.mrr10.toFixed(3), s.recall1.toFixed(3), s.recall10.toFixed(3));
}
for (const clean of [true, false]) {
  const svc = await h.service(e, r, { cleanTitles: clean });
  for (const mode of ['LEXICAL', 'DENSE', 'HYBRID', 'HYBRID_RERANK'] as SearchMode[]) {
    const t = performance.now();
    const out = await mapLimit(q, 4, (x) => svc.normalizeJobTitle({ title: x.text, lang: 'en', k: 50, mode }));
    const s = summarize(new Map(q.map((x, i) => [x.id, out[i]!.hits.map((h) => h.uri)])), gold);
    console.log('svc', mode, clean, s.mrr10.toFixed(3), s.recall1.toFixed(3), s.recall10.toFixed(3), ((performance.now() - t) / q.length).toFixed(1), 'ms/q');
  }
}
await e.close(); await r.close(); await h.close();
