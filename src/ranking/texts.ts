/**
 * The texts that represent candidates, vacancies and ideal profiles to the models. One place, so
 * stored embeddings, query embeddings and cross-encoder inputs describe things the same way.
 */

const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

function join(parts: ReadonlyArray<string | null | undefined>): string {
  return parts.map(clean).filter(Boolean).join(' ');
}

export function candidateText(c: {
  summary?: string | null;
  skills?: readonly string[];
  occupations?: readonly string[];
}): string {
  return join([
    c.occupations && c.occupations.length > 0 ? `Experience as ${c.occupations.join(', ')}.` : null,
    c.summary,
    c.skills && c.skills.length > 0 ? `Skills: ${c.skills.join(', ')}.` : null,
  ]);
}

export function vacancyText(v: {
  title?: string | null;
  description?: string | null;
  skills?: readonly string[];
}): string {
  return join([
    v.title ? `${clean(v.title)}.` : null,
    v.description,
    v.skills && v.skills.length > 0 ? `Required skills: ${v.skills.join(', ')}.` : null,
  ]);
}

/**
 * A hypothetical ideal candidate written from the ESCO graph (the occupation's labels and
 * essential skills): a graph-built counterpart of a hypothetical-resume embedding, with no LLM.
 */
export function idealProfileText(o: {
  label: string;
  altLabels?: readonly string[];
  essentialSkills: readonly string[];
}): string {
  const also = (o.altLabels ?? []).filter((l) => l !== o.label).slice(0, 5);
  return join([
    `Experienced ${o.label}${also.length > 0 ? ` (also known as ${also.join(', ')})` : ''}.`,
    o.essentialSkills.length > 0 ? `Skills: ${o.essentialSkills.join(', ')}.` : null,
  ]);
}

export function conceptText(c: { label?: string | null; description?: string | null }): string {
  return join([c.label ? `${clean(c.label)}.` : null, c.description]);
}

// ---- the cross-encoder's texts ----------------------------------------------------------------
//
// The reranker reads what a match rests on — the work (title, occupations held) and the skills —
// and nothing that is scored elsewhere or sensitive. Free prose (CV summaries, vacancy
// descriptions) names the region, the organisation and, in people's own words, much else; a
// cross-encoder over it scores "both texts name Bavaria" as relevance, counting the region a second
// time beside REGION_MATCH. So summaries and descriptions are not read, and a region named in a
// title is cut out. The embedder's texts above keep the prose: they are stored with the vectors.

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` without any of `terms` (whole words, any case), with a preposition that introduced one
 * ("in Bavaria"), and the empty brackets or dangling separators left behind.
 */
export function withoutTerms(text: string, terms: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const term of terms) {
    const t = clean(term);
    if (!t) continue;
    const pattern = new RegExp(
      `(?:\\b(?:in|at|near|based in)\\s+)?(?<![\\p{L}\\p{N}])${escapeRegExp(t)}(?![\\p{L}\\p{N}])`,
      'giu',
    );
    out = out.replace(pattern, ' ');
  }
  return clean(
    out
      .replace(/\(\s*\)|\[\s*\]/g, ' ')
      .replace(/\s+([,;:/|–-])(?=\s*(?:[,;:/|–-]|$))/g, ' ')
      .replace(/^\s*[,;:/|–-]+|[,;:/|–-]+\s*$/g, ' ')
      .replace(/\s+([,;])/g, '$1'),
  );
}

/**
 * The candidate as the cross-encoder reads it: occupations held and skills. The summary and the
 * region are accepted (callers pass whole records) and deliberately not read.
 */
export function rerankerCandidateText(c: {
  summary?: string | null;
  region?: string | null;
  skills?: readonly string[];
  occupations?: readonly string[];
}): string {
  return join([
    c.occupations && c.occupations.length > 0 ? `Experience as ${c.occupations.join(', ')}.` : null,
    c.skills && c.skills.length > 0 ? `Skills: ${c.skills.join(', ')}.` : null,
  ]);
}

/**
 * The vacancy as the cross-encoder reads it: its title with the region cut out, and its skills.
 * The description is accepted and deliberately not read. `regions` are further names to cut
 * from the title (e.g. every region of the graph).
 */
export function rerankerVacancyText(
  v: {
    title?: string | null;
    description?: string | null;
    region?: string | null;
    skills?: readonly string[];
  },
  regions: readonly string[] = [],
): string {
  const title = v.title ? withoutTerms(v.title, [v.region, ...regions]) : '';
  return join([
    title ? `${title}.` : null,
    v.skills && v.skills.length > 0 ? `Required skills: ${v.skills.join(', ')}.` : null,
  ]);
}

/**
 * Characters of the query and of the passage the cross-encoder reads of a ranking's pair: about
 * 56 + 100 tokens. The head of a vacancy (title, skills) and of a profile carries most of the
 * signal, and the cost grows at least linearly with the length (30 pairs of 64 + 128 tokens took
 * about 0.5 s on two cores with the 12-layer generic model; a full 512-token pair costs several
 * times more).
 */
export const CE_QUERY_CHARS = 256;
export const CE_PASSAGE_CHARS = 448;

const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));

/**
 * A ranking's (query, passage) pair as the cross-encoder scores it: the vacancy is the query of a
 * candidate ranking (and the passage of a vacancy ranking), each clipped to its length. One
 * definition for the service and for the training pairs `npm run train:models` exports.
 */
export function crossEncoderPair(
  subjectText: string,
  itemText: string,
  itemIsQuery: boolean,
): readonly [string, string] {
  return itemIsQuery
    ? [clip(itemText, CE_QUERY_CHARS), clip(subjectText, CE_PASSAGE_CHARS)]
    : [clip(subjectText, CE_QUERY_CHARS), clip(itemText, CE_PASSAGE_CHARS)];
}
