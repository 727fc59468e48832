/**
 * The observable side of every request: an `x-request-id` on the response (the caller's, when
 * it is a plausible id, else a new UUID), one JSON log line when it finishes (except `/health`
 * and `/ready`, which load balancers poll) with id, method, path, caller, operation name, status
 * and duration, and one server span. Never bodies, variables or tokens.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { ErrorCode } from '../../errors.js';
import { jsonReply, sendReply } from './reply.js';

const tracer = trace.getTracer('talentgraph.http');
const REQUEST_ID = /^[\w.:-]{1,64}$/;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const UNLOGGED_PATHS = new Set(['/health', '/ready']);

/** The fields of a request's log line; steps fill in the caller and operation as they learn them. */
export interface RequestLog {
  requestId: string;
  method: string;
  path: string;
  operationName?: string;
  principal?: { kind: string; id?: string; role?: string };
}

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The operation name of a single (non-batch) request body, when it is a GraphQL name. */
export function loggableOperationName(body: unknown): string | undefined {
  if (Array.isArray(body) || !body || typeof body !== 'object') return undefined;
  const name = (body as { operationName?: unknown }).operationName;
  return typeof name === 'string' && OPERATION_NAME.test(name) ? name : undefined;
}

/**
 * Runs `handle` for one request inside its span, with its id set and its log line armed.
 * `handle` rejecting is a bug, not a client error: logged, and answered 500
 * INTERNAL_SERVER_ERROR (or the response cut short when it has started).
 */
export function observeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
  handle: (entry: RequestLog) => Promise<void>,
): void {
  const started = performance.now();
  const requestId = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('x-request-id', requestId);
  const entry: RequestLog = {
    requestId,
    method: req.method ?? '?',
    path: (req.url ?? '/').split('?')[0] ?? '/',
  };
  res.on('finish', () => {
    if (UNLOGGED_PATHS.has(entry.path)) return;
    log.info({ ...entry, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
  });
  tracer.startActiveSpan(
    `${entry.method} ${entry.path}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': entry.method, 'url.path': entry.path } },
    (span) => {
      handle(entry)
        .catch((err: unknown) => {
          log.error({ requestId, err: describeError(err) }, 'request failed');
          span.setStatus({ code: SpanStatusCode.ERROR });
          if (res.headersSent) {
            res.end();
            return;
          }
          sendReply(
            res,
            jsonReply(500, {
              errors: [
                { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
              ],
            }),
          );
        })
        .finally(() => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (entry.operationName) span.setAttribute('graphql.operation.name', entry.operationName);
          span.end();
        });
    },
  );
}

/**
 * What an unexpected error may put in a log: its type, code and stack frames, not its message
 * (driver and library messages can quote values, i.e. personal data).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    stack: (error.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, 12)
      .join('\n'),
  };
}
