/**
 * Issue 15 item 10, the HTTP holes: a GET's query string follows the body's encoding rules (lone
 * surrogates and bytes that are not UTF-8 refused), a persisted-query hash that does not match its
 * query is 400 BAD_REQUEST with a clear message (not INTERNAL_SERVER_ERROR), and failed
 * authentications are throttled per IP (429 with retry-after, before credentials are checked).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, test } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { authenticateRequest } from '../../../src/http/steps/authentication.js';
import { checkPersistedQueryHashes } from '../../../src/http/steps/persistedQuery.js';
import { readQueryString } from '../../../src/http/steps/queryString.js';
import { Refusal, refusalReply } from '../../../src/http/steps/reply.js';
import { createAuthenticator, generateApiKey } from '../../../src/security/credentials.js';
import { AUTH_FAILURE_RULE, RateLimiter } from '../../../src/security/rateLimiter.js';

const refusal = (value: unknown) => {
  assert.ok(value instanceof Refusal, `a refusal: ${JSON.stringify(value)}`);
  return { ...refusalReply(value), error: value.error };
};

describe('readQueryString (GET)', () => {
  const search = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

  test('reads the parameters, variables and extensions parsed', () => {
    assert.deepEqual(
      readQueryString(search({ query: '{ a }', variables: '{"t":"é 😀"}', extensions: '{"x":1}' })),
      { query: '{ a }', variables: { t: 'é 😀' }, extensions: { x: 1 } },
    );
    assert.deepEqual(readQueryString(''), {});
    assert.deepEqual(readQueryString('?query=%7B+a+%7D&variables=not-json'), {
      query: '{ a }',
      variables: 'not-json',
    });
  });

  test('a lone surrogate in variables or extensions is 400 BAD_USER_INPUT naming where it is', () => {
    const r = refusal(readQueryString(search({ query: '{ a }', variables: '{"t":"x\\ud800"}' })));
    assert.equal(r.status, 400);
    assert.equal(r.error.code, 'BAD_USER_INPUT');
    assert.deepEqual(r.error.details, { path: 'variables.t' });
    const key = refusal(readQueryString(search({ extensions: '{"\\udc00":1}' })));
    assert.deepEqual(key.error.details, { path: 'extensions' });
    // A pair written as escapes is a real character.
    assert.deepEqual(readQueryString(search({ variables: '{"t":"\\ud83d\\ude00"}' })), {
      variables: { t: '😀' },
    });
  });

  test('percent-escapes that are not UTF-8 are refused, as a POST body is (never U+FFFD)', () => {
    for (const bad of ['?query=%ED%A0%80', '?query=%FF', '?variables=%C3', '?%E9=1']) {
      const r = refusal(readQueryString(bad));
      assert.equal(r.error.code, 'BAD_USER_INPUT', bad);
      assert.match(r.error.message, /not valid UTF-8/);
    }
    assert.deepEqual(readQueryString('?query=100%'), { query: '100%' });
  });
});

describe('checkPersistedQueryHashes', () => {
  const query = '{ occupation(code: "2511.4") { preferredLabel } }';
  const sha = createHash('sha256').update(query).digest('hex');
  const op = (sha256Hash: string, q: string | null = query) => ({
    ...(q === null ? {} : { query: q }),
    extensions: { persistedQuery: { version: 1, sha256Hash } },
  });

  test('the right hash, a hash alone and no hash pass', () => {
    assert.equal(checkPersistedQueryHashes(op(sha)), undefined);
    assert.equal(checkPersistedQueryHashes(op('0'.repeat(64), null)), undefined);
    assert.equal(checkPersistedQueryHashes({ query }), undefined);
    assert.equal(checkPersistedQueryHashes(undefined), undefined);
  });

  test('a mismatch is 400 BAD_REQUEST with a message that says what to send', () => {
    const r = refusal(checkPersistedQueryHashes(op('0'.repeat(64))));
    assert.equal(r.status, 400);
    assert.equal(r.error.code, 'BAD_REQUEST');
    assert.match(r.error.message, /sha256Hash is not the SHA-256 of the query/);
    const upper = refusal(checkPersistedQueryHashes(op(sha.toUpperCase())));
    assert.equal(upper.error.code, 'BAD_REQUEST', 'lower-case hex only, as Apollo compares');
  });

  test('each operation of a batch is checked, and the refusal names it', () => {
    const r = refusal(checkPersistedQueryHashes([op(sha), op('ab')]));
    assert.match(r.error.message, /operation 1 of the batch/);
  });
});

describe('failed authentications are throttled per IP', () => {
  const analyst = generateApiKey('bi', 'ANALYST', null);
  const incoming = (headers: Record<string, string>, remoteAddress = '203.0.113.7') =>
    Object.assign(new PassThrough(), { headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

  async function stepAt(clock: { now: number }) {
    const { security } = loadConfig({ API_KEYS: analyst.entry });
    const options = {
      authenticate: await createAuthenticator(security),
      anonymous: security.anonymous,
      trustProxy: false,
      rateLimiter: new RateLimiter({
        key: { perSecond: 0, burst: 1 },
        ip: { perSecond: 0, burst: 1 },
        now: () => clock.now,
      }),
    };
    return (req: IncomingMessage) => authenticateRequest(req, options);
  }

  test('100 bad keys: the first 10 get 401, the rest 429 with retry-after; a valid key from there waits too', async () => {
    const clock = { now: 1_000_000 };
    const step = await stepAt(clock);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const r = await step(incoming({ 'x-api-key': `tg_guess-${i}` }));
      statuses.push(refusal(r).status);
    }
    assert.equal(AUTH_FAILURE_RULE.burst, 10);
    assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(401));
    assert.deepEqual(new Set(statuses.slice(10)), new Set([429]));
    const limited = refusal(await step(incoming({ 'x-api-key': analyst.key })));
    assert.equal(limited.status, 429, 'refused before the key is checked: a guess there learns nothing');
    assert.equal(limited.error.code, 'RATE_LIMITED');
    assert.equal(limited.headers['retry-after'], '5');
    assert.deepEqual(limited.error.details, { limit: 'authFailuresPerIp', retryAfterMs: 5000 });
    assert.match(limited.error.message, /Too many failed authentications from this address; retry in 5 s/);
    // Another address is not affected; requests without credentials are not this bucket's.
    assert.ok(!((await step(incoming({ 'x-api-key': analyst.key }, '198.51.100.4'))) instanceof Refusal));
    assert.ok(!((await step(incoming({}))) instanceof Refusal));
    // After the refill one attempt more is allowed.
    clock.now += 5_000;
    const again = await step(incoming({ 'x-api-key': analyst.key }));
    assert.ok(!(again instanceof Refusal));
    assert.equal(again.role, 'ANALYST');
  });

  test('successful authentications take nothing from the bucket', async () => {
    const step = await stepAt({ now: 1_000_000 });
    for (let i = 0; i < 50; i += 1)
      assert.ok(!((await step(incoming({ 'x-api-key': analyst.key }))) instanceof Refusal));
    assert.equal(refusal(await step(incoming({ 'x-api-key': 'tg_wrong' }))).status, 401);
  });
});
