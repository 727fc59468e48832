/**
 * The offline landing page at `/`, and at `/graphql` for a browser (a GET asking for HTML with no
 * query string; a GET with `?query=` is a GraphQL request). No favicon is served: `/favicon.ico`
 * gets the same 404 as any other unknown path.
 */
import type { IncomingMessage } from 'node:http';
import { LANDING_PAGE } from '../landingPage.js';
import type { Reply } from './reply.js';

export function serveLandingPage(req: IncomingMessage, url: URL): Reply | undefined {
  const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !url.search;
  if (url.pathname !== '/' && !(url.pathname === '/graphql' && wantsHtml)) return undefined;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: LANDING_PAGE };
}
