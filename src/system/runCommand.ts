/**
 * Runs an external program (`java`, `mvn`, `pip`) to completion without a shell and collects its
 * stdout and stderr together, in arrival order. Imports nothing of the app, so `src/graph` (the
 * local Neo4j's build) and `src/inference` (model downloads) can both use it.
 *
 * Contract: the promise never rejects. A program that is not on PATH resolves as `not-found`; one
 * that cannot start for another reason (EACCES, …) resolves as `failed` with `cause` set and the
 * error's message as its output. Output has terminal colour codes removed (Maven prints them
 * even in batch mode) and surrounding blank space trimmed.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { stripVTControlCharacters } from 'node:util';

export interface RunCommandOptions {
  readonly cwd?: string;
  /** SIGTERM after this long; the output of a stopped run starts with `stopped after <ms> ms`. */
  readonly timeoutMs?: number;
  /** Keep only the last this many characters of output (a log of a long build is only read at its end). */
  readonly maxOutputChars?: number;
}

export type CommandResult =
  | { readonly status: 'ok'; readonly output: string }
  | { readonly status: 'not-found'; readonly cause: Error }
  | {
      readonly status: 'failed';
      /** Null when the process was killed by a signal or never started. */
      readonly exitCode: number | null;
      readonly output: string;
      /** Why the program could not start (its output is then this error's message). */
      readonly cause?: Error;
    };

export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const { cwd, timeoutMs, maxOutputChars = Number.POSITIVE_INFINITY } = options;
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let settled = false;
    const decoder = new StringDecoder('utf8');
    const keep = (text: string): void => {
      output += text;
      if (output.length > maxOutputChars) output = output.slice(-maxOutputChars);
    };
    const settle = (result: CommandResult): void => {
      if (timer) clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`, which stays armed (holding the process open)
    // when the executable is missing.
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => keep(decoder.write(chunk)));
    child.stderr.on('data', (chunk: Buffer) => keep(decoder.write(chunk)));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') settle({ status: 'not-found', cause: error });
      else settle({ status: 'failed', exitCode: null, output: error.message, cause: error });
    });
    child.once('close', (exitCode) => {
      keep(decoder.end());
      const text = stripVTControlCharacters(output).trim();
      if (exitCode === 0) settle({ status: 'ok', output: text });
      else
        settle({
          status: 'failed',
          exitCode,
          output: (timedOut ? `stopped after ${timeoutMs} ms\n` : '') + text,
        });
    });
  });
}
