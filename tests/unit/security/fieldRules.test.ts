/**
 * The rules declared next to each field in schema.graphql: every root field has `@cost` and
 * `@access`, every numeric argument and input field has `@range` (and a planted field without
 * them is caught), the rules are read as the security layer applies them, malformed directives
 * stop the start, and bounds are refused before execution with one message style.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'vitest';
import {
  buildASTSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BadUserInputError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import { fieldRulesOf } from '../../../src/security/fieldRules.js';
import { analyzeOperation, checkArguments } from '../../../src/security/queryAnalysis.js';

const SDL = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = buildASTSchema(parse(SDL));

const isNumeric = (type: GraphQLInputType) => ['Int', 'Float'].includes(getNamedType(type).name);

/** What the schema fails to declare: root fields without @cost / @access, numbers without @range. */
function undeclaredRules(s: GraphQLSchema): string[] {
  const rules = fieldRulesOf(s);
  const missing: string[] = [];
  for (const root of [s.getQueryType(), s.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const coordinate = `${root?.name}.${field.name}`;
      if (!rules.costs.has(coordinate)) missing.push(`${coordinate} @cost`);
      if (!rules.access.has(coordinate)) missing.push(`${coordinate} @access`);
    }
  }
  for (const type of Object.values(s.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()))
        for (const arg of field.args)
          if (isNumeric(arg.type) && !rules.argumentRanges.get(`${type.name}.${field.name}`)?.has(arg.name))
            missing.push(`${type.name}.${field.name}(${arg.name}) @range`);
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (isNumeric(field.type) && !rules.inputRanges.get(type.name)?.has(field.name))
          missing.push(`${type.name}.${field.name} @range`);
    }
  }
  return missing;
}

test('every root field has @cost and @access; every numeric argument and input field has @range', () => {
  assert.deepEqual(undeclaredRules(schema), []);
  const rules = fieldRulesOf(schema);
  assert.equal(rules.access.size, 30, 'Query and Mutation root fields');
  assert.ok(rules.argumentRanges.size >= 17);
});

test('the check fails for a planted field without the directives', () => {
  const planted = buildASTSchema(
    parse(
      `${SDL}
      extend type Query { planted(n: Int, label: String): Int @cost(weight: 1) }
      extend type Mutation { plantedWrite(share: Float @range(min: 0)): Int @access(roles: [ADMIN]) }
      extend type Skill { plantedPage(first: Int = 5): Int }
      extend input RankingOptions { plantedN: Int }`,
    ),
  );
  assert.deepEqual(undeclaredRules(planted).sort(), [
    'Mutation.plantedWrite @cost',
    'Query.planted @access',
    'Query.planted(n) @range',
    'RankingOptions.plantedN @range',
    'Skill.plantedPage(first) @range',
  ]);
});

test('the rules keep the roles, costs, scoping rules and denials of the former tables, plus subject rules', () => {
  const rules = fieldRulesOf(schema);
  const TAXONOMY = 'ADMIN,ANALYST,ANONYMOUS,PARTNER,RECRUITER';
  const expected: Record<string, [roles: string, cost: number, rule?: string, subject?: string]> = {
    'Query.occupation': [TAXONOMY, 0],
    'Query.skill': [TAXONOMY, 0],
    'Query.iscoGroup': [TAXONOMY, 0],
    'Query.skillGroup': [TAXONOMY, 0],
    'Query.occupations': [TAXONOMY, 0],
    'Query.skills': [TAXONOMY, 0],
    'Query.search': [TAXONOMY, 5],
    'Query.escoDataset': [TAXONOMY, 0],
    'Query.viewer': [TAXONOMY, 0],
    'Query.normalizeJobTitle': [TAXONOMY, 20],
    'Query.extractSkills': [TAXONOMY, 30],
    'Query.similarOccupations': [TAXONOMY, 20],
    'Query.similarSkills': [TAXONOMY, 20],
    'Query.skillDemand': ['ADMIN,ANALYST,RECRUITER', 20],
    'Query.regions': ['ADMIN,ANALYST,RECRUITER', 5],
    'Query.occupationSkillProfile': ['ADMIN,ANALYST,RECRUITER', 20],
    'Query.vacancy': ['ADMIN,PARTNER,RECRUITER', 0, 'OWN_VACANCY(id)', 'OWN_VACANCY(id)'],
    'Query.vacancies': [
      'ADMIN,PARTNER,RECRUITER',
      0,
      'OWN_ORGANIZATION_FILTER(filter)',
      'OWN_ORGANIZATION_FILTER(filter)',
    ],
    'Query.rankCandidates': [
      'ADMIN,PARTNER,RECRUITER',
      100,
      'OWN_VACANCY(vacancyId)',
      'OWN_VACANCY(vacancyId)',
    ],
    'Query.candidate': ['ADMIN,RECRUITER', 0, '', 'CANDIDATE_IN_SCOPE(id)'],
    'Query.skillGap': [
      'ADMIN,ANALYST,RECRUITER',
      10,
      'SKILL_GAP_TARGET()',
      'CANDIDATE_IN_SCOPE(candidateId)',
    ],
    'Query.threeWayGap': [
      'ADMIN,ANALYST,RECRUITER',
      10,
      'OWN_VACANCY(vacancyId)',
      'CANDIDATE_IN_SCOPE(candidateId)',
    ],
    'Query.careerPaths': ['ADMIN,ANALYST,RECRUITER', 20, '', 'CANDIDATE_IN_SCOPE(candidateId)'],
    'Query.candidates': ['ADMIN', 0],
    'Query.rankVacancies': ['ADMIN', 100, '', 'CANDIDATE_IN_SCOPE(candidateId)'],
    'Mutation.upsertCandidate': ['ADMIN', 10],
    'Mutation.upsertVacancy': ['ADMIN', 10],
    'Mutation.recordApplication': ['ADMIN', 5],
    'Mutation.updateApplicationStatus': ['ADMIN', 5],
    'Mutation.deleteCandidate': ['ADMIN', 5],
  };
  const actual = Object.fromEntries(
    [...rules.access].map(([coordinate, a]) => {
      const row: [string, number, string?, string?] = [
        [...a.roles].sort().join(),
        rules.costs.get(coordinate) ?? -1,
      ];
      if (a.rule || a.subject) row.push(a.rule ? `${a.rule}(${a.argument ?? ''})` : '');
      if (a.subject) row.push(`${a.subject.rule}(${a.subject.argument})`);
      return [coordinate, row];
    }),
  );
  assert.deepEqual(actual, expected);
  assert.deepEqual(Object.fromEntries(rules.denials), {
    'Candidate.displayName': ['PARTNER', 'ANALYST'],
    'Candidate.summary': ['PARTNER', 'ANALYST'],
    'Candidate.applications': ['PARTNER', 'ANALYST'],
    'Vacancy.applications': ['PARTNER', 'ANALYST'],
  });
  assert.deepEqual(rules.argumentRanges.get('Query.rankCandidates')?.get('k'), {
    min: 1,
    max: 100,
    integer: true,
  });
});

test('malformed directives stop the start with a message naming the field', () => {
  const bad = (extension: string) => () => fieldRulesOf(buildASTSchema(parse(`${SDL}\n${extension}`)));
  assert.throws(
    bad(
      'extend type Query { p(x: ID): Int @access(roles: [ADMIN], rule: OWN_VACANCY, argument: "vacancyId") }',
    ),
    /Query\.p: rule OWN_VACANCY reads vacancyId, which the field lacks/,
  );
  assert.throws(
    bad('extend type Query { p: Int @access(roles: [ADMIN], rule: OWN_VACANCY) }'),
    /needs an argument/,
  );
  assert.throws(bad('extend type Query { p(s: String @range(min: 1)): Int }'), /only Int and Float/);
  assert.throws(bad('extend type Query { p(n: Int @range(min: 5, max: 1)): Int }'), /min 5 is above max 1/);
  assert.throws(bad('extend type Skill { p: Int @access(roles: [ADMIN]) }'), /only root fields/);
});

test('costs come from @cost in the schema', () => {
  const query = '{ skill(uri: "u") { uri } }';
  const cost = (s: GraphQLSchema) => {
    const doc = parse(query);
    return analyzeOperation(s, doc, doc.definitions[0] as OperationDefinitionNode).cost;
  };
  assert.equal(cost(schema), 1);
  const heavier = SDL.replace(
    /(\n {2}skill\("ESCO URI of the skill\." uri: ID!\): Skill\s+)@cost\(weight: 0\)/,
    '$1@cost(weight: 7)',
  );
  assert.notEqual(heavier, SDL, 'the planted weight replaced the declared one');
  assert.equal(cost(buildASTSchema(parse(heavier))), 8);
});

function argumentRefusal(
  query: string,
  variables: Record<string, unknown> = {},
): { message: string; details: unknown } | undefined {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  try {
    checkArguments(analyzeOperation(schema, doc, op, variables));
    return undefined;
  } catch (error) {
    assert.ok(error instanceof BadUserInputError);
    return { message: error.message, details: error.details };
  }
}

test('@range refuses arguments before execution, in one message style', () => {
  const rank =
    'query($k: Int, $o: RankingOptions) { rankCandidates(vacancyId: "v", k: $k, options: $o) { totalCount } }';
  assert.deepEqual(argumentRefusal('{ rankCandidates(vacancyId: "v", k: 0) { totalCount } }'), {
    message: 'k must be an integer between 1 and 100 (got 0)',
    details: { argument: 'k', field: 'Query.rankCandidates', min: 1, max: 100, actual: 0 },
  });
  assert.equal(
    argumentRefusal('query($f: Int) { rankCandidates(vacancyId: "v", first: $f) { totalCount } }', {
      f: null,
    })?.message,
    'first must be an integer between 1 and 100 (got null)',
  );
  assert.equal(
    argumentRefusal('{ rankCandidates(vacancyId: "v", first: 101) { totalCount } }')?.message,
    'first must be an integer between 1 and 100 (got 101)',
  );
  // The deprecated alias has no default: null is "not given" (first's default applies).
  assert.equal(argumentRefusal(rank, { k: null }), undefined);
  assert.equal(
    argumentRefusal('{ careerPaths(candidateId: "c", k: 51) { candidateId } }')?.message,
    'k must be an integer between 1 and 50 (got 51)',
  );
  assert.equal(
    argumentRefusal(rank, { k: 5, o: { retrieveN: 5001 } })?.message,
    'options.retrieveN must be an integer between 1 and 5000 (got 5001)',
  );
  assert.equal(
    argumentRefusal(rank, { o: { weights: { regionMatch: -1 } } })?.message,
    'options.weights.regionMatch must be a number of at least 0 (got -1)',
  );
  assert.equal(
    argumentRefusal(
      '{ rankCandidates(vacancyId: "v", options: { fairness: { minGroupShare: 1.5 } }) { totalCount } }',
    )?.message,
    'options.fairness.minGroupShare must be a number between 0 and 1 (got 1.5)',
  );
  assert.equal(
    argumentRefusal('mutation($i: CandidateInput!) { upsertCandidate(input: $i) { id } }', {
      i: {
        id: 'c1',
        displayName: 'A',
        skills: [
          { uri: 'u', level: 3 },
          { uri: 'u2', level: 9 },
        ],
      },
    })?.message,
    'input.skills[1].level must be an integer between 1 and 5 (got 9)',
  );
  assert.equal(
    argumentRefusal('{ ...F } fragment F on Query { occupations(first: 0) { totalCount } }')?.message,
    'first must be an integer between 1 and 100 (got 0)',
    'inside fragments too',
  );
  assert.equal(
    argumentRefusal('{ occupation(code: "1") { essentialSkills(first: 101) { totalCount } } }')?.details &&
      'refused',
    'refused',
    'nested fields too',
  );
});

test('values inside the bounds, omitted arguments and absent variables pass', () => {
  for (const [query, variables] of [
    ['{ rankCandidates(vacancyId: "v", k: 100) { totalCount } }', {}],
    ['{ rankCandidates(vacancyId: "v") { totalCount } }', {}],
    ['query($k: Int) { rankCandidates(vacancyId: "v", k: $k) { totalCount } }', {}],
    [
      'query($o: RankingOptions) { rankCandidates(vacancyId: "v", k: 1, options: $o) { totalCount } }',
      { o: { retrieveN: 5000, rerankM: 0, weights: { regionMatch: 0 }, fairness: { minGroupShare: 1 } } },
    ],
    ['{ similarSkills(uri: "u", k: 50) { stages { mode } } }', {}],
  ] as const)
    assert.equal(argumentRefusal(query, variables), undefined, query);
});
