/**
 * Language-aware label fields shared by every ESCO concept type (English fallback).
 */
import type { ConceptRecord } from '../graph/taxonomy/records.js';
import type { Language } from './__generated__/types.js';

export function toLang(language: Language | null | undefined): 'en' | 'fr' {
  return language === 'FR' ? 'fr' : 'en';
}

export function preferredLabel(c: ConceptRecord, lang: Language | null | undefined): string {
  return (toLang(lang) === 'fr' && c.preferredLabelFr) || c.preferredLabel;
}

export function altLabels(c: ConceptRecord, lang: Language | null | undefined): readonly string[] {
  return toLang(lang) === 'fr' && c.altLabelsFr && c.altLabelsFr.length > 0 ? c.altLabelsFr : c.altLabels;
}

export function description(c: ConceptRecord, lang: Language | null | undefined): string | null {
  return (toLang(lang) === 'fr' && c.descriptionFr) || c.description;
}

/** Field resolvers for the `Concept` interface's fields, spread into each concept type. */
export const conceptFields = {
  preferredLabel: (c: ConceptRecord, args: { lang?: Language | null }) => preferredLabel(c, args.lang),
  altLabels: (c: ConceptRecord, args: { lang?: Language | null }) => [...altLabels(c, args.lang)],
  description: (c: ConceptRecord, args: { lang?: Language | null }) => description(c, args.lang),
};
