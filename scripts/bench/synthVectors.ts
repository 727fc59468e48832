/**
 * Synthetic candidate vectors for large N: normalise(Σ skill-label vectors + 2 · Σ occupation-label
 * vectors). They live in the model's vector space and are as clustered as real profiles (candidates
 * of one occupation share labels), which is what the HNSW index and its recall depend on.
 */
import type { loadEscoSnapshot } from '../../src/demo/escoSnapshot.js';
import type { Embedder } from '../../src/inference/index.js';

export type LabelVectors = ReadonlyMap<string, Float32Array>;

/** The model's embedding of every skill's and occupation's preferred label, by uri. */
export async function embedLabels(
  embedder: Embedder,
  snapshot: Awaited<ReturnType<typeof loadEscoSnapshot>>,
): Promise<LabelVectors> {
  const labelled = [
    ...snapshot.skills.map((s) => [s.uri, s.preferredLabel] as const),
    ...snapshot.occupations.map((o) => [o.uri, o.preferredLabel] as const),
  ];
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < labelled.length; i += 1000) {
    const chunk = labelled.slice(i, i + 1000);
    const out = await embedder.embed(
      chunk.map(([, label]) => label),
      'passage',
    );
    chunk.forEach(([uri], j) => vectors.set(uri, out[j] ?? new Float32Array(embedder.info.dimension)));
  }
  return vectors;
}

export function synthesiseVector(
  labels: LabelVectors,
  dimension: number,
  skills: ReadonlyArray<{ readonly uri?: string | undefined }>,
  occupations: ReadonlyArray<{ readonly uri?: string | undefined }>,
): number[] {
  const sum = new Float32Array(dimension);
  const add = (uri: string | undefined, weight: number) => {
    const v = uri ? labels.get(uri) : undefined;
    if (v) for (let d = 0; d < dimension; d += 1) sum[d] = (sum[d] ?? 0) + weight * (v[d] ?? 0);
  };
  for (const s of skills) add(s.uri, 1);
  for (const o of occupations) add(o.uri, 2);
  let norm = 0;
  for (let d = 0; d < dimension; d += 1) norm += (sum[d] ?? 0) ** 2;
  norm = Math.sqrt(norm) || 1;
  return Array.from(sum, (x) => x / norm);
}
