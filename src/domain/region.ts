/**
 * Regions are free text on vacancies and candidates; a filter names one case-insensitively. The
 * key folds Unicode compatibility forms, case and runs of white space, so "ÎLE-DE-FRANCE ",
 * "île-de-france" and "Île-de-France" are one region; accents are kept (they tell regions apart).
 */
export function regionKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** The stored spellings among `known` that a wanted region names (empty when none does). */
export function matchRegions(wanted: string, known: Iterable<string>): string[] {
  const key = regionKey(wanted);
  return [...new Set(known)].filter((name) => regionKey(name) === key).sort();
}
