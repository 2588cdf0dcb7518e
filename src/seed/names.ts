/**
 * Word lists for the synthetic Northshire data. The faker en_GB locale has no person names of its
 * own (it falls back to a US list), so the seed draws names from these lists with its seeded faker
 * instance instead. Every person in the seed is a random first name paired with a random surname;
 * nobody is described. Surnames that would pair with a listed first name into the name of a
 * well-known person are left out. Northshire, its towns, schools and streets are invented, and
 * its postcodes use the area letters NZ, which no UK postcode area uses.
 */

/** First names common among children born in England from about 2009 to 2025. */
export const CHILD_FIRST_NAMES = {
  female: [
    'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya',
    'Florence', 'Willow', 'Evie', 'Poppy', 'Ella', 'Daisy', 'Sienna', 'Elsie', 'Phoebe', 'Matilda', 'Harriet',
    'Maya', 'Aria', 'Zara', 'Aisha', 'Maryam', 'Hafsa', 'Zofia', 'Amara', 'Imogen', 'Chloe', 'Jessica', 'Millie',
    'Ruby', 'Erin', 'Niamh', 'Holly', 'Megan', 'Lacey', 'Esme', 'Thea', 'Layla', 'Nell', 'Iris', 'Martha',
    'Priya', 'Anaya', 'Oliwia', 'Ada', 'Beatrice', 'Eliza', 'Georgia', 'Lottie', 'Hannah',
  ],
  male: [
    'Noah', 'Oliver', 'George', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Jack', 'Charlie', 'Freddie',
    'Theo', 'Alfie', 'Archie', 'Henry', 'Jacob', 'Finley', 'Tommy', 'Louie', 'Reggie', 'Rory', 'Ezra', 'Ibrahim',
    'Yusuf', 'Kacper', 'Jakub', 'Tobi', 'Samuel', 'Thomas', 'Joshua', 'William', 'Alexander', 'Benjamin', 'Ethan',
    'Dylan', 'Mason', 'Logan', 'Riley', 'Kai', 'Ronnie', 'Harvey', 'Elliot', 'Zain', 'Ayaan', 'Callum', 'Owen',
    'Jenson', 'Stanley', 'Albie', 'Bobby', 'Hugo', 'Luca', 'Felix', 'Seth', 'Jayden', 'Aaron',
  ],
} as const;

/** First names common among adults of parenting age in England. */
export const ADULT_FIRST_NAMES = {
  female: [
    'Sarah', 'Laura', 'Gemma', 'Rebecca', 'Claire', 'Lisa', 'Kelly', 'Danielle', 'Jade', 'Natalie', 'Stacey',
    'Amy', 'Charlotte', 'Hayley', 'Nicola', 'Joanne', 'Kirsty', 'Leanne', 'Vicky', 'Rachel', 'Helen', 'Louise',
    'Samantha', 'Katie', 'Zoe', 'Naomi', 'Fatima', 'Shazia', 'Agnieszka', 'Chidinma', 'Bethan', 'Carys',
    'Siobhan', 'Tanya', 'Melanie', 'Donna', 'Kerry', 'Lindsey', 'Jodie', 'Sadia', 'Ewa', 'Alison',
  ],
  male: [
    'Daniel', 'Matthew', 'Christopher', 'Craig', 'Ryan', 'Jamie', 'Mark', 'Stephen', 'Liam', 'Gareth',
    'Dean', 'Wayne', 'Carl', 'Richard', 'Andrew', 'Simon', 'Neil', 'Darren', 'Jason', 'Martin', 'Kieran', 'Scott',
    'Ashley', 'Tariq', 'Adeel', 'Piotr', 'Tomasz', 'Emeka', 'Kwame', 'Rhys', 'Dominic', 'Gavin', 'Stuart',
    'Nathan', 'Shaun', 'Robert', 'Anthony', 'Paul', 'Karl', 'Bilal', 'Marek', 'Graham',
  ],
} as const;

/** Surnames common in England. */
export const SURNAMES = [
  'Taylor', 'Davies', 'Evans', 'Roberts', 'Walker', 'Wright', 'Thompson', 'Hughes',
  'Edwards', 'Green', 'Harris', 'Martin', 'Turner', 'Ward',
  'Clark', 'Lee', 'Baker', 'Mitchell', 'Bell',
  'Shaw', 'Richardson', 'Bailey', 'Collins', 'Marshall', 'Webb', 'Ellis', 'Chapman', 'Mason',
  'Barnes', 'Knight', 'Lloyd', 'Butler', 'Fisher', 'Stevens', 'Pearson', 'Fletcher',
  'Dawson', 'Hudson', 'Atkinson', 'Hayes', 'Patel', 'Khan', 'Hussain', 'Ahmed', 
  'Akhtar', 'Rahman', 'Iqbal', 'Mahmood', 'Nowak', 'Kowalski', 'Wisniewski', 'Okafor', 'Adeyemi', 'Mensah',
  'Owusu', 'Murphy', "O'Neill", 'Doherty', 'Quinn', 'Reid', 'Fraser', 'Sutcliffe', 'Ackroyd',
  'Heseltine', 'Crowther', 'Greenwood', 'Pickering', 'Hargreaves', 'Whitworth', 'Broadbent', 'Haigh', 'Lockwood',
  'Ramsden', 'Sykes', 'Birtwistle', 'Entwistle', 'Pilkington', 'Hollingworth', 'Ormerod', 'Tattersall',
] as const;

/** Familiar forms that a child may prefer to be called by. */
export const PREFERRED_NAMES: Readonly<Record<string, string>> = {
  Oliver: 'Ollie',
  Thomas: 'Tom',
  Alexander: 'Alex',
  Benjamin: 'Ben',
  Samuel: 'Sam',
  William: 'Will',
  Joshua: 'Josh',
  Isabella: 'Bella',
  Matilda: 'Tilly',
  Eliza: 'Lizzie',
  Florence: 'Flo',
  Beatrice: 'Bea',
  Harriet: 'Hattie',
  Alfie: 'Alf',
};

/** An invented Northshire town and the postcode district that covers it. */
export interface NorthshireDistrict {
  outward: string;
  town: string;
}

export const NORTHSHIRE_DISTRICTS: readonly NorthshireDistrict[] = [
  { outward: 'NZ1', town: 'Northby' },
  { outward: 'NZ2', town: 'Northby' },
  { outward: 'NZ3', town: 'Ashworth' },
  { outward: 'NZ4', town: 'Kelderton' },
  { outward: 'NZ5', town: 'Marrowby' },
  { outward: 'NZ6', town: 'Fenwick Cross' },
  { outward: 'NZ7', town: 'Hollinsford' },
  { outward: 'NZ8', town: 'Brackenthwaite' },
  { outward: 'NZ9', town: 'Saltmarsh Bridge' },
];

/** Letters a UK inward code may use (never C, I, K, M, O or V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export const STREET_NAMES = [
  'Mill', 'Church', 'Station', 'Chapel', 'Victoria', 'Albert', 'Beech', 'Ash', 'Rowan', 'Hawthorn', 'Willow',
  'Moor', 'Fell', 'Beck', 'Tarn', 'Heather', 'Bracken', 'Foundry', 'Weavers', 'Canal', 'Quarry', 'Orchard',
  'Meadow', 'Brook', 'Castle', 'Abbey', 'Priory', 'Market', 'Bridge', 'Ridge', 'Holly', 'Laurel', 'Cedar',
  'Sycamore', 'Kestrel', 'Curlew', 'Lapwing', 'Heron', 'Elmwood', 'Greenbank', 'Spring', 'Well', 'Clough',
] as const;

export const STREET_SUFFIXES = [
  'Road', 'Street', 'Lane', 'Close', 'Avenue', 'Drive', 'Way', 'Crescent', 'Gardens', 'Grove', 'Terrace',
  'Court', 'Mews', 'Rise', 'View', 'Place', 'Walk',
] as const;

/** A school in the invented Northshire estate. */
export interface NorthshireSchool {
  name: string;
  /** e.g. community, academy, voluntary aided, foundation, special, pupil referral unit */
  type: string;
  /** primary, secondary, all-through or special */
  phase: 'primary' | 'secondary' | 'all-through' | 'special';
  /** 4-digit DfE establishment number: 1xxx PRU, 2xxx–3xxx primary, 4xxx–6xxx secondary, 7xxx special. */
  establishmentNumber: string;
  outward: string;
}

/**
 * Northshire's schools in URN order from 999101. The first is the demo school (a secondary
 * academy) that the demo school user works at.
 */
export const NORTHSHIRE_SCHOOLS: readonly NorthshireSchool[] = [
  { name: 'Northshire Valley Academy', type: 'academy', phase: 'secondary', establishmentNumber: '4000', outward: 'NZ1' },
  { name: 'Ashworth Lane Primary School', type: 'community', phase: 'primary', establishmentNumber: '2001', outward: 'NZ3' },
  { name: 'Kestrel Fields Primary School', type: 'community', phase: 'primary', establishmentNumber: '2002', outward: 'NZ2' },
  { name: "St Aldhelm's Church of England Primary School", type: 'voluntary aided', phase: 'primary', establishmentNumber: '3001', outward: 'NZ1' },
  { name: 'Moorcroft Infant and Junior School', type: 'community', phase: 'primary', establishmentNumber: '2003', outward: 'NZ4' },
  { name: 'Hollinsford Green Primary School', type: 'foundation', phase: 'primary', establishmentNumber: '2004', outward: 'NZ7' },
  { name: 'Brackenthwaite Community Primary School', type: 'community', phase: 'primary', establishmentNumber: '2005', outward: 'NZ8' },
  { name: 'Fernlea Primary Academy', type: 'academy', phase: 'primary', establishmentNumber: '2006', outward: 'NZ5' },
  { name: 'Whinmoor Park Primary School', type: 'community', phase: 'primary', establishmentNumber: '2007', outward: 'NZ6' },
  { name: 'Tarnside Primary School', type: 'academy', phase: 'primary', establishmentNumber: '2008', outward: 'NZ9' },
  { name: "Our Lady of the Fells Catholic Primary School", type: 'voluntary aided', phase: 'primary', establishmentNumber: '3002', outward: 'NZ4' },
  { name: 'Saltmarsh Bridge Primary School', type: 'community', phase: 'primary', establishmentNumber: '2009', outward: 'NZ9' },
  { name: 'Castle Heath School', type: 'community', phase: 'secondary', establishmentNumber: '4001', outward: 'NZ2' },
  { name: 'Kelderton High School', type: 'foundation', phase: 'secondary', establishmentNumber: '4002', outward: 'NZ4' },
  { name: 'Marrowby Academy', type: 'academy', phase: 'secondary', establishmentNumber: '4003', outward: 'NZ5' },
  { name: "St Wilfrid's Catholic High School", type: 'voluntary aided', phase: 'secondary', establishmentNumber: '4600', outward: 'NZ6' },
  { name: 'Fenwick Cross All-Through Academy', type: 'academy', phase: 'all-through', establishmentNumber: '4004', outward: 'NZ6' },
  { name: 'Hollinsford School', type: 'community', phase: 'secondary', establishmentNumber: '4005', outward: 'NZ7' },
  { name: 'Meadowbank School', type: 'special', phase: 'special', establishmentNumber: '7001', outward: 'NZ3' },
  { name: 'Northshire Pupil Referral Unit', type: 'pupil referral unit', phase: 'secondary', establishmentNumber: '1100', outward: 'NZ1' },
];
