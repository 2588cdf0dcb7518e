import type { Role } from './roles.ts';

/**
 * Who is acting: a signed-in person, a system calling the API with a token, or Cairn itself
 * (jobs, the CLI). Every use case takes one, and every audit row names one.
 */
export interface Actor {
  kind: 'user' | 'api-client' | 'system';
  id: string | null;
  label: string;
  role: Role | 'system';
  /** For school users and school API clients: the school whose roll they work with. */
  schoolId: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, label: 'Cairn', role: 'system', schoolId: null };

/** The per-request facts every use case needs alongside its input. */
export interface UseCaseContext {
  actor: Actor;
  correlationId: string;
  now: Date;
}
