/**
 * `npm run import:people -- <file.jsonl|file.csv …> [--errors report.jsonl] [--batch N]`
 * Streams people data into the graph; rejected rows go to the error report (line, field, reason)
 * and the rest is loaded. Exit code 0 when every row loaded, 3 when some were rejected.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connectNeo4j } from '../src/app.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { ConceptResolver } from '../src/graph/people/conceptResolver.js';
import { applySchema } from '../src/graph/schema.js';
import { PeopleRepository } from '../src/graph/people/peopleRepository.js';
import { formatPeopleReport, importPeople, readPeopleFiles } from '../src/import/people/importPeople.js';
import { createProgress } from '../src/import/progress.js';
import { createLogger } from '../src/logger.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const files: string[] = [];
let errorsFile = path.join(
  PROJECT_ROOT,
  '.data',
  `import-errors-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
);
let batch = 1000;
for (let i = 0; i < argv.length; i += 1) {
  const a = argv[i] ?? '';
  if (a === '--errors') errorsFile = path.resolve(argv[++i] ?? errorsFile);
  else if (a === '--batch') batch = Number(argv[++i]);
  else files.push(path.resolve(a));
}
if (files.length === 0 || !Number.isInteger(batch) || batch < 1) {
  process.stderr.write(
    'usage: npm run import:people -- <file.jsonl|file.csv …> [--errors report.jsonl] [--batch N]\n',
  );
  process.exit(2);
}
for (const f of files) {
  if (!fs.existsSync(f)) {
    process.stderr.write(`No such file: ${f}\n`);
    process.exit(2);
  }
}

const config = loadConfig();
const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
const { gateway, local } = await connectNeo4j(config, log);
fs.mkdirSync(path.dirname(errorsFile), { recursive: true });
const errorStream = fs.createWriteStream(errorsFile);
let rejected = 0;
try {
  await applySchema(gateway);
  const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const bytes = createProgress().start('bytes read', total);
  const report = await importPeople(
    gateway,
    new PeopleRepository(gateway),
    new ConceptResolver(gateway),
    readPeopleFiles(files, (n) => bytes.tick(n)),
    {
      batchSize: batch,
      onIssue: (issue) => {
        rejected += 1;
        errorStream.write(`${JSON.stringify(issue)}\n`);
      },
    },
  );
  bytes.done();
  process.stdout.write(`${formatPeopleReport(report)}\n`);
  if (rejected > 0) process.stdout.write(`Error report: ${errorsFile}\n`);
  process.exitCode = rejected > 0 ? 3 : 0;
} catch (error) {
  process.stderr.write(`Import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await new Promise<void>((resolve) => errorStream.end(resolve));
  if (rejected === 0) fs.rmSync(errorsFile, { force: true });
  await gateway.close();
  await local?.stop();
}
