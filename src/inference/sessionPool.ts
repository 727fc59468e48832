/**
 * Main-thread side of the ONNX sessions: `size` worker threads, each holding a
 * session of the same model, behind a semaphore so at most `size` native runs
 * are in flight. Loading reports the model's declared inputs and outputs so the
 * caller can check them before the first request.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelUnavailableError } from '../errors.js';
import { requestSignal } from '../requestScope.js';
import { createSemaphore } from '../semaphore.js';
import type {
  Float32Tensor,
  FromWorker,
  Int64Tensor,
  ToWorker,
  ValueInfo,
  WorkerSettings,
} from './sessionProtocol.js';

export interface SessionPoolOptions {
  readonly device: 'cpu' | 'cuda';
  readonly threads: number;
  /** Sessions (worker threads), and so native runs in flight at once. */
  readonly size: number;
}

export interface SessionPool {
  readonly modelPath: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /**
   * `priority`: waiting runs of higher priority go first (request path 1, background 0). A run
   * queued for a request that is then aborted (timed out, client gone: `requestScope.ts`) leaves
   * the queue and rejects with the request's reason; a run already executing finishes.
   */
  run(
    feeds: Readonly<Record<string, Int64Tensor>>,
    outputs: readonly string[],
    priority?: number,
  ): Promise<Record<string, Float32Tensor>>;
  /** Releases every session; runs still waiting are rejected. */
  close(): Promise<void>;
  /** Runs executing now, waiting for a session, started since start, and dropped because their request was aborted. */
  queue(): SessionQueue;
}

export interface SessionQueue {
  readonly running: number;
  readonly waiting: number;
  /** Runs that got a session since start (executing now or done). */
  readonly started: number;
  readonly abandoned: number;
}

interface SessionWorker {
  readonly inputs: ValueInfo[];
  readonly outputs: ValueInfo[];
  run(
    feeds: Readonly<Record<string, Int64Tensor>>,
    outputs: readonly string[],
  ): Promise<Record<string, Float32Tensor>>;
  close(): Promise<void>;
}

// The worker is a sibling module with this file's own extension (.ts under tsx, .js once compiled).
const WORKER_URL = new URL(`./sessionWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export async function openSessionPool(modelPath: string, options: SessionPoolOptions): Promise<SessionPool> {
  const settings: WorkerSettings = { modelPath, device: options.device, threads: options.threads };
  const started = await Promise.allSettled(
    Array.from({ length: options.size }, () => startSessionWorker(settings)),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    await Promise.all(workers.map((w) => w.close()));
    throw failure.reason;
  }
  const [first] = workers;
  if (!first) throw new RangeError(`session pool size must be at least 1, got ${options.size}`);

  const semaphore = createSemaphore(workers.length);
  // The semaphore admits at most workers.length runs, so an idle worker is always there to take one.
  const idle = [...workers];
  let closed = false;
  let abandoned = 0;
  let startedRuns = 0;

  return {
    modelPath,
    inputs: first.inputs,
    outputs: first.outputs,
    run(feeds, outputs, priority = 1) {
      const signal = requestSignal();
      let started = false;
      const run = semaphore.use(
        async () => {
          started = true;
          startedRuns += 1;
          if (closed) throw new ModelUnavailableError(`The session for ${modelPath} is closed`);
          const worker = idle.pop()!;
          try {
            return await worker.run(feeds, outputs);
          } finally {
            idle.push(worker);
          }
        },
        priority,
        signal,
      );
      if (signal) {
        run.catch(() => {
          if (!started && signal.aborted) abandoned += 1;
        });
      }
      return run;
    },
    queue: () => ({
      running: semaphore.active(),
      waiting: semaphore.waiting(),
      started: startedRuns,
      abandoned,
    }),
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

function spawnWorker(settings: WorkerSettings): Worker {
  if (WORKER_URL.pathname.endsWith('.ts')) {
    // Node 20 does not carry `--import tsx` loader hooks into worker threads, so
    // the worker registers tsx itself before importing its TypeScript entry.
    const tsxApi = resolveTsxEsmApi();
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
    return new Worker(bootstrap, { eval: true, workerData: settings });
  }
  return new Worker(WORKER_URL, { workerData: settings });
}

/**
 * The file URL of `tsx/esm/api` (its `import` export). Read from tsx's manifest rather than with
 * `import.meta.resolve`, which vite's module runner (vitest's global setup) does not provide.
 */
function resolveTsxEsmApi(): string {
  const manifestFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | undefined>;
  };
  const entry = manifest.exports?.['./esm/api']?.import?.default;
  if (!entry) throw new Error(`${manifestFile} exports no ./esm/api for import`);
  return pathToFileURL(path.join(path.dirname(manifestFile), entry)).href;
}

function startSessionWorker(settings: WorkerSettings): Promise<SessionWorker> {
  const worker = spawnWorker(settings);
  const pending = new Map<
    number,
    { resolve: (o: Record<string, Float32Tensor>) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let exitError: Error | undefined;

  const failAll = (error: Error): void => {
    exitError ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  return new Promise((resolveStart, rejectStart) => {
    worker.on('error', (error) => {
      const wrapped = new ModelUnavailableError(
        `Inference worker for ${settings.modelPath} failed: ${error.message}`,
        undefined,
        {
          cause: error,
        },
      );
      rejectStart(wrapped);
      failAll(wrapped);
    });
    worker.on('exit', () => {
      const error = new ModelUnavailableError(`Inference worker for ${settings.modelPath} has stopped`);
      rejectStart(error);
      failAll(error);
    });
    worker.on('message', (message: FromWorker) => {
      switch (message.op) {
        case 'ready':
          resolveStart({
            inputs: message.inputs,
            outputs: message.outputs,
            run(feeds, outputs) {
              if (exitError) return Promise.reject(exitError);
              const id = nextId++;
              const request: ToWorker = { op: 'run', id, feeds, outputs };
              return new Promise((resolve, reject) => {
                pending.set(id, { resolve, reject });
                // Inputs are not transferred: callers may keep their arrays, and ids are small.
                worker.postMessage(request);
              });
            },
            async close() {
              if (exitError) return;
              const exited = new Promise((resolve) => worker.once('exit', resolve));
              worker.postMessage({ op: 'close' } satisfies ToWorker);
              await exited;
            },
          });
          break;
        case 'load-failed':
          rejectStart(loadError(settings, message.cudaUnavailable, message.message));
          break;
        case 'result':
          pending.get(message.id)?.resolve(message.outputs);
          pending.delete(message.id);
          break;
        case 'run-failed':
          pending
            .get(message.id)
            ?.reject(new Error(`Running ${settings.modelPath} failed: ${message.message}`));
          pending.delete(message.id);
          break;
      }
    });
  });
}

function loadError(
  settings: WorkerSettings,
  cudaUnavailable: boolean,
  message: string,
): ModelUnavailableError {
  if (cudaUnavailable) {
    return new ModelUnavailableError(
      'INFERENCE_DEVICE=cuda, but this onnxruntime-node has no usable CUDA execution provider. ' +
        'Reinstall it with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with CUDA 12 and cuDNN 9, or set INFERENCE_DEVICE=cpu.',
      { device: 'cuda', detail: message },
    );
  }
  return new ModelUnavailableError(`Cannot load ONNX model ${settings.modelPath}: ${message}`, {
    file: settings.modelPath,
  });
}
