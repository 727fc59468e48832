/**
 * Whether a matched label rests on the words of the text or only looks like them. Subword
 * embeddings and prefix search place "Docker" near "dock operations", "Terraform" near "maintain
 * terrazzo" and "scikit-learn" near "learning difficulties": the strings share letters, not
 * meaning. A label *rests* on the text when one of its content words is a whole word of the text
 * (after light stemming, so "managed" supports "manage"); it is a *lookalike* when none is, yet one
 * of its words is a prefix, a part or a near-spelling of a text word. A label that shares no
 * letters-level likeness either (a dense synonym) is neither.
 */

/** Function words that never support a match on their own. */
const STOPWORDS = new Set(
  'a an and as at by for from in into of on or the to with use using de des du la le les et en un une pour avec sur au aux'.split(
    ' ',
  ),
);

/** Lower-case, accent-free words; a word keeps inner `-`, `.`, `+`, `#` ("scikit-learn", "node.js", "c++"). */
export function words(text: string): string[] {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return (plain.match(/[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*[+#]*/gu) ?? []).filter((w) => !STOPWORDS.has(w));
}

/** A light stem: drops one inflectional ending ("learning" → "learn", "managed" → "manag", "manage" → "manag"). */
export function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's', 'e']) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** Endings by which related words differ ("communicat|ion" / "communicat|e", "teach|er" / "teach"). */
const DERIVATIONAL = new Set(
  ',e,s,es,ed,er,ers,or,ors,ing,ion,ions,ation,ations,ment,ments,al,ive,ist,ists,ity,y,ies,ly,ance,ence,ant,ent,ure,ise,ize,ic,ics,ical'.split(
    ',',
  ),
);

/**
 * `a` and `b` differ but look alike: one is a prefix or a part of the other, or they share 5+
 * first letters. Two forms of one word ("communication" / "communicate") look alike only when the
 * text word is a name (`textIsName`: "Docker" is not a docker).
 */
function looksAlike(a: string, b: string, textIsName: boolean): boolean {
  if (a === b || a.length < 3 || b.length < 3) return false;
  const cp = commonPrefix(a, b);
  const related = cp >= 4 && DERIVATIONAL.has(a.slice(cp)) && DERIVATIONAL.has(b.slice(cp));
  if (related) return textIsName;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.startsWith(short) || long.includes(short) || cp >= 5;
}

/**
 * Words of `text` written as names: capitalised after the first word ("with Docker"), inner
 * capitals ("TensorFlow"), or with digits or inner `-` `.` `+` `#` ("scikit-learn", "node.js").
 */
function nameWords(text: string): Set<string> {
  const raw = text.normalize('NFKD').replace(/\p{M}/gu, '');
  const out = new Set<string>();
  let first = true;
  for (const m of raw.matchAll(/[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*[+#]*/gu)) {
    const w = m[0];
    const name = /.\p{Lu}/u.test(w) || /[\p{N}\-.+#]/u.test(w) || (!first && /^\p{Lu}/u.test(w));
    if (name) out.add(w.toLowerCase());
    first = false;
  }
  return out;
}

export interface LexicalSupport {
  /** Share of the label's content words that are whole words of the text (after stemming), 0..1. */
  readonly coverage: number;
  /** Share of the label's content words found only as a part of a compound word of the text. */
  readonly partCoverage: number;
  /** The label shares letters, not words, with the text (see the module comment). */
  readonly lookalike: boolean;
}

/** How `label` relates to `text` word by word (see `LexicalSupport`). */
export function lexicalSupport(text: string, label: string): LexicalSupport {
  const textWords = words(text);
  const labelWords = words(label);
  if (labelWords.length === 0 || textWords.length === 0)
    return { coverage: 0, partCoverage: 0, lookalike: false };
  const whole = new Set(textWords.map(stem));
  const parts = new Set(
    textWords.flatMap((w) =>
      /[-.]/.test(w)
        ? w
            .split(/[-.]/)
            .filter((p) => p.length >= 2)
            .map(stem)
        : [],
    ),
  );
  let covered = 0;
  let partly = 0;
  for (const w of labelWords) {
    const s = stem(w);
    if (whole.has(s) || whole.has(w)) covered += 1;
    else if (parts.has(s)) partly += 1;
  }
  const coverage = covered / labelWords.length;
  const partCoverage = partly / labelWords.length;
  // A label fully spelled out by the parts of a compound ("problem-solving" → "solve problems") rests on the text.
  const rests = covered > 0 || partly === labelWords.length;
  const names = nameWords(text);
  const alike =
    !rests &&
    labelWords.some((lw) =>
      textWords.some((tw) => {
        const isName = names.has(tw);
        return looksAlike(stem(lw), stem(tw), isName) || looksAlike(lw, tw, isName);
      }),
    );
  return { coverage, partCoverage, lookalike: alike };
}
