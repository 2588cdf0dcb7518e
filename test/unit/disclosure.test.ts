import { describe, expect, test } from 'vitest';
import type { ChildAdult } from '../../src/db/repositories/children.ts';
import { adultsVisibleTo, childAddressVisibleTo } from '../../src/domain/children/disclosure.ts';

const adult = (id: string, userId: string | null, doNotDiscloseAddress: boolean): ChildAdult => ({
  id,
  userId,
  firstName: 'Sam',
  lastName: id,
  relationship: 'parent',
  parentalResponsibility: true,
  livesWith: true,
  providesEducation: false,
  phone: '07700 900001',
  email: `${id}@family.example`,
  addressLine1: `${id} Road`,
  town: 'Brackenthwaite',
  postcode: 'NZ1 1AA',
  doNotDiscloseAddress,
  contactPreference: 'any',
  contactFormat: null,
  contactLanguage: null,
});

describe('who sees a parent’s address', () => {
  const family = [adult('viewer', 'user-1', false), adult('protected', 'user-2', true), adult('open', null, false)];

  test('council staff see every address, flags included', () => {
    expect(adultsVisibleTo('staff', family, 'officer')).toEqual(family);
  });

  test('schools and partners see no adults through the child’s record', () => {
    expect(adultsVisibleTo('partners', family, 'school-user')).toEqual([]);
  });

  test('a parent never sees the address or contact details of an adult marked do not disclose', () => {
    const seen = adultsVisibleTo('family', family, 'user-1');
    expect(seen.find((a) => a.id === 'protected')).toMatchObject({ addressLine1: null, town: null, postcode: null, phone: null, email: null });
    expect(seen.find((a) => a.id === 'open')!.addressLine1).toBe('open Road');
    expect(seen.find((a) => a.id === 'viewer')!.addressLine1).toBe('viewer Road');
  });

  test('the protected adult still sees their own address', () => {
    expect(adultsVisibleTo('family', family, 'user-2').find((a) => a.id === 'protected')!.addressLine1).toBe('protected Road');
  });
});

describe('who sees the child’s own address', () => {
  const family = [adult('viewer', 'user-1', false), adult('protected', 'user-2', true)];

  test('a parent does not see it when it is the protected parent’s address, however it is written', () => {
    expect(childAddressVisibleTo('family', { addressLine1: 'protected road ', postcode: 'nz11aa' }, family, 'user-1')).toBe(false);
  });

  test('the protected parent sees their own, staff always, and another address shows', () => {
    expect(childAddressVisibleTo('family', { addressLine1: 'protected Road', postcode: 'NZ1 1AA' }, family, 'user-2')).toBe(true);
    expect(childAddressVisibleTo('staff', { addressLine1: 'protected Road', postcode: 'NZ1 1AA' }, family, 'officer')).toBe(true);
    expect(childAddressVisibleTo('family', { addressLine1: 'viewer Road', postcode: 'NZ1 1AA' }, family, 'user-1')).toBe(true);
  });
});
