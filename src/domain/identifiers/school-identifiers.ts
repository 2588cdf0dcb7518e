/**
 * Identifiers for schools and councils from Get Information About Schools and the DfE:
 * URN (6 digits), LA number (3 digits) and LAESTAB (LA number + 4-digit establishment number).
 */

/** URNs arrive from GIAS extracts and forms; a bad one would silently fail to match a school. */
export function isValidUrn(urn: string): boolean {
  return /^[0-9]{6}$/.test(urn);
}

/** LAESTABs key school returns to the DfE, so a malformed one must be refused at the edge. */
export function isValidLaestab(laestab: string): boolean {
  return /^[0-9]{7}$/.test(laestab);
}

/** The LA number prefixes UPNs and LAESTABs; configuration must not accept anything else. */
export function isValidLaNumber(laNumber: string): boolean {
  return /^[0-9]{3}$/.test(laNumber);
}

/** Builds a LAESTAB so generated and imported schools agree on the same 7-digit form. */
export function makeLaestab(laNumber: string, establishmentNumber: string): string {
  if (!isValidLaNumber(laNumber)) throw new RangeError('laNumber must be 3 digits');
  if (!/^[0-9]{4}$/.test(establishmentNumber)) throw new RangeError('establishmentNumber must be 4 digits');
  return laNumber + establishmentNumber;
}
