/**
 * Byte-exact line reading for the people importer: a file is read as bytes and every line is
 * decoded as strict UTF-8, so a Latin-1 file or a stray invalid byte is reported with its line
 * number instead of being stored as U+FFFD. A UTF-8 byte-order mark at the start is accepted
 * (and dropped); lines end at LF, with an optional CR before it.
 */
import type { Readable } from 'node:stream';

export interface DecodedLine {
  /** 1-based physical line number. */
  readonly line: number;
  /** The decoded text, or null when the line is not valid UTF-8. */
  readonly text: string | null;
  /** Why the line could not be decoded (with the byte offset inside the line). */
  readonly problem?: string;
}

const BOM = [0xef, 0xbb, 0xbf] as const;
const LF = 0x0a;
const CR = 0x0d;

/** Decodes one line's bytes strictly; on failure says where the first invalid byte is. */
export function decodeLine(bytes: Uint8Array): { text: string } | { problem: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { problem: `not valid UTF-8 (first invalid byte at offset ${firstInvalidByte(bytes)})` };
  }
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}

/** Splits a byte stream into strictly decoded lines (the last line may lack its LF). */
export async function* readUtf8Lines(stream: Readable): AsyncIterable<DecodedLine> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 0;
  let first = true;
  const emit = (raw: Buffer): DecodedLine => {
    line += 1;
    let bytes = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (first) {
      first = false;
      if (bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(3);
    }
    const decoded = decodeLine(bytes);
    return 'text' in decoded ? { line, text: decoded.text } : { line, text: null, problem: decoded.problem };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let lf = pending.indexOf(LF, start); lf !== -1; lf = pending.indexOf(LF, start)) {
      yield emit(pending.subarray(start, lf));
      start = lf + 1;
    }
    pending = pending.subarray(start);
  }
  if (pending.length > 0) yield emit(pending);
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first lone surrogate in any string of a parsed JSON value (`"\ud800"` parses to one), as
 * a path such as `summary` or `skills[2].label`; null when every string is well-formed.
 */
export function loneSurrogatePath(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? at || '(value)' : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = loneSurrogatePath(item, `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const keyPath = at ? `${at}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return keyPath;
      const found = loneSurrogatePath(item, keyPath);
      if (found) return found;
    }
  }
  return null;
}
