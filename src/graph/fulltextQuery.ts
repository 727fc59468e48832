/**
 * Builds a Lucene query for Neo4j fulltext indexes from user text. User text is never Lucene
 * syntax: every special character is escaped, so `C++`, `(`, `AND` or `title:x` are plain words.
 * The query favours the exact phrase, then all words, then any word, and completes the last word
 * as a prefix (search-as-you-type).
 */
import { BadUserInputError } from '../errors.js';

export const MAX_SEARCH_LENGTH = 200;

const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;
const LUCENE_OPERATORS = new Set(['AND', 'OR', 'NOT', 'TO']);

export function escapeLucene(term: string): string {
  const escaped = term.replace(LUCENE_SPECIAL, (c) => `\\${c}`);
  return LUCENE_OPERATORS.has(escaped) ? escaped.toLowerCase() : escaped;
}

/** Validates search text (non-empty, bounded) and returns the Lucene query for it. */
export function toFulltextQuery(text: string, argument = 'search'): string {
  const trimmed = text.normalize('NFC').trim();
  if (trimmed.length === 0) throw new BadUserInputError(`${argument} must not be empty`, { argument });
  if (trimmed.length > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(`${argument} must be at most ${MAX_SEARCH_LENGTH} characters`, { argument });
  }
  const words = trimmed
    .split(/\s+/)
    .map(escapeLucene)
    .filter((w) => w.replace(/\\/g, '').length > 0);
  if (words.length === 0) throw new BadUserInputError(`${argument} has no searchable words`, { argument });
  const phrase = `"${words.join(' ')}"^4`;
  const all = words.length > 1 ? ` OR (${words.join(' AND ')})^2` : '';
  const last = words[words.length - 1] ?? '';
  // Prefix completion only for a plain last word of 3+ characters (short prefixes match too much).
  const prefix = /^[\p{L}\p{N}]{3,}$/u.test(last) ? ` OR ${last}*` : '';
  return `${phrase}${all} OR ${words.join(' OR ')}${prefix}`;
}
