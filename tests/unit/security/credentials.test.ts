import assert from 'node:assert/strict';
import { test } from 'vitest';
import { SignJWT } from 'jose';
import { loadConfig, ConfigError } from '../../../src/config.js';
import { UnauthenticatedError } from '../../../src/errors.js';
import { createAuthenticator, generateApiKey, parseApiKeys } from '../../../src/security/credentials.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';

test('API keys: generated keys verify, only their hash is configured, unknown keys are refused', async () => {
  const recruiter = generateApiKey('acme-ats', 'RECRUITER', 'org-1');
  const analyst = generateApiKey('bi', 'ANALYST', null);
  assert.ok(!recruiter.entry.includes(recruiter.key));
  const config = loadConfig({ API_KEYS: `${recruiter.entry}, ${analyst.entry}` });
  const authenticate = await createAuthenticator(config.security);
  assert.deepEqual(await authenticate({ apiKey: recruiter.key }), {
    kind: 'apiKey',
    id: 'acme-ats',
    role: 'RECRUITER',
    organizationId: 'org-1',
  });
  assert.equal((await authenticate({ apiKey: analyst.key })).role, 'ANALYST');
  await assert.rejects(authenticate({ apiKey: `${recruiter.key}x` }), UnauthenticatedError);
  const anonymous = await authenticate({});
  assert.equal(anonymous.kind, 'anonymous');
});

test('API_KEYS entries are validated and named in the error', () => {
  const sha = 'a'.repeat(64);
  assert.throws(
    () => parseApiKeys(`x:RECRUITER::${sha}`),
    (e: unknown) => e instanceof ConfigError && /entry 1 \(x\).*organization/.test(e.message),
  );
  assert.throws(() => parseApiKeys(`x:ROOT::${sha}`), /role must be one of/);
  assert.throws(() => parseApiKeys('x:ADMIN::abc'), /SHA-256/);
  assert.throws(() => parseApiKeys(`x:ADMIN::${sha},x:ADMIN::${sha}`), /duplicate/);
  assert.deepEqual(parseApiKeys(`ops:ADMIN::${sha}`), [
    { id: 'ops', role: 'ADMIN', organizationId: null, sha256: sha },
  ]);
});

async function token(
  claims: Record<string, unknown>,
  options: { exp?: string; secret?: string; aud?: string } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-7')
    .setIssuer('https://idp.example')
    .setAudience(options.aud ?? 'talentgraph');
  jwt.setExpirationTime(options.exp ?? '5m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

test('JWT bearer tokens map role and organization claims; bad tokens are refused with a reason', async () => {
  const config = loadConfig({
    JWT_SECRET: SECRET,
    JWT_ISSUER: 'https://idp.example',
    JWT_AUDIENCE: 'talentgraph',
    JWT_ORG_CLAIM: 'tenant',
  });
  const authenticate = await createAuthenticator(config.security);
  const ok = await authenticate({
    authorization: `Bearer ${await token({ role: 'PARTNER', tenant: 'org-9' })}`,
  });
  assert.deepEqual(ok, { kind: 'jwt', id: 'user-7', role: 'PARTNER', organizationId: 'org-9' });
  const refused = async (header: string, pattern: RegExp) =>
    assert.rejects(
      authenticate({ authorization: header }),
      (e: unknown) => e instanceof UnauthenticatedError && pattern.test(e.message),
    );
  await refused(
    `Bearer ${await token({ role: 'PARTNER', tenant: 'org-9' }, { exp: '-2m' })}`,
    /ERR_JWT_EXPIRED/,
  );
  await refused(
    `Bearer ${await token({ role: 'ADMIN' }, { secret: 'another-secret-of-at-least-32-characters' })}`,
    /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
  );
  await refused(
    `Bearer ${await token({ role: 'ADMIN' }, { aud: 'someone-else' })}`,
    /ERR_JWT_CLAIM_VALIDATION_FAILED/,
  );
  await refused(`Bearer ${await token({ role: 'ROOT' })}`, /role/);
  await refused(`Bearer ${await token({ role: 'RECRUITER' })}`, /tenant/);
  await refused('Basic dXNlcjpwYXNz', /Bearer/);
});

test('zero configuration: loopback-only local ADMIN; with credentials or a public host: taxonomy for anonymous', () => {
  assert.equal(loadConfig({}).security.anonymous, 'local-admin');
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).security.anonymous, 'taxonomy');
  assert.equal(loadConfig({ API_KEYS: `a:ADMIN::${'b'.repeat(64)}` }).security.anonymous, 'taxonomy');
  assert.equal(loadConfig({ ANONYMOUS_ACCESS: 'none' }).security.anonymous, 'none');
  assert.throws(() => loadConfig({ HOST: '0.0.0.0', ANONYMOUS_ACCESS: 'local-admin' }), /loopback/);
  assert.throws(
    () => loadConfig({ JWT_SECRET: SECRET, JWT_JWKS_URL: 'https://idp.example/jwks' }),
    /only one of/,
  );
});
