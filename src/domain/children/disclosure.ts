import type { ChildAdult } from '../../db/repositories/children.ts';
import type { TimelineAudience } from '../auth/policies.ts';

/**
 * What of a child's parents and carers each audience may see. Council staff see everything,
 * including which addresses must not be disclosed. A parent sees the family, but never the address
 * or contact details of another adult marked "do not disclose address". Schools and partners see
 * no adults' details through the child's record.
 */
export function adultsVisibleTo(audience: TimelineAudience, adults: readonly ChildAdult[], viewerUserId: string | null): ChildAdult[] {
  switch (audience) {
    case 'staff':
      return [...adults];
    case 'partners':
      return [];
    case 'family':
      return adults.map((adult) =>
        adult.doNotDiscloseAddress && adult.userId !== viewerUserId ? { ...adult, addressLine1: null, town: null, postcode: null, phone: null, email: null } : adult,
      );
  }
}
