/**
 * Worker thread owning one ONNX Runtime session. onnxruntime-node runs a model
 * synchronously on the calling thread, so sessions live here to keep the main
 * event loop free while a batch is computed.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type {
  Float32Tensor,
  FromWorker,
  RunRequest,
  ToWorker,
  ValueInfo,
  WorkerSettings,
} from './sessionProtocol.js';

if (!parentPort) throw new Error('sessionWorker must run in a worker thread');
const port: MessagePort = parentPort;
const settings = workerData as WorkerSettings;
const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const describe = (value: ort.InferenceSession.ValueMetadata): ValueInfo =>
  value.isTensor
    ? { name: value.name, type: value.type, shape: [...value.shape] }
    : { name: value.name, type: null, shape: null };

async function run(session: ort.InferenceSession, request: RunRequest): Promise<void> {
  try {
    const feeds = Object.fromEntries(
      Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor('int64', t.data, t.dims)]),
    );
    const results = await session.run(feeds, request.outputs);
    const outputs: Record<string, Float32Tensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const name of request.outputs) {
      const value = results[name];
      if (!(value instanceof ort.Tensor) || value.type !== 'float32') {
        throw new Error(
          `output ${name} is ${value instanceof ort.Tensor ? value.type : 'not a tensor'}, expected float32`,
        );
      }
      // Copied so the buffer is ours to transfer, not memory owned by the native tensor.
      const data = new Float32Array(value.data as Float32Array);
      outputs[name] = { data, dims: [...value.dims] };
      transfer.push(data.buffer);
    }
    send({ op: 'result', id: request.id, outputs }, transfer);
  } catch (error) {
    send({
      op: 'run-failed',
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

async function main(): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(settings.modelPath, {
      executionProviders: [settings.device],
      graphOptimizationLevel: 'all',
      ...(settings.threads > 0 ? { intraOpNumThreads: settings.threads } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A CPU-only onnxruntime-node build reports a missing CUDA provider as a failure to load it.
    const cudaUnavailable = settings.device === 'cuda' && /cuda|providers_shared/i.test(message);
    send({ op: 'load-failed', cudaUnavailable, message });
    port.close();
    return;
  }
  send({
    op: 'ready',
    inputs: session.inputMetadata.map(describe),
    outputs: session.outputMetadata.map(describe),
  });

  // One request at a time: the pool never sends a second before the first is answered.
  port.on('message', (message: ToWorker) => {
    if (message.op === 'run') {
      void run(session, message);
      return;
    }
    void session.release().finally(() => port.close());
  });
}

await main();
