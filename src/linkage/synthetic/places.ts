/**
 * Invented addresses in Northshire, the fictional council the rest of Cairn's demo data uses. Its
 * postcodes use the area letters NZ (districts NZ1 to NZ9), which no UK postcode area uses, so a
 * generated address can never be someone's home. Streets sit in one district each, and a
 * stretch of house numbers on a street shares one postcode, as real postcodes group about fifteen
 * neighbouring addresses: siblings and neighbours then collide on postcode as they do in real data.
 */

export const POSTCODE_DISTRICTS = ['NZ1', 'NZ2', 'NZ3', 'NZ4', 'NZ5', 'NZ6', 'NZ7', 'NZ8', 'NZ9'] as const;

/** Letters a UK inward code may use (never C, I, K, M, O or V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export const STREET_NAMES = [
  'Mill', 'Church', 'Station', 'Chapel', 'Victoria', 'Albert', 'Beech', 'Ash', 'Rowan', 'Hawthorn', 'Willow',
  'Moor', 'Fell', 'Beck', 'Tarn', 'Heather', 'Bracken', 'Foundry', 'Weavers', 'Canal', 'Quarry', 'Orchard',
  'Meadow', 'Brook', 'Castle', 'Abbey', 'Priory', 'Market', 'Bridge', 'Ridge', 'Holly', 'Laurel', 'Cedar',
  'Sycamore', 'Kestrel', 'Curlew', 'Lapwing', 'Heron', 'Elmwood', 'Greenbank', 'Spring', 'Well', 'Clough',
  'Park', 'School', 'Queen', 'King', 'Princess', 'Manor', 'Grange', 'Hall', 'Farm', 'Windmill', 'Oakfield',
  'Fernlea', 'Whinmoor', 'Moorcroft', 'Kelderton', 'Marrowby', 'Ashworth', 'Northby', 'Hollinsford', 'Tarnside',
  'Saltmarsh', 'Fenwick', 'Brackenthwaite', 'Glebe', 'Vicarage', 'Rectory', 'Cross', 'Poplar', 'Larch', 'Alder',
  'Birch', 'Chestnut', 'Lime', 'Maple', 'Hazel', 'Juniper', 'Blackthorn', 'Primrose', 'Bluebell', 'Foxglove',
  'Clover', 'Thistle', 'Swallow', 'Wren', 'Linnet', 'Skylark', 'Plover', 'Osprey', 'Falcon', 'Badger', 'Otter',
  'Beacon', 'Hillside', 'Valley', 'Riverside', 'Lakeside', 'Woodland', 'Forge', 'Tannery', 'Ropewalk', 'Dyehouse',
  'Carr', 'Ings', 'Holme', 'Garth', 'Croft', 'Intake', 'Nab', 'Scar', 'Gill', 'Pike',
] as const;

export const STREET_TYPES = [
  'Road', 'Street', 'Lane', 'Close', 'Avenue', 'Drive', 'Way', 'Crescent', 'Gardens', 'Grove', 'Terrace',
  'Court', 'Mews', 'Rise', 'View', 'Place', 'Walk',
] as const;

/** Street-type spellings that different systems abbreviate, for address noise. */
export const STREET_TYPE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  Road: 'Rd', Street: 'St', Lane: 'Ln', Close: 'Cl', Avenue: 'Ave', Drive: 'Dr', Crescent: 'Cres', Gardens: 'Gdns',
  Grove: 'Gr', Terrace: 'Ter', Court: 'Ct', Place: 'Pl',
};
