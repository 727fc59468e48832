/**
 * The web console and explorer as static files (built from `web/` into CONSOLE_DIR): loaded into
 * memory once at start (a gzip copy of each text file made on its first request), served for GET and HEAD only, from a
 * fixed table of paths, so no request path ever reaches the file system.
 *
 * - `/` the console, `/explorer` GraphiQL, and `/graphql` for a browser (a GET asking for HTML
 *   with no query string; a GET with `?query=` is a GraphQL request) the explorer too;
 * - `/assets/…` the bundles (names carry a content hash: cached for a year, immutable);
 * - `/favicon.svg` and `/favicon.ico`.
 * HTML is never cached and goes out with a Content-Security-Policy that allows only this origin
 * (inline styles aside, which the UI libraries set), so the pages load nothing from elsewhere.
 * Where no build is there, `/` and `/graphql` in a browser get the plain landing page instead.
 */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LANDING_PAGE } from '../landingPage.js';
import type { Reply } from './reply.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  /** Compressed on the first request that accepts gzip (not at start: every app start loads the site). */
  gzip: Buffer | null | undefined;
  readonly compressible: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export interface StaticSite {
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly dir: string;
}

function fileEntry(file: string, immutable: boolean): StaticFile {
  const ext = path.extname(file).toLowerCase();
  const body = fs.readFileSync(file);
  const html = ext === '.html';
  return {
    body,
    gzip: undefined,
    compressible: COMPRESSIBLE.has(ext) && body.length > 1024,
    headers: {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(html
        ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' }
        : {}),
    },
  };
}

/** The built console in `dir`, or null when there is none (no `index.html` / `explorer.html`). */
export function loadStaticSite(dir: string): StaticSite | null {
  const index = path.join(dir, 'index.html');
  const explorer = path.join(dir, 'explorer.html');
  if (!fs.existsSync(index) || !fs.existsSync(explorer)) return null;
  const files = new Map<string, StaticFile>();
  files.set('/', fileEntry(index, false));
  files.set('/explorer', fileEntry(explorer, false));
  const favicon = path.join(dir, 'favicon.svg');
  if (fs.existsSync(favicon)) {
    const entry = fileEntry(favicon, false);
    files.set('/favicon.svg', entry);
    files.set('/favicon.ico', entry);
  }
  const assets = path.join(dir, 'assets');
  if (fs.existsSync(assets)) {
    for (const name of fs.readdirSync(assets)) {
      const full = path.join(assets, name);
      if (fs.statSync(full).isFile()) files.set(`/assets/${name}`, fileEntry(full, true));
    }
  }
  return { files, dir };
}

function gzipped(file: StaticFile): Buffer | null {
  if (file.gzip === undefined) {
    const packed = file.compressible ? gzipSync(file.body, { level: 9 }) : null;
    file.gzip = packed && packed.length < file.body.length ? packed : null;
  }
  return file.gzip;
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** Answers a request for a page or asset of the site; undefined for anything else. */
export function serveStaticSite(
  req: IncomingMessage,
  url: URL,
  site: StaticSite | null,
): Reply<Buffer | string> | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const wantsHtml = (req.headers.accept ?? '').includes('text/html') && !url.search;
  const pathname = url.pathname === '/graphql' && wantsHtml ? '/explorer' : url.pathname;
  if (!site) {
    if (pathname !== '/' && pathname !== '/explorer') return undefined;
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
      body: LANDING_PAGE,
    };
  }
  const file = site.files.get(pathname);
  if (!file) return undefined;
  const gzip = acceptsGzip(req) ? gzipped(file) : null;
  const body = gzip ?? file.body;
  return {
    status: 200,
    headers: {
      ...file.headers,
      vary: 'accept-encoding',
      'content-length': String(body.length),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: req.method === 'HEAD' ? '' : body,
  };
}
