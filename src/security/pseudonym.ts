/**
 * Pseudonyms for people shown to partners: an HMAC of the id with a server secret, keyed by the
 * partner's organization, so a pseudonym is stable for one partner (they can follow a candidate
 * across rankings) but cannot be linked across partners or reversed without the secret.
 */
import { createHmac } from 'node:crypto';

export function pseudonymFor(secret: string, organizationId: string, id: string): string {
  return `anon-${createHmac('sha256', secret).update(`${organizationId}\u0000${id}`).digest('base64url').slice(0, 22)}`;
}
