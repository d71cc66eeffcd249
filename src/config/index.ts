export { loadSiteList, parseSiteList, ConfigError, formatPath, type ConfigIssue } from './load-sites.ts';
export { siteIdFromUrl, sitesFromArgs, UnknownSiteId } from './site-ids.ts';
