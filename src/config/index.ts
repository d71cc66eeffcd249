export { loadSiteList, parseSiteList, ConfigError, formatPath, type ConfigIssue } from './load-sites.ts';
