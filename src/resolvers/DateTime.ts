import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** ISO-8601 date or date-time (what Neo4j's `datetime()` accepts); V8's lenient `Date.parse` is not enough. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseIso(value: unknown): string {
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO-8601 date-time, e.g. 2026-11-23T10:00:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** The `DateTime` scalar: strict ISO-8601 in, ISO strings (as the graph layer returns them) out. */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 date-time string in UTC, e.g. `2026-11-23T10:00:00.000Z`.',
  serialize: (value) => value,
  parseValue: parseIso,
  parseLiteral: (ast) => parseIso(ast.kind === Kind.STRING ? ast.value : undefined),
});
