import type { Role } from '../domain/auth/roles.ts';

/**
 * The people a visitor can sign in as on the embedded identity provider. The seed creates a user
 * for each (issuer = the embedded issuer, subject = `subject`); the identity provider offers them.
 * Names are invented for the demo council and belong to nobody.
 */
export interface DemoAccount {
  subject: string;
  displayName: string;
  email: string;
  role: Role;
  /** Which sign-in client offers the account: council and partner staff, or parents. */
  audience: 'staff' | 'parent';
  /** For school users: the URN of the seeded school they work at. */
  schoolUrn?: string;
  organisation?: string;
}

export const DEMO_SCHOOL_URN = '999101';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { subject: 'demo-ehe-officer', displayName: 'Avery Thornbury', email: 'avery.thornbury@northshire.example', role: 'ehe_officer', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-cme-officer', displayName: 'Rowan Pellow', email: 'rowan.pellow@northshire.example', role: 'cme_officer', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-mash-worker', displayName: 'Morgan Haddleston', email: 'morgan.haddleston@northshire.example', role: 'mash_worker', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-social-worker', displayName: 'Jordan Kettleby', email: 'jordan.kettleby@northshire.example', role: 'social_worker', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-team-manager', displayName: 'Casey Wrenfield', email: 'casey.wrenfield@northshire.example', role: 'team_manager', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-school-user', displayName: 'Harper Luxmoore', email: 'harper.luxmoore@school.northshire.example', role: 'school_user', audience: 'staff', schoolUrn: DEMO_SCHOOL_URN },
  { subject: 'demo-health-visitor', displayName: 'Emerson Tolleshunt', email: 'emerson.tolleshunt@health.example', role: 'health_visitor', audience: 'staff', organisation: 'Northshire Community Health' },
  { subject: 'demo-data-officer', displayName: 'Sidney Carrowmore', email: 'sidney.carrowmore@northshire.example', role: 'data_officer', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-administrator', displayName: 'Quinn Ashcombe', email: 'quinn.ashcombe@northshire.example', role: 'administrator', audience: 'staff', organisation: 'Northshire Council' },
  { subject: 'demo-parent', displayName: 'Robin Fairweather', email: 'robin.fairweather@family.example', role: 'parent', audience: 'parent' },
];
