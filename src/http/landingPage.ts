/**
 * A landing page that works with no internet access: plain HTML and a few lines of script,
 * no CDN. It runs queries against /graphql and shows the result.
 */
export const LANDING_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TalentGraph GraphQL API</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1f24; }
  textarea, pre { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
  textarea { height: 14rem; } pre { background: #f4f6f8; padding: 1rem; min-height: 10rem; overflow: auto; }
  button { font-size: 1rem; padding: .4rem 1.2rem; } .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
  footer { margin-top: 2rem; color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>TalentGraph GraphQL API</h1>
<p>POST GraphQL requests to <code>/graphql</code>. The schema is introspectable: every type and field has a description.
Health: <a href="/health">/health</a>, readiness: <a href="/ready">/ready</a>.</p>
<div class="row">
  <div><label for="q">Query</label><textarea id="q">{
  occupation(code: "2511.4") {
    preferredLabel
    iscoGroup { code preferredLabel }
    essentialSkills(first: 5) { totalCount nodes { preferredLabel } }
  }
}</textarea>
  <label for="v">Variables (JSON)</label><textarea id="v" style="height:4rem">{}</textarea>
  <button id="run">Run</button></div>
  <div><label for="out">Result</label><pre id="out"></pre></div>
</div>
<footer>This service uses the ESCO classification of the European Commission.</footer>
<script>
document.getElementById('run').addEventListener('click', async () => {
  const out = document.getElementById('out');
  out.textContent = '…';
  try {
    const variables = JSON.parse(document.getElementById('v').value || '{}');
    const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.getElementById('q').value, variables }) });
    out.textContent = JSON.stringify(await res.json(), null, 2);
  } catch (e) { out.textContent = String(e); }
});
</script>
</body>
</html>
`;
