/**
 * Argument checks with one message style for every layer (resolvers, services, graph readers):
 *
 *     <argument> must be <rule> (got <value>)
 *
 * Each throws `BadUserInputError` (`BAD_USER_INPUT`) with `details.argument` naming the argument
 * (a path such as `options.retrieveN` for an input field), so clients can point at it, and for a
 * range `min` / `max` and the number sent as `actual`. Values are quoted and cut to 80 characters;
 * nothing else of the input is echoed.
 */
import { BadUserInputError } from '../errors.js';
import { ID_PATTERN } from './peopleInput.js';

/** What an id looks like, in words (the rule of `ID_PATTERN`). */
export const ID_RULE = 'an id of 1-64 letters, digits, _ . : - (starting with a letter or digit)';

const SHOWN_CHARS = 80;

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, SHOWN_CHARS));
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

/** The one message format: `<argument> must be <rule> (got <value>)`. */
export function invalidArgument(
  argument: string,
  rule: string,
  value: unknown,
  details: Record<string, unknown> = {},
): BadUserInputError {
  return new BadUserInputError(`${argument} must be ${rule} (got ${shown(value)})`, { argument, ...details });
}

/** Returns `value` when it is a well-formed id, else throws `BAD_USER_INPUT` naming `argument`. */
export function requireId(value: string, argument: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw invalidArgument(argument, ID_RULE, value);
  return value;
}

export interface Bounds {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  /** Whole numbers only (default true: most bounded arguments are counts). */
  readonly integer?: boolean | undefined;
}

/** The rule of `bounds` in words: `between 1 and 100`, `at least 0`, `at most 200`. */
export function rangeRule({ min, max, integer = true }: Bounds): string {
  const kind = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} between ${min} and ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** Returns `value` when it lies within `bounds` (inclusive), else throws `BAD_USER_INPUT`. */
export function requireInRange(value: number, argument: string, bounds: Bounds): number {
  const { min, max, integer = true } = bounds;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max);
  if (!ok)
    throw invalidArgument(argument, rangeRule(bounds), value, {
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      actual: typeof value === 'number' && Number.isFinite(value) ? value : null,
    });
  return value;
}
