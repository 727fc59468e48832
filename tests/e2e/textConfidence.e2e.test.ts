/**
 * Confidence, abstention, language signal and lookalike rejection of normalizeJobTitle and
 * extractSkills (issue 16 item 5), over HTTP with the real models, on real ESCO rows chosen for
 * the examples (tests/fixtures/esco-lookalikes) in the scratch database.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { startFixtureApp } from '../support/testEnv.js';

let app: App;
let gateway: Neo4jGateway;

beforeAll(async () => {
  ({ app, gateway } = await startFixtureApp({ RERANKER_ENABLED: 'true' }, 'esco-lookalikes'));
  await app.embeddings.runOnce();
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

type Extraction = {
  extractSkills: {
    skills: Array<{
      confidence: number;
      score: number;
      matchedLabel: string | null;
      skill: { preferredLabel: string };
    }>;
    noMatch: boolean;
    confidenceThreshold: number;
    detectedLanguage: string | null;
    languageSupported: boolean;
    warnings: string[];
    stages: { denseCandidates: number; skipped: string[] };
  };
};
const EXTRACT =
  'query($t: String!, $min: Float) { extractSkills(text: $t, k: 10, minConfidence: $min) { skills { confidence score matchedLabel skill { preferredLabel } } noMatch confidenceThreshold detectedLanguage languageSupported warnings stages { denseCandidates skipped } } }';

type Normalization = {
  normalizeJobTitle: {
    matches: Array<{ confidence: number; occupation: { preferredLabel: string; code: string } }>;
    noMatch: boolean;
    confidenceThreshold: number;
    detectedLanguage: string | null;
    languageSupported: boolean;
    warnings: string[];
  };
};
const NORMALIZE =
  'query($t: String!, $min: Float) { normalizeJobTitle(title: $t, k: 5, minConfidence: $min) { matches { confidence occupation { preferredLabel code } } noMatch confidenceThreshold detectedLanguage languageSupported warnings } }';

test('Docker, Terraform and scikit-learn do not come back as dock operations, terrazzo or learning difficulties', async () => {
  const res = await gql<Extraction>(app.url, EXTRACT, {
    t: 'Experience with Docker, Terraform and scikit-learn. You build machine learning pipelines in Python.',
  });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const r = res.data!.extractSkills;
  assert.ok(r.stages.denseCandidates > 0, 'the dense stage ran');
  const labels = r.skills.map((s) => s.skill.preferredLabel);
  for (const lookalike of ['dock operations', 'maintain terrazzo', 'learning difficulties'])
    assert.ok(!labels.includes(lookalike), `${lookalike} in ${labels.join(', ')}`);
  assert.ok(labels.includes('machine learning'), labels.join(', '));
  assert.ok(labels.includes('Python (computer programming)'), labels.join(', '));
  assert.ok(
    r.stages.skipped.some((s) => s.startsWith('lookalikes:')),
    r.stages.skipped.join('; '),
  );
  for (const s of r.skills) assert.ok(s.confidence >= 0 && s.confidence <= 1, String(s.confidence));
  // Best first by score; the confidence of a named skill is above the lowest one returned.
  const ml = r.skills.find((s) => s.skill.preferredLabel === 'machine learning')!;
  assert.ok(ml.confidence >= Math.min(...r.skills.map((s) => s.confidence)));
});

test('a gender marker is never a skill, and a text of boilerplate alone has none', async () => {
  const res = await gql<{
    extractSkills: {
      skills: Array<{ skill: { preferredLabel: string }; evidence: { text: string } | null }>;
    };
  }>(
    app.url,
    'query($t: String!) { extractSkills(text: $t, k: 10) { skills { skill { preferredLabel } evidence { text } } } }',
    {
      t: 'DevOps Engineer (m/w/d). Salary: €60,000 - €70,000 per year, full-time, health insurance.',
    },
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const skills = res.data!.extractSkills.skills;
  assert.equal(skills[0]?.skill.preferredLabel, 'DevOps', JSON.stringify(skills));
  // No skill rests on the marker, the salary line or the contract and benefits words.
  for (const s of skills)
    assert.ok(!/m\/w\/d|€|full-time|health insurance/.test(s.evidence?.text ?? ''), JSON.stringify(s));

  const only = await gql<Extraction>(app.url, EXTRACT, { t: '(m/w/d) full-time' });
  assert.equal(only.errors, undefined, JSON.stringify(only.errors));
  assert.deepEqual(only.data!.extractSkills.skills, []);
  assert.equal(only.data!.extractSkills.noMatch, true);
});

test('minConfidence drops what is below it and sets the noMatch threshold; out of range is BAD_USER_INPUT', async () => {
  const text =
    'Experience with Docker, Terraform and scikit-learn. You build machine learning pipelines in Python.';
  const all = (await gql<Extraction>(app.url, EXTRACT, { t: text })).data!.extractSkills;
  assert.ok(all.skills.length > 0);
  const cut = all.skills[Math.floor(all.skills.length / 2)]!.confidence;
  const some = await gql<Extraction>(app.url, EXTRACT, { t: text, min: cut });
  assert.equal(some.errors, undefined, JSON.stringify(some.errors));
  const kept = some.data!.extractSkills;
  assert.deepEqual(
    kept.skills.map((s) => s.skill.preferredLabel),
    all.skills.filter((s) => s.confidence >= cut).map((s) => s.skill.preferredLabel),
  );
  assert.equal(kept.confidenceThreshold, cut);
  const none = (await gql<Extraction>(app.url, EXTRACT, { t: text, min: 1 })).data!.extractSkills;
  assert.equal(none.noMatch, all.skills[0]!.confidence < 1);
  for (const bad of [-0.1, 1.5]) {
    const res = await gql<Extraction>(app.url, EXTRACT, { t: text, min: bad });
    assert.deepEqual(errorCodes(res), ['BAD_USER_INPUT'], JSON.stringify(res.errors));
    const title = await gql<Normalization>(app.url, NORMALIZE, { t: 'Nurse', min: bad });
    assert.deepEqual(errorCodes(title), ['BAD_USER_INPUT'], JSON.stringify(title.errors));
  }
});

test('Backend Engineer is less confident than a title naming its occupation; noMatch follows the threshold', async () => {
  const res = await gql<Normalization>(app.url, NORMALIZE, { t: 'Backend Engineer' });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const r = res.data!.normalizeJobTitle;
  const top = r.matches[0]!;
  assert.ok(top.confidence >= 0 && top.confidence <= 1);
  assert.equal(r.noMatch, top.confidence < r.confidenceThreshold);
  // A title that names its occupation is more confident than one the labels only half cover
  // ("Backend Engineer" has no ESCO label; here its top match stays near the no-match threshold).
  const exact = (await gql<Normalization>(app.url, NORMALIZE, { t: 'software developer' })).data!
    .normalizeJobTitle;
  assert.equal(exact.matches[0]?.occupation.preferredLabel, 'software developer');
  assert.ok(
    exact.matches[0].confidence > top.confidence,
    `${exact.matches[0].confidence} vs ${top.confidence}`,
  );
  assert.equal(exact.noMatch, false);
  assert.equal(r.languageSupported, true);
  // Confidences fall with the rank of matches of one answer.
  const nurse = (await gql<Normalization>(app.url, NORMALIZE, { t: 'Registered Nurse - ICU (night shifts)' }))
    .data!.normalizeJobTitle;
  const nurseTop = nurse.matches[0]!;
  assert.ok(
    nurseTop.occupation.code.startsWith('2221') || nurse.noMatch,
    `${nurseTop.occupation.preferredLabel} ${nurseTop.confidence} noMatch=${nurse.noMatch}`,
  );
});

test('a German title says its language has no labels loaded and reports noMatch', async () => {
  const res = await gql<Normalization>(app.url, NORMALIZE, { t: 'Softwareentwickler (m/w/d)' });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const r = res.data!.normalizeJobTitle;
  assert.equal(r.detectedLanguage, 'de');
  assert.equal(r.languageSupported, false);
  assert.equal(r.noMatch, true);
  assert.ok(
    r.warnings.some((w) => w.includes('de')),
    r.warnings.join('; '),
  );
  const en = (await gql<Normalization>(app.url, NORMALIZE, { t: 'software developer' })).data!
    .normalizeJobTitle;
  assert.equal(en.languageSupported, true);
  assert.deepEqual(en.warnings, []);
  assert.equal(en.matches[0]?.occupation.preferredLabel, 'software developer');
  const skills = await gql<Extraction>(app.url, EXTRACT, {
    t: 'Wir suchen einen Softwareentwickler (m/w/d) mit Erfahrung in Python und DevOps für unser Team.',
  });
  assert.equal(skills.data!.extractSkills.detectedLanguage, 'de');
  assert.equal(skills.data!.extractSkills.languageSupported, false);
  assert.equal(skills.data!.extractSkills.noMatch, true);
});
