export * from './councils.ts';
export * from './schools.ts';
export * from './users.ts';
export * from './children.ts';
export * from './events.ts';
export * from './audit.ts';
export * from './register.ts';
export * from './ehe.ts';
