import type { Site } from '../schema/site-config.ts';
import { SiteCrawl } from './site-crawl.ts';
import type { CrawlSiteOptions, CrawlSiteStats } from './types.ts';

// The crawler (docs/architecture.md, "Crawler"): one best-first crawl per site on Crawlee's crawler classes.
// Stages, one file each: fetching.ts (+ fetching-http.ts, the wire), judgement.ts (what a page is),
// enqueueing.ts (which links, how urgently), families.ts + paging-hanweb.ts (list paging per CMS family),
// rendering.ts (PlaywrightCrawler for script-built pages and JS challenges), request-manager.ts (the
// frontier as a Crawlee request manager), site-crawl.ts (the handler that ties them together).

export type * from './types.ts';
export type { Family } from './families.ts';
export { gateKey, MemoryHostGate, strictest, type HostGate, type HostLimits } from './host-gate.ts';
export { classifyTitle, scoreLink } from './cues.ts';

/** Crawls one site best-first from `site.home`, emitting every response and every candidate report. */
export async function crawlSite(site: Site, options: CrawlSiteOptions): Promise<CrawlSiteStats> {
  return new SiteCrawl(site, options).run();
}
