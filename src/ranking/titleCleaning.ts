/**
 * Job-title cleaning before matching titles to ESCO occupations: removes what says nothing about
 * the occupation (gender markers such as "(m/f/d)" or "(h/f/x)", seniority such as "Senior" or
 * "Jr.", contract and advert noise such as "full-time", "CDI", "urgent", trailing level numbers)
 * so that lexical and dense matching see the occupation words. Pure and conservative: when nothing
 * would be left, the original title is returned.
 */

/** A gender pair such as m/f, f/m, m/w, h/f, f/h, optionally with a third mark: m/f/d, h/f/x, h/f:x. */
const GENDER_PAIR = String.raw`(?:m\s*[/:|]\s*[fw]|[fw]\s*[/:|]\s*m|h\s*[/:|]\s*f|f\s*[/:|]\s*h)(?:\s*[/:|]\s*(?:d|x|i|div|diverse))?`;

/** Gender / inclusiveness markers, in parentheses or brackets or standing alone. */
export const GENDER_MARKER = new RegExp(
  String.raw`[([]\s*${GENDER_PAIR}\s*[)\]]|(?<![\p{L}\p{N}])${GENDER_PAIR}(?![\p{L}\p{N}])`,
  'giu',
);

/** Parenthesised inclusive-writing notes such as "(all genders)", "(tous genres)". */
export const GENDER_NOTE =
  /\(\s*(?:all genders?|any gender|tous genres|toutes? et tous|f\/m\/diverse)\s*\)/giu;

/**
 * Words and phrases that qualify the job, not the occupation. Matched as whole words,
 * case-insensitively; multi-word phrases tolerate a hyphen or space between words.
 */
const NOISE_PHRASES: readonly string[] = [
  // seniority (EN / FR)
  'senior',
  'junior',
  'sr',
  'jr',
  'snr',
  'jnr',
  'entry level',
  'mid level',
  'mid senior',
  'experienced',
  'confirmé',
  'confirmée',
  'confirmé\\(e\\)',
  'expérimenté',
  'expérimentée',
  'expérimenté\\(e\\)',
  'débutant',
  'débutante',
  'débutant\\(e\\)',
  // contract / schedule (EN / FR)
  'full time',
  'fulltime',
  'part time',
  'parttime',
  'temporary',
  'freelance',
  'cdi',
  'cdd',
  'temps plein',
  'temps partiel',
  'mi temps',
  // advert noise
  'urgent',
  'urgently',
  'hiring',
  'vacancy',
  'vacancies',
  'immediate start',
  // training status (ESCO has no intern or trainee occupations)
  'internship',
  'intern',
  'trainee',
  'stagiaire',
];

const NOISE_WORDS = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...NOISE_PHRASES]
    // Longest first, so "confirmé(e)" wins over "confirmé".
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/ /g, '[\\s-]+'))
    .join('|')})\\.?(?![\\p{L}\\p{N}])`,
  'giu',
);

/** A trailing grade such as "1", "II", "III", "IV", "L2", "Level 3". */
const TRAILING_GRADE = /\s+(?:(?:level|grade|niveau)\s*\d{1,2}|l\d{1,2}|\d{1,2}|i{2,3}|iv)\s*$/iu;

/** Parentheses, brackets and separators left empty or dangling by the removals. */
function tidy(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i += 1) {
    out = out
      .replace(/\(\s*[-/,:;|&+]*\s*\)|\[\s*[-/,:;|&+]*\s*\]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/\s+([,;:)\]])/g, '$1')
      .replace(/([([])\s+/g, '$1')
      // separators left at either end or doubled
      .replace(/^[\s\-–—/,;:|&+.!*]+|[\s\-–—/,;:|&+!*]+$/g, '')
      .replace(/\s+[-–—/|]\s+(?=[-–—/|]\s+)/g, ' ')
      .trim();
  }
  return out;
}

/**
 * The title without gender markers, seniority, contract noise and a trailing grade, with
 * whitespace collapsed. Returns `title` (trimmed) when the cleaned text would be empty.
 */
export function cleanJobTitle(title: string): string {
  const original = title.normalize('NFC').replace(/\s+/g, ' ').trim();
  const cleaned = tidy(
    tidy(original.replace(GENDER_NOTE, ' ').replace(GENDER_MARKER, ' ').replace(NOISE_WORDS, ' ')).replace(
      TRAILING_GRADE,
      '',
    ),
  );
  return /[\p{L}\p{N}]/u.test(cleaned) ? cleaned : original;
}
