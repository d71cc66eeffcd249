import type { Site } from '../schema/site-config.ts';
import { backoffMs, fetchOnce, isRetryable, sha256, type CookieJar, type RawResponse, type RequestSpec } from './fetching-http.ts';
import { gateKey, MemoryHostGate, type HostGate, type HostLimits } from './host-gate.ts';
import { isChallenge } from './judgement.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots.ts';
import type { CrawlError, CrawlSiteOptions, CrawlSiteStats, FetchedSnapshot, SnapshotKind } from './types.ts';
import { resolveHref, urlKey } from './urls.ts';

// Fetching: every request of a site crawl — pages, files, robots.txt, list APIs, and the browser's own
// requests — goes through `exchange` here, so host rules, robots, politeness, cookies and snapshots hold for
// all of them. `fetchUrl` adds retries with backoff and manual redirects: each hop is its own response and
// snapshot, and is checked against the allowed scheme/host/port and robots.txt before it is requested.

export interface FetchResult {
  res: RawResponse;
  finalUrl: string;
}

export interface FetchMeta {
  discoveredFrom: string | null;
  linkText: string | null;
}

export interface FetchingDeps {
  site: Site;
  options: CrawlSiteOptions;
  stats: CrawlSiteStats;
  allowed(url: string): boolean;
  /** URL keys fetched, being fetched, or refused (a redirect to one of them adds nothing). */
  seen: Set<string>;
  cookies: CookieJar;
}

export class Fetching {
  readonly gate: HostGate;
  private readonly limits: HostLimits;
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  /** robots.txt already read, by host: the browser's request filter cannot wait for a fetch. */
  readonly robotsKnown = new Map<string, RobotsRules>();
  private readonly d: CrawlSiteOptions['defaults'];

  constructor(private readonly deps: FetchingDeps) {
    this.d = deps.options.defaults;
    this.limits = { maxConcurrency: this.d.maxConcurrencyPerHost, delayMs: this.d.delayMs };
    // Without a shared gate (a bare crawlSite call) the limits hold within this crawl only.
    this.gate = deps.options.gate ?? new MemoryHostGate(this.limits.maxConcurrency, this.limits.delayMs);
  }

  async error(e: CrawlError): Promise<void> {
    this.deps.stats.errors++;
    this.deps.options.log?.warn({ ...e }, 'crawl error');
    try {
      await this.deps.options.onError?.(e);
    } catch {
      /* the caller's error sink must not stop the crawl */
    }
  }

  async snapshot(res: RawResponse, kind: SnapshotKind, meta: FetchMeta): Promise<void> {
    if (res.reused) return; // nothing went over the wire: nothing to record
    const s: FetchedSnapshot = {
      requestedUrl: res.requestedUrl,
      finalUrl: res.finalUrl,
      status: res.notModified ? 304 : res.status,
      headers: res.headers,
      body: res.notModified ? null : res.body,
      fetchedAt: res.fetchedAt,
      contentType: res.headers['content-type'] ?? null,
      sha256: res.body ? sha256(res.body) : null,
      siteId: this.deps.site.id,
      kind,
      discoveredFrom: meta.discoveredFrom,
      linkText: meta.linkText,
      ...(res.error ? { error: res.error } : {}),
      ...(res.notModified ? { sha256: null, confirmsSha: res.notModified } : {}),
    };
    await this.deps.options.onSnapshot(s);
  }

  /**
   * One exchange (pages, robots, APIs and the browser's requests). On a re-crawl a GET the archive has
   * seen is conditional, and a 304 comes back as the archived bytes marked `notModified`, so everything
   * downstream works as on a 200 while only headers crossed the wire.
   */
  async exchange(spec: RequestSpec): Promise<RawResponse> {
    const known = (spec.method ?? 'GET') === 'GET' ? (this.deps.options.revalidate?.decide(spec.url) ?? null) : null;
    const cached = known ? this.deps.options.revalidate!.body(known.sha256) : null;
    if (!known || !cached) return this.wire(spec);
    const typed = (h: Record<string, string>) =>
      known.contentType && !h['content-type'] ? { ...h, 'content-type': known.contentType } : h;
    if (known.action === 'reuse') {
      return {
        requestedUrl: spec.url,
        finalUrl: spec.url,
        status: 200,
        headers: typed({}),
        body: cached,
        fetchedAt: new Date().toISOString(),
        reused: known.sha256,
      };
    }
    const conditional: Record<string, string> = { ...spec.headers };
    if (known.etag) conditional['if-none-match'] = known.etag;
    if (known.lastModified) conditional['if-modified-since'] = known.lastModified;
    const res = await this.wire({ ...spec, headers: conditional });
    return res.status === 304 ? { ...res, status: 200, headers: typed(res.headers), body: cached, notModified: known.sha256 } : res;
  }

  private wire(spec: RequestSpec): Promise<RawResponse> {
    this.deps.stats.requests++;
    return (this.deps.options.transport ?? fetchOnce)(spec, {
      proxyUrl: this.deps.options.proxyUrl,
      userAgent: this.d.userAgent,
      timeoutMs: this.d.requestTimeoutSecs * 1000,
      maxBytes: this.d.maxDocumentBytes,
      gate: this.gate,
      limits: this.limits,
      signal: this.deps.options.signal,
      cookies: this.deps.cookies,
    });
  }

  robotsFor(url: string): Promise<RobotsRules> {
    if (!this.d.respectRobotsTxt) return Promise.resolve(ALLOW_ALL);
    const u = new URL(url);
    const key = u.host;
    let p = this.robots.get(key);
    if (!p) {
      p = this.loadRobots(`${u.protocol}//${u.host}/robots.txt`).then((r) => {
        this.robotsKnown.set(key, r);
        return r;
      });
      this.robots.set(key, p);
    }
    return p;
  }

  /** Allowed for the browser: host rules, and robots.txt when it was read already. */
  allowedNow(url: string): boolean {
    if (!this.deps.allowed(url)) return false;
    const rules = this.robotsKnown.get(new URL(url).host);
    // Hosts whose robots.txt has not been read yet are only reached by links we already vetted.
    return rules ? rules.isAllowed(url) : true;
  }

  private async loadRobots(robotsUrl: string): Promise<RobotsRules> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.exchange({ url: robotsUrl });
      await this.snapshot(res, 'robots', { discoveredFrom: null, linkText: null });
      if (res.status >= 200 && res.status < 300 && res.body) {
        const rules = parseRobots(res.body.toString('utf8'), this.d.userAgent);
        // Crawl-delay is honoured up to 30 s; beyond that the host would never finish a crawl.
        if (rules.crawlDelaySecs) this.gate.setDelay(gateKey(robotsUrl), Math.min(30, rules.crawlDelaySecs) * 1000);
        return rules;
      }
      if (res.status >= 300 && res.status < 400) return ALLOW_ALL; // a redirected robots.txt is treated as absent
      if (res.status >= 400 && res.status < 500) return ALLOW_ALL;
      if (attempt >= this.d.maxRetries) {
        // 5xx or unreachable robots.txt after retries: assume the host forbids crawling for this run.
        return DISALLOW_ALL;
      }
      this.backoff(robotsUrl, attempt, res);
    }
  }

  backoff(url: string, attempt: number, res: RawResponse): void {
    this.gate.defer(gateKey(url), backoffMs(attempt, this.d.delayMs, res.headers['retry-after']));
  }

  /** Allowed host + robots check, with the skip recorded. */
  async permitted(url: string, kind: SnapshotKind): Promise<boolean> {
    if (!this.deps.allowed(url)) {
      this.deps.stats.skippedHosts++;
      return false;
    }
    const rules = await this.robotsFor(url);
    if (!rules.isAllowed(url)) {
      this.deps.stats.robotsBlocked++;
      await this.error({ siteId: this.deps.site.id, url, code: 'robots_disallowed', message: `robots.txt disallows (${kind})` });
      return false;
    }
    return true;
  }

  /**
   * GET (or POST) with retries on 5xx/429/network errors and manual redirects; every response is
   * snapshotted. Returns null when nothing usable came back (refused, or a redirect to a page already
   * crawled). `deferFinal`: the caller snapshots the final 2xx itself, once it knows what the page is.
   */
  async fetchUrl(spec: RequestSpec, kind: SnapshotKind, meta: FetchMeta, deferFinal = false): Promise<FetchResult | null> {
    const snap = (r: RawResponse) =>
      deferFinal && r.status >= 200 && r.status < 300
        ? Promise.resolve()
        : this.snapshot(r, r.status >= 300 && r.status < 400 ? 'page' : kind, meta);
    const { seen, site, stats, allowed } = this.deps;
    const signal = this.deps.options.signal;
    let current: RequestSpec = spec;
    for (let hop = 0; hop <= 5; hop++) {
      if (!(await this.permitted(current.url, kind))) return null;
      let res: RawResponse | null = null;
      for (let attempt = 0; ; attempt++) {
        res = await this.exchange(current);
        await snap(res);
        if (!isRetryable(res) || attempt >= this.d.maxRetries || signal?.aborted) break;
        this.backoff(current.url, attempt, res);
      }
      if (!res) return null;
      // HTTPS that fails at the TLS layer or is refused while HTTP works (§3, TLS problems).
      if ((res.status === 0 || res.status === 403) && current.url.startsWith('https:') && hop === 0) {
        const httpUrl = 'http:' + current.url.slice(6);
        if (await this.permitted(httpUrl, kind)) {
          const alt = await this.exchange({ ...current, url: httpUrl });
          await snap(alt);
          if (alt.status > 0 && alt.status < 400) {
            res = alt;
            current = { ...current, url: httpUrl };
          }
        }
      }
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        const next = resolveHref(res.headers.location, current.url);
        if (!next) return { res, finalUrl: current.url };
        if (!allowed(next)) {
          stats.skippedHosts++;
          await this.error({ siteId: site.id, url: next, code: 'host_not_allowed', message: `redirect from ${current.url}` });
          return null;
        }
        const k = urlKey(next);
        // A redirect to something already crawled (home page, parent column) adds nothing.
        if (seen.has(k) && urlKey(current.url) !== k && kind !== 'attachment') return null;
        seen.add(k);
        // The next hop is a GET, as browsers do after a POST's 301/302/303.
        current = { url: next, headers: spec.headers };
        continue;
      }
      if (res.status === 0 || res.status >= 400) {
        if (!isChallenge(res)) {
          await this.error({
            siteId: site.id,
            url: current.url,
            code: res.status === 0 ? 'network' : 'http_error',
            status: res.status,
            message: res.error ?? `HTTP ${res.status}`,
          });
        }
      }
      return { res, finalUrl: current.url };
    }
    return null;
  }
}
