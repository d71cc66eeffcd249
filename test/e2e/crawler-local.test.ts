import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, type CandidateDocument, type CrawlSiteStats, type FetchedSnapshot } from '../../src/crawler/index.ts';
import { CrawlDefaultsSchema, type Site } from '../../src/schema/site-config.ts';
import { urlKey } from '../../src/crawler/urls.ts';
import { startFixture, type Fixture } from './crawler-fixture.ts';

// One crawl of a small two-host county web (TRS createPageHTML pager, GBK list page, Hanweb jpage column,
// a script-built list, decoys, robots.txt, a foreign host, a flaky 503) through a forward proxy.

let fx: Fixture;
const snapshots: FetchedSnapshot[] = [];
const docs: CandidateDocument[] = [];
let stats: CrawlSiteStats;

beforeAll(async () => {
  fx = await startFixture();
  const site: Site = {
    id: 'alpha',
    name: '阿尔法县',
    regionCode: '360425',
    home: 'http://www.alpha.gov.cn.test/',
    allowHosts: ['xxgk.alpha.gov.cn.test', 'down.alpha.gov.cn.test'],
    maxPages: 200,
  };
  stats = await crawlSite(site, {
    defaults: CrawlDefaultsSchema.parse({ delayMs: 5, maxRetries: 3, requestTimeoutSecs: 10 }),
    proxyUrl: fx.proxyUrl,
    crawlRunId: 1,
    onSnapshot: async (s) => {
      snapshots.push(s);
    },
    onDocument: async (d) => {
      docs.push(d);
    },
  });
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('crawlSite against a local county web', () => {
  it('finds every report page and attachment', () => {
    const found = new Set(docs.map((d) => urlKey(d.url)));
    const missing = fx.reportUrls.filter((u) => !found.has(urlKey(u)));
    expect(missing).toEqual([]);
  });

  it('emits no decoy and nothing twice', () => {
    const found = docs.map((d) => urlKey(d.url));
    for (const u of fx.decoyUrls) expect(found).not.toContain(urlKey(u));
    expect(new Set(found).size).toBe(found.length);
    expect(docs.length).toBe(fx.reportUrls.length);
  });

  it('links attachments to their report page', () => {
    const att = docs.find((d) => d.url.endsWith('P020220301123456.pdf'))!;
    expect(att.role).toBe('attachment');
    expect(att.parentUrl).toMatch(/t20220301_1008\.shtml$/);
    expect(att.body.subarray(0, 4).toString()).toBe('%PDF');
  });

  it('never requests robots-disallowed paths or foreign hosts', () => {
    const requested = fx.requests.map((r) => `http://${r.host}${r.path}`);
    for (const u of fx.forbiddenUrls) expect(requested).not.toContain(u);
    expect(fx.requests.every((r) => r.host.endsWith('alpha.gov.cn.test'))).toBe(true);
    expect(stats.robotsBlocked).toBeGreaterThan(0);
    expect(stats.skippedHosts).toBeGreaterThan(0);
  });

  it('snapshots every request it made, robots.txt first on each host', () => {
    const snapped = new Set(snapshots.map((s) => `${s.requestedUrl}`));
    for (const r of fx.requests) {
      expect(snapped.has(`http://${r.host}${r.path}`), `${r.host}${r.path}`).toBe(true);
    }
    for (const host of ['www.alpha.gov.cn.test', 'xxgk.alpha.gov.cn.test', 'down.alpha.gov.cn.test']) {
      const first = fx.requests.find((r) => r.host === host)!;
      expect(first.path).toBe('/robots.txt');
    }
    expect(snapshots.some((s) => s.kind === 'robots')).toBe(true);
    expect(snapshots.filter((s) => s.kind === 'report').length).toBeGreaterThan(10);
    expect(snapshots.some((s) => s.kind === 'list')).toBe(true);
    expect(snapshots.some((s) => s.kind === 'api')).toBe(true);
  });

  it('retries a failing robots.txt, then treats the host as closed', () => {
    const down = fx.requests.filter((r) => r.host === 'down.alpha.gov.cn.test');
    expect(down.map((r) => r.path)).toEqual(['/robots.txt', '/robots.txt', '/robots.txt', '/robots.txt']);
  });

  it('retries a 503 and keeps both responses', () => {
    const flaky = snapshots.filter((s) => s.requestedUrl.endsWith('_1004.shtml'));
    expect(flaky.map((s) => s.status)).toEqual([503, 503, 200]);
  });

  it('sends a desktop UA, zh-CN and Referer for the pager API', () => {
    expect(fx.requests.every((r) => /Mozilla\/5\.0/.test(r.ua))).toBe(true);
    const api = fx.requests.filter((r) => r.path.includes('dataproxy.jsp'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.method === 'POST' && r.referer.endsWith('/col/col123/index.html'))).toBe(true);
  });

  it('passes a JS cookie challenge in the browser and reuses its cookie over HTTP', () => {
    expect(stats.challenges).toBeGreaterThan(0);
    const doc = fx.requests.filter((r) => r.path === '/waf/doc/1.html');
    expect(doc.length).toBeGreaterThan(0);
    expect(doc.every((r) => r.cookie.includes('__jsl_clearance_s=ok'))).toBe(true);
    expect(snapshots.some((s) => s.status === 521)).toBe(true);
  });

  it('counts families', () => {
    expect(stats.families.trs).toBeGreaterThan(0);
    expect(stats.families.hanweb).toBeGreaterThan(0);
    expect(stats.browserRenders).toBeGreaterThan(0);
  });
});

describe('crawlSite stops when aborted', () => {
  it('returns promptly after the signal fires and emits nothing more', async () => {
    const ac = new AbortController();
    let afterAbort = 0;
    const site: Site = {
      id: 'alpha2',
      name: '阿尔法县',
      regionCode: '360425',
      home: 'http://www.alpha.gov.cn.test/',
      allowHosts: [],
      maxPages: 200,
    };
    const t0 = Date.now();
    const s = await crawlSite(site, {
      defaults: CrawlDefaultsSchema.parse({ delayMs: 5, requestTimeoutSecs: 10 }),
      proxyUrl: fx.proxyUrl,
      crawlRunId: 2,
      signal: ac.signal,
      browser: false,
      onSnapshot: async () => {
        if (ac.signal.aborted) afterAbort++;
      },
      onDocument: async () => {
        ac.abort();
      },
    });
    expect(ac.signal.aborted).toBe(true);
    expect(s.candidates).toBeGreaterThanOrEqual(1);
    expect(s.candidates).toBeLessThan(fx.reportUrls.length);
    expect(afterAbort).toBeLessThanOrEqual(4); // only exchanges already in flight
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('remembers at most maxUrls URLs of a site: links past that are dropped and counted, not queued', async () => {
    const site: Site = {
      id: 'alpha',
      name: '阿尔法县',
      regionCode: '360425',
      home: 'http://www.alpha.gov.cn.test/',
      allowHosts: [],
      maxPages: 200,
    };
    const fetched = new Set<string>();
    const s = await crawlSite(site, {
      defaults: CrawlDefaultsSchema.parse({ delayMs: 5, requestTimeoutSecs: 10 }),
      proxyUrl: fx.proxyUrl,
      crawlRunId: 3,
      browser: false,
      maxUrls: 12,
      onSnapshot: async (snap) => {
        fetched.add(urlKey(snap.requestedUrl));
      },
      onDocument: async () => {},
    });
    expect(s.linksDropped).toBeGreaterThan(0);
    // Every URL fetched was one of the 12 remembered (robots.txt and redirect hops are fetched, not queued).
    expect(fetched.size).toBeLessThanOrEqual(12 + 2);
    expect(stats.linksDropped ?? 0).toBe(0); // the default budget drops nothing on this small county
  });
});
