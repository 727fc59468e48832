/**
 * `runCommand` against real child processes (this Node binary running a one-line script): what
 * each outcome resolves to, how output is captured, and that it never rejects.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, test } from 'vitest';
import { runCommand } from '../../../src/system/runCommand.js';

const node = (script: string) => [process.execPath, ['-e', script]] as const;

describe('runCommand', () => {
  test('exit 0 is ok, with stdout and stderr together in arrival order, colour codes removed', async () => {
    const result = await runCommand(
      ...node(
        `process.stdout.write('one\\n'); setTimeout(() => process.stderr.write('\\x1b[31mtwo\\x1b[0m\\n'), 50);`,
      ),
    );
    assert.deepEqual(result, { status: 'ok', output: 'one\ntwo' });
  });

  test('a non-zero exit is failed with its code and output', async () => {
    const result = await runCommand(...node(`console.error('broken'); process.exit(3);`));
    assert.deepEqual(result, { status: 'failed', exitCode: 3, output: 'broken' });
  });

  test('a program that is not on PATH is not-found (the promise does not reject)', async () => {
    const result = await runCommand('talentgraph-no-such-program', ['-v']);
    assert.equal(result.status, 'not-found');
    assert.equal((result as { cause: NodeJS.ErrnoException }).cause.code, 'ENOENT');
  });

  test('a program that cannot start for another reason is failed with its cause', async () => {
    // A directory is found but cannot be executed (EACCES).
    const result = await runCommand(os.tmpdir(), []);
    assert.equal(result.status, 'failed');
    if (result.status !== 'failed') return;
    assert.equal(result.exitCode, null);
    assert.ok(result.cause instanceof Error);
    assert.equal(result.output, result.cause.message);
  });

  test('maxOutputChars keeps the end of the output', async () => {
    const result = await runCommand(...node(`process.stdout.write('a'.repeat(100) + 'END');`), {
      maxOutputChars: 10,
    });
    assert.deepEqual(result, { status: 'ok', output: 'aaaaaaaEND' });
  });

  test('a run past timeoutMs is stopped and says so', async () => {
    const result = await runCommand(...node(`console.log('started'); setInterval(() => {}, 1000);`), {
      timeoutMs: 300,
    });
    assert.deepEqual(result, { status: 'failed', exitCode: null, output: 'stopped after 300 ms\nstarted' });
  });

  test('cwd sets the working directory', async () => {
    const dir = os.tmpdir();
    const result = await runCommand(...node(`console.log(process.cwd());`), { cwd: dir });
    assert.deepEqual(result, { status: 'ok', output: dir });
  });
});
