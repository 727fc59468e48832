import assert from 'node:assert/strict';
import { test } from 'vitest';
import { cleanJobTitle } from '../../src/ranking/titleCleaning.js';

test('gender markers go, in parentheses, brackets or bare', () => {
  assert.equal(cleanJobTitle('Boucher (h/f/x)'), 'Boucher');
  assert.equal(cleanJobTitle('Monteur-câbleur (h/f:x)'), 'Monteur-câbleur');
  assert.equal(cleanJobTitle('Software Engineer (m/w/d)'), 'Software Engineer');
  assert.equal(cleanJobTitle('Nurse [m/f/d]'), 'Nurse');
  assert.equal(cleanJobTitle('Technicien (F/H)'), 'Technicien');
  assert.equal(cleanJobTitle('Vendeur H/F - CDI'), 'Vendeur');
  assert.equal(cleanJobTitle('Designer (all genders)'), 'Designer');
});

test('seniority, contract and advert noise go', () => {
  assert.equal(
    cleanJobTitle('Senior Accounts Payable - Korean Speaker '),
    'Accounts Payable - Korean Speaker',
  );
  assert.equal(cleanJobTitle('Junior Drafter'), 'Drafter');
  assert.equal(cleanJobTitle('Sr. Java Developer'), 'Java Developer');
  assert.equal(cleanJobTitle('Mid-Level Data Analyst'), 'Data Analyst');
  assert.equal(cleanJobTitle('Sales Executive (Full-time)'), 'Sales Executive');
  assert.equal(cleanJobTitle('Part-Time Cashier'), 'Cashier');
  assert.equal(cleanJobTitle('URGENT!! Hiring Waiter / Waitress'), 'Waiter / Waitress');
  assert.equal(cleanJobTitle('Internship - Junior Developer'), 'Developer');
  assert.equal(cleanJobTitle('Chef de projet confirmé(e) (h/f)'), 'Chef de projet');
});

test('a trailing grade goes', () => {
  assert.equal(cleanJobTitle('Production Operator 1'), 'Production Operator');
  assert.equal(cleanJobTitle('IT Manager III'), 'IT Manager');
  assert.equal(cleanJobTitle('Support Engineer L2'), 'Support Engineer');
});

test('occupation words that look like noise stay', () => {
  assert.equal(cleanJobTitle('H/W Engineer'), 'H/W Engineer');
  assert.equal(cleanJobTitle('Permanent Makeup Artist'), 'Permanent Makeup Artist');
  assert.equal(cleanJobTitle('Remote Sensing Technician'), 'Remote Sensing Technician');
  assert.equal(cleanJobTitle('Contract Manager'), 'Contract Manager');
  assert.equal(cleanJobTitle('Stage Manager'), 'Stage Manager');
  assert.equal(cleanJobTitle('Mobile Apps Developer (Full-stack)'), 'Mobile Apps Developer (Full-stack)');
});

test('a title that would be emptied is kept as it was', () => {
  assert.equal(cleanJobTitle('Senior'), 'Senior');
  assert.equal(cleanJobTitle('  (m/f/d) '), '(m/f/d)');
});

test('whitespace is collapsed', () => {
  assert.equal(cleanJobTitle('  Kitchen   Assistant  '), 'Kitchen Assistant');
});
