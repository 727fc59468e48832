/**
 * GraphiQL, bundled (no CDN): schema docs, autocompletion, a headers editor (send `x-api-key` or
 * `Authorization`) and saved example operations for each persona as tabs.
 */
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from './examples';

const fetcher = createGraphiQLFetcher({ url: '/graphql' });

createRoot(document.getElementById('explorer')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={EXAMPLES.map((e) => ({ query: e.query, variables: e.variables, headers: e.headers }))}
      defaultHeaders={'{\n  "x-api-key": ""\n}'}
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>TalentGraph API</GraphiQL.Logo>
      <GraphiQL.Footer>
        <div style={{ fontSize: 12, padding: '4px 8px' }}>
          This service uses the ESCO classification of the European Commission. · <a href="/">Console</a>
        </div>
      </GraphiQL.Footer>
    </GraphiQL>
  </StrictMode>,
);
