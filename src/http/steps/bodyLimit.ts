/**
 * Reads a request body up to a byte limit: a larger declared `content-length` is refused before
 * any byte is read, and a body that grows past the limit while streaming is discarded (the rest
 * still drained so the connection stays usable). 413 PAYLOAD_TOO_LARGE, `details.limit:
 * 'maxBodyBytes'`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { LimitError } from '../../errors.js';
import { Refusal } from './reply.js';

export type RequestBody = Readable & { readonly headers: IncomingHttpHeaders };

export function readBodyWithin(req: RequestBody, maxBytes: number): Promise<Buffer | Refusal> {
  const tooLarge = () =>
    new Refusal(
      new LimitError('PAYLOAD_TOO_LARGE', `Request body larger than ${maxBytes} bytes`, {
        limit: 'maxBodyBytes',
        setting: 'MAX_BODY_BYTES',
        max: maxBytes,
      }),
    );
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      req.resume();
      resolve(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? tooLarge() : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
