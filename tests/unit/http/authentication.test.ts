/**
 * The authentication step with the real authenticator (API keys from config): a valid key is
 * its principal, a bad one is 401 and charges the caller's IP (failed authentications), and local development's ADMIN
 * only applies with no credentials configured, from loopback, naming a loopback host.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, test } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { authenticateRequest } from '../../../src/http/steps/authentication.js';
import { Refusal, refusalReply } from '../../../src/http/steps/reply.js';
import { createAuthenticator, generateApiKey } from '../../../src/security/credentials.js';
import { RateLimiter } from '../../../src/security/rateLimiter.js';

/** A request as the step reads it: headers, the socket's address, and a body stream to drain. */
function incoming(headers: Record<string, string>, remoteAddress = '203.0.113.9'): IncomingMessage {
  return Object.assign(new PassThrough(), {
    headers,
    socket: { remoteAddress },
  }) as unknown as IncomingMessage;
}

async function stepFor(env: Record<string, string>) {
  const { security } = loadConfig(env);
  const rateLimiter = new RateLimiter({
    key: { perSecond: 1, burst: 1 },
    ip: { perSecond: 1, burst: 1 },
    now: () => 1_000_000,
  });
  const options = {
    authenticate: await createAuthenticator(security),
    anonymous: security.anonymous,
    trustProxy: false,
    rateLimiter,
  };
  return { rateLimiter, step: (req: IncomingMessage) => authenticateRequest(req, options) };
}

describe('authenticateRequest', () => {
  const analyst = generateApiKey('bi', 'ANALYST', null);

  test('a configured API key is its principal', async () => {
    const { step } = await stepFor({ API_KEYS: analyst.entry });
    assert.deepEqual(await step(incoming({ 'x-api-key': analyst.key })), {
      kind: 'apiKey',
      id: 'bi',
      role: 'ANALYST',
      organizationId: null,
    });
  });

  test('a wrong key is 401 UNAUTHENTICATED, never anonymous, and takes from the IP failure bucket', async () => {
    const { step, rateLimiter } = await stepFor({ API_KEYS: analyst.entry });
    const refused = await step(incoming({ 'x-api-key': `${analyst.key}x` }));
    assert.ok(refused instanceof Refusal);
    const reply = refusalReply(refused);
    assert.equal(reply.status, 401);
    assert.equal(
      (JSON.parse(reply.body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
      'UNAUTHENTICATED',
    );
    // The failed attempt is charged to the IP's failed-authentication bucket, not its anonymous one.
    assert.equal((await rateLimiter.mayAttemptAuth('203.0.113.9')).remaining, 9);
    assert.equal((await rateLimiter.takeForIp('203.0.113.9')).allowed, true);
  });

  test('with no credentials configured, a local request acts as ADMIN; a remote one is anonymous', async () => {
    const { step } = await stepFor({});
    const local = await step(incoming({ host: 'localhost:4000' }, '127.0.0.1'));
    assert.ok(!(local instanceof Refusal));
    assert.deepEqual([local.kind, local.role], ['local', 'ADMIN']);
    const remote = await step(incoming({ host: 'api.example' }, '203.0.113.9'));
    assert.ok(!(remote instanceof Refusal));
    assert.equal(remote.kind, 'anonymous');
    const rebinding = await step(incoming({ host: 'evil.example' }, '127.0.0.1'));
    assert.ok(!(rebinding instanceof Refusal));
    assert.equal(rebinding.kind, 'anonymous');
  });

  test('with keys configured, a local request without one is anonymous', async () => {
    const { step } = await stepFor({ API_KEYS: analyst.entry });
    const local = await step(incoming({ host: 'localhost' }, '127.0.0.1'));
    assert.ok(!(local instanceof Refusal));
    assert.equal(local.kind, 'anonymous');
  });
});
