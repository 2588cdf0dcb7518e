export * from './upn.ts';
export * from './nhs-number.ts';
export * from './postcode.ts';
export * from './school-identifiers.ts';
