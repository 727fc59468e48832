/**
 * Subject access in one place: every path from a root field to `Candidate` in the schema, role by
 * role, carries a subject rule (`@access(subject: …)`) for the organization-bound roles and admits
 * no role without a scope; a planted field without one fails the check and stops the start; and
 * the access layer runs the subject rule before the resolver (a gap of an out-of-scope candidate
 * is FORBIDDEN for a recruiter whatever the target, an applicant's gap runs).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'vitest';
import {
  buildASTSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { AppError, NotFoundError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import type { RequestContext } from '../../../src/resolvers/context.js';
import type { Resolvers } from '../../../src/resolvers/__generated__/types.js';
import { secureResolvers } from '../../../src/security/accessPolicy.js';
import {
  fieldRulesOf,
  rootPathsTo,
  pseudonymDenialGaps,
  subjectAccessGaps,
  type RootAccess,
} from '../../../src/security/fieldRules.js';
import type { Principal, Role } from '../../../src/security/principal.js';

const SDL = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = buildASTSchema(parse(SDL));
const ROLES = ['ANONYMOUS', 'ANALYST', 'PARTNER', 'RECRUITER', 'ADMIN'] as const;

/**
 * Every chain of fields from each root field to `Candidate` (a type already on the chain is not
 * entered again), walked here independently of the code under test.
 */
function pathsToCandidate(s: GraphQLSchema): Map<string, string[][]> {
  const found = new Map<string, string[][]>();
  const walk = (typeName: string, chain: string[], onChain: Set<string>, into: string[][]) => {
    if (typeName === 'Candidate') {
      into.push(chain);
      return;
    }
    const type = s.getType(typeName);
    const next: Array<[string, string]> = [];
    if (isObjectType(type) || isInterfaceType(type))
      for (const f of Object.values(type.getFields()))
        next.push([getNamedType(f.type).name, `${typeName}.${f.name}`]);
    if (isUnionType(type)) for (const t of type.getTypes()) next.push([t.name, `${typeName}(${t.name})`]);
    for (const [child, step] of next) {
      if (onChain.has(child)) continue;
      walk(child, [...chain, step], new Set([...onChain, child]), into);
    }
  };
  for (const root of [s.getQueryType(), s.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const start = getNamedType(field.type).name;
      const paths: string[][] = [];
      walk(start, [`${root?.name}.${field.name}`], new Set([start]), paths);
      if (paths.length > 0) found.set(`${root?.name}.${field.name}`, paths);
    }
  }
  return found;
}

/** Per role, each root field it may call that reaches `Candidate`, and how its people are scoped. */
function subjectMatrix(
  s: GraphQLSchema,
  access: ReadonlyMap<string, RootAccess> = fieldRulesOf(s).access,
): Record<string, Record<string, string>> {
  const matrix: Record<string, Record<string, string>> = {};
  for (const role of ROLES) {
    const row: Record<string, string> = {};
    for (const [coordinate] of pathsToCandidate(s)) {
      const declared = access.get(coordinate);
      if (!declared?.roles.includes(role)) continue;
      const subject = declared.subject;
      row[coordinate] =
        role === 'ADMIN'
          ? 'unscoped (ADMIN)'
          : subject
            ? `${subject.rule}(${subject.argument})`
            : role === 'RECRUITER' || role === 'PARTNER'
              ? 'NO SUBJECT RULE'
              : role === 'ANALYST'
                ? 'pseudonymised (ANALYST)'
                : 'NO SCOPE FOR THIS ROLE';
    }
    matrix[role] = row;
  }
  return matrix;
}

const failures = (m: Record<string, Record<string, string>>) =>
  Object.entries(m).flatMap(([role, row]) =>
    Object.entries(row)
      .filter(([, how]) => how.startsWith('NO '))
      .map(([field, how]) => `${role} ${field}: ${how}`),
  );

describe('every path to Candidate, per role', () => {
  test('the walk finds every root field reaching Candidate (the code under test agrees)', () => {
    const walked = pathsToCandidate(schema);
    assert.deepEqual([...walked.keys()].sort(), [...rootPathsTo(schema, 'Candidate').keys()].sort());
    assert.deepEqual(
      walked
        .get('Query.threeWayGap')
        ?.map((p) => p.slice(1).join(' > '))
        .sort(),
      [
        'ThreeWayGap.againstOccupation > SkillGap.candidate',
        'ThreeWayGap.againstOccupation > SkillGap.vacancy > Vacancy.applications > Application.candidate',
        'ThreeWayGap.againstVacancy > SkillGap.candidate',
        'ThreeWayGap.againstVacancy > SkillGap.vacancy > Vacancy.applications > Application.candidate',
        'ThreeWayGap.candidate',
        'ThreeWayGap.vacancy > Vacancy.applications > Application.candidate',
      ],
    );
  });

  test('each root field reaching Candidate has a subject rule for every role that may call it', () => {
    const matrix = subjectMatrix(schema);
    assert.deepEqual(failures(matrix), []);
    assert.deepEqual(matrix.ANONYMOUS, {});
    // Analysts run the analyses of their README section on any candidate, who comes back
    // pseudonymised: the subject rule scopes organization-bound roles only.
    assert.deepEqual(matrix.ANALYST, {
      'Query.skillGap': 'CANDIDATE_IN_SCOPE(candidateId)',
      'Query.threeWayGap': 'CANDIDATE_IN_SCOPE(candidateId)',
      'Query.careerPaths': 'CANDIDATE_IN_SCOPE(candidateId)',
    });
    assert.deepEqual(matrix.RECRUITER, {
      'Query.candidate': 'CANDIDATE_IN_SCOPE(id)',
      'Query.skillGap': 'CANDIDATE_IN_SCOPE(candidateId)',
      'Query.threeWayGap': 'CANDIDATE_IN_SCOPE(candidateId)',
      'Query.careerPaths': 'CANDIDATE_IN_SCOPE(candidateId)',
      'Query.vacancy': 'OWN_VACANCY(id)',
      'Query.vacancies': 'OWN_ORGANIZATION_FILTER(filter)',
      'Query.rankCandidates': 'OWN_VACANCY(vacancyId)',
    });
    assert.deepEqual(matrix.PARTNER, {
      'Query.vacancy': 'OWN_VACANCY(id)',
      'Query.vacancies': 'OWN_ORGANIZATION_FILTER(filter)',
      'Query.rankCandidates': 'OWN_VACANCY(vacancyId)',
    });
    assert.equal(Object.keys(matrix.ADMIN ?? {}).length, pathsToCandidate(schema).size);
    assert.deepEqual(subjectAccessGaps(schema, fieldRulesOf(schema).access), []);
  });

  test('a planted field reaching Candidate without a subject rule fails the check and stops the start', () => {
    const extension = `
      extend type Query {
        plantedGap(candidateId: ID!): SkillGap @cost(weight: 1) @access(roles: [RECRUITER, ADMIN])
        plantedList: [ThreeWayGap!]! @cost(weight: 1) @access(roles: [ANONYMOUS])
        plantedScoped(candidateId: ID!): CareerPaths
          @cost(weight: 1)
          @access(roles: [ANONYMOUS], subject: { rule: CANDIDATE_IN_SCOPE, argument: "candidateId" })
      }`;
    const planted = buildASTSchema(parse(`${SDL}\n${extension}`));
    assert.throws(() => fieldRulesOf(planted), /Person fields without subject access: .*Query\.plantedGap/);
    // The same declarations on fields returning Int (which the start-up check accepts), to read them.
    const readable = buildASTSchema(
      parse(`${SDL}\n${extension.replace(/SkillGap|\[ThreeWayGap!\]!|CareerPaths/g, 'Int')}`),
    );
    const { access } = fieldRulesOf(readable);
    assert.deepEqual(failures(subjectMatrix(planted, access)).sort(), [
      'ANONYMOUS Query.plantedList: NO SCOPE FOR THIS ROLE',
      'RECRUITER Query.plantedGap: NO SUBJECT RULE',
    ]);
    assert.deepEqual(subjectAccessGaps(planted, access), [
      'Query.plantedGap: RECRUITER reaches Candidate (via SkillGap.candidate) without @access(subject: …)',
      'Query.plantedList: ANONYMOUS may reach Candidate (via ThreeWayGap.candidate)',
      'Query.plantedScoped: ANONYMOUS may reach Candidate (via CareerPaths.candidate)',
    ]);
  });

  test('analysts see people as partners do: a person field denied to one pseudonymised role only stops the start', () => {
    assert.deepEqual(pseudonymDenialGaps(fieldRulesOf(schema).denials), []);
    const planted = buildASTSchema(
      parse(
        SDL.replace(
          'summary: String @denied(roles: [PARTNER, ANALYST])',
          'summary: String @denied(roles: [PARTNER])',
        ),
      ),
    );
    assert.throws(
      () => fieldRulesOf(planted),
      /Pseudonymised roles see different person fields: Candidate\.summary: denied to PARTNER but not to ANALYST/,
    );
  });

  test('a subject rule must read an argument the field has', () => {
    assert.throws(
      () =>
        fieldRulesOf(
          buildASTSchema(
            parse(
              `${SDL}\nextend type Query { p(id: ID!): Int @cost(weight: 0) @access(roles: [ADMIN], subject: { rule: CANDIDATE_IN_SCOPE, argument: "candidateId" }) }`,
            ),
          ),
        ),
      /Query\.p: subject rule CANDIDATE_IN_SCOPE reads candidateId, which the field lacks/,
    );
  });
});

describe('the access layer runs the subject rule before the resolver', () => {
  const APPLICANT = 'cand-applicant';
  const OUTSIDER = 'cand-outsider';
  const as = (role: Role, org: string | null = 'org-1'): Principal => ({
    kind: 'apiKey',
    id: role.toLowerCase(),
    role,
    organizationId: org,
  });
  const ran: string[] = [];
  const resolvers = {
    Query: Object.fromEntries(
      ['skillGap', 'threeWayGap', 'careerPaths', 'candidate'].map((f) => [
        f,
        () => {
          ran.push(f);
          return {};
        },
      ]),
    ),
  } as unknown as Resolvers;
  const secured = secureResolvers(resolvers, schema, { pseudonymSecret: 'unit-test-secret-1234' });
  const call = async (field: string, args: Record<string, unknown>, principal: Principal) => {
    const ctx = {
      principal,
      people: {
        candidate: (id: string) =>
          id === APPLICANT || id === OUTSIDER
            ? Promise.resolve({ id })
            : Promise.reject(new NotFoundError('Candidate', id)),
        vacancy: (id: string) =>
          Promise.resolve({ id, organizationId: id === 'vac-own' ? 'org-1' : 'org-2' }),
      },
      access: { candidateInOrganization: (id: string) => Promise.resolve(id === APPLICANT) },
    } as unknown as RequestContext;
    const resolver = (secured.Query as Record<string, unknown>)[field] as (
      p: unknown,
      a: Record<string, unknown>,
      c: RequestContext,
      i: GraphQLResolveInfo,
    ) => Promise<unknown>;
    ran.length = 0;
    try {
      await resolver({}, args, ctx, {} as GraphQLResolveInfo);
      return ran.includes(field) ? 'ran' : 'did not run';
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(ran.length, 0, 'refused before the resolver');
      return error.code;
    }
  };
  const cases: Array<[string, (c: string) => Record<string, unknown>]> = [
    ['skillGap', (c) => ({ candidateId: c, target: { vacancyId: 'vac-own' } })],
    [
      'skillGap',
      (c) => ({ candidateId: c, target: { occupationUri: 'http://data.europa.eu/esco/occupation/x' } }),
    ],
    ['threeWayGap', (c) => ({ candidateId: c, vacancyId: 'vac-own' })],
    ['careerPaths', (c) => ({ candidateId: c })],
    ['candidate', (c) => ({ id: c })],
  ];

  test('RECRUITER: only candidates in scope, whatever the target; their own applicants still run', async () => {
    for (const [field, args] of cases) {
      assert.equal(await call(field, args(OUTSIDER), as('RECRUITER')), 'FORBIDDEN', `${field} outsider`);
      assert.equal(await call(field, args(APPLICANT), as('RECRUITER')), 'ran', `${field} applicant`);
      assert.equal(await call(field, args('cand-unknown'), as('RECRUITER')), 'NOT_FOUND', field);
    }
  });

  test("the vacancy rule still holds: another organization's vacancy is FORBIDDEN even for an applicant", async () => {
    assert.equal(
      await call('skillGap', { candidateId: APPLICANT, target: { vacancyId: 'vac-other' } }, as('RECRUITER')),
      'FORBIDDEN',
    );
    assert.equal(
      await call('threeWayGap', { candidateId: APPLICANT, vacancyId: 'vac-other' }, as('RECRUITER')),
      'FORBIDDEN',
    );
  });

  test('ADMIN is not scoped', async () => {
    for (const [field, args] of cases)
      assert.equal(await call(field, args(OUTSIDER), as('ADMIN', null)), 'ran', field);
  });
});
