/**
 * The GraphQL read path against `@neo4j/graphql` serving the same query from the same database:
 * 100 occupations (ordered by preferred label) with their labels and their essential skills with
 * labels. TalentGraph is the real API process (`src/main.ts`); `@neo4j/graphql` is served by Apollo
 * Server in this process, over the same HTTP client. Calls alternate between the two, so both see
 * the same machine load. Database hits: every Cypher statement of one request, captured and run
 * again under `PROFILE` (ours through the gateway's statement hook; theirs through a recording
 * driver wrapper), summed.
 *
 * This file creates its own neo4j-driver for `@neo4j/graphql` (which needs a driver by design);
 * TalentGraph's own Cypher still goes through src/graph/gateway.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j, { type Driver, type ManagedTransaction, type SessionConfig } from 'neo4j-driver';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadTypeDefs } from '../../src/http/graphqlServer.js';
import { sumDbHits, type Params } from '../../src/graph/gateway.js';
import { TaxonomyReader } from '../../src/graph/taxonomy/taxonomyReader.js';
import { TaxonomyRepository } from '../../src/graph/taxonomy/taxonomyRepository.js';
import { createLogger } from '../../src/logger.js';
import type { RequestContext } from '../../src/resolvers/context.js';
import { resolvers } from '../../src/resolvers/index.js';
import {
  graphqlClient,
  portsFor,
  startBenchApi,
  startBenchNeo4j,
  storeDir,
  type Neo4jMemory,
} from './benchInstance.js';
import { summarize, type Summary } from './stats.js';
import { loadSample, type LoadSample } from './system.js';

export interface ReadPathOptions {
  readonly size: number;
  readonly calls: number;
  readonly memory: Neo4jMemory;
}

export interface ReadPathSide {
  readonly name: string;
  readonly query: string;
  readonly latencyMs: Summary;
  readonly statements: number;
  readonly dbHits: number;
  /** Database hits and rows of each statement of the request. */
  readonly perStatement: ReadonlyArray<{
    readonly name: string;
    readonly dbHits: number;
    readonly rows: number;
  }>;
  readonly responseBytes: number;
}

export interface ReadPathResult {
  readonly size: number;
  readonly calls: number;
  readonly talentgraph: ReadPathSide;
  readonly neo4jGraphql: ReadPathSide & { readonly version: string; readonly usesApoc: boolean };
  /** Whether both returned the same 100 occupations with the same essential skills (by URI). */
  readonly sameAnswer: boolean;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
}

const OURS = `{ occupations(first: 100) { nodes { uri preferredLabel altLabels essentialSkills(first: 100) { nodes { uri preferredLabel altLabels } } } } }`;
const THEIRS = `{ occupations(limit: 100, sort: [{ preferredLabel: ASC }]) { uri preferredLabel altLabels
  skillsConnection(where: { edge: { relation: { eq: "essential" } } }, sort: [{ node: { preferredLabel: ASC } }]) { edges { node { uri preferredLabel altLabels } } } } }`;
/** The same part of the graph model, as `@neo4j/graphql` type definitions. */
const NEO4J_GRAPHQL_TYPES = `
type Occupation @node { uri: ID! preferredLabel: String altLabels: [String!]
  skills: [Skill!]! @relationship(type: "REQUIRES", direction: OUT, properties: "Requires") }
type Skill @node { uri: ID! preferredLabel: String altLabels: [String!] }
type Requires @relationshipProperties { relation: String }`;

const WARM_UP_CALLS = 20;

interface Captured {
  readonly cypher: string;
  readonly params: Params;
}

/** A driver look-alike for `@neo4j/graphql` that records every statement it runs. */
function recordingDriver(driver: Driver, captured: Captured[]): Driver {
  const wrapTx = (tx: ManagedTransaction) =>
    ({
      run: (cypher: string, params: Params) => {
        captured.push({ cypher, params });
        return tx.run(cypher, params);
      },
    }) as unknown as ManagedTransaction;
  return {
    executeQueryBookmarkManager: driver.executeQueryBookmarkManager,
    session: (config: SessionConfig) => {
      const session = driver.session(config);
      return {
        executeRead: <T>(work: (tx: ManagedTransaction) => Promise<T>, c?: object) =>
          session.executeRead((tx) => work(wrapTx(tx)), c),
        executeWrite: <T>(work: (tx: ManagedTransaction) => Promise<T>, c?: object) =>
          session.executeWrite((tx) => work(wrapTx(tx)), c),
        close: () => session.close(),
      };
    },
  } as unknown as Driver;
}

type OurAnswer = {
  occupations: { nodes: Array<{ uri: string; essentialSkills: { nodes: Array<{ uri: string }> } }> };
};
type TheirAnswer = {
  occupations: Array<{ uri: string; skillsConnection: { edges: Array<{ node: { uri: string } }> } }>;
};

export async function runReadPath(
  options: ReadPathOptions,
  log: (msg: string) => void,
): Promise<ReadPathResult> {
  if (!fs.existsSync(path.join(storeDir(options.size), 'prepared.json'))) {
    throw new Error(
      `the store .data/bench-${options.size} is not prepared: run \`npm run bench:scale -- --sizes ${options.size}\` first`,
    );
  }
  const ports = portsFor(options.size);
  const captured: Array<{ name: string; params: Params }> = [];
  let capturing = false;
  const neo4jInstance = await startBenchNeo4j(
    storeDir(options.size),
    ports.bolt,
    options.memory,
    log,
    (name, params) => {
      if (capturing) captured.push({ name, params });
    },
  );
  const driver = neo4j.driver(neo4jInstance.handle.uri);
  const logger: Logger = createLogger({ logLevel: 'warn' });
  let api: Awaited<ReturnType<typeof startBenchApi>> | undefined;
  let theirServer: ApolloServer | undefined;
  try {
    api = await startBenchApi(neo4jInstance.handle.uri, ports.http, {}, log);
    const ours = graphqlClient(api.url, api.apiKey);

    // @neo4j/graphql behind Apollo Server, on a second port of the range.
    const theirCaptured: Captured[] = [];
    let theirCapturing = false;
    const schema = await new Neo4jGraphQL({ typeDefs: NEO4J_GRAPHQL_TYPES, driver }).getSchema();
    theirServer = new ApolloServer({ schema });
    const recording = recordingDriver(driver, theirCaptured);
    const { url: theirUrl } = await startStandaloneServer(theirServer, {
      listen: { port: ports.extraHttp, host: '127.0.0.1' },
      context: () => Promise.resolve({ executionContext: theirCapturing ? recording : driver }),
    });
    const theirs = graphqlClient(theirUrl.replace(/\/$/, ''));
    // startStandaloneServer serves GraphQL on every path; graphqlClient appends /graphql.

    // Same answer?
    const a = await ours.request<OurAnswer>(OURS);
    const b = await theirs.request<TheirAnswer>(THEIRS);
    const key = (uri: string, skills: string[]) => `${uri}:${[...skills].sort().join(',')}`;
    const ourKeys = a.occupations.nodes.map((o) =>
      key(
        o.uri,
        o.essentialSkills.nodes.map((s) => s.uri),
      ),
    );
    const theirKeys = b.occupations.map((o) =>
      key(
        o.uri,
        o.skillsConnection.edges.map((e) => e.node.uri),
      ),
    );
    const sameAnswer = ourKeys.length === theirKeys.length && ourKeys.every((k, i) => k === theirKeys[i]);

    // Latency, alternating, after a warm-up of each (20 calls: the database was just started, and
    // its query compilation and caches warm up over the first calls of each statement).
    for (let i = 0; i < WARM_UP_CALLS; i += 1) {
      await ours.request(OURS);
      await theirs.request(THEIRS);
    }
    const start = loadSample();
    const ourMs: number[] = [];
    const theirMs: number[] = [];
    let ourBytes = 0;
    let theirBytes = 0;
    for (let i = 0; i < options.calls; i += 1) {
      let t = performance.now();
      ourBytes = JSON.stringify(await ours.request(OURS)).length;
      ourMs.push(performance.now() - t);
      t = performance.now();
      theirBytes = JSON.stringify(await theirs.request(THEIRS)).length;
      theirMs.push(performance.now() - t);
    }
    const end = loadSample();

    // Database hits: capture one request of each, then PROFILE every statement.
    const ourReader = new TaxonomyReader(new TaxonomyRepository(neo4jInstance.gateway));
    const local = new ApolloServer<RequestContext>({ typeDefs: loadTypeDefs(), resolvers });
    await local.start();
    capturing = true;
    // Only `taxonomy` is read by this query; the other services are not needed to answer it.
    await local.executeOperation(
      { query: OURS },
      { contextValue: { requestId: 'bench', log: logger, taxonomy: ourReader } as unknown as RequestContext },
    );
    capturing = false;
    await local.stop();
    const ourPerStatement: Array<{ name: string; dbHits: number; rows: number }> = [];
    for (const s of captured)
      ourPerStatement.push({ name: s.name, ...(await neo4jInstance.gateway.profile(s.name, s.params)) });
    const ourHits = ourPerStatement.reduce((sum, s) => sum + s.dbHits, 0);

    theirCapturing = true;
    await theirs.request(THEIRS);
    theirCapturing = false;
    const theirPerStatement: Array<{ name: string; dbHits: number; rows: number }> = [];
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      for (const [i, s] of theirCaptured.entries()) {
        const profiled = await session.run(`PROFILE ${s.cypher}`, s.params);
        theirPerStatement.push({
          name: `generated statement ${i + 1}`,
          dbHits: sumDbHits(profiled.summary.profile),
          rows: profiled.records.length,
        });
      }
    } finally {
      await session.close();
    }
    const theirHits = theirPerStatement.reduce((sum, s) => sum + s.dbHits, 0);
    const version = neo4jGraphqlVersion();
    const result: ReadPathResult = {
      size: options.size,
      calls: options.calls,
      talentgraph: {
        name: 'TalentGraph API',
        query: OURS,
        latencyMs: summarize(ourMs),
        statements: captured.length,
        dbHits: ourHits,
        perStatement: ourPerStatement,
        responseBytes: ourBytes,
      },
      neo4jGraphql: {
        name: '@neo4j/graphql',
        version,
        query: THEIRS,
        latencyMs: summarize(theirMs),
        statements: theirCaptured.length,
        dbHits: theirHits,
        perStatement: theirPerStatement,
        responseBytes: theirBytes,
        usesApoc: theirCaptured.some((s) => /\bapoc\./i.test(s.cypher)),
      },
      sameAnswer,
      load: { start, end },
    };
    log(
      `read path: ours p50 ${result.talentgraph.latencyMs.p50.toFixed(1)} ms (${ourHits} db hits, ${captured.length} statements), ` +
        `@neo4j/graphql p50 ${result.neo4jGraphql.latencyMs.p50.toFixed(1)} ms (${theirHits} db hits, ${theirCaptured.length} statements); same answer: ${sameAnswer}`,
    );
    return result;
  } finally {
    await theirServer?.stop();
    await api?.stop();
    await driver.close();
    await neo4jInstance.stop();
  }
}

/** The installed version (the package does not export its package.json). */
function neo4jGraphqlVersion(): string {
  try {
    const file = path.join(PROJECT_ROOT, 'node_modules', '@neo4j', 'graphql', 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
