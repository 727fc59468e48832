// Lint: type-aware TypeScript rules plus the dependency direction of ../shared/STYLE.md:
// resolvers → graph / inference / ranking → drivers; only src/graph imports neo4j-driver,
// only src/inference imports onnxruntime-node; no cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const driverOnly = (allowedIn) => ({
  paths: [
    ...(allowedIn === 'graph'
      ? []
      : [{ name: 'neo4j-driver', message: 'Only src/graph talks to Neo4j (use the gateway).' }]),
    ...(allowedIn === 'inference'
      ? []
      : [
          { name: 'onnxruntime-node', message: 'Only src/inference runs models.' },
          { name: '@huggingface/tokenizers', message: 'Only src/inference tokenizes.' },
        ]),
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      '.cache/',
      'neo4j-launcher/target/',
      'src/resolvers/__generated__/',
      'web/src/gql/',
      'docs/',
      'scripts/_*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Without the extensions and parser, import-x treats every .ts file as an unknown module and
      // no-cycle / no-restricted-paths see no dependencies at all (they reported nothing).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/graph',
              from: [
                './src/resolvers',
                './src/http',
                './src/import',
                './src/inference',
                './src/ranking',
                './src/services',
                './src/security',
                './src/app.ts',
                './src/main.ts',
              ],
              message: 'src/graph depends only on drivers, domain, config and errors.',
            },
            {
              target: './src/security',
              from: [
                './src/http',
                './src/app.ts',
                './src/main.ts',
                './src/import',
                './src/services',
                './src/inference',
              ],
              message:
                'src/security decides access and limits at the API boundary; HTTP and the composition root use it, not the other way round.',
            },
            {
              target: './src/inference',
              from: [
                './src/resolvers',
                './src/http',
                './src/graph',
                './src/import',
                './src/ranking',
                './src/services',
                './src/app.ts',
              ],
              message: 'src/inference depends only on onnxruntime, config and errors.',
            },
            {
              target: './src/ranking',
              from: [
                './src/resolvers',
                './src/http',
                './src/graph',
                './src/inference',
                './src/services',
                './src/import',
                './src/app.ts',
              ],
              message: 'src/ranking holds pure functions.',
            },
            {
              target: './src/services',
              from: ['./src/resolvers', './src/http', './src/app.ts', './src/main.ts'],
              message: 'Services compose graph, inference and ranking; they know nothing of the API.',
            },
            {
              target: './src/domain',
              from: [
                './src/resolvers',
                './src/http',
                './src/graph',
                './src/inference',
                './src/ranking',
                './src/services',
                './src/import',
                './src/app.ts',
              ],
              message: 'src/domain holds the input contract only.',
            },
            {
              target: './src/resolvers',
              from: ['./src/http', './src/app.ts', './src/main.ts', './src/import'],
              message: 'Resolvers call services from the context.',
            },
            {
              target: './src/system',
              from: './src',
              except: ['./system'],
              message:
                'src/system wraps the operating system (processes) for every layer, so it imports nothing of the app.',
            },
            {
              target: './web',
              from: ['./src', './tests', './scripts'],
              message:
                'The web console talks to the API over HTTP only (web/src/api.ts), typed from schema.graphql: it imports nothing of the server.',
            },
          ],
        },
      ],
      'no-restricted-imports': ['error', driverOnly('none')],
    },
  },
  {
    files: ['src/graph/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', driverOnly('graph')] },
  },
  {
    files: ['src/inference/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', driverOnly('inference')] },
  },
  {
    files: ['tests/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-floating-promises': 'off' },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
