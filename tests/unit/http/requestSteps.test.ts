/**
 * The request steps that decide from their inputs alone: batching rules, rate-limit refusals
 * (with a real RateLimiter on a fixed clock), routing (health, landing page, 404, draining),
 * readiness, the deadline, and the log fields (request id, operation name).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'vitest';
import { NotFoundError, ServiceUnavailableError, type AppError } from '../../../src/errors.js';
import { countOperations } from '../../../src/http/steps/batching.js';
import { clientIp, isLocalRequest } from '../../../src/http/steps/clientAddress.js';
import { executeWithDeadline } from '../../../src/http/steps/deadline.js';
import { routeToGraphQL } from '../../../src/http/steps/graphqlRoute.js';
import { answerHealth } from '../../../src/http/steps/health.js';
import { serveStaticSite } from '../../../src/http/steps/staticSite.js';
import { takeRateLimit } from '../../../src/http/steps/rateLimit.js';
import { answerReadiness } from '../../../src/http/steps/readiness.js';
import { Refusal, refusalReply, type Reply } from '../../../src/http/steps/reply.js';
import { loggableOperationName, requestIdFrom } from '../../../src/http/steps/requestLog.js';
import { LANDING_PAGE } from '../../../src/http/landingPage.js';
import type { Principal } from '../../../src/security/principal.js';
import { RateLimiter, type RateLimitStore } from '../../../src/security/rateLimiter.js';

const url = (path: string) => new URL(path, 'http://localhost');
/** The request fields the routing steps read; the rest of IncomingMessage is not used. */
const incoming = (fields: { method?: string; headers?: Record<string, string>; remoteAddress?: string }) =>
  ({
    method: fields.method ?? 'GET',
    headers: fields.headers ?? {},
    socket: { remoteAddress: fields.remoteAddress ?? '203.0.113.9' },
  }) as unknown as IncomingMessage;

function refusal(value: unknown): {
  status: number;
  headers: Reply['headers'];
  error: AppError;
  json: unknown;
} {
  assert.ok(value instanceof Refusal, `expected a refusal, got ${String(value)}`);
  const reply = refusalReply(value);
  return { status: reply.status, headers: reply.headers, error: value.error, json: JSON.parse(reply.body) };
}

describe('countOperations (batching rules)', () => {
  test('a single operation counts 1, whatever its shape', () => {
    assert.equal(countOperations({ query: '{ a }' }, 1), 1);
    assert.equal(countOperations(undefined, 1), 1);
  });

  test('a batch of 1 to maxBatch counts its operations', () => {
    assert.equal(countOperations([{}], 5), 1);
    assert.equal(countOperations([{}, {}, {}, {}, {}], 5), 5);
  });

  test('an empty or oversized batch is 400 BATCH_TOO_LARGE with the count sent', () => {
    for (const [body, actual] of [
      [[], 0],
      [[{}, {}, {}], 3],
    ] as const) {
      const r = refusal(countOperations(body, 2));
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, {
        errors: [
          {
            message: `A batch holds 1 to 2 operations (got ${actual})`,
            extensions: {
              code: 'BATCH_TOO_LARGE',
              details: { limit: 'maxBatch', setting: 'MAX_BATCH_SIZE', max: 2, actual },
            },
          },
        ],
      });
    }
  });
});

describe('takeRateLimit', () => {
  const key: Principal = { kind: 'apiKey', id: 'k1', role: 'ANALYST', organizationId: null };
  const anonymous: Principal = {
    kind: 'anonymous',
    id: 'anonymous',
    role: 'ANONYMOUS',
    organizationId: null,
    taxonomy: true,
  };
  const limiter = () =>
    new RateLimiter({
      key: { perSecond: 1, burst: 2 },
      ip: { perSecond: 0.5, burst: 1 },
      now: () => 1_000_000,
    });

  test('charges one token per operation per credential, then refuses 429 with retry-after', async () => {
    const rl = limiter();
    assert.equal(await takeRateLimit(rl, key, '198.51.100.1', 2), undefined);
    const r = refusal(await takeRateLimit(rl, key, '198.51.100.1', 1));
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(r.error.code, 'RATE_LIMITED');
    assert.deepEqual(r.error.details, {
      limit: 'perKey',
      setting: 'RATE_LIMIT_KEY_PER_S',
      retryAfterMs: 1000,
    });
    assert.match(r.error.message, /per credential\); retry in 1 s$/);
  });

  test('anonymous callers are limited per IP, each IP on its own', async () => {
    const rl = limiter();
    assert.equal(await takeRateLimit(rl, anonymous, '198.51.100.1', 1), undefined);
    assert.equal(await takeRateLimit(rl, anonymous, '198.51.100.2', 1), undefined);
    const r = refusal(await takeRateLimit(rl, anonymous, '198.51.100.1', 1));
    assert.equal(r.headers['retry-after'], '2');
    assert.deepEqual(r.error.details, { limit: 'perIp', setting: 'RATE_LIMIT_IP_PER_S', retryAfterMs: 2000 });
  });

  test('a store that can never refill answers retry-after of an hour', async () => {
    const never: RateLimitStore = {
      take: () => Promise.resolve({ allowed: false, remaining: 0, retryAfterMs: Number.POSITIVE_INFINITY }),
    };
    const rl = new RateLimiter({
      key: { perSecond: 1, burst: 1 },
      ip: { perSecond: 1, burst: 1 },
      store: never,
    });
    const r = refusal(await takeRateLimit(rl, key, '198.51.100.1', 1));
    assert.equal(r.headers['retry-after'], '3600');
    assert.equal((r.error.details as { retryAfterMs: number }).retryAfterMs, 3_600_000);
  });
});

describe('routing steps', () => {
  test('/health answers 200 ok with the uptime; other paths pass on', () => {
    const reply = answerHealth(url('/health'));
    assert.equal(reply?.status, 200);
    const json = JSON.parse(reply?.body ?? '{}') as { status: string; uptimeS: number };
    assert.equal(json.status, 'ok');
    assert.ok(Number.isInteger(json.uptimeS));
    assert.equal(answerHealth(url('/graphql')), undefined);
  });

  test('without a built console the landing page is served at / and to browsers at /graphql, never for a GraphQL GET', () => {
    const html = { accept: 'text/html,application/xhtml+xml' };
    assert.equal(serveStaticSite(incoming({}), url('/'), null)?.body, LANDING_PAGE);
    assert.equal(
      serveStaticSite(incoming({ headers: html }), url('/graphql'), null)?.headers['content-type'],
      'text/html; charset=utf-8',
    );
    assert.equal(serveStaticSite(incoming({ headers: html }), url('/graphql?query={a}'), null), undefined);
    assert.equal(
      serveStaticSite(incoming({ method: 'POST', headers: html }), url('/graphql'), null),
      undefined,
    );
    assert.equal(serveStaticSite(incoming({}), url('/graphql'), null), undefined);
    assert.equal(serveStaticSite(incoming({ method: 'POST' }), url('/'), null), undefined);
  });

  test('other paths are 404; /graphql passes on, or 503 with connection: close while draining', () => {
    const notFound = routeToGraphQL(url('/nothing-here'), false);
    assert.ok(notFound && !(notFound instanceof Refusal));
    assert.deepEqual(
      [notFound.status, JSON.parse(notFound.body)],
      [404, { error: 'Not found: use /graphql' }],
    );
    assert.equal(routeToGraphQL(url('/graphql'), false), undefined);
    const r = refusal(routeToGraphQL(url('/graphql'), true));
    assert.equal(r.status, 503);
    assert.equal(r.error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(r.headers.connection, 'close');
  });
});

describe('answerReadiness', () => {
  const ready = () => Promise.resolve({ neo4j: 'ok' });

  test('200 with the checks when dependencies answer', async () => {
    const reply = await answerReadiness(url('/ready'), { checkReady: ready, isDraining: () => false });
    assert.deepEqual(
      [reply?.status, JSON.parse(reply?.body ?? '')],
      [200, { status: 'ready', checks: { neo4j: 'ok' } }],
    );
  });

  test('503 draining once shutdown starts, without asking the dependencies', async () => {
    const reply = await answerReadiness(url('/ready'), {
      checkReady: () => Promise.reject(new Error('must not be called')),
      isDraining: () => true,
    });
    assert.deepEqual([reply?.status, JSON.parse(reply?.body ?? '')], [503, { status: 'draining' }]);
  });

  test('503 with a typed error message, or a generic reason for anything else (never its message)', async () => {
    const typed = await answerReadiness(url('/ready'), {
      checkReady: () => Promise.reject(new ServiceUnavailableError('Neo4j is not answering')),
      isDraining: () => false,
    });
    assert.deepEqual(JSON.parse(typed?.body ?? ''), {
      status: 'unavailable',
      reason: 'Neo4j is not answering',
    });
    const raw = await answerReadiness(url('/ready'), {
      checkReady: () => Promise.reject(new Error('secret connection string')),
      isDraining: () => false,
    });
    assert.deepEqual(JSON.parse(raw?.body ?? ''), {
      status: 'unavailable',
      reason: 'a dependency is not ready',
    });
  });

  test('a check that never answers is 503 after the timeout', async () => {
    const reply = await answerReadiness(url('/ready'), {
      checkReady: () => new Promise(() => undefined),
      isDraining: () => false,
      timeoutMs: 20,
    });
    assert.equal(reply?.status, 503);
  });

  test('other paths pass on', async () => {
    assert.equal(
      await answerReadiness(url('/health'), { checkReady: ready, isDraining: () => false }),
      undefined,
    );
  });
});

describe('executeWithDeadline', () => {
  test('returns the work’s result when it finishes', async () => {
    assert.equal(await executeWithDeadline(1_000, () => Promise.resolve(42)), 42);
  });

  test('work that never finishes is refused 504 TIMEOUT naming the limit', async () => {
    const r = refusal(await executeWithDeadline(20, () => new Promise(() => undefined)));
    assert.equal(r.status, 504);
    assert.equal(r.error.code, 'TIMEOUT');
    assert.deepEqual(r.error.details, { limit: 'requestTimeoutMs', setting: 'REQUEST_TIMEOUT_MS', max: 20 });
  });

  test('a failure of the work is not a timeout: it rejects with the error', async () => {
    await assert.rejects(
      executeWithDeadline(1_000, () => Promise.reject(new NotFoundError('Vacancy', 'v1'))),
      NotFoundError,
    );
  });
});

describe('request log fields', () => {
  test('a plausible x-request-id is kept; anything else gets a fresh UUID', () => {
    assert.equal(requestIdFrom('abc-123:x.y'), 'abc-123:x.y');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(65), ['a', 'b']]) {
      assert.match(requestIdFrom(bad), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  test('only a GraphQL name of a single operation is logged as its operation name', () => {
    assert.equal(loggableOperationName({ operationName: 'RankCandidates' }), 'RankCandidates');
    assert.equal(loggableOperationName({ operationName: 'drop table; --' }), undefined);
    assert.equal(loggableOperationName([{ operationName: 'A' }]), undefined);
    assert.equal(loggableOperationName(undefined), undefined);
  });
});

describe('client address', () => {
  test('x-forwarded-for counts only behind a trusted proxy', () => {
    const req = incoming({
      headers: { 'x-forwarded-for': '192.0.2.7, 10.0.0.1' },
      remoteAddress: '10.0.0.1',
    });
    assert.equal(clientIp(req, true), '192.0.2.7');
    assert.equal(clientIp(req, false), '10.0.0.1');
  });

  test('a local request comes from loopback and names a loopback host', () => {
    assert.ok(isLocalRequest(incoming({ headers: { host: 'localhost:4000' }, remoteAddress: '127.0.0.1' })));
    assert.ok(isLocalRequest(incoming({ headers: { host: '[::1]:4000' }, remoteAddress: '::1' })));
    assert.ok(!isLocalRequest(incoming({ headers: { host: 'evil.example' }, remoteAddress: '127.0.0.1' })));
    assert.ok(!isLocalRequest(incoming({ headers: { host: 'localhost' }, remoteAddress: '203.0.113.9' })));
  });
});
