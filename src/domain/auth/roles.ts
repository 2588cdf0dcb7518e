/** Every role a person or system can act with in Cairn. */
export const ROLES = [
  'ehe_officer',
  'cme_officer',
  'mash_worker',
  'social_worker',
  'team_manager',
  'school_user',
  'health_visitor',
  'parent',
  'data_officer',
  'administrator',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  ehe_officer: 'Elective home education officer',
  cme_officer: 'Children missing education officer',
  mash_worker: 'MASH worker',
  social_worker: 'Social worker',
  team_manager: 'Team manager',
  school_user: 'School user',
  health_visitor: 'Health visitor',
  parent: 'Parent or carer',
  data_officer: 'Data officer',
  administrator: 'Administrator',
};

/** Council staff who work with any child's record in the council's area. */
export const COUNCIL_CASEWORK_ROLES: readonly Role[] = [
  'ehe_officer',
  'cme_officer',
  'mash_worker',
  'social_worker',
  'team_manager',
];

/** Children's social care: the only staff who record whether a child is looked after, in need or protected. */
export const SOCIAL_CARE_ROLES: readonly Role[] = ['mash_worker', 'social_worker', 'team_manager'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Caseworkers keep case notes and follow-ups of their own. */
export function hasCaseworkRole(role: Role): boolean {
  return COUNCIL_CASEWORK_ROLES.includes(role);
}
