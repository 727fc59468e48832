/**
 * Apollo Server over the schema-first `schema.graphql`, served by a small Node HTTP server
 * with `/graphql`, `/health`, `/ready` and an offline landing page.
 *
 * A request to `/graphql` passes, in order: body size (413), authentication (401), rate limits
 * per credential or, for anonymous callers, per IP (429), batch size, then Apollo with the
 * security plugin (introspection, access, depth / alias / page / cost limits) under a deadline
 * that bounds every Neo4j transaction it opens (504 when it runs out). Refusals carry stable
 * codes and `extensions.details.limit` naming the limit. One JSON log line per request, with
 * its id, the caller's key id and role, status and duration; never bodies, variables or tokens.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { buildASTSchema, parse, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { PROJECT_ROOT, type SecurityConfig } from '../config.js';
import {
  type AppError,
  BadUserInputError,
  ErrorCode,
  findAppError,
  LimitError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from '../errors.js';
import { runWithDeadline } from '../requestScope.js';
import { resolvers } from '../resolvers/index.js';
import type { RequestContext } from '../resolvers/context.js';
import { secureResolvers } from '../security/accessPolicy.js';
import { createAuthenticator } from '../security/credentials.js';
import type { Principal } from '../security/principal.js';
import { RateLimiter, type RateLimitStore } from '../security/rateLimiter.js';
import { securityPlugin } from '../security/securityPlugin.js';
import { LANDING_PAGE } from './landingPage.js';

const tracer = trace.getTracer('talentgraph.http');
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

export function loadTypeDefs(): string {
  return fs.readFileSync(SCHEMA_FILE, 'utf8');
}

/** Errors graphql-js / Apollo raise before resolvers run: safe to show as they are. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Passes typed errors through with their stable code, keeps protocol errors, and masks
 * everything else (logging the original with the request's logger).
 */
export function createFormatError(log: Logger, maxTokens?: number) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const appError = findAppError(error);
    if (
      !appError &&
      formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' &&
      /contains more tha[nt] \d+ tokens/.test(formatted.message)
    ) {
      return {
        message: `The query has more than ${maxTokens ?? 'the allowed number of'} tokens`,
        extensions: {
          code: ErrorCode.QUERY_TOO_LARGE,
          details: {
            limit: 'maxTokens',
            setting: 'MAX_QUERY_TOKENS',
            ...(maxTokens ? { max: maxTokens } : {}),
          },
        },
      };
    }
    if (appError) {
      return {
        message: appError.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: appError.code, ...(appError.details ? { details: appError.details } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    const original = (error as { originalError?: unknown } | null)?.originalError;
    if (typeof code === 'string' && PROTOCOL_CODES.has(code)) {
      return {
        message: formatted.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code },
      };
    }
    log.error(
      { err: describeError(original ?? error), path: formatted.path },
      'unexpected error (masked for the client)',
    );
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
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

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly introspection: 'on' | 'authenticated' | 'off';
  readonly maxBodyBytes: number;
  readonly security: SecurityConfig;
  readonly log: Logger;
  /** Builds the per-request context (fresh DataLoaders for each request). */
  readonly createContext: (requestId: string, log: Logger, principal: Principal) => RequestContext;
  /** Readiness: resolves when dependencies (Neo4j, models) answer. */
  readonly checkReady: () => Promise<Record<string, string>>;
  /** A shared store for rate-limit buckets (several processes); in-process by default. */
  readonly rateLimitStore?: RateLimitStore;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  readonly apollo: ApolloServer<RequestContext>;
  /** Requests received and not yet answered (for drain checks and diagnostics). */
  inFlight(): number;
  stop(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { log, security } = options;
  const limits = security.limits;
  const httpServer = http.createServer();
  // Bounds how long a client may take to send a request, so slow clients cannot hold sockets.
  httpServer.requestTimeout = Math.max(limits.requestTimeoutMs + 5_000, 10_000);
  httpServer.headersTimeout = 15_000;
  const typeDefs = loadTypeDefs();
  const pseudonymSecret = security.pseudonymSecret ?? randomBytes(32).toString('hex');
  if (security.pseudonymSecret === undefined) {
    log.warn(
      'PSEUDONYM_SECRET is unset: partner pseudonyms use a random secret and change on restart (and differ between processes)',
    );
  }
  if (security.anonymous === 'local-admin') {
    log.warn(
      'no API keys or JWT configured: requests from this machine act as ADMIN (local development). Configure API_KEYS or JWT_* before exposing the service',
    );
  }
  const authenticate = await createAuthenticator(security);
  const rateLimiter = new RateLimiter({
    key: { perSecond: security.rateLimit.keyPerSecond, burst: security.rateLimit.keyBurst },
    ip: { perSecond: security.rateLimit.ipPerSecond, burst: security.rateLimit.ipBurst },
    ...(options.rateLimitStore ? { store: options.rateLimitStore } : {}),
  });
  const apollo = new ApolloServer<RequestContext>({
    typeDefs,
    resolvers: secureResolvers(resolvers, buildASTSchema(parse(typeDefs)), { pseudonymSecret }),
    // Introspection is decided per caller by the security plugin (INTROSPECTION_DISABLED).
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    parseOptions: { maxTokens: limits.maxTokens },
    persistedQueries: security.persistedQueries ? { ttl: 24 * 3600 } : false,
    // main.ts owns signal handling and stops HTTP, the driver and Neo4j in order.
    stopOnTerminationSignals: false,
    formatError: createFormatError(log, limits.maxTokens),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: security.shutdownGraceMs }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints in the schema: without this, Apollo wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      securityPlugin({ limits, introspection: options.introspection }),
    ],
  });
  await apollo.start();
  let draining = false;
  let inFlight = 0;

  httpServer.on('request', (req, res) => {
    const started = performance.now();
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    const requestId =
      (typeof req.headers['x-request-id'] === 'string' &&
        /^[\w.:-]{1,64}$/.test(req.headers['x-request-id']) &&
        req.headers['x-request-id']) ||
      randomUUID();
    res.setHeader('x-request-id', requestId);
    const entry: RequestLog = {
      requestId,
      method: req.method ?? '?',
      path: (req.url ?? '/').split('?')[0] ?? '/',
    };
    res.on('finish', () => {
      if (entry.path === '/health' || entry.path === '/ready') return;
      log.info({ ...entry, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    tracer.startActiveSpan(
      `${entry.method} ${entry.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': entry.method, 'url.path': entry.path } },
      (span) => {
        handle(req, res, requestId, entry)
          .catch((err: unknown) => {
            log.error({ requestId, err: describeError(err) }, 'request failed');
            span.setStatus({ code: SpanStatusCode.ERROR });
            if (!res.headersSent)
              sendJson(res, 500, {
                errors: [
                  { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
                ],
              });
            else res.end();
          })
          .finally(() => {
            span.setAttribute('http.response.status_code', res.statusCode);
            if (entry.operationName) span.setAttribute('graphql.operation.name', entry.operationName);
            span.end();
          });
      },
    );
  });

  function clientIp(req: IncomingMessage): string {
    const forwarded = req.headers['x-forwarded-for'];
    if (security.rateLimit.trustProxy && typeof forwarded === 'string')
      return forwarded.split(',')[0]?.trim() || 'unknown';
    return req.socket.remoteAddress ?? 'unknown';
  }

  /** Local development (no credentials configured): loopback requests naming a loopback host act as ADMIN. */
  function isLocalRequest(req: IncomingMessage): boolean {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return (
      LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') &&
      ['localhost', '127.0.0.1', '::1'].includes(host)
    );
  }

  async function authenticateRequest(req: IncomingMessage): Promise<Principal> {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const apiKey = header('x-api-key');
    const authorization = header('authorization');
    if (
      apiKey === undefined &&
      authorization === undefined &&
      security.anonymous === 'local-admin' &&
      isLocalRequest(req)
    ) {
      return { kind: 'local', id: 'local', role: 'ADMIN', organizationId: null };
    }
    return authenticate({ apiKey, authorization });
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    entry: RequestLog,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health')
      return sendJson(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()) });
    if (url.pathname === '/ready') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
      try {
        return sendJson(res, 200, {
          status: 'ready',
          checks: await withTimeout(options.checkReady(), 5_000),
        });
      } catch (err) {
        return sendJson(res, 503, {
          status: 'unavailable',
          reason: findAppError(err)?.message ?? 'a dependency is not ready',
        });
      }
    }
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !url.search;
    if (url.pathname === '/' || (url.pathname === '/graphql' && wantsHtml)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(LANDING_PAGE);
      return;
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found: use /graphql' });
    if (draining) {
      res.setHeader('connection', 'close');
      return sendError(
        res,
        new ServiceUnavailableError('The server is shutting down; retry on another instance'),
      );
    }

    let principal: Principal;
    try {
      principal = await authenticateRequest(req);
    } catch (error) {
      // Failed authentications count against the caller's IP, which slows down key guessing.
      await rateLimiter.takeForIp(clientIp(req));
      if (error instanceof UnauthenticatedError) {
        entry.principal = { kind: 'invalid' };
        req.resume();
        return sendError(res, error);
      }
      throw error;
    }
    entry.principal = { kind: principal.kind, id: principal.id, role: principal.role };

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, options.maxBodyBytes);
      if (raw === undefined) {
        return sendError(
          res,
          new LimitError('PAYLOAD_TOO_LARGE', `Request body larger than ${options.maxBodyBytes} bytes`, {
            limit: 'maxBodyBytes',
            setting: 'MAX_BODY_BYTES',
            max: options.maxBodyBytes,
          }),
        );
      }
      let text: string;
      try {
        text = UTF8.decode(raw);
      } catch {
        return sendError(res, new BadUserInputError('The request body is not valid UTF-8'));
      }
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(res, 400, {
          errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
        });
      }
      const broken = findIllFormedString(body, '');
      if (broken !== undefined) {
        return sendError(
          res,
          new BadUserInputError(`Invalid Unicode (a lone surrogate) in ${broken || 'the request'}`, {
            path: broken,
          }),
        );
      }
    }
    const operations = Array.isArray(body) ? body.length : 1;
    if (Array.isArray(body) && (operations > limits.maxBatch || operations === 0)) {
      return sendError(
        res,
        new LimitError(
          'BATCH_TOO_LARGE',
          `A batch holds 1 to ${limits.maxBatch} operations (got ${operations})`,
          {
            limit: 'maxBatch',
            setting: 'MAX_BATCH_SIZE',
            max: limits.maxBatch,
            actual: operations,
          },
        ),
      );
    }
    const taken =
      principal.kind === 'anonymous'
        ? await rateLimiter.takeForIp(clientIp(req), operations)
        : await rateLimiter.takeForKey(principal.id, operations);
    if (!taken.allowed) {
      const retryAfterS = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      res.setHeader('retry-after', String(Number.isFinite(retryAfterS) ? retryAfterS : 3600));
      return sendError(
        res,
        new LimitError(
          'RATE_LIMITED',
          `Rate limit exceeded (${taken.limit === 'perKey' ? 'per credential' : 'per IP'}); retry in ${retryAfterS} s`,
          {
            limit: taken.limit,
            setting: taken.limit === 'perKey' ? 'RATE_LIMIT_KEY_PER_S' : 'RATE_LIMIT_IP_PER_S',
            retryAfterMs: Number.isFinite(taken.retryAfterMs) ? taken.retryAfterMs : 3_600_000,
          },
        ),
      );
    }
    const name =
      !Array.isArray(body) && body && typeof body === 'object'
        ? (body as { operationName?: unknown }).operationName
        : undefined;
    if (typeof name === 'string' && OPERATION_NAME.test(name)) entry.operationName = name;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: url.search,
      body,
    };
    const requestLog = log.child({ requestId });
    const execution = runWithDeadline(limits.requestTimeoutMs, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => Promise.resolve(options.createContext(requestId, requestLog, principal)),
      }),
    );
    // The deadline also bounds each Neo4j transaction; this answers the client when the
    // remaining work (e.g. a model run) outlasts it.
    const response = await withTimeout(execution, limits.requestTimeoutMs + 250).catch((error: unknown) => {
      if (error instanceof RequestTimedOut) return undefined;
      throw error;
    });
    if (response === undefined) {
      execution.catch(() => undefined);
      return sendError(
        res,
        new LimitError(
          'TIMEOUT',
          `The request took longer than ${limits.requestTimeoutMs} ms and was abandoned`,
          {
            limit: 'requestTimeoutMs',
            setting: 'REQUEST_TIMEOUT_MS',
            max: limits.requestTimeoutMs,
          },
        ),
      );
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    apollo,
    inFlight: () => inFlight,
    stop: () => {
      // /ready turns 503 at once (load balancers stop sending), new requests on kept-alive
      // sockets are refused, and Apollo's drain plugin waits for in-flight ones.
      draining = true;
      return apollo.stop();
    },
  };
}

interface RequestLog {
  requestId: string;
  method: string;
  path: string;
  operationName?: string;
  principal?: { kind: string; id?: string; role?: string };
}

class RequestTimedOut extends Error {}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** Path of the first string holding a lone surrogate (JSON allows `\\ud800`; nothing downstream should see it). */
function findIllFormedString(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : path;
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!isWellFormed(key)) return path;
    const found = findIllFormedString(item, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimedOut()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A refusal made before GraphQL runs, in the GraphQL response shape. */
function sendError(res: ServerResponse, error: AppError): void {
  sendJson(res, error.httpStatus, {
    errors: [
      {
        message: error.message,
        extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) },
      },
    ],
  });
}

/** Reads a request body up to `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}
