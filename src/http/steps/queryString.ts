/**
 * A GET request's parameters, read from the query string with the rules the POST body follows
 * (`bodyEncoding.ts`): percent-escapes must decode to UTF-8 (400 BAD_USER_INPUT; URLSearchParams
 * would turn bad bytes into U+FFFD silently), and no string or key of the parsed `variables` or
 * `extensions` may hold a lone UTF-16 surrogate (JSON allows `"\ud800"`; 400 BAD_USER_INPUT with
 * `details.path`). Apollo still reads the parameters itself; this refuses what the POST path
 * refuses and hands the parsed operation to the checks that follow (persisted-query hashes).
 * A parameter that is not JSON is left as it is, for Apollo to answer.
 */
import { BadUserInputError } from '../../errors.js';
import { findIllFormedString } from './bodyEncoding.js';
import { Refusal } from './reply.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const ENCODER = new TextEncoder();
const JSON_PARAMETERS = new Set(['variables', 'extensions']);

/** `search` (`?a=b&…`, or empty) as parameters, or a refusal. */
export function readQueryString(search: string): Record<string, unknown> | Refusal {
  const parameters: Record<string, unknown> = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeStrict(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeStrict(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined)
      return new Refusal(new BadUserInputError('The query string is not valid UTF-8'));
    if (name in parameters) continue; // the first one wins, as Apollo reads it
    let parsed: unknown = value;
    if (JSON_PARAMETERS.has(name)) {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = value;
      }
    }
    const broken = findIllFormedString(parsed, name);
    if (broken !== undefined)
      return new Refusal(
        new BadUserInputError(`Invalid Unicode (a lone surrogate) in ${broken}`, { path: broken }),
      );
    parameters[name] = parsed;
  }
  return parameters;
}

/** `application/x-www-form-urlencoded` decoding that refuses bytes which are not UTF-8. */
function decodeStrict(encoded: string): string | undefined {
  const bytes: number[] = [];
  const plain = encoded.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i += 1) {
    const hex = plain.slice(i + 1, i + 3);
    if (plain[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
      continue;
    }
    const codePoint = plain.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(codePoint);
    if (char.length === 2) i += 1;
    for (const b of ENCODER.encode(char)) bytes.push(b);
  }
  try {
    return UTF8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
