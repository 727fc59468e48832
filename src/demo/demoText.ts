/**
 * English text for the demo: CV summaries and vacancy descriptions written from templates.
 *
 * They deliberately do not copy ESCO preferred labels: they prefer alternative labels, strip
 * qualifiers ("Ruby (computer programming)" → "Ruby"), turn verb phrases into gerunds and wrap
 * them in varied frames, so text matching and embedding retrieval have real work to do.
 *
 * ESCO alternative labels of a competence are not always verb phrases ("preparation of test
 * samples", "ICT troubleshooting", "installing a spring suspension"), so each mention is
 * classified first and only put into frames that fit its grammatical form.
 */
import type { SnapshotOccupation, SnapshotSkill } from './escoSnapshot.js';
import { type Random, itemAt } from './random.js';
import { SUMMARY_ADJECTIVES, SUMMARY_CLOSINGS, VACANCY_OFFERS } from './vocabulary.js';

/** Share of mentions that use an alternative label rather than the preferred one. */
const ALT_LABEL_SHARE = 0.75;

/** How a mention reads: "manage staff" (verb), "managing staff" (gerund), "staff management" (noun). */
export type PhraseForm = 'verb' | 'gerund' | 'noun';

export interface Mention {
  readonly form: PhraseForm;
  /** For verbs, the bare phrase; `gerund` holds its -ing form. */
  readonly text: string;
  readonly gerund: string;
}

/** An alternative label (mostly) or the preferred one, as written in ESCO (case kept). */
export function chooseLabel(
  rng: Random,
  concept: Pick<SnapshotSkill, 'preferredLabel' | 'altLabels'>,
): string {
  const useAlt = concept.altLabels.length > 0 && rng.chance(ALT_LABEL_SHARE);
  return useAlt ? rng.pick(concept.altLabels) : concept.preferredLabel;
}

/** Drops ESCO disambiguation in parentheses: "Chef (tools for software configuration management)" → "Chef". */
export function stripQualifier(label: string): string {
  const stripped = label.replace(/\s*\([^)]*\)\s*$/, '').trim();
  return stripped.length > 0 ? stripped : label;
}

/** Verbs whose final consonant doubles before -ing (the regular rule cannot tell from spelling). */
const DOUBLING = new Set(
  (
    'set cut run put get plan map stop ship shop trim dig chop wrap fit hit sit log tag spot sum swim bid ' +
    'admit commit submit control patrol equip refer transfer prefer occur drop grip strip skim scan pin ' +
    'knit slit split tap pat rub scrub hem blur stir jam ban beg'
  ).split(' '),
);

/** Verb phrase → gerund phrase: "manage staff" → "managing staff", "tie knots" → "tying knots". */
export function toGerundPhrase(phrase: string): string {
  const space = phrase.indexOf(' ');
  const verb = space < 0 ? phrase : phrase.slice(0, space);
  return gerund(verb) + (space < 0 ? '' : phrase.slice(space));
}

/** Prefixes of hyphenated verbs whose second part conjugates ("pre-blend" → "pre-blending"). */
const VERB_PREFIXES = new Set([
  'pre',
  're',
  'de',
  'self',
  'post',
  'co',
  'air',
  'sun',
  'flue',
  'over',
  'under',
]);

function gerund(verb: string): string {
  const hyphen = verb.indexOf('-');
  if (hyphen > 0) {
    const head = verb.slice(0, hyphen);
    const tail = verb.slice(hyphen + 1);
    // "follow-up" → "following-up"; "pre-blend" → "pre-blending".
    return VERB_PREFIXES.has(head.toLowerCase()) ? `${head}-${gerund(tail)}` : `${gerund(head)}-${tail}`;
  }
  const v = verb.toLowerCase();
  if (v.endsWith('ing') || !/^[a-z]+$/.test(v)) return verb;
  if (v === 'be' || v === 'see' || v === 'flee' || v === 'agree') return `${verb}ing`;
  if (v.endsWith('ie')) return `${verb.slice(0, -2)}ying`;
  if (DOUBLING.has(v)) return `${verb}${v.slice(-1)}ing`;
  if (v.length > 2 && v.endsWith('e') && !/(ee|ye|oe)$/.test(v)) return `${verb.slice(0, -1)}ing`;
  return `${verb}ing`;
}

export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${itemAt(items, items.length - 1)}`;
}

function splitFirstWord(label: string): [string, string] {
  const space = label.indexOf(' ');
  return space < 0 ? [label, ''] : [label.slice(0, space), label.slice(space + 1)];
}

function yearsPhrase(years: number): string {
  if (years < 1) return 'less than a year';
  if (years < 2) return 'one year';
  return `${Math.floor(years)} years`;
}

/** Splits items into runs of 1-3, so sentences vary in length. */
function chunk<T>(rng: Random, items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = rng.intBetween(1, 3);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Frames for verb phrases: `v` are bare phrases, `g` the same as gerunds. */
const VERB_FRAMES: readonly ((v: string[], g: string[]) => string)[] = [
  (v) => `Day to day I ${joinList(v)}.`,
  (v) => `Able to ${joinList(v)}.`,
  (v) => `In my last position I had to ${joinList(v)}.`,
  (v) => `I can ${joinList(v)} independently.`,
  (_v, g) => `Experienced in ${joinList(g)}.`,
  (_v, g) => `My work includes ${joinList(g)}.`,
  (_v, g) => `Proven track record in ${joinList(g)}.`,
  (_v, g) => `Comfortable ${joinList(g)}.`,
];
/** Frames that take gerunds only (the verb frames above that use `g`). */
const GERUND_FRAMES = VERB_FRAMES.slice(4);

const NOUN_FRAMES: readonly ((k: string[]) => string)[] = [
  (k) => `Solid knowledge of ${joinList(k)}.`,
  (k) => `Familiar with ${joinList(k)}.`,
  (k) => `Background in ${joinList(k)}.`,
  (k) => `Trained in ${joinList(k)}.`,
  (k) => `Good working knowledge of ${joinList(k)}.`,
];

/**
 * Cycles through frames in a random order, so one text rarely repeats a frame
 * ("Day to day I … Day to day I …").
 */
class FrameDeck<F> {
  private deck: F[] = [];
  constructor(
    private readonly rng: Random,
    private readonly frames: readonly F[],
  ) {}

  next(): F {
    if (this.deck.length === 0) this.deck = this.rng.sample(this.frames, this.frames.length);
    const frame = this.deck.pop();
    if (frame === undefined) throw new Error('a frame deck needs at least one frame');
    return frame;
  }
}

export interface SummaryInput {
  readonly occupation: SnapshotOccupation;
  /** A previous occupation to mention, if any. */
  readonly previous: SnapshotOccupation | undefined;
  readonly yearsExperience: number;
  readonly region: string;
  /** Skills the text mentions (extracted ones must be among them). */
  readonly mentioned: readonly SnapshotSkill[];
}

export interface VacancyTextInput {
  readonly organization: string;
  readonly region: string;
  readonly essential: readonly SnapshotSkill[];
  readonly optional: readonly SnapshotSkill[];
}

/**
 * Writes the demo's prose. Built once per snapshot: it learns which words start ESCO's competence
 * labels (its verbs), to tell a verb phrase from a noun phrase in an alternative label.
 */
export class Phrasebook {
  private readonly verbs: ReadonlySet<string>;

  constructor(skills: readonly SnapshotSkill[]) {
    const verbs = new Set<string>();
    const looksLikeVerb = (word: string) =>
      // Lower-case words without noun-looking endings: "ICT …", "handling …", "roles …" are no
      // verbs (but "assess", "focus" are).
      /^[a-z]+(-[a-z]+)?$/.test(word) && !/(ing|tion|sion|ity|[^su]s)$/.test(word);
    for (const skill of skills) {
      if (skill.kind !== 'competence') continue;
      const [verb, rest] = splitFirstWord(skill.preferredLabel);
      if (!looksLikeVerb(verb)) continue;
      verbs.add(verb);
      // A synonym that swaps only the verb is a verb too: "prevent shoplifting" → "impede shoplifting".
      for (const alt of skill.altLabels) {
        const [other, otherRest] = splitFirstWord(alt);
        if (rest.length > 0 && otherRest === rest && looksLikeVerb(other)) verbs.add(other);
      }
    }
    this.verbs = verbs;
  }

  /** One mention of a skill: a label (mostly alternative), stripped of qualifiers and classified. */
  mention(rng: Random, skill: SnapshotSkill): Mention {
    const text = stripQualifier(chooseLabel(rng, skill));
    if (skill.kind === 'knowledge') return { form: 'noun', text, gerund: text };
    const first = (text.split(' ', 1)[0] ?? '').toLowerCase();
    if (first.endsWith('ing') && first.length > 4) return { form: 'gerund', text, gerund: text };
    if (this.verbs.has(first)) return { form: 'verb', text, gerund: toGerundPhrase(text) };
    return { form: 'noun', text, gerund: text };
  }

  /** Sentences that mention each skill once, each in a frame that fits its form. */
  skillSentences(rng: Random, skills: readonly SnapshotSkill[]): string[] {
    const mentions = skills.map((s) => this.mention(rng, s));
    const verbDeck = new FrameDeck(rng, VERB_FRAMES);
    const gerundDeck = new FrameDeck(rng, GERUND_FRAMES);
    const nounDeck = new FrameDeck(rng, NOUN_FRAMES);
    const sentences: string[] = [];
    for (const part of chunk(
      rng,
      mentions.filter((m) => m.form === 'verb'),
    )) {
      sentences.push(
        verbDeck.next()(
          part.map((m) => m.text),
          part.map((m) => m.gerund),
        ),
      );
    }
    for (const part of chunk(
      rng,
      mentions.filter((m) => m.form === 'gerund'),
    )) {
      const gerunds = part.map((m) => m.gerund);
      sentences.push(gerundDeck.next()(gerunds, gerunds));
    }
    for (const part of chunk(
      rng,
      mentions.filter((m) => m.form === 'noun'),
    )) {
      sentences.push(nounDeck.next()(part.map((m) => m.text)));
    }
    return sentences;
  }

  /** A CV-like summary: an opening, 1-8 skill sentences, sometimes history and a closing line. */
  summary(rng: Random, input: SummaryInput): string {
    // People title themselves in their own words, not in ESCO's preferred form: the job is always
    // an alternative label when one exists (so every summary paraphrases at least once).
    const titles = input.occupation.altLabels;
    const job = stripQualifier(titles.length > 0 ? rng.pick(titles) : input.occupation.preferredLabel);
    const years = yearsPhrase(input.yearsExperience);
    const previous = input.previous ? stripQualifier(chooseLabel(rng, input.previous)) : undefined;
    const seasoned = input.yearsExperience >= 2;
    const openings: readonly (() => string)[] = [
      () => `${rng.pick(SUMMARY_ADJECTIVES)} ${job} with ${years} of experience, based in ${input.region}.`,
      () =>
        seasoned
          ? `I have worked as ${withArticle(job)} for ${years}${previous ? `, and before that as ${withArticle(previous)}` : ''}.`
          : `Starting out as ${withArticle(job)} after my training.`,
      () => `${capitalize(job)} (${years} of experience) looking for the next step in ${input.region}.`,
      () =>
        seasoned
          ? `Over the past ${years} I have built a career as ${withArticle(job)}${previous ? ` after starting as ${withArticle(previous)}` : ''}.`
          : `Early-career ${job} based in ${input.region}.`,
    ];
    const sentences = [
      rng.pick(openings)(),
      ...rng.sample(this.skillSentences(rng, input.mentioned), Infinity),
    ];
    if (previous && rng.chance(0.3)) sentences.push(`Earlier experience as ${withArticle(previous)}.`);
    if (rng.chance(0.8)) sentences.push(rng.pick(SUMMARY_CLOSINGS));
    return sentences.join(' ');
  }

  /** A title from the occupation's labels (mostly alternative), sometimes with a seniority prefix. */
  vacancyTitle(rng: Random, occupation: SnapshotOccupation): string {
    const base = stripQualifier(chooseLabel(rng, occupation));
    const r = rng.next();
    const prefixed =
      r < 0.15 ? `Senior ${base}` : r < 0.27 ? `Junior ${base}` : r < 0.32 ? `Lead ${base}` : base;
    return capitalize(prefixed);
  }

  /** A posting in prose: intro, duties, requirements, nice-to-haves, offer. */
  vacancyDescription(rng: Random, title: string, input: VacancyTextInput): string {
    const role = title.toLowerCase();
    const sentences = [
      rng.pick([
        `${input.organization} is hiring ${withArticle(role)} in ${input.region}.`,
        `Join ${input.organization} in ${input.region} as ${withArticle(role)}.`,
        `${input.organization} (${input.region}) is looking for ${withArticle(role)} to strengthen its team.`,
      ]),
    ];
    const essential = input.essential.map((s) => this.mention(rng, s));
    const duties = essential.filter((m) => m.form === 'verb').map((m) => m.text);
    if (duties.length > 0) sentences.push(`In this role you will ${joinList(duties.slice(0, 4))}.`);
    if (duties.length > 4) sentences.push(`You will also ${joinList(duties.slice(4))}.`);
    const tasks = essential.filter((m) => m.form === 'gerund').map((m) => m.text);
    if (tasks.length > 0) sentences.push(`Responsibilities include ${joinList(tasks)}.`);
    const knowledge = essential.filter((m) => m.form === 'noun').map((m) => m.text);
    if (knowledge.length > 0) {
      sentences.push(
        rng.pick([`You bring knowledge of ${joinList(knowledge)}.`, `Required: ${knowledge.join('; ')}.`]),
      );
    }
    if (input.optional.length > 0) {
      const extras = input.optional.map((s) => {
        const m = this.mention(rng, s);
        return m.form === 'verb' ? `the ability to ${m.text}` : `experience with ${m.text}`;
      });
      sentences.push(
        rng.pick([`Nice to have: ${joinList(extras)}.`, `It is a plus if you have ${joinList(extras)}.`]),
      );
    }
    sentences.push(rng.pick(VACANCY_OFFERS));
    return sentences.join(' ');
  }
}
