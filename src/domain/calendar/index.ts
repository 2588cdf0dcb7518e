export * from './working-days.ts';
export * from './bank-holidays.ts';
