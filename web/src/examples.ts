/** The explorer's saved example operations, one per persona's main task. */
export interface Example {
  readonly persona: string;
  readonly query: string;
  readonly variables: string;
  readonly headers: string;
}

const keyHeader = (role: string) => `{\n  "x-api-key": "<${role} key>"\n}`;

export const EXAMPLES: readonly Example[] = [
  {
    persona: 'Recruiter',
    query: `# Recruiter: rank the candidates of one of your organization's vacancies
query RankCandidates($vacancyId: ID!, $first: Int) {
  rankCandidates(vacancyId: $vacancyId, first: $first, options: { fairness: { attribute: GENDER } }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      rank
      score
      explanation
      candidate { id displayName }
      matchedSkills { preferredLabel }
      missingEssentialSkills { preferredLabel }
      breakdown { feature contribution }
    }
    fairness { disparateImpactRatio fourFifthsRulePassed notes }
    meta { rankingId cached timingsMs { total } }
  }
}`,
    variables: '{\n  "vacancyId": "vac-00001",\n  "first": 10\n}',
    headers: keyHeader('RECRUITER'),
  },
  {
    persona: 'Analyst',
    query: `# Analyst: a candidate's skill gap against an ESCO occupation (people come back pseudonymised)
query SkillGap($candidateId: ID!, $occupationUri: ID!) {
  skillGap(candidateId: $candidateId, target: { occupationUri: $occupationUri }) {
    candidate { id }
    coverage { essential optional }
    matchedSkills { preferredLabel }
    missingEssentialSkills { skill { preferredLabel } coverageGain }
  }
}`,
    variables:
      '{\n  "candidateId": "cand-000001",\n  "occupationUri": "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"\n}',
    headers: keyHeader('ANALYST'),
  },
  {
    persona: 'Anyone',
    query: `# Anyone: normalise a job title to ESCO occupations, with calibrated confidence
query NormalizeJobTitle($title: String!) {
  normalizeJobTitle(title: $title, k: 5) {
    noMatch
    languageSupported
    matches { confidence occupation { code preferredLabel } }
  }
}`,
    variables: '{\n  "title": "Senior backend developer"\n}',
    headers: '{}',
  },
  {
    persona: 'Anyone',
    query: `# Anyone: extract ESCO skills from a text, with the evidence span of each
query ExtractSkills($text: String!) {
  extractSkills(text: $text, k: 10) {
    noMatch
    skills { confidence skill { preferredLabel } evidence { text start end } }
  }
}`,
    variables: '{\n  "text": "Experience with Java, SQL databases and agile project management."\n}',
    headers: '{}',
  },
  {
    persona: 'Analyst',
    query: `# Analyst: skills in shortest supply among open vacancies
query SkillDemand($region: String) {
  skillDemand(filter: { region: $region }, sort: SHORTAGE, first: 20) {
    vacancies
    candidates
    threshold
    nodes { skill { preferredLabel } demand supply supplyRatio suppressed }
  }
}`,
    variables: '{\n  "region": null\n}',
    headers: keyHeader('ANALYST'),
  },
];
