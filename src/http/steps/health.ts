/**
 * `/health`: liveness. Answers 200 without touching any dependency, so a load balancer can tell
 * a hung process from a busy database (readiness says the latter).
 */
import { jsonReply, type Reply } from './reply.js';

export function answerHealth(url: URL): Reply | undefined {
  if (url.pathname !== '/health') return undefined;
  return jsonReply(200, { status: 'ok', uptimeS: Math.round(process.uptime()) });
}
