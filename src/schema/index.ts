export * from './figure-keys.ts';
export * from './parse-result.ts';
export * from './site-config.ts';
export * from './jobs.ts';
