/**
 * The end of routing: anything but `/graphql` is 404, and while the server drains `/graphql`
 * refuses new requests (503 SERVICE_UNAVAILABLE, `connection: close`) so clients retry on
 * another instance while in-flight ones finish.
 */
import { ServiceUnavailableError } from '../../errors.js';
import { jsonReply, Refusal, type Reply } from './reply.js';

export function routeToGraphQL(url: URL, isDraining: boolean): Reply | Refusal | undefined {
  if (url.pathname !== '/graphql') return jsonReply(404, { error: 'Not found: use /graphql' });
  if (isDraining) {
    return new Refusal(
      new ServiceUnavailableError('The server is shutting down; retry on another instance'),
      {
        connection: 'close',
      },
    );
  }
  return undefined;
}
