import assert from 'node:assert/strict';
import { test } from 'vitest';
import { blankBoilerplate, boilerplateSpans } from '../../src/text/boilerplate.js';
import { detectLanguage } from '../../src/text/languageDetect.js';
import { lexicalSupport, stem, words } from '../../src/text/lexicalSupport.js';

test('lookalike labels of the issue are rejected: letters shared, no whole word', () => {
  assert.equal(lexicalSupport('Experience with Docker and Kubernetes', 'dock operations').lookalike, true);
  assert.equal(lexicalSupport('Terraform and scikit-learn', 'maintain terrazzo').lookalike, true);
  assert.equal(lexicalSupport('Terraform and scikit-learn', 'learning difficulties').lookalike, true);
  assert.equal(lexicalSupport('We build models with scikit-learn', 'learning difficulties').lookalike, true);
});

test('labels resting on a whole word, a stem or every part of a compound are kept', () => {
  for (const [text, label] of [
    ['Experience with Docker', 'use Docker'],
    ['managed a team of five', 'manage staff'],
    ['problem-solving', 'solve problems'],
    ['operating a dock crane', 'dock operations'],
    ['good communication', 'communicate with customers'],
    ['cleaned rooms daily', 'clean rooms'],
  ] as const) {
    const s = lexicalSupport(text, label);
    assert.equal(s.lookalike, false, `${text} -> ${label}`);
  }
  assert.equal(lexicalSupport('cleaned rooms daily', 'clean rooms').coverage, 1);
  assert.equal(lexicalSupport('problem-solving', 'solve problems').partCoverage, 1);
  // A dense synonym sharing no letters is neither supported nor a lookalike.
  assert.deepEqual(lexicalSupport('looked after children', 'babysitting'), {
    coverage: 0,
    partCoverage: 0,
    lookalike: false,
  });
});

test('words keep compounds and drop function words; stems drop one ending', () => {
  assert.deepEqual(words('Use of scikit-learn, Node.js and C++'), ['scikit-learn', 'node.js', 'c++']);
  assert.equal(stem('learning'), 'learn');
  assert.equal(stem('managed'), stem('manage'));
  assert.equal(stem('docker'), 'docker');
});

test('gender markers, salary lines, contract words and benefits are blanked, offsets kept', () => {
  const text =
    'Softwareentwickler (m/w/d). Salary: €55,000 - €65,000 per year. Python and SQL; full-time, health insurance';
  const blanked = blankBoilerplate(text);
  assert.equal(blanked.length, text.length);
  assert.ok(!/m\/w\/d/.test(blanked), blanked);
  assert.ok(!/Salary|55,000|per year/.test(blanked), blanked);
  assert.ok(!/full-time|health insurance/.test(blanked), blanked);
  assert.ok(blanked.includes('Softwareentwickler'));
  assert.equal(blanked.indexOf('Python and SQL'), text.indexOf('Python and SQL'));
  for (const marker of ['Data analyst f/m/x', 'Vendeur (h/f)', 'Engineer (m/f/d)', 'Nurse (all genders)'])
    assert.equal(boilerplateSpans(marker).length, 1, marker);
  // A salary statement ends at its sentence: the skill after it stays.
  assert.ok(
    blankBoilerplate('Pay €40.000 a year. Experience with Python.').includes('Experience with Python'),
  );
  assert.deepEqual(boilerplateSpans('Experience with Python and SQL'), []);
});

test('language: German titles are detected, English and French ones never flagged as another language', () => {
  assert.equal(detectLanguage('Softwareentwickler (m/w/d)').language, 'de');
  assert.equal(detectLanguage('Verkäuferin im Einzelhandel').language, 'de');
  assert.equal(detectLanguage('Vendeur H/F - CDI').language, 'fr');
  assert.equal(detectLanguage('Chargé de clientèle').language, 'fr');
  assert.equal(detectLanguage('We are looking for a nurse with experience in the ICU').language, 'en');
  for (const t of ['Backend Engineer', 'Registered Nurse - ICU (night shifts)', 'Data Scientist', 'Boucher'])
    assert.ok([null, 'en', 'fr'].includes(detectLanguage(t).language), t);
});
