/**
 * Progress for long imports: a bar on a terminal, plain lines otherwise (CI logs, pipes),
 * silence in tests.
 */
import cliProgress from 'cli-progress';

export interface ProgressTask {
  tick(n: number): void;
  done(summary?: string): void;
}

export interface Progress {
  start(label: string, total: number | undefined): ProgressTask;
}

export const silentProgress: Progress = {
  start: () => ({ tick: () => undefined, done: () => undefined }),
};

/** Chooses a bar when `stream` is a TTY, else a line every `everyMs`. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, everyMs = 5000): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, everyMs);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  return {
    start(label, total) {
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(28)} [{bar}] {value}/{total} {percentage}% | {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      let value = 0;
      bar.start(total ?? 0, 0);
      return {
        tick(n) {
          value += n;
          if (total === undefined) bar.setTotal(value);
          bar.update(value);
        },
        done(summary) {
          bar.stop();
          if (summary) stream.write(`${label}: ${summary}\n`);
        },
      };
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, everyMs: number): Progress {
  return {
    start(label, total) {
      const started = Date.now();
      let value = 0;
      let last = started;
      return {
        tick(n) {
          value += n;
          const now = Date.now();
          if (now - last >= everyMs) {
            last = now;
            stream.write(
              `${label}: ${value}${total ? `/${total}` : ''} (${((now - started) / 1000).toFixed(0)} s)\n`,
            );
          }
        },
        done(summary) {
          const secs = ((Date.now() - started) / 1000).toFixed(1);
          stream.write(`${label}: ${summary ?? `${value} done`} in ${secs} s\n`);
        },
      };
    },
  };
}
