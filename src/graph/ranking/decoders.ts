/**
 * Row decoders shared by the graph reads (`RankingRepository`) and the in-process projection
 * (`CandidateProjection`), so both turn the same Cypher values into the same records.
 */
import type { Row } from '../gateway.js';
import { list, str, text } from '../rowDecoders.js';
import type { ApplicationRef, OccupationRefRecord } from './records.js';

/** An occupation map; `fallback` names what a missing label reads as. */
export function toOccupationRef(o: Row, fallback: 'uri' | 'empty'): OccupationRefRecord {
  const uri = text(o.uri);
  return { uri, iscoGroup: str(o.iscoGroup), label: str(o.label) ?? (fallback === 'uri' ? uri : '') };
}

/** Occupations in label order (ties between equally good matches break the same way everywhere). */
export const byLabel = (a: OccupationRefRecord, b: OccupationRefRecord): number =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : 0;

/** One `[vacancyId, status, organizationId]` triple of a candidate's `applied` list. */
export function toApplicationRef(a: unknown): ApplicationRef {
  const [vacancyId, status, organizationId] = list(a);
  return { vacancyId: str(vacancyId), status: str(status), organizationId: str(organizationId) };
}
