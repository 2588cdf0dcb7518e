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

const sameAddress = (line1: string | null, postcode: string | null, otherLine1: string, otherPostcode: string) =>
  line1 !== null &&
  postcode !== null &&
  line1.trim().toLowerCase() === otherLine1.trim().toLowerCase() &&
  postcode.replace(/\s+/g, '').toUpperCase() === otherPostcode.replace(/\s+/g, '').toUpperCase();

/**
 * Whether a parent may see the child's own address. Not when it is the address of another adult
 * marked "do not disclose": a child living with that adult would otherwise give it away.
 */
export function childAddressVisibleTo(
  audience: TimelineAudience,
  child: { addressLine1: string; postcode: string },
  adults: readonly ChildAdult[],
  viewerUserId: string | null,
): boolean {
  if (audience !== 'family') return true;
  return !adults.some((adult) => adult.doNotDiscloseAddress && adult.userId !== viewerUserId && sameAddress(adult.addressLine1, adult.postcode, child.addressLine1, child.postcode));
}
