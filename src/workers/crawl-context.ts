import { Redis } from 'ioredis';
import { CrawlDefaultsSchema, SiteSchema, type CrawlDefaults, type Site } from '../schema/site-config.ts';
import type { RecrawlPolicy } from '../store/recrawl-policy.ts';
import { DEFAULT_PREFIX } from './queues.ts';

/**
 * Everything a crawl worker needs beyond the CrawlJob {siteId, crawlRunId}: the site entry and the run's
 * settings. The process that starts a run publishes them in Redis, so a crawl worker on another machine
 * needs neither the config file nor the archive.
 */
export type CrawlRunSettings = {
  defaults: CrawlDefaults;
  proxyUrl?: string | null;
  /** Hosts allowed for every site of this run (`--allow-host`). */
  extraAllowHosts?: string[];
  /** Re-crawl policy (src/store/recrawl-policy.ts); defaults when absent. */
  recrawl?: Partial<RecrawlPolicy>;
};

export type CrawlContext = CrawlRunSettings & {
  site: Site;
  /** Lists of this site a previous run left unread: crawled first (src/store/unfinished-lists.ts). */
  resumeLists?: string[];
};

// A run's context outlives any sane crawl; expiring it keeps a long-lived Redis from collecting runs.
const TTL_SECS = 30 * 24 * 3600;

const runKey = (prefix: string, crawlRunId: number) => `${prefix}:nianbao:crawl-run:${crawlRunId}`;

export async function publishCrawlRun(
  redisUrl: string,
  crawlRunId: number,
  settings: CrawlRunSettings,
  sites: Site[],
  prefix = DEFAULT_PREFIX,
  resume: Record<string, string[]> = {},
): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const key = runKey(prefix, crawlRunId);
    const fields: Record<string, string> = { settings: JSON.stringify(settings) };
    for (const s of sites) fields[`site:${s.id}`] = JSON.stringify(s);
    for (const [siteId, urls] of Object.entries(resume)) if (urls.length) fields[`resume:${siteId}`] = JSON.stringify(urls);
    await client.multi().hset(key, fields).expire(key, TTL_SECS).exec();
  } finally {
    client.disconnect();
  }
}

export class CrawlContextUnknownError extends Error {
  constructor(
    readonly siteId: string,
    readonly crawlRunId: number,
  ) {
    super(`crawl run ${crawlRunId} has no settings for site "${siteId}" in Redis (was it started with another queue prefix?)`);
    this.name = 'CrawlContextUnknownError';
  }
}

export async function loadCrawlContext(client: Redis, siteId: string, crawlRunId: number, prefix = DEFAULT_PREFIX): Promise<CrawlContext> {
  const [settingsJson, siteJson, resumeJson] = await client.hmget(
    runKey(prefix, crawlRunId),
    'settings',
    `site:${siteId}`,
    `resume:${siteId}`,
  );
  if (!settingsJson || !siteJson) throw new CrawlContextUnknownError(siteId, crawlRunId);
  const settings = JSON.parse(settingsJson) as CrawlRunSettings;
  return {
    ...settings,
    defaults: CrawlDefaultsSchema.parse(settings.defaults ?? {}),
    site: SiteSchema.parse(JSON.parse(siteJson)),
    ...(resumeJson ? { resumeLists: JSON.parse(resumeJson) as string[] } : {}),
  };
}
