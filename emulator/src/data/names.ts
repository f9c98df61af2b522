// Word lists for generated people and companies. Plain ASCII so emails stay valid.

// prettier-ignore
export const FIRST_NAMES = [
  "Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Ava", "Elijah", "Mia", "James", "Sofia", "Lucas", "Emma", "Mateo", "Chloe",
  "Ivan", "Maria", "Georgi", "Elena", "Dimitar", "Yana", "Hugo", "Lea", "Felix", "Clara", "Jonas", "Ines", "Tiago", "Beatriz", "Aisha",
  "Omar", "Priya", "Arjun", "Mei", "Hiroshi", "Yuki", "Kwame", "Zara", "Leon", "Nora",
];

// prettier-ignore
export const LAST_NAMES = [
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Walker", "Evans", "Thomas", "Roberts",
  "Ivanov", "Petrova", "Georgiev", "Dimitrova", "Mueller", "Schmidt", "Fischer", "Weber", "Silva", "Santos", "Costa", "Pereira", "Garcia",
  "Martinez", "Rossi", "Bianchi", "Kim", "Nguyen", "Chen", "Tanaka", "Okafor", "Mensah", "Haddad", "Novak", "Horvat", "Larsen",
];

// prettier-ignore
export const COMPANY_WORDS = [
  "Blue", "North", "Bright", "Quantum", "Silver", "Cedar", "Harbor", "Summit", "Pixel", "Atlas", "Nimbus", "Orbit", "Copper", "Maple",
  "Vertex", "Lumen", "Falcon", "Willow", "Granite", "Echo",
];

export const COMPANY_NOUNS = [
  "Labs",
  "Studio",
  "Ventures",
  "Works",
  "Digital",
  "Analytics",
  "Design",
  "Partners",
  "Systems",
  "Collective",
];

export const COMPANY_SUFFIXES = ["Ltd", "GmbH", "Inc", "LLC", "OOD", "Lda"];

export const MEMBER_TAGS = ["vip", "night-owl", "founder", "remote", "events"];
