/**
 * People records shared across requests by data version (src/graph/people/versionedRecords.ts and
 * PeopleReader.candidateAt): a request that saw the version a record was read at gets it without
 * a read; another version, a cleared cache or a zero lifetime reads again; a missing candidate is
 * NOT_FOUND and is not kept. The repository here is an in-memory stand-in (pure logic); the
 * cross-process e2e checks it against Neo4j.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { PeopleReader } from '../../src/graph/people/peopleReader.js';
import type { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import type { CandidateRecord } from '../../src/graph/people/records.js';
import { VersionedRecords } from '../../src/graph/people/versionedRecords.js';

function store(names: Map<string, string>) {
  const reads: string[][] = [];
  const repository = {
    candidatesById: (ids: readonly string[]) => {
      reads.push([...ids]);
      return Promise.resolve(
        ids.map((id) => (names.has(id) ? ({ id, displayName: names.get(id)! } as CandidateRecord) : null)),
      );
    },
  } as unknown as PeopleRepository;
  return { repository, reads };
}

test('a record is served to requests that saw its version, read again at another', async () => {
  const names = new Map([['a', 'Ann']]);
  const { repository, reads } = store(names);
  const shared = new VersionedRecords<CandidateRecord>({ max: 10, ttlMs: 60_000 });
  assert.equal((await new PeopleReader(repository, shared).candidateAt('a', 7)).displayName, 'Ann');
  names.set('a', 'Anna');
  // Another request at version 7: no read, the record of version 7.
  assert.equal((await new PeopleReader(repository, shared).candidateAt('a', 7)).displayName, 'Ann');
  assert.equal(reads.length, 1);
  // Version 8: read again.
  assert.equal((await new PeopleReader(repository, shared).candidateAt('a', 8)).displayName, 'Anna');
  assert.equal(reads.length, 2);
  // Cleared (a write through this process): read again, even at the same version.
  shared.clear();
  await new PeopleReader(repository, shared).candidateAt('a', 8);
  assert.equal(reads.length, 3);
});

test('a missing candidate is NOT_FOUND and not kept; lifetime 0 keeps nothing', async () => {
  const { repository, reads } = store(new Map([['a', 'Ann']]));
  const shared = new VersionedRecords<CandidateRecord>({ max: 10, ttlMs: 60_000 });
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(new PeopleReader(repository, shared).candidateAt('gone', 1), NotFoundError);
  }
  assert.equal(reads.length, 2);
  const none = new VersionedRecords<CandidateRecord>({ max: 10, ttlMs: 0 });
  await new PeopleReader(repository, none).candidateAt('a', 1);
  await new PeopleReader(repository, none).candidateAt('a', 1);
  assert.equal(reads.length, 4);
});

test("the record kept for a version is read after it: not this request's earlier read, not one a clear overtook", async () => {
  const names = new Map([['a', 'Ann']]);
  const { repository, reads } = store(names);
  const shared = new VersionedRecords<CandidateRecord>({ max: 10, ttlMs: 60_000 });
  const reader = new PeopleReader(repository, shared);
  // Another field of the same query read the candidate first; then another process renamed it
  // and the ranking read the new version: candidateAt reads again instead of keeping the old record.
  assert.equal((await reader.candidate('a')).displayName, 'Ann');
  names.set('a', 'Anna');
  assert.equal((await reader.candidateAt('a', 9)).displayName, 'Anna');
  // Two rankings of one request on two versions: each version's own read.
  names.set('a', 'Annie');
  assert.equal((await reader.candidateAt('a', 10)).displayName, 'Annie');
  assert.equal(reads.length, 3);
  // A clear (a local write, e.g. an erasure) while a read is under way: its record is not kept.
  const slow = new PeopleReader(
    {
      candidatesById: async (ids: readonly string[]) => {
        shared.clear();
        return repository.candidatesById(ids);
      },
    } as unknown as PeopleRepository,
    shared,
  );
  await slow.candidateAt('a', 11);
  const before = reads.length;
  await new PeopleReader(repository, shared).candidateAt('a', 11);
  assert.equal(reads.length, before + 1, 'read again: the raced record was not kept');
});
