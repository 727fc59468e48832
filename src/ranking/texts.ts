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
