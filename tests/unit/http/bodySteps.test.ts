/**
 * The body steps on real streams: the byte limit (declared and streamed), and the body's
 * encoding and syntax (UTF-8, JSON, lone surrogates), each refusal with its code and status.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'vitest';
import { decodeJsonBody, findIllFormedString } from '../../../src/http/steps/bodyEncoding.js';
import { readBodyWithin } from '../../../src/http/steps/bodyLimit.js';
import { Refusal, refusalReply } from '../../../src/http/steps/reply.js';

function request(chunks: readonly string[], contentLength?: number) {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c)));
  return Object.assign(stream, {
    headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) },
  });
}

function refusedWith(value: unknown): { status: number; code: unknown; details: unknown } {
  assert.ok(value instanceof Refusal, `expected a refusal, got ${JSON.stringify(value)}`);
  const reply = refusalReply(value);
  const [error] = (
    JSON.parse(reply.body) as { errors: { extensions: { code: string; details?: unknown } }[] }
  ).errors;
  return { status: reply.status, code: error?.extensions.code, details: error?.extensions.details };
}

describe('readBodyWithin', () => {
  test('returns the whole body when it fits, at exactly the limit too', async () => {
    const body = await readBodyWithin(request(['{"q":', '1}']), 7);
    assert.ok(Buffer.isBuffer(body));
    assert.equal(body.toString(), '{"q":1}');
    assert.ok((await readBodyWithin(request(['{"q":', '1}']), 6)) instanceof Refusal);
  });

  test('a body that grows past the limit while streaming is refused 413 PAYLOAD_TOO_LARGE', async () => {
    const refused = refusedWith(await readBodyWithin(request(['0123456789', '0123456789']), 15));
    assert.deepEqual(refused, {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 'maxBodyBytes', setting: 'MAX_BODY_BYTES', max: 15 },
    });
  });

  test('a declared content-length over the limit is refused without reading', async () => {
    const req = request(['small'], 1_000_000);
    const refused = refusedWith(await readBodyWithin(req, 100));
    assert.equal(refused.status, 413);
    assert.equal(refused.code, 'PAYLOAD_TOO_LARGE');
  });

  test('an empty body is an empty buffer', async () => {
    const body = await readBodyWithin(request([]), 10);
    assert.ok(Buffer.isBuffer(body));
    assert.equal(body.length, 0);
  });
});

describe('decodeJsonBody', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  test('parses a JSON body; an empty body is undefined', () => {
    assert.deepEqual(decodeJsonBody(bytes('{"query":"{ a }","variables":{"x":"é"}}')), {
      query: '{ a }',
      variables: { x: 'é' },
    });
    assert.equal(decodeJsonBody(new Uint8Array(0)), undefined);
  });

  test('bytes that are not UTF-8 are 400 BAD_USER_INPUT', () => {
    const refused = refusedWith(decodeJsonBody(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])));
    assert.deepEqual(refused, { status: 400, code: 'BAD_USER_INPUT', details: undefined });
  });

  test('text that is not JSON is 400 BAD_REQUEST', () => {
    const value = decodeJsonBody(bytes('{"query": '));
    assert.ok(value instanceof Refusal);
    assert.equal(value.error.message, 'Request body is not valid JSON');
    assert.deepEqual(refusedWith(value), { status: 400, code: 'BAD_REQUEST', details: undefined });
  });

  test('a lone surrogate is 400 BAD_USER_INPUT naming where it is', () => {
    const refused = refusedWith(decodeJsonBody(bytes('{"variables":{"names":["ok","\\ud800"]}}')));
    assert.deepEqual(refused, {
      status: 400,
      code: 'BAD_USER_INPUT',
      details: { path: 'variables.names.1' },
    });
  });

  test('a surrogate pair written as escapes is fine', () => {
    assert.deepEqual(decodeJsonBody(bytes('{"q":"\\ud83d\\ude00"}')), { q: '😀' });
  });
});

describe('findIllFormedString', () => {
  test('finds lone high and low surrogates in values and keys', () => {
    assert.equal(findIllFormedString('\ud800', ''), '');
    assert.equal(findIllFormedString({ a: { b: 'x\udc00' } }, ''), 'a.b');
    assert.equal(findIllFormedString({ a: { ['k\ud800']: 1 } }, ''), 'a');
    assert.equal(findIllFormedString({ a: ['fine', 2, null, { c: '😀' }] }, ''), undefined);
  });

  test('does not read deeper than 64 levels', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 70; i += 1) deep = { d: deep };
    assert.equal(findIllFormedString(deep, ''), undefined);
    let shallow: unknown = '\ud800';
    for (let i = 0; i < 10; i += 1) shallow = { d: shallow };
    assert.equal(findIllFormedString(shallow, ''), Array(10).fill('d').join('.'));
  });
});
