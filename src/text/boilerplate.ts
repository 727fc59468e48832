/**
 * Advert boilerplate that names no skill: gender markers ("(m/w/d)", "f/m/x", "(h/f)"), salary
 * lines, contract and schedule words ("full-time", "CDI", "Vollzeit") and benefits ("health
 * insurance", "paid time off"). `blankBoilerplate` overwrites each such span with spaces, so the
 * text keeps its length and every offset after it (evidence spans still point into the original
 * text) while no clause made of boilerplate reaches skill matching.
 */
import { GENDER_MARKER, GENDER_NOTE } from '../ranking/titleCleaning.js';

/** Words and phrases of contract, schedule and benefits; whole words, hyphen or space between words. */
const BOILERPLATE_PHRASES: readonly string[] = [
  // contract / schedule (EN / FR / DE)
  'full time',
  'fulltime',
  'part time',
  'parttime',
  'permanent contract',
  'fixed term',
  'temporary contract',
  'cdi',
  'cdd',
  'temps plein',
  'temps partiel',
  'vollzeit',
  'teilzeit',
  'unbefristet',
  'befristet',
  'hybrid working',
  'remote first',
  // benefits
  'competitive salary',
  'attractive salary',
  'health insurance',
  'dental insurance',
  'life insurance',
  'pension plan',
  'pension scheme',
  'paid time off',
  'paid holidays',
  'annual leave',
  'days of holiday',
  'company car',
  'gym membership',
  'free fruit',
  'free coffee',
  'meal vouchers',
  'tickets restaurant',
  'stock options',
  'equal opportunity employer',
  'flexible working hours',
  'flexible hours',
];

const BOILERPLATE_WORDS = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...BOILERPLATE_PHRASES]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/ /g, '[\\s-]+'))
    .join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

/**
 * A salary statement: the line or sentence around a currency amount, e.g. "Salary: €45,000 -
 * €55,000 per year", "45k EUR/an". A salary word alone is no statement: "drive the annual salary
 * review" names a skill (HOUSE dev set).
 */
const SALARY_LINE = new RegExp(
  String.raw`[^\n.;!?]*?(?:` +
    [
      String.raw`[€$£¥]\s*\d`,
      String.raw`\d[\d.,\s]*(?:k|K)?\s*(?:€|\$|£|eur|euros?|usd|gbp|chf)(?![\p{L}])`,
    ].join('|') +
    String.raw`)(?:[^\n.;!?]|[.](?!\s|$))*`,
  'giu',
);

/** The boilerplate spans of `text`, as [start, end) offsets, in order and not overlapping. */
export function boilerplateSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const re of [SALARY_LINE, GENDER_NOTE, GENDER_MARKER, BOILERPLATE_WORDS]) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      if (m[0].trim() === '') continue;
      spans.push({ start, end: start + m[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** `text` with every boilerplate span replaced by as many spaces (same length, same offsets). */
export function blankBoilerplate(text: string): string {
  let out = text;
  for (const s of boilerplateSpans(text))
    out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}
