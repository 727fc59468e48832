/**
 * `npm run auth:key -- --id NAME --role RECRUITER|PARTNER|ANALYST|ADMIN [--org ORGANIZATION]`
 * Prints a new random API key (give it to the client, once) and the `API_KEYS` entry holding
 * only its SHA-256 (put that in the server's configuration). Nothing is stored or logged.
 */
import { generateApiKey } from '../src/security/credentials.js';
import { isRole, ORGANIZATION_ROLES, ROLES } from '../src/security/principal.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const id = arg('id');
const role = arg('role');
const org = arg('org') ?? null;
if (
  !id ||
  !/^[A-Za-z0-9_.-]{1,64}$/.test(id) ||
  !isRole(role) ||
  (ORGANIZATION_ROLES.has(role) && !org) ||
  (org !== null && org.includes(':'))
) {
  process.stderr.write(
    `usage: npm run auth:key -- --id NAME --role ${ROLES.join('|')} [--org ORGANIZATION] (RECRUITER and PARTNER need --org)\n`,
  );
  process.exit(2);
}
const { key, entry } = generateApiKey(id, role, org);
process.stdout.write(
  `API key (give it to the client; it is not stored anywhere):\n  ${key}\n\nAdd to API_KEYS (comma-separated):\n  ${entry}\n`,
);
