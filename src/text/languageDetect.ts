/**
 * A small, dependency-free language guess for job titles and advert text, enough to tell a client
 * that its text is in a language without loaded labels (ESCO labels are loaded in English and
 * French only) instead of silently matching lookalikes. It scores function words, word endings
 * and letters typical of each language plus a few advert markers ("(m/w/d)" is German, "(h/f)"
 * French); without enough evidence it answers `null` (undetermined) rather than guess.
 */

export type DetectedLanguage = 'en' | 'fr' | 'de' | 'es' | 'it' | 'nl' | 'pt';

export interface LanguageGuess {
  /** ISO 639-1 code, or null when the text gives too little evidence. */
  readonly language: DetectedLanguage | null;
  /** Evidence of the winner minus the runner-up, over the winner's evidence (0..1). */
  readonly confidence: number;
}

interface Profile {
  readonly words: ReadonlySet<string>;
  /** Word endings typical of the language (job nouns, inflection), each worth 1 per word. */
  readonly endings: readonly string[];
  /** Letters (after lower-casing) typical of the language, each worth 1 per occurrence (max 3). */
  readonly letters: RegExp | null;
  /** Advert markers typical of the language, worth 3. */
  readonly markers: RegExp | null;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(' '));

const PROFILES: Record<DetectedLanguage, Profile> = {
  en: {
    words: set(
      'the and of for with in to a an on at is are we you our your will be as or from by this that have has who experience team work skills required',
    ),
    endings: ['ing', 'er', 'ist', 'ian', 'or', 'ship', 'ment', 'ness'],
    letters: null,
    markers: /\b(?:m\/f(?:\/d)?|f\/m(?:\/x)?)\b/i,
  },
  fr: {
    words: set(
      'le la les des du de et en un une pour avec dans sur au aux nous vous est sont notre votre à ou par qui que chez poste équipe expérience',
    ),
    endings: ['eur', 'euse', 'ière', 'ier', 'trice', 'tion', 'ement', 'ique', 'iste', 'aire'],
    letters: /[éèêàçùâîôû]/g,
    markers: /\b(?:h\s*\/\s*f|f\s*\/\s*h)\b/i,
  },
  de: {
    words: set(
      'der die das und mit für von zu im in den dem ein eine einen wir sie ihr ihre unser unsere ist sind auf als bei oder zur zum erfahrung kenntnisse',
    ),
    endings: [
      'entwickler',
      'ingenieur',
      'leiter',
      'leiterin',
      'mitarbeiter',
      'mitarbeiterin',
      'kaufmann',
      'kauffrau',
      'fachkraft',
      'berater',
      'beraterin',
      'verkäufer',
      'techniker',
      'pfleger',
      'pflegerin',
      'arbeiter',
      'meister',
      'helfer',
      'ung',
      'keit',
      'heit',
      'schaft',
      'lich',
      'isch',
      'innen',
    ],
    letters: /[äöüß]/g,
    markers: /\b(?:m\s*\/\s*w(?:\s*\/\s*d)?|w\s*\/\s*m(?:\s*\/\s*d)?)\b/i,
  },
  es: {
    words: set(
      'el la los las de del y en un una para con por que se es son nuestro nuestra su sus experiencia equipo puesto',
    ),
    endings: ['ción', 'dor', 'dora', 'ero', 'era', 'ista', 'ente', 'ado', 'ada'],
    letters: /[ñáíóú¿¡]/g,
    markers: /\(\s*[ao]\s*\)|\b[ao]\s*\/\s*[ao]\b/i,
  },
  it: {
    words: set(
      'il lo la gli le di del della e in un una per con che è sono nostro nostra esperienza squadra',
    ),
    endings: ['zione', 'tore', 'trice', 'ista', 'ere', 'ario', 'aria'],
    letters: /[àèéìòù]/g,
    markers: null,
  },
  nl: {
    words: set('de het een en van voor met in op te is zijn wij jij je ons onze bij als ervaring medewerker'),
    endings: ['medewerker', 'ontwikkelaar', 'beheerder', 'ing', 'heid', 'lijk', 'aar'],
    letters: /ij/g,
    markers: null,
  },
  pt: {
    words: set(
      'o a os as de do da dos das e em um uma para com por que se é são nosso nossa experiência equipe',
    ),
    endings: ['ção', 'dor', 'dora', 'eiro', 'eira', 'ista', 'ente'],
    letters: /[ãõçáâêó]/g,
    markers: null,
  },
};

/** Below this much evidence for the winner, the language is undetermined. */
const MIN_EVIDENCE = 2;

/** Guesses the language of `text` (see the module comment); pure and deterministic. */
export function detectLanguage(text: string): LanguageGuess {
  const lower = text.normalize('NFC').toLowerCase();
  const words = lower.match(/[\p{L}]+/gu) ?? [];
  const scores = (Object.keys(PROFILES) as DetectedLanguage[]).map((lang) => {
    const p = PROFILES[lang];
    let score = 0;
    for (const w of words) {
      if (p.words.has(w)) score += 1.5;
      else if (w.length >= 5 && p.endings.some((e) => w.length > e.length + 1 && w.endsWith(e)))
        score += w.length > 12 && lang === 'de' ? 1.5 : 0.75;
    }
    if (p.letters) score += Math.min(3, (lower.match(p.letters) ?? []).length);
    if (p.markers?.test(lower)) score += 3;
    return { lang, score };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score < MIN_EVIDENCE) return { language: null, confidence: 0 };
  const margin = (best.score - (second?.score ?? 0)) / best.score;
  if (margin === 0) return { language: null, confidence: 0 };
  return { language: best.lang, confidence: Math.round(margin * 1000) / 1000 };
}
