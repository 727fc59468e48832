/**
 * The one place where values of a gateway row (already plain: see `toPlain` in `gateway.ts`) are
 * narrowed to TypeScript types. Repositories build their record decoders from these and pass them
 * to `Neo4jGateway.readAs`, so no repository or service casts a row.
 *
 * Every coercer is total: a value of another type (or a missing column) gives the fallback stated
 * below instead of throwing, so a record's type says what a caller can rely on.
 */
import type { Row } from './gateway.js';

/** Turns one row of a statement into a typed record. */
export type RowDecoder<T> = (row: Row) => T;

/** A string, else null. */
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A finite number, else null (NaN and ±Infinity are null). */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A value that must be present as text (ids, uris): `String(v)`, as the repositories always did. */
export const text = (v: unknown): string => String(v);

/** A list, else the empty list. */
export const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Every element of a list as text (`String` of each); not a list: the empty list. */
export const strings = (v: unknown): string[] => list(v).map(String);

/** A map (a Cypher map, node or relationship, as a plain object), else null. */
export const map = (v: unknown): Row | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) ? (v as Row) : null;

/** The maps in a list (null entries, e.g. from `collect` over an optional match, are dropped). */
export const maps = (v: unknown): Row[] =>
  list(v).flatMap((item): Row[] => {
    const m = map(item);
    return m ? [m] : [];
  });

/** A list of numbers as a vector (stored embeddings); anything else (missing, mixed) is null. */
export const vector = (v: unknown): Float32Array | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? Float32Array.from(v) : null;
