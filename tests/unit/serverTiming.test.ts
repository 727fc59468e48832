/** The server-timing header value (pure). */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { serverTimingHeader } from '../../src/http/serverTimingPlugin.js';

test('phases, services, resolve = execute minus services, graphql last', () => {
  assert.equal(
    serverTimingHeader(
      { parse: 0.31, validate: 1.24, execute: 48.04, graphql: 50.12 },
      new Map([['ranking', 31.5]]),
    ),
    'parse;dur=0.3, validate;dur=1.2, execute;dur=48.0, ranking;dur=31.5, resolve;dur=16.5, graphql;dur=50.1',
  );
});

test('no service: no resolve part; a cached parse leaves its phase out; odd names are dropped', () => {
  assert.equal(serverTimingHeader({ execute: 2, graphql: 3 }, new Map()), 'execute;dur=2.0, graphql;dur=3.0');
  assert.equal(
    serverTimingHeader({ execute: 2, graphql: 3 }, new Map([['bad name;dur=9', 1]])),
    'execute;dur=2.0, resolve;dur=2.0, graphql;dur=3.0',
  );
  // Services longer than execute (clock granularity) never make resolve negative.
  assert.match(
    serverTimingHeader({ execute: 1, graphql: 2 }, new Map([['ranking', 1.2]])),
    /resolve;dur=0\.0/,
  );
});
