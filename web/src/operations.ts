/**
 * Every operation the console sends, checked against schema.graphql by graphql-codegen (client
 * preset, `npm run codegen`): a schema change that breaks one fails `codegen:check` and the build.
 */
import { graphql } from './gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      role
      organizationId
      organization {
        id
        name
      }
      pseudonymised
      operations
      deniedFields
    }
    escoDataset {
      version
    }
  }
`);

export const VacanciesQuery = graphql(`
  query Vacancies($filter: VacancyFilter, $first: Int, $after: String) {
    vacancies(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        region
        status
        postedAt
        organization {
          id
          name
        }
        occupation {
          uri
          preferredLabel
        }
      }
    }
  }
`);

export const RankedCandidateFields = graphql(`
  fragment RankedCandidateFields on RankedCandidate {
    rank
    score
    explanation
    candidate {
      id
      region
      yearsExperience
    }
    breakdown {
      feature
      value
      weight
      contribution
    }
    matchedSkills {
      uri
      preferredLabel
    }
    missingEssentialSkills {
      uri
      preferredLabel
    }
    partialMatches {
      kind
      credit
      required {
        uri
        preferredLabel
      }
      held {
        uri
        preferredLabel
      }
    }
  }
`);

export const RankingFields = graphql(`
  fragment RankingFields on CandidateRanking {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      endCursor
    }
    vacancy {
      id
      title
      region
      organization {
        name
      }
    }
    meta {
      rankingId
      cached
      pool
      afterFilters
      reranked
      stagesSkipped
      timingsMs {
        retrieve
        features
        rerank
        fairness
        total
      }
      rerankerModel {
        name
      }
    }
    fairness {
      attribute
      k
      poolSize
      suppressedGroups
      demographicParityDifference
      disparateImpactRatio
      fourFifthsRulePassed
      notes
      groups {
        group
        poolCount
        topKCount
        poolShare
        topKShare
        expectedTopKCount
      }
    }
    fairnessConstraint {
      applied
      feasible
      swaps
      scoreLoss
      note
    }
  }
`);

/** For roles that may read names (RECRUITER, ADMIN). */
export const RankingWithNamesQuery = graphql(`
  query RankingWithNames($vacancyId: ID!, $first: Int, $after: String, $options: RankingOptions) {
    rankCandidates(vacancyId: $vacancyId, first: $first, after: $after, options: $options) {
      ...RankingFields
      nodes {
        ...RankedCandidateFields
        candidate {
          displayName
        }
      }
    }
  }
`);

/** For roles that see people pseudonymised (PARTNER): no names are asked. */
export const RankingPseudonymisedQuery = graphql(`
  query RankingPseudonymised($vacancyId: ID!, $first: Int, $after: String, $options: RankingOptions) {
    rankCandidates(vacancyId: $vacancyId, first: $first, after: $after, options: $options) {
      ...RankingFields
      nodes {
        ...RankedCandidateFields
      }
    }
  }
`);

export const CandidateGapQuery = graphql(`
  query CandidateGap($candidateId: ID!, $vacancyId: ID!) {
    skillGap(candidateId: $candidateId, target: { vacancyId: $vacancyId }) {
      candidate {
        id
        displayName
        region
        yearsExperience
      }
      coverage {
        essential
        optional
        weightedEssential
      }
      matchedSkills {
        uri
        preferredLabel
      }
      missingEssentialSkills {
        skill {
          uri
          preferredLabel
        }
      }
      missingOptionalSkills {
        skill {
          uri
          preferredLabel
        }
      }
      partialMatches {
        kind
        required {
          uri
          preferredLabel
        }
        held {
          uri
          preferredLabel
        }
      }
    }
    careerPaths(candidateId: $candidateId, k: 5) {
      paths {
        weightedCoverage
        essentialCoverage
        missingEssentialCount
        occupation {
          uri
          preferredLabel
        }
      }
    }
  }
`);

export const RegionsQuery = graphql(`
  query Regions {
    regions {
      name
      openVacancies
      candidates
    }
  }
`);

export const SkillDemandQuery = graphql(`
  query SkillDemand($filter: SkillDemandFilter, $sort: SkillDemandSort, $first: Int, $after: String) {
    skillDemand(filter: $filter, sort: $sort, first: $first, after: $after) {
      vacancies
      candidates
      threshold
      suppressedCount
      note
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        demand
        essentialDemand
        weightedDemand
        supply
        supplyRatio
        candidatesPerOpening
        suppressed
        skill {
          uri
          preferredLabel
        }
      }
    }
  }
`);

export const OccupationSearchQuery = graphql(`
  query OccupationSearch($search: String!) {
    occupations(search: $search, first: 8) {
      nodes {
        uri
        code
        preferredLabel
      }
    }
  }
`);

export const OccupationProfileQuery = graphql(`
  query OccupationProfile($uri: ID!) {
    occupationSkillProfile(uri: $uri) {
      vacancies
      suppressed
      threshold
      note
      occupation {
        uri
        preferredLabel
      }
      askedBeyondProfile {
        askedBy
        share
        escoRelation
        skill {
          uri
          preferredLabel
        }
      }
      rarelyAsked {
        askedBy
        share
        escoRelation
        skill {
          uri
          preferredLabel
        }
      }
    }
  }
`);

export const NormalizeTitleQuery = graphql(`
  query NormalizeTitle($title: String!) {
    normalizeJobTitle(title: $title, k: 5) {
      noMatch
      confidenceThreshold
      detectedLanguage
      languageSupported
      warnings
      matches {
        score
        confidence
        matchedLabel
        occupation {
          uri
          code
          preferredLabel
        }
      }
    }
  }
`);

export const ExtractSkillsQuery = graphql(`
  query ExtractSkills($text: String!) {
    extractSkills(text: $text, k: 10) {
      noMatch
      confidenceThreshold
      detectedLanguage
      languageSupported
      warnings
      skills {
        score
        confidence
        matchedLabel
        evidence {
          text
          start
          end
        }
        skill {
          uri
          preferredLabel
        }
      }
    }
  }
`);

export const ThreeWayGapQuery = graphql(`
  query ThreeWayGap($candidateId: ID!, $vacancyId: ID!) {
    threeWayGap(candidateId: $candidateId, vacancyId: $vacancyId) {
      candidate {
        id
      }
      vacancy {
        id
        title
      }
      occupation {
        uri
        preferredLabel
      }
      vacancySkillsBeyondEsco {
        relation
        skill {
          uri
          preferredLabel
        }
      }
      escoEssentialsOmitted {
        uri
        preferredLabel
      }
      againstVacancy {
        coverage {
          essential
          optional
          essentialCount
          optionalCount
        }
      }
      againstOccupation {
        coverage {
          essential
          optional
          essentialCount
          optionalCount
        }
      }
    }
  }
`);
