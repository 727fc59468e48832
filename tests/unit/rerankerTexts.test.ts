/**
 * The cross-encoder's texts carry the work and the skills, not the region (issue 16 item 3):
 * changing only the region of a candidate or a vacancy leaves the reranker's input identical,
 * while the embedder's texts (which keep the prose) do change.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  candidateText,
  rerankerCandidateText,
  rerankerVacancyText,
  vacancyText,
  withoutTerms,
} from '../../src/ranking/texts.js';

const candidate = (region: string) => ({
  summary: `Reliable nurse with 6 years of experience, based in ${region}. Solid knowledge of wound care.`,
  region,
  skills: ['administer medication', 'wound care'],
  occupations: ['specialist nurse'],
});

const vacancy = (region: string) => ({
  title: `Specialist nurse (${region})`,
  description: `Vita Nova Clinics is hiring a specialist nurse in ${region}. Day to day you administer medication.`,
  region,
  skills: ['administer medication', 'wound care'],
});

test('a candidate that differs only in region gives the same reranker text', () => {
  const a = rerankerCandidateText(candidate('Bavaria'));
  const b = rerankerCandidateText(candidate('Lombardy'));
  assert.equal(a, b);
  assert.equal(a, 'Experience as specialist nurse. Skills: administer medication, wound care.');
  // The embedder's text keeps the prose, so the region is in it: the test above is not vacuous.
  assert.notEqual(candidateText(candidate('Bavaria')), candidateText(candidate('Lombardy')));
});

test('a vacancy that differs only in region gives the same reranker text, title included', () => {
  const a = rerankerVacancyText(vacancy('Île-de-France'));
  const b = rerankerVacancyText(vacancy('Dublin Region'));
  assert.equal(a, b);
  assert.equal(a, 'Specialist nurse. Required skills: administer medication, wound care.');
  assert.ok(!a.includes('Vita Nova'), 'no organisation name (the description is not read)');
  assert.notEqual(vacancyText(vacancy('Île-de-France')), vacancyText(vacancy('Dublin Region')));
});

test('withoutTerms cuts whole words with their preposition, any case, and tidies what is left', () => {
  const regions = ['Bavaria', 'Dublin Region', 'Île-de-France'];
  assert.equal(withoutTerms('Registered Nurse - Bavaria', regions), 'Registered Nurse');
  assert.equal(withoutTerms('Nurse in bavaria, night shifts', regions), 'Nurse, night shifts');
  assert.equal(withoutTerms('Data scientist | Dublin Region', regions), 'Data scientist');
  assert.equal(withoutTerms('Nurse – Île-de-France', regions), 'Nurse');
  assert.equal(withoutTerms('Bavarian cook', regions), 'Bavarian cook', 'not a prefix of another word');
  assert.equal(withoutTerms('Cook', [null, undefined, '']), 'Cook');
  // Further region names (e.g. every region of the graph) are cut from the title too.
  assert.equal(
    rerankerVacancyText({ title: 'Cook, Vienna', region: 'Bavaria', skills: [] }, ['Vienna']),
    'Cook.',
  );
});
