/**
 * Runs the package managers that fetch models (`mvn`, `pip`). Output is kept
 * only to explain a failure, so it is capped rather than streamed.
 */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const OUTPUT_LIMIT = 8_000;

export type CommandResult =
  | { readonly status: 'ok' }
  | { readonly status: 'not-found' }
  | { readonly status: 'failed'; readonly exitCode: number | null; readonly output: string };

/** Runs `command args…` to completion; `not-found` when the executable is not on PATH. */
export function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`, which stays armed (holding the process open) when the executable is missing.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') resolve({ status: 'not-found' });
      else resolve({ status: 'failed', exitCode: null, output: error.message });
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (exitCode === 0) {
        resolve({ status: 'ok' });
        return;
      }
      const reason = timedOut ? `stopped after ${timeoutMs} ms\n` : '';
      // Maven prints ANSI colour codes even in batch mode.
      resolve({ status: 'failed', exitCode, output: reason + stripVTControlCharacters(output).trim() });
    });
  });
}
