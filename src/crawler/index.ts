import type { Site } from '../schema/site-config.ts';
import { classifyTitle, cueText, scoreLink, scorePageContext } from './cues.ts';
import { decodeHtml, sniffKind } from './decode.ts';
import { extractPage, hasReportBodyMarkers, type PageInfo } from './extract.ts';
import {
  announcedPageCount, createPageUrls, fingerprintFamily, isPagerText, isSameListPager, parseCreatePageHTML,
  parseDatastore, parseHanwebParams, type Family,
} from './families.ts';
import { backoffMs, fetchOnce, HostGate, isRetryable, sha256, TRUNCATED, type RawResponse, type RequestSpec, sleep } from './fetcher.ts';
import { Frontier, type FrontierItem } from './frontier.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots.ts';
import { Renderer, type BrowserResponse } from './browser.ts';
import { hostOf, looksLikeAttachmentUrl, makeHostFilter, normaliseUrl, resolveHref, urlKey } from './urls.ts';
import type { CandidateDocument, CrawlError, CrawlSiteOptions, CrawlSiteStats, FetchedSnapshot, SnapshotKind } from './types.ts';

// How a site is crawled (docs/site-families.md):
// - one best-first frontier per site: priority = §1 cue score of the link (+ a bonus inside a 公开/年报
//   area); links to report titles and files of a report come first; ≤ −5 is never followed; page budget
//   `site.maxPages` (report pages and their files are outside it);
// - every list page is fingerprinted (§2) and paged: TRS createPageHTML → index_N, Hanweb inline datastore
//   → dataproxy.jsp groups, ordinary pager links, and Chromium for lists that scripts build (Epoint-style
//   shells, SPAs) — the browser's requests go through the same HTTP path, so host rules, robots, politeness
//   and snapshots hold for them too;
// - report vs decoy by title (§4) plus body phrases; decoys are never emitted;
// - politeness: robots.txt first on every host, per-host concurrency and spacing, retries with backoff,
//   JS cookie challenges passed once in the browser and the cookie reused over HTTP.
// Crawlee's own crawler classes are not used: the HTTP client is Crawlee's got-scraping, but a best-first
// priority frontier, per-host gates shared with the browser, and manual redirects (each hop checked
// against the allowed hosts) did not fit RequestQueue/AutoscaledPool without fighting them.

export type * from './types.ts';
export { classifyTitle, scoreLink } from './cues.ts';

// Priorities of the best-first frontier. Cue scores (§1) land between about −20 and +25; these bands sit
// above them so a found report or its files are fetched before any further exploration.
const P_HOME = 1000;
const P_REPORT_FILE = 500;
const P_REPORT_LINK = 300;
const MIN_FOLLOW = -4; // links scoring ≤ −5 are not followed for discovery
const MAX_RENDERS = 80;
const MAX_CHALLENGES_PER_HOST = 3;

interface FetchResult {
  res: RawResponse;
  finalUrl: string;
}

/** Crawls one site best-first from `site.home`, emitting every response and every candidate report. */
export async function crawlSite(site: Site, options: CrawlSiteOptions): Promise<CrawlSiteStats> {
  const crawl = new SiteCrawl(site, options);
  return crawl.run();
}

class SiteCrawl {
  private readonly d: CrawlSiteOptions['defaults'];
  private readonly frontier = new Frontier();
  private readonly seen = new Set<string>(); // fetched (or being fetched), or refused
  private readonly queued = new Map<string, number>(); // best priority queued so far
  private readonly emitted = new Set<string>();
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  private readonly robotsSync = new Map<string, RobotsRules>();
  private readonly cookies = new Map<string, string>();
  private readonly challengeCount = new Map<string, number>();
  private readonly gate: HostGate;
  private readonly allowed: (url: string) => boolean;
  private renderer: Renderer | null = null;
  private budgetUsed = 0;
  private foundReportArea = false;
  private readonly stats: CrawlSiteStats;
  private readonly started = Date.now();

  constructor(private readonly site: Site, private readonly o: CrawlSiteOptions) {
    this.d = o.defaults;
    this.gate = new HostGate(this.d.maxConcurrencyPerHost, this.d.delayMs);
    this.allowed = makeHostFilter([hostOf(site.home), ...site.allowHosts, ...(o.extraAllowHosts ?? [])]);
    this.stats = {
      siteId: site.id, pagesFetched: 0, requests: 0, lists: 0, apiRequests: 0, candidates: 0, reportPages: 0,
      attachments: 0, errors: 0, robotsBlocked: 0, skippedHosts: 0, browserRenders: 0, challenges: 0,
      budgetExhausted: false, families: {}, durationMs: 0,
    };
  }

  async run(): Promise<CrawlSiteStats> {
    const home = normaliseUrl(this.site.home);
    this.enqueue({
      url: home, priority: P_HOME, kind: 'page', context: 0, discoveredFrom: null, linkText: null, parentUrl: null,
      reportLink: false, ofReport: false, depth: 0,
    });
    // Workers pull from one best-first frontier; the host gate enforces per-host concurrency and delay.
    const workers = Math.max(1, Math.min(8, this.d.maxConcurrencyPerHost * 2));
    let active = 0;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const worker = async () => {
      for (;;) {
        if (this.o.signal?.aborted) return;
        const item = this.nextItem();
        if (!item) {
          if (active === 0) {
            notify();
            return;
          }
          await new Promise<void>((r) => {
            const prev = wake;
            wake = () => {
              prev?.();
              r();
            };
          });
          continue;
        }
        active++;
        try {
          await this.process(item);
        } catch (e) {
          await this.error({ siteId: this.site.id, url: item.url, code: 'callback', message: (e as Error).message });
        } finally {
          active--;
          notify();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      await this.renderer?.close();
    }
    this.stats.durationMs = Date.now() - this.started;
    return this.stats;
  }

  private nextItem(): FrontierItem | undefined {
    for (;;) {
      const item = this.frontier.pop();
      if (!item) return undefined;
      const key = urlKey(item.url);
      // A URL re-queued with a better priority leaves its older entry behind: skip whichever comes second.
      if (this.seen.has(key)) continue;
      // Files of a report do not count against the page budget: they are bounded by the reports found.
      if (!(item.kind === 'attachment' || item.reportLink)) {
        if (this.budgetUsed >= this.site.maxPages) {
          this.stats.budgetExhausted = true;
          continue;
        }
        // Once a 年报 column is known, links without a single positive cue (news, 走进XX, 互动交流) are
        // no longer worth the budget; before that they are how an unusual portal gets explored.
        if (this.foundReportArea && item.priority <= 0) continue;
        this.budgetUsed++;
      }
      this.seen.add(key);
      return item;
    }
  }

  /**
   * Queues a URL unless it was fetched already or is queued with at least this priority: a column first
   * met as a plain navigation link moves up when a page with stronger cues links it again.
   */
  private enqueue(item: FrontierItem): boolean {
    let key: string;
    try {
      key = urlKey(item.url);
    } catch {
      return false;
    }
    if (this.seen.has(key)) return false;
    const queued = this.queued.get(key);
    if (queued !== undefined && queued >= item.priority) return false;
    if (!this.allowed(item.url)) {
      this.seen.add(key);
      this.stats.skippedHosts++;
      return false;
    }
    this.queued.set(key, item.priority);
    this.frontier.push(item);
    return true;
  }

  // ---------------------------------------------------------------- fetching

  private async error(e: CrawlError): Promise<void> {
    this.stats.errors++;
    this.o.log?.warn({ ...e }, 'crawl error');
    try {
      await this.o.onError?.(e);
    } catch {
      /* the caller's error sink must not stop the crawl */
    }
  }

  private async snapshot(res: RawResponse, kind: SnapshotKind, item: { discoveredFrom: string | null; linkText: string | null }): Promise<void> {
    const s: FetchedSnapshot = {
      requestedUrl: res.requestedUrl,
      finalUrl: res.finalUrl,
      status: res.status,
      headers: res.headers,
      body: res.body,
      fetchedAt: res.fetchedAt,
      contentType: res.headers['content-type'] ?? null,
      sha256: res.body ? sha256(res.body) : null,
      siteId: this.site.id,
      kind,
      discoveredFrom: item.discoveredFrom,
      linkText: item.linkText,
      ...(res.error ? { error: res.error } : {}),
    };
    await this.o.onSnapshot(s);
  }

  private robotsFor(url: string): Promise<RobotsRules> {
    if (!this.d.respectRobotsTxt) return Promise.resolve(ALLOW_ALL);
    const u = new URL(url);
    const key = u.host;
    let p = this.robots.get(key);
    if (!p) {
      p = this.loadRobots(`${u.protocol}//${u.host}/robots.txt`).then((r) => {
        this.robotsSync.set(key, r);
        return r;
      });
      this.robots.set(key, p);
    }
    return p;
  }

  private async loadRobots(robotsUrl: string): Promise<RobotsRules> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.exchange({ url: robotsUrl });
      await this.snapshot(res, 'robots', { discoveredFrom: null, linkText: null });
      if (res.status >= 200 && res.status < 300 && res.body) {
        const rules = parseRobots(res.body.toString('utf8'), this.d.userAgent);
        // Crawl-delay is honoured up to 30 s; beyond that the host would never finish a crawl.
        if (rules.crawlDelaySecs) this.gate.setDelay(hostOf(robotsUrl), Math.min(30, rules.crawlDelaySecs) * 1000);
        return rules;
      }
      if (res.status >= 300 && res.status < 400) return ALLOW_ALL; // a redirected robots.txt is treated as absent
      if (res.status >= 400 && res.status < 500) return ALLOW_ALL;
      if (attempt >= this.d.maxRetries) {
        // 5xx or unreachable robots.txt after retries: assume the host forbids crawling for this run.
        return DISALLOW_ALL;
      }
      await this.backoff(robotsUrl, attempt, res);
    }
  }

  private async backoff(url: string, attempt: number, res: RawResponse): Promise<void> {
    const ms = backoffMs(attempt, this.d.delayMs, res.headers['retry-after']);
    this.gate.defer(hostOf(url), ms);
  }

  private async exchange(spec: RequestSpec): Promise<RawResponse> {
    this.stats.requests++;
    return fetchOnce(spec, {
      proxyUrl: this.o.proxyUrl,
      userAgent: this.d.userAgent,
      timeoutMs: this.d.requestTimeoutSecs * 1000,
      maxBytes: this.d.maxDocumentBytes,
      gate: this.gate,
      signal: this.o.signal,
      cookies: this.cookies,
    });
  }

  /** Allowed host + robots check, with the skip recorded. */
  private async permitted(url: string, kind: SnapshotKind): Promise<boolean> {
    if (!this.allowed(url)) {
      this.stats.skippedHosts++;
      return false;
    }
    const rules = await this.robotsFor(url);
    if (!rules.isAllowed(url)) {
      this.stats.robotsBlocked++;
      await this.error({ siteId: this.site.id, url, code: 'robots_disallowed', message: `robots.txt disallows (${kind})` });
      return false;
    }
    return true;
  }

  /**
   * GET (or POST) with retries on 5xx/429/network errors and manual redirects; every response is
   * snapshotted. Returns null when nothing usable came back.
   */
  private async fetchUrl(
    spec: RequestSpec, kind: SnapshotKind, meta: { discoveredFrom: string | null; linkText: string | null }, deferFinal = false,
  ): Promise<FetchResult | null> {
    // deferFinal: the caller snapshots the final 2xx itself, once it knows whether it is a list or a report.
    const snap = (r: RawResponse) =>
      deferFinal && r.status >= 200 && r.status < 300 ? Promise.resolve() : this.snapshot(r, r.status >= 300 && r.status < 400 ? 'page' : kind, meta);
    let current: RequestSpec = spec;
    for (let hop = 0; hop <= 5; hop++) {
      if (!(await this.permitted(current.url, kind))) return null;
      let res: RawResponse | null = null;
      for (let attempt = 0; ; attempt++) {
        res = await this.exchange(current);
        await snap(res);
        if (!isRetryable(res) || attempt >= this.d.maxRetries || this.o.signal?.aborted) break;
        await this.backoff(current.url, attempt, res);
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
        if (!this.allowed(next)) {
          this.stats.skippedHosts++;
          await this.error({ siteId: this.site.id, url: next, code: 'host_not_allowed', message: `redirect from ${current.url}` });
          return null;
        }
        const k = urlKey(next);
        // A redirect to something already crawled (home page, parent column) adds nothing.
        if (this.seen.has(k) && urlKey(current.url) !== k && kind !== 'attachment') return null;
        this.seen.add(k);
        current = { url: next, headers: spec.headers };
        continue;
      }
      if (res.status === 0 || res.status >= 400) {
        if (!this.isChallenge(res)) {
          await this.error({
            siteId: this.site.id, url: current.url, code: res.status === 0 ? 'network' : 'http_error', status: res.status,
            message: res.error ?? `HTTP ${res.status}`,
          });
        }
        return { res, finalUrl: current.url };
      }
      return { res, finalUrl: current.url };
    }
    return null;
  }

  /** JS cookie challenges (瑞数 412, 加速乐 521) and tiny script-only WAF stubs (§3). */
  private isChallenge(res: RawResponse): boolean {
    const body = res.body?.toString('latin1') ?? '';
    if (res.status === 412 || res.status === 521) return /<script/i.test(body) || body.length < 4096;
    if (res.status === 200 && body.length > 0 && body.length < 2048 && /<script/i.test(body) && !/<a\s[^>]*href/i.test(body)) {
      return /document\.cookie|location\.(href|reload|replace)|\$_ts|setTimeout/.test(body);
    }
    return false;
  }

  // ---------------------------------------------------------------- processing

  private async process(item: FrontierItem): Promise<void> {
    const meta = { discoveredFrom: item.discoveredFrom, linkText: item.linkText };
    const headers: Record<string, string> = {};
    if (item.discoveredFrom) headers.referer = item.discoveredFrom;
    const fr = await this.fetchUrl({ url: item.url, headers }, item.kind === 'attachment' ? 'attachment' : 'page', meta, true);
    if (!fr) return;
    const { res } = fr;
    let finalUrl = fr.finalUrl;
    let html: string | null = null;
    let renderedLinks: { url: string; text: string }[] | null = null;

    if (this.isChallenge(res)) {
      if (res.status >= 200 && res.status < 300) await this.snapshot(res, 'page', meta);
      this.stats.challenges++;
      const solved = await this.solveChallenge(finalUrl, item);
      if (!solved) return;
      html = solved.html;
      finalUrl = solved.finalUrl;
      renderedLinks = solved.links;
    }
    if (html === null) {
      if (res.status < 200 || res.status >= 300 || !res.body) {
        if (res.status >= 200 && res.status < 300) await this.snapshot(res, 'page', meta);
        return;
      }
      const body = res.body;
      const ct = res.headers['content-type'] ?? null;
      const sniff = sniffKind(body);
      const isHtml = sniff === 'html' || (!sniff && /html|xml/i.test(ct ?? '') && !looksLikeBinary(body));
      if (!isHtml) {
        const emitted = await this.handleFile(item, finalUrl, res, sniff);
        await this.snapshot(res, emitted || item.kind === 'attachment' ? 'attachment' : 'asset', meta);
        return;
      }
      html = decodeHtml(body, ct, this.site.charset).text;
    }
    await this.handlePage(item, finalUrl, res, html, renderedLinks);
  }

  private async handleFile(item: FrontierItem, url: string, res: RawResponse, sniff: ReturnType<typeof sniffKind>): Promise<boolean> {
    const body = res.body!;
    if (res.error === TRUNCATED) {
      // A cut document would only fail to parse; the snapshot records what arrived.
      await this.error({ siteId: this.site.id, url, code: 'too_large', message: `larger than ${this.d.maxDocumentBytes} bytes` });
      return false;
    }
    const ct = res.headers['content-type'] ?? null;
    const isDoc = sniff === 'pdf' || sniff === 'ole' || sniff === 'zip' || /pdf|msword|officedocument|ms-excel|wps|ofd/i.test(ct ?? '')
      || looksLikeAttachmentUrl(url);
    if (!isDoc) return false;
    if (!(item.ofReport || item.reportLink)) return false;
    if (classifyTitle(item.linkText) === 'decoy') return false;
    await this.emit({
      url, sha256: sha256(body), body, contentType: ct, role: 'attachment', parentUrl: item.parentUrl ?? item.discoveredFrom,
      linkText: item.linkText, title: item.linkText,
    });
    return true;
  }

  private async emit(doc: CandidateDocument): Promise<void> {
    const k = urlKey(doc.url);
    if (this.emitted.has(k)) return;
    this.emitted.add(k);
    this.stats.candidates++;
    if (doc.role === 'attachment') this.stats.attachments++;
    else this.stats.reportPages++;
    await this.o.onDocument(doc);
  }

  private async handlePage(
    item: FrontierItem, url: string, res: RawResponse, html: string, renderedLinks: { url: string; text: string }[] | null,
  ): Promise<void> {
    this.stats.pagesFetched++;
    const info = extractPage(html, url);
    const family = fingerprintFamily(html, url);
    const judged = this.judge(item, info);
    const context = Math.max(
      item.context,
      scorePageContext([info.columnName, info.breadcrumb, judged.isReport ? null : info.title]),
    );
    const inArea = context >= 3;

    const isList = !judged.isReport && (info.datastore !== null || /createPageHTML\s*\(/.test(html) || judged.reportLinks >= 2
      || info.links.some((l) => !l.chrome && isPagerText(l.text) && isSameListPager(l.url, url)));
    if (context >= 10 && isList) this.foundReportArea = true;
    if (isList) {
      this.stats.lists++;
      this.stats.families[family] = (this.stats.families[family] ?? 0) + 1;
    }
    if (!renderedLinks) {
      // After a challenge the browser's copy was snapshotted as it arrived.
      await this.snapshot(res, judged.isReport ? 'report' : isList ? 'list' : 'page', item);
    }
    if (judged.isReport) {
      // After a challenge the HTTP body is the challenge stub; the document is what the browser saw.
      const body = !renderedLinks && res.body ? res.body : Buffer.from(html);
      await this.emit({
        url, sha256: sha256(body), body, contentType: renderedLinks ? 'text/html; charset=utf-8' : (res.headers['content-type'] ?? null),
        role: 'report-page', parentUrl: item.discoveredFrom, linkText: item.linkText, title: judged.title,
      });
    }

    const links = renderedLinks
      ? renderedLinks.map((l) => ({ url: normaliseSafe(l.url), text: l.text, attachment: looksLikeAttachmentUrl(l.url), chrome: false }))
          .filter((l): l is { url: string; text: string; attachment: boolean; chrome: boolean } => !!l.url)
      : info.links;
    let promising = 0;
    for (const l of links) {
      const queuedAt = this.enqueueLink(item, url, l, context, inArea, judged.isReport);
      if (queuedAt !== null && (queuedAt >= 4 || l.attachment)) promising++;
    }
    for (const f of info.iframes) {
      if (this.enqueue(this.child(item, url, f, '', Math.max(item.priority, 5), context, 'page'))) promising++;
    }
    if (info.metaRefresh) this.enqueue(this.child(item, url, info.metaRefresh, '', 0, context, 'page'));

    if (judged.isReport) return;

    // List paging by family.
    const call = parseCreatePageHTML(html);
    if (call && call.count > 1) {
      for (const p of createPageUrls(call, url)) {
        if (this.enqueue(this.child(item, url, p, `page`, Math.max(item.priority, 6), context, 'page'))) promising++;
      }
    }
    if (info.datastore && (family === 'hanweb' || info.datastore.records.length)) {
      promising += await this.hanwebPaging(item, url, html, info, context);
    }
    // Script-built lists: nothing worth following in the HTML, but scripts that would fill it.
    // Sidebars and navigation stay in the HTML of a shell, so "no report links in a 年报 column" is the
    // signal, not "no links at all"; elsewhere only script-built pages with nothing to follow qualify.
    const builds = !call && buildsContent(html);
    const shellish = builds && judged.reportLinks === 0 && !info.datastore
      && (context >= 8 || info.links.length < 3 || (promising === 0 && (context >= 5 || (inArea && (family === 'epoint' || family === 'gkmlpt' || family === 'lonsun')))));
    if (shellish && !renderedLinks) await this.renderList(item, url, context);
    else if (!call && !info.datastore && context >= 5 && !renderedLinks) {
      const n = announcedPageCount(html);
      if (n && n > 1 && !links.some((l) => isSameListPager(l.url, url))) {
        // A page count with no page links: the pager is drawn by a script we do not run. Render it.
        await this.renderList(item, url, context);
      }
    }
  }

  /** Scores and queues one link; the priority it was queued at, or null when not followed. */
  private enqueueLink(
    item: FrontierItem, pageUrl: string, l: { url: string; text: string; attachment: boolean; chrome: boolean },
    context: number, inArea: boolean, onReport: boolean,
  ): number | null {
    const cls = classifyTitle(l.text);
    let priority: number;
    let kind: 'page' | 'attachment' = l.attachment ? 'attachment' : 'page';
    let reportLink = false;
    let ofReport = false;
    if (onReport && l.attachment && !l.chrome) {
      if (cls === 'decoy') return null;
      priority = P_REPORT_FILE;
      ofReport = true;
    } else if (cls === 'report') {
      priority = P_REPORT_LINK + (l.chrome ? 0 : 10);
      reportLink = true;
    } else if (cls === 'decoy') {
      // 图解/解读 companions link to the real report; other neighbours lead nowhere useful.
      if (!/图解|解读|一图/.test(cueText(l.text))) return null;
      priority = 0;
      kind = 'page';
    } else if (l.attachment) {
      return null; // a file without a report title, off a report page: 指南, forms, budgets
    } else {
      const s = scoreLink({ text: l.text, url: l.url, inDisclosureArea: inArea });
      if (s <= -5) return null;
      const bonus = l.chrome ? 0 : context >= 8 ? 4 : context >= 3 ? 1 : 0;
      priority = s + bonus;
      if (!l.chrome && isSameListPager(l.url, pageUrl) && (isPagerText(l.text) || /^\d+$/.test(l.text))) priority = Math.max(priority, item.priority, 6);
      if (priority < MIN_FOLLOW) return null;
    }
    const childContext = l.chrome ? Math.max(0, Math.min(scoreLink({ text: l.text, url: l.url }), 10))
      : Math.max(Math.min(scoreLink({ text: l.text, url: l.url, inDisclosureArea: inArea }), 10), context >= 8 ? context - 2 : 0);
    const queued = this.enqueue({
      url: l.url, priority, kind, context: childContext, discoveredFrom: pageUrl, linkText: l.text || null,
      parentUrl: ofReport || reportLink ? pageUrl : null, reportLink, ofReport, depth: item.depth + 1,
    });
    return queued ? priority : null;
  }

  private child(item: FrontierItem, pageUrl: string, url: string, text: string, priority: number, context: number, kind: 'page' | 'attachment'): FrontierItem {
    return {
      url, priority, kind, context, discoveredFrom: pageUrl, linkText: text || null, parentUrl: null, reportLink: false, ofReport: false,
      depth: item.depth + 1,
    };
  }

  /** Report vs decoy vs other for the page just fetched (§4). */
  private judge(item: FrontierItem, info: PageInfo): { isReport: boolean; title: string | null; reportLinks: number } {
    const contentLinks = info.links.filter((l) => !l.chrome);
    const reportLinks = contentLinks.filter((l) => !l.related && classifyTitle(l.text) === 'report').length;
    const titles = [info.title, info.htmlTitle?.split(/[-_|—–]{1,2}/)[0], item.linkText].filter((t): t is string => !!t && !!t.trim());
    if (titles.some((t) => classifyTitle(t) === 'decoy')) return { isReport: false, title: info.title, reportLinks };
    const title = titles.find((t) => classifyTitle(t) === 'report') ?? null;
    if (!title) return { isReport: false, title: info.title, reportLinks };
    const markers = hasReportBodyMarkers(info.bodyText);
    const attachments = contentLinks.filter((l) => l.attachment).length;
    // A list of reports (year column, 汇总 page) carries many report titles and no report body.
    // Without report phrases in the body, a page that links other reports is a (year/unit) column.
    const listy = reportLinks >= (markers ? 6 : 1) || !!info.datastore || /createPageHTML\s*\(/.test(info.rawScripts)
      || /列表/.test(info.columnType ?? '');
    const isReport = !listy && (markers || attachments > 0 || info.imageCount > 0 || item.reportLink);
    return { isReport, title, reportLinks };
  }

  // ---------------------------------------------------------------- Hanweb jpage

  private async hanwebPaging(item: FrontierItem, pageUrl: string, html: string, info: PageInfo, context: number): Promise<number> {
    const ds = info.datastore!;
    const params = parseHanwebParams(html, pageUrl);
    const total = ds.totalRecord ?? params.totalRecord;
    const group = params.perPage * params.groupSize;
    const have = new Set(info.links.filter((l) => l.record).map((l) => urlKey(l.url)));
    if (total !== null && ds.records.length >= total) return 0;
    const proxyPaths = params.proxyUrl ? [params.proxyUrl] : ['/module/web/jpage/dataproxy.jsp', '/module/jpage/dataproxy.jsp', '/module/jslib/jquery/jpage/dataproxy.jsp'];
    let added = 0;
    let mode: 'post' | 'get' = 'post';
    let proxyIdx = 0;
    let start = ds.records.length > 0 ? ds.records.length + 1 : 1;
    let page = Math.max(2, Math.floor(ds.records.length / params.perPage) + 1);
    let emptyRuns = 0;
    for (let call = 0; call < 300; call++) {
      if (this.budgetUsed >= this.site.maxPages) {
        this.stats.budgetExhausted = true;
        break;
      }
      if (total !== null && mode === 'post' && start > total) break;
      const base = new URL(proxyPaths[proxyIdx], pageUrl);
      let spec: RequestSpec;
      if (mode === 'post') {
        base.searchParams.set('startrecord', String(start));
        base.searchParams.set('endrecord', String(start + group - 1));
        base.searchParams.set('perpage', String(params.perPage));
        spec = { url: base.href, method: 'POST', form: params.form, headers: { referer: pageUrl, 'x-requested-with': 'XMLHttpRequest' } };
      } else {
        for (const [k, v] of Object.entries(params.form)) base.searchParams.set(k, v);
        base.searchParams.set('page', String(page));
        base.searchParams.set('perpage', String(params.perPage));
        spec = { url: base.href, headers: { referer: pageUrl, 'x-requested-with': 'XMLHttpRequest' } };
      }
      this.budgetUsed++;
      this.stats.apiRequests++;
      const fr = await this.fetchUrl(spec, 'api', { discoveredFrom: pageUrl, linkText: null });
      const text = fr && fr.res.status === 200 && fr.res.body ? decodeHtml(fr.res.body, fr.res.headers['content-type']).text : '';
      const got = text ? parseDatastore(text) : null;
      if (!got) {
        if (mode === 'post' && proxyIdx + 1 < proxyPaths.length) {
          proxyIdx++;
          continue;
        }
        if (mode === 'post') {
          mode = 'get';
          proxyIdx = 0;
          continue;
        }
        break;
      }
      let fresh = 0;
      for (const rec of got.records) {
        const re = /<a\b[^>]*href=["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi;
        for (let m; (m = re.exec(rec)); ) {
          const abs = resolveHref(m[1].replace(/&amp;/g, '&'), pageUrl);
          if (!abs) continue;
          const k = urlKey(abs);
          if (have.has(k)) continue;
          have.add(k);
          fresh++;
          const titleAttr = /title=["']([^"']+)["']/i.exec(m[0])?.[1];
          const text = (titleAttr ?? m[2].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
          if (this.enqueueLink(item, pageUrl, { url: abs, text, attachment: looksLikeAttachmentUrl(abs), chrome: false }, context, true, false) !== null) added++;
        }
      }
      if (!fresh) {
        // Servers that ignore startrecord repeat a group; running past the end repeats the last one.
        if (mode === 'get' && ++emptyRuns < 2) {
          page++;
          continue;
        }
        break;
      }
      emptyRuns = 0;
      if (mode === 'post') start += group;
      else {
        page++;
        if (got.totalPage !== null && page > got.totalPage) break;
      }
      const t = got.totalRecord ?? total;
      if (t !== null && have.size >= t) break;
    }
    return added;
  }

  // ---------------------------------------------------------------- browser

  private ensureRenderer(): Renderer | null {
    if (this.o.browser === false) return null;
    if (!this.renderer) {
      this.renderer = new Renderer(
        { userAgent: this.d.userAgent, timeoutMs: this.d.requestTimeoutSecs * 1000, executablePath: this.o.chromiumPath },
        {
          fetch: (spec) => this.exchange(spec),
          allow: (u) => {
            if (!this.allowed(u)) return false;
            const rules = this.robotsSync.get(new URL(u).host);
            // Hosts whose robots.txt has not been read yet are only reached by links we already vetted.
            return rules ? rules.isAllowed(u) : true;
          },
          onBlocked: () => {
            this.stats.skippedHosts++;
          },
          onResponse: (r) => this.browserSnapshot(r),
        },
      );
    }
    return this.renderer;
  }

  private async browserSnapshot(r: BrowserResponse): Promise<void> {
    const kind: SnapshotKind = r.resourceType === 'document' ? 'page' : r.resourceType === 'xhr' || r.resourceType === 'fetch' ? 'api' : 'asset';
    if (kind === 'api') this.stats.apiRequests++;
    await this.snapshot(
      { requestedUrl: r.url, finalUrl: r.url, status: r.status, headers: r.headers, body: r.body, fetchedAt: r.fetchedAt, error: r.error },
      kind,
      { discoveredFrom: r.referer, linkText: null },
    );
  }

  private async renderList(item: FrontierItem, url: string, context: number): Promise<void> {
    const renderer = this.ensureRenderer();
    if (!renderer || this.stats.browserRenders >= MAX_RENDERS) return;
    this.stats.browserRenders++;
    // A render whose document or data request failed (timeouts on a busy host) leaves an empty list, not an
    // exception: a shell that builds its list in the browser and shows no content link is rendered again.
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await renderer.render(url, { referer: item.discoveredFrom ?? undefined });
        this.budgetUsed += r.pagesClicked;
        const info = extractPage(r.html, r.finalUrl);
        const chrome = new Set(info.links.filter((l) => l.chrome).map((l) => l.url));
        const links = r.links
          .map((l) => ({ abs: normaliseSafe(l.url), text: l.text }))
          .filter((l): l is { abs: string; text: string } => l.abs !== null);
        const content = links.filter((l) => !chrome.has(l.abs));
        if (content.length === 0 && attempt < RENDER_ATTEMPTS) {
          await sleep(RENDER_RETRY_MS * attempt);
          continue;
        }
        for (const l of links) {
          this.enqueueLink(item, url, { url: l.abs, text: l.text, attachment: looksLikeAttachmentUrl(l.abs), chrome: chrome.has(l.abs) }, context, true, false);
        }
        this.o.log?.debug?.({ url, links: r.links.length, clicks: r.pagesClicked, attempt }, 'rendered list');
        return;
      } catch (e) {
        if (attempt < RENDER_ATTEMPTS) {
          await sleep(RENDER_RETRY_MS * attempt);
          continue;
        }
        await this.error({ siteId: this.site.id, url, code: 'browser', message: (e as Error).message });
        return;
      }
    }
  }

  private async solveChallenge(url: string, item: FrontierItem): Promise<{ html: string; finalUrl: string; links: { url: string; text: string }[] } | null> {
    const host = hostOf(url);
    const n = (this.challengeCount.get(host) ?? 0) + 1;
    this.challengeCount.set(host, n);
    const renderer = this.ensureRenderer();
    if (!renderer || n > MAX_CHALLENGES_PER_HOST) {
      await this.error({ siteId: this.site.id, url, code: 'challenge', message: 'JS challenge not passed' });
      return null;
    }
    try {
      const r = await renderer.render(url, { referer: item.discoveredFrom ?? undefined, maxClicks: 0 });
      // The browser's cookies (bound to our UA) let plain HTTP through for the rest of the crawl.
      const jar = r.cookies.filter((c) => host.endsWith(c.domain.replace(/^\./, ''))).map((c) => `${c.name}=${c.value}`);
      if (jar.length) this.cookies.set(host, jar.join('; '));
      this.stats.browserRenders++;
      return { html: r.html, finalUrl: normaliseUrl(r.finalUrl), links: r.links };
    } catch (e) {
      await this.error({ siteId: this.site.id, url, code: 'challenge', message: (e as Error).message });
      return null;
    }
  }
}

const RENDER_ATTEMPTS = 3;
const RENDER_RETRY_MS = 2000;
function normaliseSafe(u: string): string | null {
  try {
    return normaliseUrl(u);
  } catch {
    return null;
  }
}

/** Inline or external scripts that fetch data or write the DOM (a list built in the browser). */
function buildsContent(html: string): boolean {
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
  return scripts.some((s) => {
    if (/type=["']text\/xml["']/i.test(s)) return false;
    const external = /\bsrc=["']([^"']+)["']/i.exec(s)?.[1];
    if (external) return !/jquery|analytics|baidu|cnzz|common\.js$|zoom|share/i.test(external) || /ewb|webbuilder|gkmlpt|list|api/i.test(external);
    return /fetch\(|XMLHttpRequest|\$\.(ajax|post|get|getJSON)\(|axios|\.innerHTML\s*=|appendChild|document\.write|location\.hash/.test(s);
  });
}

function looksLikeBinary(b: Buffer): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

export type { Family };
