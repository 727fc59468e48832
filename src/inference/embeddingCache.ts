/**
 * On-disk cache of embeddings, so a restart does not recompute them.
 *
 * Layout: `<cacheDir>/embeddings/<namespace>/shard-<x>.<generation>.vec`, 16
 * shards chosen by the key's first byte. A file is a run of fixed-size records
 * `[16-byte key][dimension × float32, little-endian]`, where the key is the first
 * 16 bytes of sha256(kind, text) and the namespace identifies the model and its
 * conventions.
 *
 * - Lazy: a shard's keys are indexed the first time a lookup needs that shard;
 *   vectors stay on disk and are read by position when hit.
 * - Append-only and multi-process safe: every put is one `O_APPEND` write, so
 *   concurrent writers never interleave inside a record; readers index only
 *   whole records and pick up other processes' appends when they miss.
 * - Crash-tolerant: a torn record at the end of a file (a crash mid-write) is
 *   never indexed, and a writer that finds one starts the next generation file
 *   instead of appending after it. Entries can be lost, never mismatched.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddingCache {
  /** The cached vector of each text, or `undefined` where there is none. */
  get(texts: readonly string[], kind: string): Promise<Array<Float32Array | undefined>>;
  put(texts: readonly string[], kind: string, vectors: readonly Float32Array[]): Promise<void>;
  close(): Promise<void>;
}

const SHARDS = 16;
const KEY_BYTES = 16;
/** Records read per chunk while indexing (≈3 MB at dimension 384). */
const INDEX_CHUNK_RECORDS = 2048;
const SEGMENT_NAME = /^shard-([0-9a-f])\.(\d+)\.vec$/;
/** Hits at most this far apart are fetched in one read (reading the gap is cheaper than another call). */
const MAX_READ_GAP = 16 * 1024;
/** Upper bound on a single read. */
const MAX_READ_SPAN = 4 * 1024 * 1024;

interface Segment {
  readonly path: string;
  readonly generation: number;
  readonly handle: FileHandle;
  /** Bytes indexed so far: always a whole number of records. */
  indexedBytes: number;
}

interface Location {
  readonly segment: Segment;
  readonly offset: number;
}

interface Shard {
  readonly id: number;
  readonly index: Map<string, Location>;
  readonly segments: Segment[];
  /** Whether the shard has been indexed at least once. */
  indexed: boolean;
  /** Index refreshes run one after another so two never scan the same bytes. */
  refreshQueue: Promise<void>;
  writer: FileHandle | undefined;
  /** Appends from this process run one after another so the shard has one writer handle. */
  writeQueue: Promise<void>;
}

/** Opens (creating when needed) the cache for one model. Nothing is read until the first lookup. */
export async function openEmbeddingCache(
  cacheDir: string,
  namespace: string,
  dimension: number,
): Promise<EmbeddingCache> {
  // Vectors are stored as the host's float32 bytes; the format says little-endian.
  if (os.endianness() !== 'LE') throw new Error('The embedding cache needs a little-endian host');
  const dir = path.join(cacheDir, 'embeddings', namespace);
  await mkdir(dir, { recursive: true });
  const recordBytes = KEY_BYTES + dimension * 4;
  const shards: Shard[] = Array.from({ length: SHARDS }, (_, id) => ({
    id,
    index: new Map(),
    segments: [],
    indexed: false,
    refreshQueue: Promise.resolve(),
    writer: undefined,
    writeQueue: Promise.resolve(),
  }));

  const refresh = (shard: Shard): Promise<void> => {
    shard.refreshQueue = afterPrevious(shard.refreshQueue, async () => {
      await indexNewRecords(dir, shard, recordBytes);
      shard.indexed = true;
    });
    return shard.refreshQueue;
  };
  const ensureIndexed = async (shard: Shard): Promise<void> => {
    if (!shard.indexed) await refresh(shard);
  };

  return {
    async get(texts, kind) {
      const keys = texts.map((text) => cacheKey(kind, text));
      const touched = new Set(keys.map((key) => shards[shardOf(key)]!));
      await Promise.all([...touched].map(ensureIndexed));
      const find = (key: Buffer): Location | undefined =>
        shards[shardOf(key)]!.index.get(key.toString('latin1'));
      // On a miss another process may have added the entry since we indexed.
      const missed = new Set(keys.filter((key) => !find(key)).map((key) => shards[shardOf(key)]!));
      await Promise.all([...missed].map(refresh));
      return readVectors(keys.map(find), recordBytes, dimension);
    },

    async put(texts, kind, vectors) {
      if (texts.length !== vectors.length)
        throw new RangeError(`${texts.length} texts but ${vectors.length} vectors`);
      const records = new Map<Shard, Buffer[]>();
      texts.forEach((text, i) => {
        const vector = vectors[i]!;
        if (vector.length !== dimension)
          throw new RangeError(`vector ${i} has dimension ${vector.length}, expected ${dimension}`);
        const key = cacheKey(kind, text);
        const shard = shards[shardOf(key)]!;
        const list = records.get(shard) ?? [];
        list.push(key, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
        records.set(shard, list);
      });
      await Promise.all(
        [...records].map(([shard, parts]) => {
          shard.writeQueue = afterPrevious(shard.writeQueue, async () => {
            const writer = await openWriter(dir, shard, recordBytes);
            // One write per shard and put: O_APPEND makes it land whole after every earlier append.
            await writer.write(Buffer.concat(parts));
          });
          return shard.writeQueue;
        }),
      );
    },

    async close() {
      const handles = shards.flatMap((shard) => [
        ...shard.segments.map((segment) => segment.handle),
        ...(shard.writer ? [shard.writer] : []),
      ]);
      await Promise.all(handles.map((handle) => handle.close()));
    },
  };
}

/**
 * Reads the vectors at `locations`. Hits are sorted by file position and nearby
 * records fetched in one read, so a bulk lookup (e.g. re-embedding a label list
 * in its original order) costs a few large reads instead of one per vector.
 */
async function readVectors(
  locations: ReadonlyArray<Location | undefined>,
  recordBytes: number,
  dimension: number,
): Promise<Array<Float32Array | undefined>> {
  const vectors = new Array<Float32Array | undefined>(locations.length).fill(undefined);
  const bySegment = new Map<Segment, Array<{ at: number; offset: number }>>();
  locations.forEach((location, at) => {
    if (!location) return;
    const hits = bySegment.get(location.segment) ?? [];
    hits.push({ at, offset: location.offset });
    bySegment.set(location.segment, hits);
  });
  const reads: Array<Promise<void>> = [];
  for (const [segment, hits] of bySegment) {
    hits.sort((a, b) => a.offset - b.offset);
    for (let first = 0; first < hits.length;) {
      let last = first;
      while (
        last + 1 < hits.length &&
        hits[last + 1]!.offset - hits[last]!.offset <= MAX_READ_GAP &&
        hits[last + 1]!.offset + recordBytes - hits[first]!.offset <= MAX_READ_SPAN
      ) {
        last += 1;
      }
      const span = hits.slice(first, last + 1);
      reads.push(
        (async () => {
          const start = span[0]!.offset;
          const buffer = Buffer.allocUnsafe(span.at(-1)!.offset + recordBytes - start);
          const { bytesRead } = await segment.handle.read(buffer, 0, buffer.length, start);
          if (bytesRead !== buffer.length) throw new Error(`${segment.path}: short read at ${start}`);
          for (const { at, offset } of span) {
            const vector = new Float32Array(dimension);
            const from = offset - start + KEY_BYTES;
            new Uint8Array(vector.buffer).set(buffer.subarray(from, from + dimension * 4));
            vectors[at] = vector;
          }
        })(),
      );
      first = last + 1;
    }
  }
  await Promise.all(reads);
  return vectors;
}

/** Runs `task` once `previous` settles, whether it succeeded or not, so one failure does not block the queue. */
function afterPrevious(previous: Promise<void>, task: () => Promise<void>): Promise<void> {
  return previous.catch(() => undefined).then(task);
}

function cacheKey(kind: string, text: string): Buffer {
  return createHash('sha256').update(kind).update('\0').update(text).digest().subarray(0, KEY_BYTES);
}

function shardOf(key: Buffer): number {
  return key[0]! % SHARDS;
}

const segmentPath = (dir: string, shard: number, generation: number): string =>
  path.join(dir, `shard-${shard.toString(16)}.${generation}.vec`);

/** Indexes whole records appended to the shard's files (and files created) since the last call. */
async function indexNewRecords(dir: string, shard: Shard, recordBytes: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (!match || Number.parseInt(match[1]!, 16) !== shard.id) continue;
    const generation = Number(match[2]);
    if (shard.segments.some((s) => s.generation === generation)) continue;
    const file = path.join(dir, name);
    shard.segments.push({ path: file, generation, handle: await open(file, 'r'), indexedBytes: 0 });
  }
  // Older generations first, so the first-written vector of a key wins everywhere.
  shard.segments.sort((a, b) => a.generation - b.generation);
  const chunk = Buffer.alloc(recordBytes * INDEX_CHUNK_RECORDS);
  for (const segment of shard.segments) {
    const { size } = await segment.handle.stat();
    const end = size - (size % recordBytes);
    while (segment.indexedBytes < end) {
      const length = Math.min(chunk.length, end - segment.indexedBytes);
      const { bytesRead } = await segment.handle.read(chunk, 0, length, segment.indexedBytes);
      const whole = bytesRead - (bytesRead % recordBytes);
      for (let at = 0; at < whole; at += recordBytes) {
        const key = chunk.toString('latin1', at, at + KEY_BYTES);
        if (!shard.index.has(key)) shard.index.set(key, { segment, offset: segment.indexedBytes + at });
      }
      if (whole === 0) break;
      segment.indexedBytes += whole;
    }
  }
}

/** This process's append handle for the shard, moving to a new generation when the current file has a torn tail. */
async function openWriter(dir: string, shard: Shard, recordBytes: number): Promise<FileHandle> {
  if (shard.writer && (await shard.writer.stat()).size % recordBytes === 0) return shard.writer;
  await shard.writer?.close();
  shard.writer = undefined;
  const generations = (await readdir(dir))
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && Number.parseInt(m[1]!, 16) === shard.id)
    .map((m) => Number(m[2]));
  let generation = generations.length > 0 ? Math.max(...generations) : 0;
  let handle = await open(segmentPath(dir, shard.id, generation), 'a');
  if ((await handle.stat()).size % recordBytes !== 0) {
    await handle.close();
    generation += 1;
    handle = await open(segmentPath(dir, shard.id, generation), 'a');
  }
  shard.writer = handle;
  return handle;
}
