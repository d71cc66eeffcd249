export * from './archive.ts';
export * from './errors.ts';
export { urlKey } from './url-key.ts';
export { loadMigrations, migrate, type Migration } from './migrations.ts';
