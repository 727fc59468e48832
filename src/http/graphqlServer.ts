/**
 * Apollo Server over the schema-first `schema.graphql`, served by a small Node HTTP server
 * with `/graphql`, `/health`, `/ready` and an offline landing page.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../config.js';
import { ErrorCode, findAppError } from '../errors.js';
import { resolvers } from '../resolvers/index.js';
import type { RequestContext } from '../resolvers/context.js';
import { LANDING_PAGE } from './landingPage.js';

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
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const appError = findAppError(error);
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
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
    }
    log.error({ err: original ?? error, path: formatted.path }, 'unexpected error (masked for the client)');
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
  readonly introspection: boolean;
  readonly maxBodyBytes: number;
  readonly log: Logger;
  /** Builds the per-request context (fresh DataLoaders for each request). */
  readonly createContext: (requestId: string, log: Logger) => RequestContext;
  /** Readiness: resolves when dependencies (Neo4j, models) answer. */
  readonly checkReady: () => Promise<Record<string, string>>;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  readonly apollo: ApolloServer<RequestContext>;
  stop(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { log } = options;
  const httpServer = http.createServer();
  const apollo = new ApolloServer<RequestContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns signal handling and stops HTTP, the driver and Neo4j in order.
    stopOnTerminationSignals: false,
    formatError: createFormatError(log),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  httpServer.on('request', (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) || randomUUID();
    res.setHeader('x-request-id', requestId);
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      try {
        return sendJson(res, 200, { status: 'ready', checks: await options.checkReady() });
      } catch (err) {
        return sendJson(res, 503, { status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
      }
    }
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !url.search;
    if (url.pathname === '/' || (url.pathname === '/graphql' && wantsHtml)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(LANDING_PAGE);
      return;
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found: use /graphql' });

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, options.maxBodyBytes);
      if (raw === undefined) {
        return sendJson(res, 413, {
          errors: [{ message: `Request body larger than ${options.maxBodyBytes} bytes`, extensions: { code: 'BAD_REQUEST' } }],
        });
      }
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
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
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => Promise.resolve(options.createContext(requestId, requestLog)),
    });
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
    stop: () => apollo.stop(),
  };
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
