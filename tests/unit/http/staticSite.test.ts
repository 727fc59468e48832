/**
 * The console's static files: a fixed table of paths (nothing else reaches the disk), gzip when
 * asked, HTML never cached and under a same-origin CSP, hashed assets immutable; the console's
 * build stamp says when a build is stale. The real build and pages run in the browser tier.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadStaticSite, serveStaticSite, type StaticSite } from '../../../src/http/steps/staticSite.js';
import { builtFrom, consoleInputsHash, STAMP_FILE } from '../../../src/system/consoleBuild.js';

const url = (p: string) => new URL(p, 'http://localhost');
const req = (method = 'GET', headers: Record<string, string> = {}) =>
  ({ method, headers }) as unknown as IncomingMessage;

let dir: string;
let site: StaticSite;
const bundle = `console.log(${JSON.stringify('x'.repeat(5000))});`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-site-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(dir, 'explorer.html'), '<!doctype html><title>explorer</title>');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 'assets', 'console-abc123.js'), bundle);
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not served');
  site = loadStaticSite(dir)!;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('static site', () => {
  test('no build: null, and the landing page stands in', () => {
    assert.equal(loadStaticSite(path.join(dir, 'missing')), null);
    assert.match(String(serveStaticSite(req(), url('/'), null)?.body), /TalentGraph/);
  });

  test('pages: / is the console, /explorer and a browser at /graphql the explorer; HTML not cached, CSP same-origin', () => {
    const home = serveStaticSite(req(), url('/'), site)!;
    assert.match(String(home.body), /console/);
    assert.equal(home.headers['cache-control'], 'no-cache');
    assert.match(home.headers['content-security-policy'] ?? '', /default-src 'self'.*connect-src 'self'/);
    assert.match(String(serveStaticSite(req(), url('/explorer'), site)!.body), /explorer/);
    const browser = serveStaticSite(req('GET', { accept: 'text/html' }), url('/graphql'), site)!;
    assert.match(String(browser.body), /explorer/);
    assert.equal(
      serveStaticSite(req('GET', { accept: 'text/html' }), url('/graphql?query={a}'), site),
      undefined,
    );
    assert.equal(serveStaticSite(req('POST'), url('/'), site), undefined);
  });

  test('assets: immutable, gzip when accepted, HEAD without a body; favicon at .ico too', () => {
    const plain = serveStaticSite(req(), url('/assets/console-abc123.js'), site)!;
    assert.equal(String(plain.body), bundle);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers['cache-control'] ?? '', /immutable/);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    const gz = serveStaticSite(
      req('GET', { 'accept-encoding': 'gzip, br' }),
      url('/assets/console-abc123.js'),
      site,
    )!;
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body as Buffer).toString(), bundle);
    assert.ok(Number(gz.headers['content-length']) < bundle.length / 10);
    const head = serveStaticSite(req('HEAD'), url('/assets/console-abc123.js'), site)!;
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String(bundle.length));
    assert.equal(serveStaticSite(req(), url('/favicon.ico'), site)?.headers['content-type'], 'image/svg+xml');
  });

  test('only the table: other files, traversal and unknown assets pass on (404 later)', () => {
    for (const p of [
      '/secret.txt',
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/nope.js',
      '/index.html/',
      '/..%2fsecret.txt',
    ]) {
      assert.equal(serveStaticSite(req(), url(p), site), undefined, p);
    }
  });
});

describe('console build stamp', () => {
  test('the inputs hash changes with any web source, the schema or the lockfile; a stamp without pages is no build', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-web-'));
    try {
      fs.mkdirSync(path.join(root, 'web', 'src'), { recursive: true });
      fs.writeFileSync(path.join(root, 'web', 'src', 'App.tsx'), 'a');
      fs.writeFileSync(path.join(root, 'schema.graphql'), 'type Query { a: Int }');
      fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
      const first = consoleInputsHash(root);
      assert.equal(consoleInputsHash(root), first);
      fs.writeFileSync(path.join(root, 'web', 'src', 'App.tsx'), 'b');
      const second = consoleInputsHash(root);
      assert.notEqual(second, first);
      fs.writeFileSync(path.join(root, 'schema.graphql'), 'type Query { b: Int }');
      assert.notEqual(consoleInputsHash(root), second);
      const out = path.join(root, 'out');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, STAMP_FILE), JSON.stringify({ inputs: 'h' }));
      assert.equal(builtFrom(out), null, 'no pages: not a build');
      fs.writeFileSync(path.join(out, 'index.html'), '');
      fs.writeFileSync(path.join(out, 'explorer.html'), '');
      assert.equal(builtFrom(out), 'h');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
