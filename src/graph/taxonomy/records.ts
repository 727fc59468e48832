/**
 * Plain records the graph layer returns for ESCO concepts. GraphQL types map onto these
 * (see `codegen.ts` mappers); translated fields carry a language suffix (`preferredLabelFr`).
 */

interface LabelledRecord {
  readonly uri: string;
  readonly preferredLabel: string;
  readonly altLabels: readonly string[];
  readonly description: string | null;
  readonly preferredLabelFr: string | null;
  readonly altLabelsFr: readonly string[] | null;
  readonly descriptionFr: string | null;
}

export interface OccupationRecord extends LabelledRecord {
  readonly kind: 'Occupation';
  readonly code: string;
  readonly iscoGroup: string | null;
  readonly definition: string | null;
  readonly scopeNote: string | null;
  readonly regulatedProfessionNote: string | null;
}

export interface SkillRecord extends LabelledRecord {
  readonly kind: 'Skill';
  readonly skillType: string | null;
  readonly reuseLevel: string | null;
}

export interface IscoGroupRecord extends LabelledRecord {
  readonly kind: 'IscoGroup';
  readonly code: string;
}

export interface SkillGroupRecord extends LabelledRecord {
  readonly kind: 'SkillGroup';
  readonly code: string | null;
}

export type ConceptRecord = OccupationRecord | SkillRecord | IscoGroupRecord | SkillGroupRecord;

export interface RelatedSkillRecord {
  readonly skill: SkillRecord;
  readonly relation: string;
}

/** One page of an offset-paginated list. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Scores of a search, aligned with `items`; absent for plain lists. */
  readonly scores?: readonly number[];
  readonly offset: number;
  /** Items across all pages; null when the reader was told the total is not needed (not counted). */
  readonly totalCount: number | null;
}

export interface SearchHitRecord {
  readonly concept: ConceptRecord;
  readonly score: number;
  readonly lang: 'en' | 'fr';
}

export interface DatasetRecord {
  readonly name: string;
  readonly version: string;
  readonly importedAt: string | null;
  readonly occupationCount: number;
  readonly skillCount: number;
}

export type OccupationPage = Page<OccupationRecord>;
export type SkillPage = Page<SkillRecord>;
