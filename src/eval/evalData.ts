/**
 * Parsers for the development evaluation sets in `../shared/eval` (see its README for sources and
 * licences). Pure: each takes the file text and returns typed records, so the scripts do the I/O
 * and the parsing is unit-tested on hand-made snippets.
 */
import { parse } from 'csv-parse/sync';

/** A query with the ids of its relevant concepts (binary relevance). */
export interface LabelledQuery {
  readonly id: string;
  readonly text: string;
  readonly gold: readonly string[];
}

export interface Posting {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** ESCO occupation code, e.g. `2422.10`. */
  readonly escoCode: string;
}

/** Gold labels of the skill-extraction sets that mean "no ESCO skill here". */
export const NO_SKILL_LABELS: ReadonlySet<string> = new Set(['LABEL NOT PRESENT', 'UNDERSPECIFIED']);

function csvRecords(text: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, bom: true });
}

function field(row: Record<string, string>, name: string, file: string): string {
  const value = row[name];
  if (value === undefined) throw new Error(`${file}: missing column "${name}"`);
  return value;
}

/** JobBERT validation titles: `,vacancyTitle,conceptUri` (first column: row id). */
export function parseJobbertTitles(text: string): LabelledQuery[] {
  return csvRecords(text).map((row, i) => ({
    id: row['']?.trim() || String(i),
    text: field(row, 'vacancyTitle', 'jobbert').trim(),
    gold: [field(row, 'conceptUri', 'jobbert').trim()],
  }));
}

function tsvRows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

/**
 * MELO: `queries.tsv` (query id, text), `annotations.tsv` (query id, 0, corpus element id,
 * relevance) and `concept_mapping.tsv` (corpus element id, ESCO URI). A query's gold is the set of
 * ESCO concepts of its relevant corpus elements (an element is one label of a concept).
 */
export function parseMelo(files: {
  queries: string;
  annotations: string;
  conceptMapping: string;
}): LabelledQuery[] {
  const concept = new Map(
    tsvRows(files.conceptMapping).map(([element, uri]) => [element ?? '', (uri ?? '').trim()]),
  );
  const gold = new Map<string, Set<string>>();
  for (const [query, , element, relevance] of tsvRows(files.annotations)) {
    if (query === undefined || element === undefined || Number(relevance) <= 0) continue;
    const uri = concept.get(element);
    if (!uri) throw new Error(`melo: corpus element ${element} has no concept mapping`);
    const set = gold.get(query) ?? new Set<string>();
    set.add(uri);
    gold.set(query, set);
  }
  return tsvRows(files.queries).flatMap(([id, text]) => {
    const uris = id === undefined ? undefined : gold.get(id);
    return id !== undefined && text !== undefined && uris
      ? [{ id, text: text.trim(), gold: [...uris].sort() }]
      : [];
  });
}

/**
 * TECH / HOUSE skill extraction (`sentence,span,sub_span,label`): one row per annotated span.
 * Rows are grouped by sentence (first-appearance order); "no skill" labels are dropped, and so are
 * sentences left without any real label. Gold holds distinct preferred labels.
 */
export function parseSkillSentences(text: string, prefix = 's'): LabelledQuery[] {
  const bySentence = new Map<string, Set<string>>();
  for (const row of csvRecords(text)) {
    const sentence = field(row, 'sentence', 'skills').trim();
    const label = field(row, 'label', 'skills').trim();
    const labels = bySentence.get(sentence) ?? new Set<string>();
    if (label !== '' && !NO_SKILL_LABELS.has(label)) labels.add(label);
    bySentence.set(sentence, labels);
  }
  return [...bySentence.entries()]
    .filter(([, labels]) => labels.size > 0)
    .map(([sentence, labels], i) => ({
      id: `${prefix}${String(i).padStart(4, '0')}`,
      text: sentence,
      gold: [...labels],
    }));
}

/** HaHu postings: `ID,title,description,esco_code,…`. */
export function parseHahuPostings(text: string): Posting[] {
  return csvRecords(text).map((row) => ({
    id: field(row, 'ID', 'hahu').trim(),
    title: field(row, 'title', 'hahu').replace(/\s+/g, ' ').trim(),
    description: field(row, 'description', 'hahu').replace(/\s+/g, ' ').trim(),
    escoCode: field(row, 'esco_code', 'hahu').trim(),
  }));
}

/** Every `n`-th item starting with the first: a fixed, deterministic subsample. */
export function everyNth<T>(items: readonly T[], n: number): T[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1 (got ${n})`);
  return items.filter((_, i) => i % n === 0);
}

/**
 * The first sentence of a text (up to the first `.`, `!`, `?` followed by a space, or a line
 * break), cut at a word boundary to at most `maxChars` characters.
 */
export function firstSentence(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end < 0 ? flat : flat.slice(0, end);
  if (sentence.length <= maxChars) return sentence;
  const cut = sentence.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return (space > maxChars / 2 ? cut.slice(0, space) : cut).trim();
}
