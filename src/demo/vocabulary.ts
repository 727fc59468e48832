/**
 * Fixed word lists and weights of the demo world: regions, names, organisations, and how common
 * each ISCO sub-major group is. Every person and organisation here is fictional.
 */

/** NUTS-like European regions with rough labour-market weights (bigger regions, more people). */
export const REGIONS: readonly { readonly name: string; readonly weight: number }[] = [
  { name: 'Île-de-France', weight: 14 },
  { name: 'Bavaria', weight: 11 },
  { name: 'Lombardy', weight: 10 },
  { name: 'Catalonia', weight: 9 },
  { name: 'Flanders', weight: 7 },
  { name: 'North Holland', weight: 7 },
  { name: 'Masovia', weight: 7 },
  { name: 'Vienna', weight: 6 },
  { name: 'Lisbon Metropolitan Area', weight: 6 },
  { name: 'Stockholm County', weight: 5 },
  { name: 'Attica', weight: 5 },
  { name: 'Dublin Region', weight: 5 },
];

/**
 * Relative share of people per ISCO-08 sub-major group (2 digits); unlisted groups get
 * `DEFAULT_GROUP_WEIGHT`. Skewed toward ICT, health, business and crafts so that many candidates
 * share occupations and vacancies attract applicants.
 */
export const ISCO_SUBMAJOR_WEIGHTS: Readonly<Record<string, number>> = {
  '25': 9, // ICT professionals
  '35': 4, // ICT technicians
  '22': 6, // health professionals
  '32': 4, // health associate professionals
  '53': 3, // personal care workers
  '24': 6, // business and administration professionals
  '33': 5, // business and administration associate professionals
  '41': 2, // general and keyboard clerks
  '42': 2, // customer services clerks
  '43': 2, // numerical and material recording clerks
  '52': 3, // sales workers
  '51': 2.5, // personal service workers
  '71': 3, // building trades
  '72': 3, // metal and machinery trades
  '74': 2.5, // electrical and electronics trades
  '75': 1.5, // food, wood, garment trades
  '83': 2.5, // drivers and mobile plant operators
  '21': 3, // science and engineering professionals
  '31': 2.5, // science and engineering associate professionals
  '23': 3, // teaching professionals
  '26': 1.5, // legal, social and cultural professionals
  '34': 1.5, // legal, social, cultural associate professionals
  '12': 1.5, // administrative and commercial managers
  '13': 1, // production and specialised services managers
  '14': 0.8, // hospitality and retail managers
  '81': 1.2, // stationary plant and machine operators
  '91': 1.5, // cleaners and helpers
  '93': 1.2, // labourers
  '96': 0.8, // refuse workers
};
export const DEFAULT_GROUP_WEIGHT = 0.4;

/**
 * Share of women among candidates per ISCO sub-major group where it departs from parity: mild
 * skews (nothing near 0 or 1), so fairness audits find something without caricature.
 */
export const FEMALE_SHARE_BY_SUBMAJOR: Readonly<Record<string, number>> = {
  '22': 0.64,
  '32': 0.68,
  '53': 0.72,
  '23': 0.62,
  '41': 0.6,
  '42': 0.6,
  '26': 0.56,
  '25': 0.32,
  '35': 0.3,
  '21': 0.36,
  '31': 0.35,
  '71': 0.22,
  '72': 0.22,
  '74': 0.25,
  '83': 0.25,
  '81': 0.33,
};
export const DEFAULT_FEMALE_SHARE = 0.49;
/** Shares of the genders that are neither female nor male, taken before the female/male split. */
export const NONBINARY_SHARE = 0.015;
export const UNDISCLOSED_SHARE = 0.03;

export const AGE_BANDS = [
  { band: '<25', weight: 10, minYears: 0, maxYears: 4 },
  { band: '25-34', weight: 30, minYears: 1, maxYears: 12 },
  { band: '35-44', weight: 28, minYears: 4, maxYears: 22 },
  { band: '45-54', weight: 20, minYears: 8, maxYears: 32 },
  { band: '55+', weight: 12, minYears: 12, maxYears: 42 },
] as const;

export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Amélie',
  'Anna',
  'Sofia',
  'Giulia',
  'Laura',
  'Marta',
  'Lucía',
  'Emma',
  'Léa',
  'Hanna',
  'Julia',
  'Maja',
  'Zofia',
  'Ingrid',
  'Eva',
  'Clara',
  'Chiara',
  'Inês',
  'Beatriz',
  'Elena',
  'Sara',
  'Nora',
  'Aoife',
  'Siobhán',
  'Eleni',
  'Katarzyna',
  'Astrid',
  'Linnea',
  'Manon',
  'Camille',
  'Fatima',
  'Amira',
  'Yasmin',
  'Priya',
  'Mia',
  'Lena',
  'Paula',
  'Carmen',
  'Francesca',
  'Ana',
];

export const MALE_FIRST_NAMES: readonly string[] = [
  'Lukas',
  'Jonas',
  'Matteo',
  'Lorenzo',
  'Pablo',
  'Javier',
  'Hugo',
  'Louis',
  'Thomas',
  'Pieter',
  'Jan',
  'Piotr',
  'Tomasz',
  'Erik',
  'Lars',
  'Nikos',
  'Giorgos',
  'João',
  'Tiago',
  'Seán',
  'Cian',
  'Felix',
  'Maximilian',
  'Marco',
  'Alessandro',
  'Daniel',
  'David',
  'Karim',
  'Omar',
  'Mehmet',
  'Arjun',
  'Noah',
  'Elias',
  'Oscar',
  'Luca',
  'Marc',
  'Jordi',
  'Bram',
  'Stefan',
  'Andrei',
];

export const NEUTRAL_FIRST_NAMES: readonly string[] = [
  'Alex',
  'Sam',
  'Robin',
  'Charlie',
  'Kim',
  'Andrea',
  'Noa',
  'Eden',
  'Jules',
  'Sasha',
  'Ariel',
  'Maxime',
];

export const SURNAMES: readonly string[] = [
  'Martin',
  'Bernard',
  'Dubois',
  'Lefèvre',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Wagner',
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'García',
  'Martínez',
  'López',
  'Sánchez',
  'Puig',
  'Peeters',
  'Janssens',
  'Maes',
  'De Vries',
  'Van Dijk',
  'Bakker',
  'Visser',
  'Nowak',
  'Kowalski',
  'Wiśniewski',
  'Wójcik',
  'Gruber',
  'Huber',
  'Bauer',
  'Silva',
  'Santos',
  'Ferreira',
  'Costa',
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Papadopoulos',
  'Georgiou',
  'Nikolaou',
  "O'Brien",
  'Murphy',
  'Kelly',
  'Byrne',
  'Walsh',
  'Yilmaz',
  'Kaya',
  'Haddad',
  'Benali',
  'Nguyen',
  'Popescu',
  'Horvat',
  'Novak',
  'Kovács',
  'Dimitrov',
];

/**
 * Fictional employers. `focus` lists ISCO prefixes (major or sub-major groups) they mostly hire
 * in; an empty list hires across the board (agencies, public bodies).
 */
export const ORGANIZATIONS: readonly {
  readonly name: string;
  readonly region: string;
  readonly focus: readonly string[];
}[] = [
  { name: 'Northwind Software', region: 'Île-de-France', focus: ['25', '35', '21', '24'] },
  { name: 'Bluepeak Cloud Services', region: 'Dublin Region', focus: ['25', '35', '33'] },
  { name: 'Lumen Data Labs', region: 'North Holland', focus: ['25', '21', '24'] },
  { name: 'Kestrel Cybersecurity', region: 'Bavaria', focus: ['25', '35'] },
  { name: 'Pixelforge Studios', region: 'Stockholm County', focus: ['25', '26', '34'] },
  { name: 'Santa Clara Hospital Group', region: 'Catalonia', focus: ['22', '32', '53', '91'] },
  { name: 'Vita Nova Clinics', region: 'Lombardy', focus: ['22', '32', '53'] },
  { name: 'Sankt Lukas Care Homes', region: 'Vienna', focus: ['53', '32', '51', '91'] },
  { name: 'Helios Pharmaceuticals', region: 'Flanders', focus: ['21', '22', '31', '81'] },
  { name: 'Meridian Diagnostics', region: 'Masovia', focus: ['22', '31', '32'] },
  { name: 'Atlas Consulting Partners', region: 'Île-de-France', focus: ['24', '12', '26', '33'] },
  { name: 'Orbis Accounting', region: 'Lisbon Metropolitan Area', focus: ['24', '33', '43', '41'] },
  { name: 'Fjord Financial', region: 'Stockholm County', focus: ['24', '33', '12', '25'] },
  { name: 'Crescent Insurance', region: 'Attica', focus: ['24', '33', '42', '41'] },
  { name: 'Ambra Legal', region: 'Lombardy', focus: ['26', '34', '41'] },
  { name: 'Brightline Retail', region: 'Dublin Region', focus: ['52', '14', '42', '93'] },
  { name: 'Mercado Verde Supermarkets', region: 'Catalonia', focus: ['52', '75', '93', '14'] },
  { name: 'Hanse Logistics', region: 'Bavaria', focus: ['83', '43', '93', '13'] },
  { name: 'Tagus Freight', region: 'Lisbon Metropolitan Area', focus: ['83', '43', '93'] },
  { name: 'Vistula Transport', region: 'Masovia', focus: ['83', '93', '72'] },
  { name: 'Solidbau Construction', region: 'Bavaria', focus: ['71', '31', '21', '93'] },
  { name: 'Ferro Alpine Engineering', region: 'Vienna', focus: ['72', '21', '31', '81'] },
  { name: 'Delta Electrical Services', region: 'Flanders', focus: ['74', '31', '71'] },
  { name: 'Lombard Precision Machining', region: 'Lombardy', focus: ['72', '81', '82', '31'] },
  { name: 'Aegean Shipyards', region: 'Attica', focus: ['72', '31', '83', '21'] },
  { name: 'Greenfield Energy', region: 'North Holland', focus: ['21', '31', '74', '13'] },
  { name: 'Boulangerie Maison Roux', region: 'Île-de-France', focus: ['75', '51', '52'] },
  { name: 'Grand Hotel Meridiana', region: 'Lombardy', focus: ['51', '14', '94', '91'] },
  { name: 'Costa Azul Resorts', region: 'Catalonia', focus: ['51', '14', '94', '52'] },
  { name: 'Linden Academy Trust', region: 'Dublin Region', focus: ['23', '34', '41'] },
  { name: 'Universitas Nova', region: 'Masovia', focus: ['23', '21', '26'] },
  { name: 'Nordic Learning Institute', region: 'Stockholm County', focus: ['23', '26', '24'] },
  { name: 'CityWorks Public Services', region: 'Vienna', focus: [] },
  { name: 'Europa Staffing', region: 'Flanders', focus: [] },
  { name: 'Talentia Recruitment', region: 'Attica', focus: [] },
  { name: 'Regional Health Authority', region: 'Lisbon Metropolitan Area', focus: ['22', '32', '24', '41'] },
  { name: 'Polder Agritech', region: 'North Holland', focus: ['61', '62', '31', '81'] },
  { name: 'Sierra Mining Group', region: 'Catalonia', focus: ['81', '31', '21', '93'] },
  { name: 'Alto Adige Textiles', region: 'Lombardy', focus: ['75', '81', '82'] },
  { name: 'Metro Facility Services', region: 'Île-de-France', focus: ['91', '51', '54', '96'] },
];

/** Sentences that close a CV summary: colour, never skills. */
export const SUMMARY_CLOSINGS: readonly string[] = [
  'Looking for a new challenge in a collaborative team.',
  'Open to relocation within Europe.',
  'Fluent in English and comfortable in international teams.',
  'Available to start within one month.',
  'Interested in roles with room to grow and to mentor others.',
  'Happy to work shifts and weekends when needed.',
  'Currently looking for a permanent position.',
  'Keen to keep learning and to share what I know.',
  'Known for reliability and a calm approach under pressure.',
  'Prefer hybrid work, but flexible.',
];

export const SUMMARY_ADJECTIVES: readonly string[] = [
  'Experienced',
  'Motivated',
  'Detail-oriented',
  'Versatile',
  'Dependable',
  'Hands-on',
  'Results-driven',
  'Friendly and organised',
];

export const VACANCY_OFFERS: readonly string[] = [
  'We offer a permanent contract, a learning budget and hybrid working.',
  'You can expect a friendly team, flexible hours and a competitive salary.',
  'We offer training on the job, a pension plan and 28 days of holiday.',
  'Full-time position; relocation support is available.',
  'The position is full-time with an attractive benefits package.',
  'Join a growing team with clear career paths.',
];
