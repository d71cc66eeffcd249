export * from './archive.ts';
export * from './errors.ts';
export { urlKey } from './url-key.ts';
export { loadMigrations, migrate, type Migration } from './migrations.ts';
export { recrawlDecision, listWalkMayStop, DEFAULT_RECRAWL_POLICY, type RecrawlPolicy, type RecrawlDecision } from './recrawl-policy.ts';
