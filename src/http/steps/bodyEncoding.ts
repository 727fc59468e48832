/**
 * The body's text encoding and syntax, checked before GraphQL sees it: UTF-8 only (400
 * BAD_USER_INPUT), JSON (400 BAD_REQUEST, as Apollo answers), and no lone UTF-16 surrogates in
 * any string or key (JSON allows `"\ud800"`; nothing downstream should see it: 400
 * BAD_USER_INPUT with `details.path`). An empty body is `undefined` (Apollo then answers).
 *
 * There is no `content-encoding` (gzip) support: a compressed body fails the UTF-8 check.
 */
import { BadRequestError, BadUserInputError } from '../../errors.js';
import { Refusal } from './reply.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 64;

export function decodeJsonBody(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    return new Refusal(new BadUserInputError('The request body is not valid UTF-8'));
  }
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    return new Refusal(new BadRequestError('Request body is not valid JSON'));
  }
  const broken = findIllFormedString(body, '');
  if (broken !== undefined) {
    return new Refusal(
      new BadUserInputError(`Invalid Unicode (a lone surrogate) in ${broken || 'the request'}`, {
        path: broken,
      }),
    );
  }
  return body;
}

/**
 * Path (`variables.a.0`) of the first string or key holding a lone surrogate, `''` for the
 * top level; undefined when there is none (values nested deeper than 64 levels are not read).
 */
export function findIllFormedString(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (LONE_SURROGATE.test(key)) return path;
    const found = findIllFormedString(item, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
