/** Messages between `sessionPool.ts` (main thread) and `sessionWorker.ts` (one ONNX session per worker). */

export interface WorkerSettings {
  readonly modelPath: string;
  readonly device: 'cpu' | 'cuda';
  /** Intra-op threads; 0 lets onnxruntime choose. */
  readonly threads: number;
}

/** An input or output as the model declares it; `type`/`shape` are null for non-tensor values. */
export interface ValueInfo {
  readonly name: string;
  readonly type: string | null;
  readonly shape: ReadonlyArray<number | string> | null;
}

export interface Int64Tensor {
  readonly data: BigInt64Array;
  readonly dims: readonly number[];
}

export interface Float32Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface RunRequest {
  readonly op: 'run';
  readonly id: number;
  readonly feeds: Readonly<Record<string, Int64Tensor>>;
  readonly outputs: readonly string[];
}

export type ToWorker = RunRequest | { readonly op: 'close' };

export type FromWorker =
  | { readonly op: 'ready'; readonly inputs: ValueInfo[]; readonly outputs: ValueInfo[] }
  | { readonly op: 'load-failed'; readonly cudaUnavailable: boolean; readonly message: string }
  | { readonly op: 'result'; readonly id: number; readonly outputs: Record<string, Float32Tensor> }
  | { readonly op: 'run-failed'; readonly id: number; readonly message: string };
