/**
 * The test tiers of ../shared/STYLE.md as vitest projects: `npm run test:unit`, `test:cypher`,
 * `test:int`, `test:e2e`, `test:browser` (each `vitest run --project <tier>`); `npm test` runs them one after
 * the other, so the database tiers never share an instance or a port.
 *
 * Tiers that need a database get their own Neo4j instances from `tests/support/globalSetup.ts`
 * (never the development data): the ESCO store on port 7691 and, for int and e2e, a scratch
 * store on port 7692. Their test files run one at a time, each in its own process, as before.
 * Coverage (V8) is measured on the unit tier: `npm run test:unit -- --coverage` (npm test does).
 */
import { defineConfig } from 'vitest/config';

const TEN_MINUTES = 10 * 60_000;

/**
 * Code under test must use the same `graphql` module as Apollo: Node loads the CommonJS build
 * (graphql 16 has no exports map), while Vite would pick `index.mjs` from its `module` field and
 * the schema's types would come from another realm ("Cannot use GraphQLObjectType from another
 * module or realm" on every operation through Apollo).
 */
const SAME_GRAPHQL = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

/**
 * A database tier: one file at a time (tests in a tier share its instances), long timeouts;
 * `setups` run after the database's global setup.
 */
const databaseTier = (name: 'cypher' | 'int' | 'e2e' | 'browser', setups: string[] = []) => ({
  resolve: SAME_GRAPHQL,
  test: {
    name,
    include: [`tests/${name}/**/*.test.ts`],
    globalSetup: ['tests/support/globalSetup.ts', ...setups],
    provide: { tier: name },
    fileParallelism: false,
    testTimeout: TEN_MINUTES,
    hookTimeout: TEN_MINUTES,
    teardownTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/resolvers/__generated__/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.data/coverage',
    },
    projects: [
      {
        resolve: SAME_GRAPHQL,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      databaseTier('cypher'),
      databaseTier('int'),
      databaseTier('e2e'),
      // The console in a real browser (Debian's Chromium, driven by playwright-core) against the
      // real API on the ESCO test store: the console is built and Chromium found or installed first.
      databaseTier('browser', ['tests/support/browserSetup.ts']),
    ],
  },
});
