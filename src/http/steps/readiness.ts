/**
 * `/ready`: 200 with each dependency's check once Neo4j and the models answer (within 5 s);
 * 503 `unavailable` with a client-safe reason otherwise, and 503 `draining` from the moment
 * shutdown starts, so load balancers stop sending before the server stops accepting.
 */
import { findAppError } from '../../errors.js';
import { withTimeout } from './deadline.js';
import { jsonReply, type Reply } from './reply.js';

export interface ReadinessOptions {
  /** Resolves with a status per dependency when all answer. */
  readonly checkReady: () => Promise<Record<string, string>>;
  readonly isDraining: () => boolean;
  readonly timeoutMs?: number;
}

export async function answerReadiness(url: URL, options: ReadinessOptions): Promise<Reply | undefined> {
  if (url.pathname !== '/ready') return undefined;
  if (options.isDraining()) return jsonReply(503, { status: 'draining' });
  try {
    const checks = await withTimeout(options.checkReady(), options.timeoutMs ?? 5_000);
    return jsonReply(200, { status: 'ready', checks });
  } catch (err) {
    // Only typed errors carry a message meant for clients; anything else stays generic.
    return jsonReply(503, {
      status: 'unavailable',
      reason: findAppError(err)?.message ?? 'a dependency is not ready',
    });
  }
}
