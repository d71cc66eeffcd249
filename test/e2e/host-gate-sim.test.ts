import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, MemoryHostGate, type HostGate } from '../../src/crawler/index.ts';
import { CrawlDefaultsSchema, type Site } from '../../src/schema/site-config.ts';
import { simSiteList, startSimWeb, viaSimProxy, type SimStats, type SimWeb } from '../../src/sim/index.ts';
import { RedisHostGate } from '../../src/workers/host-gate-redis.ts';
import { testRedis } from '../unit/workers/helpers.ts';

// Politeness per host, not per site: three counties of the national sim publish on one city platform host
// (xxgk.n<city>00.gov.cn.test). Crawled side by side, each with a gate of its own as two processes would have,
// the platform sees each crawl's limit added up; with gates held in one Redis (as every crawl worker has), the
// sim's own counters (/__stats.json) show the host's limit and spacing held.

const DELAY = 250;
const PER_HOST = 2;
let web: SimWeb;
let redis: Awaited<ReturnType<typeof testRedis>>;
let shared: string;
let sites: Site[];
const gates: RedisHostGate[] = [];

beforeAll(async () => {
  redis = await testRedis();
  web = await startSimWeb({ sites: 30, seed: 1 });
  const entry = [...web.world!.sharedHosts()].find(([, ids]) => ids.length >= 3)!;
  shared = entry[0];
  // Counties without injected faults (slow, flaky, dead, challenge), so every crawl reaches the platform.
  const calm = new Set(web.world!.sites.filter((s) => Object.keys(s.quirks).length === 0).map((s) => s.info.id));
  const ids = entry[1].filter((id) => calm.has(id)).slice(0, 3);
  expect(ids.length).toBe(3);
  sites = simSiteList(web.sites.filter((s) => ids.includes(s.id))).sites.map((s) => ({ ...s, maxPages: 30 }));
  // Build the sites before measuring: a site's first request builds it synchronously, and requests that queue
  // up behind that would arrive at the sim's counters back to back whatever the crawler did.
  for (const s of sites) await viaSimProxy(web.proxyUrl, s.home);
  await viaSimProxy(web.proxyUrl, `http://${shared}/robots.txt`);
}, 120_000);

afterAll(async () => {
  await Promise.all(gates.map((g) => g.close()));
  await web?.close();
  await redis?.stop();
});

async function crawlSideBySide(gateFor: (i: number) => HostGate): Promise<{ host: SimStats['hosts'][string]; requests: number }> {
  await (await fetch(`${web.proxyUrl}/__stats.json?reset`)).json();
  const defaults = CrawlDefaultsSchema.parse({ delayMs: DELAY, maxConcurrencyPerHost: PER_HOST, maxRetries: 1, requestTimeoutSecs: 20 });
  const stats = await Promise.all(
    sites.map((site, i) =>
      crawlSite(site, {
        defaults,
        proxyUrl: web.proxyUrl,
        crawlRunId: null,
        browser: false,
        gate: gateFor(i),
        onSnapshot: async () => {},
        onDocument: async () => {},
      }),
    ),
  );
  const counters = (await (await fetch(`${web.proxyUrl}/__stats.json`)).json()) as SimStats;
  return { host: counters.hosts[shared]!, requests: stats.reduce((n, s) => n + s.requests, 0) };
}

describe('politeness per host across crawls', () => {
  it('a shared platform host gets each crawl’s limit when every crawl has a gate of its own', { timeout: 300_000 }, async () => {
    const { host } = await crawlSideBySide(() => new MemoryHostGate(PER_HOST, DELAY));
    expect(host.requests).toBeGreaterThan(20);
    // What this suite guards against: above the limit, or starts closer than the delay.
    expect(host.maxInFlight > PER_HOST || (host.minSpacingMs ?? Infinity) < 0.8 * DELAY, JSON.stringify(host)).toBe(true);
  });

  it('gates sharing one Redis hold the limit and the spacing for the host across the crawls', { timeout: 300_000 }, async () => {
    const namespace = `test-${randomUUID()}`;
    const { host } = await crawlSideBySide(() => {
      const g = new RedisHostGate({ connection: redis.url, namespace });
      gates.push(g);
      return g;
    });
    expect(host.requests).toBeGreaterThan(20);
    expect(host.maxInFlight, JSON.stringify(host)).toBeLessThanOrEqual(PER_HOST);
    // Arrivals, as the sim counts them, may come a little closer than the starts the gates spaced.
    expect(host.minSpacingMs, JSON.stringify(host)).toBeGreaterThanOrEqual(0.8 * DELAY);
  });
});
