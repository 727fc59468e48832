/**
 * Each root field's description names the roles that may call it, generated from its `@access`
 * (the rules `checkAccess` enforces), so the SDL has one source of truth and introspection can
 * never say otherwise: "Roles: RECRUITER, ANALYST, ADMIN." and, where a data-dependent rule or a
 * pseudonym applies, who it limits. A root field without `@access` is refused to everyone but
 * ADMIN, and says so. A hand-written "Roles:" line that disagrees stops the start.
 */
import { buildASTSchema, Kind, visit, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import { fieldRulesOf, rootPathsTo, type RootAccess } from './fieldRules.js';
import { PSEUDONYMISED_ROLES } from './pseudonym.js';

/** What each data-dependent rule limits an organization-bound caller to, in words. */
const RULE_WORDS: Readonly<Record<NonNullable<RootAccess['rule']>, (argument: string) => string>> = {
  OWN_VACANCY: (a) => `a vacancy of their organization (\`${a}\`)`,
  CANDIDATE_IN_SCOPE: (a) => `a candidate who applied to their organization (\`${a}\`)`,
  SKILL_GAP_TARGET: () => 'a vacancy target of their organization',
  OWN_ORGANIZATION_FILTER: () => "their organization's vacancies",
};
const ORGANIZATION_BOUND = ['RECRUITER', 'PARTNER'] as const;

/** The "Roles: …" paragraph of a root field with these rules. */
export function rolesLine(access: RootAccess | undefined, reachesCandidate: boolean): string {
  if (!access) return 'Roles: ADMIN.';
  const parts = [`Roles: ${access.roles.join(', ')}.`];
  const bound = ORGANIZATION_BOUND.filter((r) => access.roles.includes(r));
  const limits = [
    ...(access.rule ? [RULE_WORDS[access.rule](access.argument ?? '')] : []),
    ...(access.subject &&
    !(access.subject.rule === access.rule && access.subject.argument === access.argument)
      ? [RULE_WORDS[access.subject.rule](access.subject.argument)]
      : []),
  ];
  if (bound.length > 0 && limits.length > 0)
    parts.push(`${bound.join(' and ')}: only ${limits.join(' and ')}.`);
  const pseudonymised = access.roles.filter((r) => r !== 'ANONYMOUS' && PSEUDONYMISED_ROLES.has(r));
  if (reachesCandidate && pseudonymised.length > 0)
    parts.push(
      `${pseudonymised.join(' and ')}: candidates pseudonymised (no name, free text or applications).`,
    );
  return parts.join(' ');
}

const ROLES_LINE = /^Roles: .*$/mu;

/**
 * The document with every root field's description ending in its generated "Roles:" paragraph.
 * Throws when a description already carries a "Roles:" line that differs from it.
 */
export function withRoleDescriptions(document: DocumentNode): DocumentNode {
  const schema = buildASTSchema(document);
  const { access } = fieldRulesOf(schema);
  const reaching = rootPathsTo(schema, 'Candidate');
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
      t ? [t.name] : [],
    ),
  );
  const describe = (typeName: string, field: FieldDefinitionNode): FieldDefinitionNode => {
    const coordinate = `${typeName}.${field.name.value}`;
    const line = rolesLine(access.get(coordinate), reaching.has(coordinate));
    const current = field.description?.value ?? '';
    const written = ROLES_LINE.exec(current)?.[0];
    if (written !== undefined) {
      if (written !== line)
        throw new Error(`${coordinate}: its description says "${written}" but its @access gives "${line}"`);
      return field;
    }
    const value = current.trim() === '' ? line : `${current.trimEnd()}\n\n${line}`;
    return { ...field, description: { kind: Kind.STRING, value, block: true } };
  };
  const rewrite = (node: { name: { value: string }; fields?: readonly FieldDefinitionNode[] }) =>
    roots.has(node.name.value) && node.fields
      ? { ...node, fields: node.fields.map((f) => describe(node.name.value, f)) }
      : undefined;
  return visit(document, {
    ObjectTypeDefinition: rewrite,
    ObjectTypeExtension: rewrite,
  });
}
