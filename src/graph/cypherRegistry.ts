/**
 * Loads every statement in `cypher/` once at start-up. A statement is named by its path
 * relative to `cypher/` without the extension (`taxonomy/occupations-by-uri`).
 *
 * Contract of a file: one statement; a header of `//` comment lines that describes it and
 * lists `params:` and `returns:`; values only as `$parameters`, never spliced in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

export const CYPHER_DIR = path.join(PROJECT_ROOT, 'cypher');

export interface CypherStatement {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** Parameter names declared in the header (`// params: $a, $b`). */
  readonly params: readonly string[];
  /** True for schema commands (constraints, indexes), which `EXPLAIN` cannot plan. */
  readonly isSchema: boolean;
}

export class CypherRegistry {
  private readonly statements: ReadonlyMap<string, CypherStatement>;

  private constructor(statements: Map<string, CypherStatement>) {
    this.statements = statements;
  }

  static load(dir: string = CYPHER_DIR): CypherRegistry {
    const statements = new Map<string, CypherStatement>();
    for (const file of listCypherFiles(dir)) {
      const statement = parseCypherFile(dir, file);
      statements.set(statement.name, statement);
    }
    return new CypherRegistry(statements);
  }

  get(name: string): CypherStatement {
    const statement = this.statements.get(name);
    if (!statement) throw new Error(`Unknown Cypher statement "${name}" (no file cypher/${name}.cypher)`);
    return statement;
  }

  /** Fails fast at start-up when a module names a statement that does not exist. */
  require(names: readonly string[]): void {
    for (const name of names) this.get(name);
  }

  all(): CypherStatement[] {
    return [...this.statements.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Schema statements in a folder (e.g. `schema/`), in file-name order. */
  inFolder(folder: string): CypherStatement[] {
    return this.all().filter((s) => s.name.startsWith(`${folder}/`));
  }
}

function listCypherFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listCypherFiles(full));
    else if (entry.name.endsWith('.cypher')) out.push(full);
  }
  return out;
}

const SCHEMA_RE =
  /^\s*(CREATE|DROP)\s+(CONSTRAINT|INDEX|FULLTEXT\s+INDEX|VECTOR\s+INDEX|RANGE\s+INDEX|TEXT\s+INDEX)\b/i;

export function parseCypherFile(root: string, file: string): CypherStatement {
  const raw = fs.readFileSync(file, 'utf8');
  const name = path
    .relative(root, file)
    .replace(/\\/g, '/')
    .replace(/\.cypher$/, '');
  const lines = raw.split('\n');
  const header = lines.filter((l) => l.startsWith('//'));
  const paramsLine = header.find((l) => /^\/\/\s*params:/i.test(l));
  const returnsLine = header.find((l) => /^\/\/\s*returns:/i.test(l));
  if (!paramsLine || !returnsLine) {
    throw new Error(`cypher/${name}.cypher: header must list "// params:" and "// returns:"`);
  }
  const params = [...paramsLine.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
  const text = lines
    .filter((l) => !l.startsWith('//'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
  if (text.length === 0) throw new Error(`cypher/${name}.cypher is empty`);
  return { name, file, text, params, isSchema: SCHEMA_RE.test(text) };
}
