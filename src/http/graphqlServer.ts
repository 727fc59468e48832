/**
 * Apollo Server over the schema-first `schema.graphql`, served by a small Node HTTP server
 * with `/graphql`, `/health`, `/ready`, and the web console and explorer (static, offline).
 *
 * Each HTTP concern is a named step in `steps/` (the shape of graphql-yoga's `use-*.ts`
 * plugins); `startHttpServer` composes them in order. Every request is observed (request id,
 * one log line, one span: `requestLog.ts`), then routed: `/health`, `/ready`, the console's pages and assets,
 * 404 for other paths and 503 while draining. A request to `/graphql` then passes:
 * authentication (401; 429 once an IP's failed authentications are used up), body size (413),
 * body encoding (UTF-8, JSON, well-formed Unicode: 400; a GET's query string by the same rules),
 * persisted-query hashes (400), batch size (400), rate limits per credential or, for anonymous callers, per IP (429), then
 * Apollo with the security plugin (introspection, access, depth / alias / page / cost limits)
 * under a deadline that bounds every Neo4j transaction it opens (504 when it runs out).
 * Refusals carry stable codes, the error's own HTTP status and `extensions.details.limit`
 * naming the limit; never bodies, variables or tokens in logs.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildASTSchema, parse, print, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { PROJECT_ROOT, type SecurityConfig } from '../config.js';
import { ErrorCode, findAppError } from '../errors.js';
import { resolvers } from '../resolvers/index.js';
import type { RequestContext } from '../resolvers/context.js';
import { secureResolvers } from '../security/accessPolicy.js';
import { createAuthenticator } from '../security/credentials.js';
import { guardRootFields } from '../security/fieldRefusals.js';
import type { Principal } from '../security/principal.js';
import { RateLimiter, type RateLimitStore } from '../security/rateLimiter.js';
import { securityPlugin } from '../security/securityPlugin.js';
import { withRoleDescriptions } from '../security/roleDescriptions.js';
import { authenticateRequest } from './steps/authentication.js';
import { countOperations } from './steps/batching.js';
import { CallerConcurrency } from './steps/callerConcurrency.js';
import { decodeJsonBody } from './steps/bodyEncoding.js';
import { readBodyWithin } from './steps/bodyLimit.js';
import { clientIp } from './steps/clientAddress.js';
import { executeWithDeadline } from './steps/deadline.js';
import { checkPersistedQueryHashes } from './steps/persistedQuery.js';
import { readQueryString } from './steps/queryString.js';
import { toHTTPGraphQLRequest, writeGraphQLResponse } from './steps/graphqlExchange.js';
import { routeToGraphQL } from './steps/graphqlRoute.js';
import { answerHealth } from './steps/health.js';
import { serveStaticSite, type StaticSite } from './steps/staticSite.js';
import { answerReadiness } from './steps/readiness.js';
import { Refusal, sendReply } from './steps/reply.js';
import { describeError, loggableOperationName, observeRequest, type RequestLog } from './steps/requestLog.js';
import { takeRateLimit } from './steps/rateLimit.js';
import { retryAfterPlugin } from './retryAfterPlugin.js';
import { serverTimingPlugin } from './serverTimingPlugin.js';

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

/** The served SDL: `schema.graphql` with each root field's roles in its description (from `@access`). */
export function loadTypeDefs(): string {
  return print(withRoleDescriptions(parse(fs.readFileSync(SCHEMA_FILE, 'utf8'))));
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
  /** The built web console and explorer; null serves the plain landing page at `/`. */
  readonly site: StaticSite | null;
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
  warnAboutDevelopmentSecurity(security, log);
  const rateLimiter = new RateLimiter({
    key: { perSecond: security.rateLimit.keyPerSecond, burst: security.rateLimit.keyBurst },
    ip: { perSecond: security.rateLimit.ipPerSecond, burst: security.rateLimit.ipBurst },
    ...(options.rateLimitStore ? { store: options.rateLimitStore } : {}),
  });
  const callers = new CallerConcurrency(limits.maxInFlightPerCaller);
  const authentication = {
    authenticate: await createAuthenticator(security),
    anonymous: security.anonymous,
    trustProxy: security.rateLimit.trustProxy,
    rateLimiter,
  };
  const apollo = createApolloServer(httpServer, options);
  await apollo.start();
  let draining = false;
  let inFlight = 0;
  const readiness = { checkReady: options.checkReady, isDraining: () => draining };

  /** The steps in order; each answers (a reply or a refusal) or hands on to the next. */
  async function handle(req: IncomingMessage, res: ServerResponse, entry: RequestLog): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const routed =
      answerHealth(url) ??
      (await answerReadiness(url, readiness)) ??
      serveStaticSite(req, url, options.site) ??
      routeToGraphQL(url, draining);
    if (routed) return sendReply(res, routed);

    const principal = await authenticateRequest(req, authentication);
    if (principal instanceof Refusal) {
      entry.principal = { kind: 'invalid' };
      return sendReply(res, principal);
    }
    entry.principal = { kind: principal.kind, id: principal.id, role: principal.role };

    let body: unknown;
    let operationsSent: unknown;
    if (req.method === 'POST') {
      const raw = await readBodyWithin(req, options.maxBodyBytes);
      if (raw instanceof Refusal) return sendReply(res, raw);
      body = decodeJsonBody(raw);
      if (body instanceof Refusal) return sendReply(res, body);
      operationsSent = body;
    } else {
      operationsSent = readQueryString(url.search);
      if (operationsSent instanceof Refusal) return sendReply(res, operationsSent);
    }
    if (security.persistedQueries) {
      const mismatch = checkPersistedQueryHashes(operationsSent);
      if (mismatch) return sendReply(res, mismatch);
    }
    const operations = countOperations(body, limits.maxBatch);
    if (operations instanceof Refusal) return sendReply(res, operations);
    const ip = clientIp(req, security.rateLimit.trustProxy);
    const limited = await takeRateLimit(rateLimiter, principal, ip, operations);
    if (limited) return sendReply(res, limited);
    const crowded = callers.admit(principal, ip, res);
    if (crowded) return sendReply(res, crowded);
    const operationName = loggableOperationName(body);
    if (operationName) entry.operationName = operationName;

    const httpGraphQLRequest = toHTTPGraphQLRequest(req, url, body);
    const requestLog = log.child({ requestId: entry.requestId });
    const response = await executeWithDeadline(
      limits.requestTimeoutMs,
      () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: () => Promise.resolve(options.createContext(entry.requestId, requestLog, principal)),
        }),
      res,
    );
    if (response instanceof Refusal) return sendReply(res, response);
    await writeGraphQLResponse(res, response);
  }

  httpServer.on('request', (req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    observeRequest(req, res, log, (entry) => handle(req, res, entry));
  });

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

function createApolloServer(
  httpServer: http.Server,
  options: HttpServerOptions,
): ApolloServer<RequestContext> {
  const { log, security } = options;
  const limits = security.limits;
  const typeDefs = loadTypeDefs();
  const schema = buildASTSchema(parse(typeDefs));
  const pseudonymSecret = security.pseudonymSecret ?? randomBytes(32).toString('hex');
  return new ApolloServer<RequestContext>({
    typeDefs,
    resolvers: guardRootFields(secureResolvers(resolvers, schema, { pseudonymSecret }), schema, {
      maxPageSize: limits.maxPageSize,
    }),
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
      retryAfterPlugin(),
      serverTimingPlugin(),
    ],
  });
}

function warnAboutDevelopmentSecurity(security: SecurityConfig, log: Logger): void {
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
}
