/**
 * Pure mapping from ESCO CSV records to the rows the import statements take.
 * Property names follow `../shared/DESIGN.md`; translations get a language suffix (`preferredLabelFr`).
 */
import type { EscoTable } from './escoFiles.js';

export type CsvRecord = Readonly<Record<string, string | undefined>>;

export interface NodeRow {
  readonly uri: string;
  readonly props: Record<string, string | string[] | null>;
}

export interface EdgeRow {
  readonly from: string;
  readonly to: string;
  readonly relation?: string;
}

const ESCO_URI = /^https?:\/\/data\.europa\.eu\/esco\/[A-Za-z0-9_\-./]+$/;

export function isEscoUri(value: string): boolean {
  return ESCO_URI.test(value);
}

/** ESCO puts one label per line in altLabels/hiddenLabels; trims, drops blanks and repeats. */
export function splitLabels(value: string | undefined): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  for (const line of value.split(/\r?\n/)) {
    const label = line.trim();
    if (label) seen.add(label);
  }
  return [...seen];
}

function text(value: string | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

/** Capitalised language suffix for translated properties: `fr` → `Fr`. */
export function langSuffix(lang: string): string {
  const base = lang.split('-')[0] ?? lang;
  return base.charAt(0).toUpperCase() + base.slice(1).toLowerCase();
}

function labelProps(record: CsvRecord, suffix: string): Record<string, string | string[] | null> {
  const altLabels = splitLabels(record.altLabels);
  return {
    [`preferredLabel${suffix}`]: text(record.preferredLabel),
    [`altLabels${suffix}`]: altLabels,
    // Fulltext indexes take strings; one label per line keeps phrase queries within a label.
    [`altLabels${suffix}Text`]: altLabels.join('\n'),
    [`description${suffix}`]: text(record.description),
  };
}

export class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Maps an English (base) classification record to a node row. Throws `RowError` for a record
 * without a valid concept uri or preferred label (reported, not fatal).
 */
export function toNodeRow(table: EscoTable, record: CsvRecord): NodeRow {
  const uri = record.conceptUri?.trim() ?? '';
  if (!isEscoUri(uri)) throw new RowError('conceptUri', `not an ESCO uri: "${uri.slice(0, 120)}"`);
  if (!text(record.preferredLabel)) throw new RowError('preferredLabel', 'empty preferred label');
  const common = { uri, ...labelProps(record, ''), status: text(record.status) };
  switch (table) {
    case 'occupations':
      return {
        uri,
        props: {
          ...common,
          code: text(record.code),
          iscoGroup: text(record.iscoGroup),
          hiddenLabels: splitLabels(record.hiddenLabels),
          definition: text(record.definition),
          scopeNote: text(record.scopeNote),
          regulatedProfessionNote: text(record.regulatedProfessionNote),
          modifiedDate: text(record.modifiedDate),
        },
      };
    case 'skills':
      return {
        uri,
        props: {
          ...common,
          skillType: text(record.skillType),
          reuseLevel: text(record.reuseLevel),
          hiddenLabels: splitLabels(record.hiddenLabels),
          definition: text(record.definition),
          scopeNote: text(record.scopeNote),
          modifiedDate: text(record.modifiedDate),
        },
      };
    case 'iscoGroups':
      return { uri, props: { ...common, code: text(record.code) } };
    case 'skillGroups':
      return { uri, props: { ...common, code: text(record.code), scopeNote: text(record.scopeNote) } };
    default:
      throw new Error(`${table} is not a node table`);
  }
}

/** Maps a translated classification record to the translated properties of an existing node. */
export function toTranslationRow(lang: string, record: CsvRecord): NodeRow {
  const uri = record.conceptUri?.trim() ?? '';
  if (!isEscoUri(uri)) throw new RowError('conceptUri', `not an ESCO uri: "${uri.slice(0, 120)}"`);
  return { uri, props: labelProps(record, langSuffix(lang)) };
}

/** Maps a relation record to an edge row. */
export function toEdgeRow(table: EscoTable, record: CsvRecord): EdgeRow {
  const pick = (fromField: string, toField: string, relationField?: string): EdgeRow => {
    const from = record[fromField]?.trim() ?? '';
    const to = record[toField]?.trim() ?? '';
    if (!isEscoUri(from)) throw new RowError(fromField, `not an ESCO uri: "${from.slice(0, 120)}"`);
    if (!isEscoUri(to)) throw new RowError(toField, `not an ESCO uri: "${to.slice(0, 120)}"`);
    if (!relationField) return { from, to };
    const relation = record[relationField]?.trim() ?? '';
    if (!relation) throw new RowError(relationField, 'empty relation type');
    return { from, to, relation };
  };
  switch (table) {
    case 'broaderOccupations':
    case 'broaderSkills':
      return pick('conceptUri', 'broaderUri');
    case 'occupationSkills': {
      const row = pick('occupationUri', 'skillUri', 'relationType');
      if (row.relation !== 'essential' && row.relation !== 'optional') {
        throw new RowError('relationType', `expected essential or optional, got "${row.relation}"`);
      }
      return row;
    }
    case 'skillSkills':
      return pick('originalSkillUri', 'relatedSkillUri', 'relationType');
    default:
      throw new Error(`${table} is not a relation table`);
  }
}
