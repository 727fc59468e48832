/**
 * What a request step answers with. A step either returns a `Reply` (the response, sent by the
 * server as it is) or a `Refusal` (a typed error, sent in the GraphQL error shape with the
 * error's own HTTP status), or passes the request on to the next step.
 */
import type { ServerResponse } from 'node:http';
import type { AppError } from '../../errors.js';

/** A response; bodies are text but for static files (`Reply<Buffer | string>`). */
export interface Reply<Body extends string | Buffer = string> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Body;
}

/** A request refused before GraphQL runs; `headers` go out with it (e.g. `retry-after`). */
export class Refusal {
  constructor(
    readonly error: AppError,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export function jsonReply(status: number, payload: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(payload),
  };
}

/** A refusal as the client sees it: `{ errors: [{ message, extensions: { code, details? } }] }`. */
export function refusalReply({ error, headers }: Refusal): Reply {
  const reply = jsonReply(error.httpStatus, {
    errors: [
      {
        message: error.message,
        extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) },
      },
    ],
  });
  return { ...reply, headers: { ...headers, ...reply.headers } };
}

export function sendReply(res: ServerResponse, reply: Reply<string | Buffer> | Refusal): void {
  const { status, headers, body } = reply instanceof Refusal ? refusalReply(reply) : reply;
  res.writeHead(status, headers);
  res.end(body);
}
