/**
 * One `details` shape (README "API conventions"): every typed error built in `src/` is read with
 * the TypeScript parser, and the keys of its literal `details` must keep their documented meaning
 * (`DETAIL_KEYS`): no synonyms, `argument` a dotted argument path, `field` a schema coordinate,
 * bounds and figures as numbers. The README's table lists exactly `DETAIL_KEYS`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { DETAIL_KEYS } from '../../src/errors.js';

/** Error constructors (and helpers) and the index of their `details` argument. */
const DETAILS_ARGUMENT: Readonly<Record<string, number>> = {
  BadUserInputError: 1,
  ConflictError: 1,
  ForbiddenError: 1,
  UnauthenticatedError: 1,
  LimitError: 2,
  ModelUnavailableError: 1,
  OverloadedError: 1,
  invalidArgument: 3,
};
const SYNONYMS = [
  'arguments',
  'args',
  'arg',
  'param',
  'params',
  'parameter',
  'fieldName',
  'coordinate',
  'minimum',
  'maximum',
  'value',
  'retryAfter',
  'retryAfterSeconds',
  'limitName',
];
/** `k`, `options.weights.regionMatch`, `input.skills[3]`, `skills[${i}]`, `${name}.organization`. */
const ARGUMENT_PATH = /^([A-Za-z_]\w*|\$\{\w+\})(\.([A-Za-z_]\w*)|\[(\d+|\$\{\w+\})\])*$/;
const COORDINATE = /^[A-Z]\w*\.(\w+|\$\{\w+\})$/;

interface Use {
  readonly where: string;
  readonly key: string;
  readonly value: ts.Expression | undefined;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__generated__') yield* sourceFiles(file);
    else if (entry.isFile() && file.endsWith('.ts')) yield file;
  }
}

function detailsUses(): Use[] {
  const uses: Use[] = [];
  for (const file of sourceFiles(path.join(PROJECT_ROOT, 'src'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let details: ts.Expression | undefined;
      const callee =
        ts.isNewExpression(node) || ts.isCallExpression(node)
          ? ts.isIdentifier(node.expression)
            ? node.expression.text
            : undefined
          : undefined;
      if (callee && (ts.isNewExpression(node) || ts.isCallExpression(node))) {
        const index = DETAILS_ARGUMENT[callee];
        if (index !== undefined && (ts.isNewExpression(node) || callee === 'invalidArgument'))
          details = node.arguments?.[index];
        if (callee === 'ServiceUnavailableError' && ts.isNewExpression(node)) {
          const options = node.arguments?.[1];
          if (options && ts.isObjectLiteralExpression(options))
            for (const p of options.properties)
              if (ts.isPropertyAssignment(p) && p.name.getText() === 'details') details = p.initializer;
        }
      }
      if (details && ts.isObjectLiteralExpression(details)) {
        const where = `${path.relative(PROJECT_ROOT, file)}:${source.getLineAndCharacterOfPosition(details.getStart()).line + 1}`;
        for (const p of details.properties) {
          if (ts.isPropertyAssignment(p)) uses.push({ where, key: p.name.getText(), value: p.initializer });
          else if (ts.isShorthandPropertyAssignment(p))
            uses.push({ where, key: p.name.text, value: undefined });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

const textOf = (value: ts.Expression | undefined): string | undefined =>
  value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))
    ? value.text
    : value && ts.isTemplateExpression(value)
      ? value.getText().slice(1, -1)
      : undefined;

test('the scan finds the errors it checks (the walk itself works)', () => {
  const uses = detailsUses();
  assert.ok(uses.filter((u) => u.key === 'argument').length >= 20, 'details.argument uses');
  assert.ok(uses.some((u) => u.key === 'limit') && uses.some((u) => u.key === 'retryAfterMs'));
});

test('no error says a documented thing under another name', () => {
  const wrong = detailsUses()
    .filter((u) => SYNONYMS.includes(u.key))
    .map((u) => `${u.where}: details.${u.key}`);
  assert.deepEqual(wrong, []);
});

test('details.argument is a dotted argument path; details.field a schema coordinate', () => {
  const wrong: string[] = [];
  for (const use of detailsUses()) {
    const text = textOf(use.value);
    if (text === undefined) continue; // a variable: checked where its value is written
    if (use.key === 'argument' && !ARGUMENT_PATH.test(text)) wrong.push(`${use.where}: argument ${text}`);
    if (use.key === 'field' && !COORDINATE.test(text)) wrong.push(`${use.where}: field ${text}`);
    if (['min', 'max', 'actual', 'retryAfterMs'].includes(use.key) && text !== undefined)
      wrong.push(`${use.where}: ${use.key} is a string`);
  }
  assert.deepEqual(wrong, []);
});

test('the README table of details keys is DETAIL_KEYS', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## API conventions'));
  const start = section.indexOf('| key | meaning |');
  const table = section.slice(start, section.indexOf('\n\n', start));
  const keys = [...table.matchAll(/^\| `(\w+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    keys.map(([k]) => k),
    Object.keys(DETAIL_KEYS),
  );
  for (const [key, meaning] of keys) assert.equal(meaning, DETAIL_KEYS[key as keyof typeof DETAIL_KEYS], key);
});
