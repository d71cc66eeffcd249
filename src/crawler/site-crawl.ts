import { BasicCrawler, type Session } from 'crawlee';
import './crawlee-compat.ts';
import { continuationLinks } from '../parse/continuation.ts';
import type { Site } from '../schema/site-config.ts';
import { classifyTitle, scorePageContext } from './cues.ts';
import { decodeHtml, sniffKind } from './decode.ts';
import { linkToItem, P_HOME, P_REPORT_LINK, structuralItem, type LinkIn } from './enqueueing.ts';
import { extractPage, hasReportBodyMarkers, type PageInfo } from './extract.ts';
import { announcedPageCount, createPageUrls, fingerprintFamily, isSameListPager, parseCreatePageHTML } from './families.ts';
import { sha256, sleep, TRUNCATED, type CookieJar, type RawResponse } from './fetching-http.ts';
import { Fetching } from './fetching.ts';
import { Frontier, type FrontierItem } from './frontier.ts';
import { buildsContent, hasScriptPager, isChallenge, isListPage, judgePage, looksLikeBinary, type Judgement } from './judgement.ts';
import { pageAspnet } from './paging-aspnet.ts';
import { pageHanweb, type PagingHost } from './paging-hanweb.ts';
import {
  memoryConfiguration,
  quietLog,
  sharedRenderer,
  type BrowserHooks,
  type BrowserResponse,
  type RenderOptions,
  type RenderResult,
} from './rendering.ts';
import { ITEM, PickerRequestManager, type Picker } from './request-manager.ts';
import type { CandidateDocument, CrawlSiteOptions, CrawlSiteStats, SnapshotKind } from './types.ts';
import { hostOf, looksLikeAttachmentUrl, makeHostFilter, normaliseUrl, urlKey } from './urls.ts';

// One site crawl on Crawlee (docs/site-families.md): a BasicCrawler whose requests come from the best-first
// frontier (through its `requestManager` option), whose handler fetches (fetching.ts), judges
// (judgement.ts), queues links (enqueueing.ts) and pages lists by family (families.ts, paging-hanweb.ts),
// and which hands script-built pages and JS challenges to a PlaywrightCrawler (rendering.ts). Challenge
// cookies live in the BasicCrawler's SessionPool (one session per site; 412/521 retire it).

const MAX_RENDERS = 80;
const MAX_CONTINUATION_PAGES = 20;
/** Script-filled report pages rendered on top of the list renders (each is one report). */
const MAX_ARTICLE_RENDERS = 400;
const MAX_CHALLENGES_PER_HOST = 3;
// A list the browser could not read is rendered again after 2 s, then 4 s, with its timeouts doubled
// each time (×1, ×2, ×4): a starved machine gets slower renders, not shorter lists.
const RENDER_ATTEMPTS = 3;
const RENDER_RETRY_MS = 2000;
/** Above the home page: lists a previous run could not read are read first. */
export const P_RESUME = 2000;
/** Status codes of JS cookie challenges: the session's cookies are no good any more. */
export const CHALLENGE_STATUS_CODES = [412, 521];

export class SiteCrawl implements Picker<FrontierItem>, PagingHost {
  private readonly d: CrawlSiteOptions['defaults'];
  private readonly frontier = new Frontier();
  private readonly seen = new Set<string>(); // fetched (or being fetched), or refused
  private readonly queued = new Map<string, number>(); // best priority queued so far
  private readonly emitted = new Set<string>();
  private readonly challengeCount = new Map<string, number>();
  private readonly allowed: (url: string) => boolean;
  private readonly fetching: Fetching;
  private readonly requests: PickerRequestManager<FrontierItem>;
  private crawler: BasicCrawler | null = null;
  private renderer: { render(url: string, o?: RenderOptions): Promise<RenderResult>; release(): Promise<void> } | null = null;
  private budgetUsed = 0;
  private listRenders = 0;
  private articleRenders = 0;
  private foundReportArea = false;
  private readonly stats: CrawlSiteStats;
  private readonly maxUrls: number;

  constructor(
    private readonly site: Site,
    private readonly o: CrawlSiteOptions,
  ) {
    this.d = o.defaults;
    this.maxUrls = o.maxUrls ?? Math.max(5_000, 25 * site.maxPages);
    this.allowed = makeHostFilter([site.home, ...site.allowHosts, ...(o.extraAllowHosts ?? [])]);
    this.stats = {
      siteId: site.id,
      pagesFetched: 0,
      requests: 0,
      lists: 0,
      apiRequests: 0,
      candidates: 0,
      reportPages: 0,
      attachments: 0,
      errors: 0,
      robotsBlocked: 0,
      skippedHosts: 0,
      browserRenders: 0,
      challenges: 0,
      budgetExhausted: false,
      families: {},
      durationMs: 0,
    };
    this.fetching = new Fetching({
      site,
      options: o,
      stats: this.stats,
      allowed: this.allowed,
      seen: this.seen,
      cookies: this.cookieJar(),
    });
    this.requests = new PickerRequestManager(this, { signal: o.signal });
  }

  async run(): Promise<CrawlSiteStats> {
    const started = Date.now();
    const home = normaliseUrl(this.site.home);
    this.enqueue({
      url: home,
      priority: P_HOME,
      kind: 'page',
      context: 0,
      discoveredFrom: null,
      linkText: null,
      parentUrl: null,
      reportLink: false,
      ofReport: false,
      depth: 0,
    });
    for (const url of this.o.resumeLists ?? []) {
      let u: string;
      try {
        u = normaliseUrl(url);
      } catch {
        continue;
      }
      // Context 10: it was a list of the disclosure area when it was left unread, so it is rendered or
      // paged again as such.
      this.enqueue({ ...structuralItem({ depth: 0 }, home, u, '', P_RESUME, 10), discoveredFrom: null, resume: true });
    }
    // Crawlee's pool runs the handlers; the host gate (fetching-http.ts) holds per-host concurrency and spacing.
    const workers = Math.max(1, Math.min(8, this.d.maxConcurrencyPerHost * 2));
    const crawler = new BasicCrawler(
      {
        requestManager: this.requests,
        maxRequestRetries: 0, // retries with backoff happen per exchange in fetching.ts, where Retry-After is known
        requestHandlerTimeoutSecs: 3600, // a Hanweb column pages through hundreds of API calls in one handler
        autoscaledPoolOptions: { minConcurrency: workers, maxConcurrency: workers, desiredConcurrency: workers, maybeRunIntervalSecs: 0.1 },
        useSessionPool: true,
        sessionPoolOptions: {
          maxPoolSize: 1, // one identity per site crawl: challenge cookies are shared by all its requests
          blockedStatusCodes: CHALLENGE_STATUS_CODES,
          sessionOptions: { maxUsageCount: Number.MAX_SAFE_INTEGER, maxAgeSecs: 7 * 24 * 3600, maxErrorScore: Number.MAX_SAFE_INTEGER },
          persistenceOptions: { enable: false },
        },
        requestHandler: async ({ request }) => {
          const item = request.userData[ITEM] as FrontierItem;
          try {
            await this.process(item);
          } catch (e) {
            await this.fetching.error({ siteId: this.site.id, url: item.url, code: 'callback', message: (e as Error).message });
          }
        },
        log: quietLog(`crawl ${this.site.id}`),
      },
      memoryConfiguration(),
    );
    this.crawler = crawler;
    this.requests.onWork = () => void crawler.autoscaledPool?.notify();
    const onAbort = () => void crawler.autoscaledPool?.notify();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await crawler.run();
    } finally {
      this.o.signal?.removeEventListener('abort', onAbort);
      await this.renderer?.release();
    }
    this.stats.durationMs = Date.now() - started;
    return this.stats;
  }

  // ---------------------------------------------------------------- frontier (the request manager's picker)

  get size(): number {
    return this.frontier.size;
  }

  next(): FrontierItem | undefined {
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

  spendBudget(): boolean {
    if (this.budgetUsed >= this.site.maxPages) {
      this.stats.budgetExhausted = true;
      return false;
    }
    this.budgetUsed++;
    return true;
  }

  countApiRequest(): void {
    this.stats.apiRequests++;
  }

  /**
   * A list that stays unread after its retries: an error row the next run reads back (src/store/unfinished-lists.ts)
   * and seeds first. The message names the list and why, so a user sees what was not crawled.
   */
  async unfinished(url: string, why: string): Promise<void> {
    this.stats.unfinishedLists = (this.stats.unfinishedLists ?? 0) + 1;
    await this.fetching.error({ siteId: this.site.id, url, code: 'list_unfinished', message: `list ${url} left unread: ${why}` });
  }

  fetchUrl: PagingHost['fetchUrl'] = (spec, kind, meta) => this.fetching.fetchUrl(spec, kind, meta);

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
    if (queued === undefined && this.queued.size + this.seen.size >= this.maxUrls) {
      // Memory bounded by design: a site linking to millions of URLs (calendars, search pages) costs this much.
      this.stats.linksDropped = (this.stats.linksDropped ?? 0) + 1;
      return false;
    }
    if (!this.allowed(item.url)) {
      this.seen.add(key);
      this.stats.skippedHosts++;
      return false;
    }
    this.queued.set(key, item.priority);
    this.frontier.push(item);
    this.requests.notify();
    return true;
  }

  /** Scores and queues one link; the priority it was queued at, or null when not followed. */
  enqueueLink(item: FrontierItem, pageUrl: string, l: LinkIn, context: number, inArea: boolean, onReport: boolean): number | null {
    const child = linkToItem({ item, pageUrl, context, inArea, onReport }, l);
    return child && this.enqueue(child) ? child.priority : null;
  }

  // ---------------------------------------------------------------- cookies (the SessionPool's session)

  private async session(): Promise<Session | null> {
    return (await this.crawler?.sessionPool?.getSession()) ?? null;
  }

  private cookieJar(): CookieJar {
    return {
      header: async (url) => (await this.session())?.getCookieString(url) ?? '',
      remember: async (url, setCookie) => {
        const s = await this.session();
        for (const c of setCookie) {
          try {
            s?.setCookie(c, url);
          } catch {
            /* a cookie for another domain is dropped, as a browser would */
          }
        }
      },
    };
  }

  // ---------------------------------------------------------------- processing

  private async process(item: FrontierItem): Promise<void> {
    const meta = { discoveredFrom: item.discoveredFrom, linkText: item.linkText };
    const headers: Record<string, string> = {};
    if (item.discoveredFrom) headers.referer = item.discoveredFrom;
    const fr = await this.fetching.fetchUrl({ url: item.url, headers }, item.kind === 'attachment' ? 'attachment' : 'page', meta, true);
    if (!fr) return;
    const { res } = fr;
    // A list page (a pager's page N, or a list left unread last time) that did not answer after fetching.ts's
    // retries: its entries are lost to this run unless the next one starts there.
    if ((res.status === 0 || res.status >= 500 || res.status === 429) && (item.resume || (item.linkText === 'page' && item.context >= 5))) {
      await this.unfinished(item.url, res.status ? `HTTP ${res.status}` : (res.error ?? 'no answer'));
      return;
    }
    let finalUrl = fr.finalUrl;
    let html: string | null = null;
    let renderedLinks: { url: string; text: string }[] | null = null;

    if (isChallenge(res)) {
      if (res.status >= 200 && res.status < 300) await this.fetching.snapshot(res, 'page', meta);
      this.stats.challenges++;
      // The session's cookies did not pass: retire it (412/521); the browser's cookies go on a fresh one.
      (await this.session())?.retireOnBlockedStatusCodes(res.status);
      const solved = await this.solveChallenge(finalUrl, item);
      if (!solved) return;
      html = solved.html;
      finalUrl = solved.finalUrl;
      renderedLinks = solved.links;
    }
    if (html === null) {
      if (res.status < 200 || res.status >= 300 || !res.body) {
        if (res.status >= 200 && res.status < 300) await this.fetching.snapshot(res, 'page', meta);
        return;
      }
      const body = res.body;
      const ct = res.headers['content-type'] ?? null;
      const sniff = sniffKind(body);
      const isHtml = sniff === 'html' || (!sniff && /html|xml/i.test(ct ?? '') && !looksLikeBinary(body));
      if (!isHtml) {
        const emitted = await this.handleFile(item, finalUrl, res, sniff);
        await this.fetching.snapshot(res, emitted || item.kind === 'attachment' ? 'attachment' : 'asset', meta);
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
      await this.fetching.error({ siteId: this.site.id, url, code: 'too_large', message: `larger than ${this.d.maxDocumentBytes} bytes` });
      return false;
    }
    const ct = res.headers['content-type'] ?? null;
    const isDoc =
      sniff === 'pdf' ||
      sniff === 'ole' ||
      sniff === 'zip' ||
      /pdf|msword|officedocument|ms-excel|wps|ofd/i.test(ct ?? '') ||
      looksLikeAttachmentUrl(url);
    if (!isDoc) return false;
    if (!(item.ofReport || item.reportLink)) return false;
    if (classifyTitle(item.linkText) === 'decoy') return false;
    await this.emit({
      url,
      sha256: sha256(body),
      body,
      contentType: ct,
      role: 'attachment',
      parentUrl: item.parentUrl ?? item.discoveredFrom,
      linkText: item.linkText,
      title: item.linkText,
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
    item: FrontierItem,
    url: string,
    res: RawResponse,
    html: string,
    renderedLinks: { url: string; text: string }[] | null,
    rendered: 'challenge' | 'article' | null = renderedLinks ? 'challenge' : null,
  ): Promise<void> {
    const info = extractPage(html, url);
    const judged = judgePage(item, info);
    // A report page whose body a script fills from an API (Epoint showinfo, gkmlpt, Lonsun shells): judged on
    // its HTML alone it is an empty report, or nothing. Rendered, it is the report; the API response and the
    // rendered DOM are kept as snapshots, and the page is judged (and its files found) on what the browser shows.
    if (!rendered && this.looksLikeArticleShell(item, info, judged, html)) {
      const r = await this.renderArticle(item, url);
      if (r) {
        await this.fetching.snapshot(res, 'page', item);
        return this.handlePage(item, url, res, r.html, r.links, 'article');
      }
    }
    this.stats.pagesFetched++;
    // An article page that only frames its body (iframe shells): the framed page is the report, this is not.
    const framed = judged.isReport && info.iframes.length > 0 && !hasReportBodyMarkers(info.bodyText);
    if (framed) {
      judged.isReport = false;
      for (const f of info.iframes) {
        this.enqueue({
          url: f,
          priority: P_REPORT_LINK,
          kind: 'page',
          context: item.context,
          discoveredFrom: url,
          linkText: judged.title ?? item.linkText,
          parentUrl: url,
          reportLink: true,
          ofReport: false,
          depth: item.depth + 1,
        });
      }
    }
    const family = fingerprintFamily(html, url);
    const context = Math.max(item.context, scorePageContext([info.columnName, info.breadcrumb, judged.isReport ? null : info.title]));
    const inArea = context >= 3;

    const isList = isListPage(judged, info, html, url);
    if (context >= 10 && isList) this.foundReportArea = true;
    if (isList) {
      this.stats.lists++;
      this.stats.families[family] = (this.stats.families[family] ?? 0) + 1;
    }
    if (!rendered) {
      // After a challenge the browser's copy was snapshotted as it arrived.
      await this.fetching.snapshot(res, judged.isReport ? 'report' : isList ? 'list' : 'page', item);
    } else if (judged.isReport) {
      // What the browser showed is the document archived: keep it as a snapshot of its own.
      await this.fetching.snapshot(renderedSnapshot(url, html), 'report', item);
    }
    if (judged.isReport) {
      // After a render the HTTP body is a challenge stub or an empty shell; the document is what the browser saw.
      const body = !rendered && res.body ? res.body : Buffer.from(html);
      const continuation = await this.fetchContinuation(url, html);
      await this.emit({
        url,
        sha256: sha256(body),
        body,
        contentType: rendered ? 'text/html; charset=utf-8' : (res.headers['content-type'] ?? null),
        role: 'report-page',
        parentUrl: item.discoveredFrom,
        linkText: item.linkText,
        title: judged.title,
        ...(continuation.length ? { continuation } : {}),
      });
    }

    const links: LinkIn[] = renderedLinks
      ? renderedLinks
          .map((l) => ({ url: normaliseSafe(l.url), text: l.text, attachment: looksLikeAttachmentUrl(l.url), chrome: false }))
          .filter((l): l is LinkIn => !!l.url)
      : info.links;
    let promising = 0;
    for (const l of links) {
      const queuedAt = this.enqueueLink(item, url, l, context, inArea, judged.isReport);
      if (queuedAt !== null && (queuedAt >= 4 || l.attachment)) promising++;
    }
    for (const f of info.iframes) {
      if (this.enqueue(structuralItem(item, url, f, '', Math.max(item.priority, 5), context))) promising++;
    }
    if (info.metaRefresh) this.enqueue(structuralItem(item, url, info.metaRefresh, '', 0, context));

    if (judged.isReport) return;

    // List paging by family.
    const call = parseCreatePageHTML(html);
    if (call && call.count > 1) {
      for (const p of createPageUrls(call, url)) {
        if (this.enqueue(structuralItem(item, url, p, 'page', Math.max(item.priority, 6), context))) promising++;
      }
    }
    if (info.datastore && (family === 'hanweb' || info.datastore.records.length)) {
      promising += await pageHanweb(this, item, url, html, info, context);
    }
    // ASP.NET pagers post the form back; only lists of the disclosure area are worth the POSTs.
    if (!call && !info.datastore && (inArea || judged.reportLinks > 0) && /__doPostBack\(/.test(html)) {
      promising += await pageAspnet(this, item, url, html, context);
    }
    // Script-built lists: nothing worth following in the HTML, but scripts that would fill it.
    // Sidebars and navigation stay in the HTML of a shell, so "no report links in a 年报 column" is the
    // signal, not "no links at all"; elsewhere only script-built pages with nothing to follow qualify.
    const builds = !call && buildsContent(html);
    const shellish =
      builds &&
      judged.reportLinks === 0 &&
      !info.datastore &&
      (context >= 8 ||
        info.links.length < 3 ||
        (promising === 0 && (context >= 5 || (inArea && (family === 'epoint' || family === 'gkmlpt' || family === 'lonsun')))));
    if (shellish && !rendered) await this.renderList(item, url, context);
    else if (!call && !info.datastore && context >= 5 && !rendered) {
      const n = announcedPageCount(html);
      if ((n && n > 1 && !links.some((l) => isSameListPager(l.url, url))) || hasScriptPager(html)) {
        // A page count with no page links, or page links only a script follows: render it and page through.
        await this.renderList(item, url, context);
      }
    }
  }

  /**
   * The later pages of a report split over several pages (`…_2.html`, `?page=2`, 下一页 inside the article):
   * fetched in order, each snapshotted as a report page, and handed on with the first page as one report.
   * They are marked seen, so the frontier never judges one of them a report of its own.
   */
  private async fetchContinuation(url: string, html: string): Promise<NonNullable<CandidateDocument['continuation']>> {
    const out: NonNullable<CandidateDocument['continuation']> = [];
    const queue = continuationLinks(html, url);
    const done = new Set([urlKey(url)]);
    while (queue.length && out.length < MAX_CONTINUATION_PAGES) {
      const next = queue.shift()!;
      const key = urlKey(next);
      if (done.has(key) || !this.allowed(next)) continue;
      done.add(key);
      this.seen.add(key);
      const fr = await this.fetching.fetchUrl({ url: next, headers: { referer: url } }, 'report', { discoveredFrom: url, linkText: null });
      if (!fr || fr.res.status < 200 || fr.res.status >= 300 || !fr.res.body) break;
      const body = fr.res.body;
      out.push({ url: fr.finalUrl, sha256: sha256(body), body, contentType: fr.res.headers['content-type'] ?? null });
      const text = decodeHtml(body, fr.res.headers['content-type'], this.site.charset).text;
      for (const u of continuationLinks(text, fr.finalUrl)) if (!done.has(urlKey(u))) queue.push(u);
    }
    return out;
  }

  // ---------------------------------------------------------------- rendering

  /**
   * A page that claims a report (its title or the link to it) but carries no report text, and whose scripts
   * would fill it: render it before judging. Lists (report links, datastores) are not shells of an article.
   */
  private looksLikeArticleShell(item: FrontierItem, info: PageInfo, judged: Judgement, html: string): boolean {
    if (this.o.browser === false || judged.reportLinks > 0 || info.datastore) return false;
    const claimed = judged.isReport || classifyTitle(item.linkText) === 'report' || classifyTitle(info.title) === 'report';
    if (!claimed || hasReportBodyMarkers(info.bodyText)) return false;
    return buildsContent(html);
  }

  private async renderArticle(item: FrontierItem, url: string): Promise<{ html: string; links: { url: string; text: string }[] } | null> {
    const renderer = this.ensureRenderer();
    if (!renderer || this.articleRenders >= MAX_ARTICLE_RENDERS) return null;
    this.articleRenders++;
    this.stats.browserRenders++;
    try {
      const r = await renderer.render(url, { referer: item.discoveredFrom ?? undefined, maxClicks: 0 });
      return { html: r.html, links: r.links };
    } catch (e) {
      await this.fetching.error({ siteId: this.site.id, url, code: 'browser', message: (e as Error).message });
      return null;
    }
  }

  private ensureRenderer(): NonNullable<SiteCrawl['renderer']> | null {
    if (this.o.browser === false) return null;
    if (!this.renderer) {
      // The process's browser, shared with the other site crawls; this crawl's hooks go with each render.
      const browser = sharedRenderer({
        userAgent: this.d.userAgent,
        timeoutMs: this.o.renderTimeoutMs ?? this.d.requestTimeoutSecs * 1000,
        executablePath: this.o.chromiumPath,
      });
      const hooks: BrowserHooks = {
        fetch: (spec) => this.fetching.exchange(spec),
        allow: (u) => this.fetching.allowedNow(u),
        onBlocked: () => {
          this.stats.skippedHosts++;
        },
        onResponse: (r) => this.browserSnapshot(r),
      };
      this.renderer = { render: (url, o) => browser.render(url, hooks, o), release: () => browser.release() };
    }
    return this.renderer;
  }

  private async browserSnapshot(r: BrowserResponse): Promise<void> {
    const kind: SnapshotKind =
      r.resourceType === 'document' ? 'page' : r.resourceType === 'xhr' || r.resourceType === 'fetch' ? 'api' : 'asset';
    if (kind === 'api') this.stats.apiRequests++;
    await this.fetching.snapshot(
      { requestedUrl: r.url, finalUrl: r.url, status: r.status, headers: r.headers, body: r.body, fetchedAt: r.fetchedAt, error: r.error },
      kind,
      { discoveredFrom: r.referer, linkText: null },
    );
  }

  private async renderList(item: FrontierItem, url: string, context: number): Promise<void> {
    const renderer = this.ensureRenderer();
    if (!renderer || this.listRenders >= MAX_RENDERS) return;
    this.listRenders++;
    this.stats.browserRenders++;
    // A render on a busy machine fails in several ways: the navigation times out, the page's data request
    // fails or is still in flight when the waits run out, and the list comes back empty or short. Each is
    // tried again with longer timeouts; links of every attempt are kept. A list still unread after the last
    // attempt is recorded as unfinished, so the next run starts with it.
    let why = '';
    let got = 0;
    for (let attempt = 1; attempt <= RENDER_ATTEMPTS; attempt++) {
      const scale = 2 ** (attempt - 1);
      try {
        const r = await renderer.render(url, { referer: item.discoveredFrom ?? undefined, scale });
        this.budgetUsed += r.pagesClicked;
        const info = extractPage(r.html, r.finalUrl);
        const chrome = new Set(info.links.filter((l) => l.chrome).map((l) => l.url));
        const links = r.links
          .map((l) => ({ abs: normaliseSafe(l.url), text: l.text }))
          .filter((l): l is { abs: string; text: string } => l.abs !== null);
        const content = links.filter((l) => !chrome.has(l.abs));
        got = Math.max(got, content.length);
        for (const l of links) {
          this.enqueueLink(
            item,
            url,
            { url: l.abs, text: l.text, attachment: looksLikeAttachmentUrl(l.abs), chrome: chrome.has(l.abs) },
            context,
            true,
            false,
          );
        }
        this.o.log?.debug?.({ url, links: r.links.length, clicks: r.pagesClicked, attempt, failed: r.failedRequests }, 'rendered list');
        const broken = r.failedRequests > 0 || r.pendingRequests > 0;
        if (!broken && content.length > 0) return;
        // Nothing shown and nothing failed: on the first look a script may simply be late; after that, the
        // list is empty (a column with no entries yet), which is a list read.
        if (!broken && attempt > 1) return;
        why = broken
          ? `${r.failedRequests} of its requests failed and ${r.pendingRequests} were still loading (${content.length} links shown)`
          : 'the rendered page showed no links';
      } catch (e) {
        why = `render failed: ${(e as Error).message.split('\n')[0]}`;
      }
      if (attempt < RENDER_ATTEMPTS) await sleep(RENDER_RETRY_MS * scale);
    }
    await this.unfinished(
      url,
      `after ${RENDER_ATTEMPTS} renders (timeouts up to ×${2 ** (RENDER_ATTEMPTS - 1)}): ${why}${got ? `; ${got} links kept` : ''}`,
    );
  }

  private async solveChallenge(
    url: string,
    item: FrontierItem,
  ): Promise<{ html: string; finalUrl: string; links: { url: string; text: string }[] } | null> {
    const host = hostOf(url);
    const n = (this.challengeCount.get(host) ?? 0) + 1;
    this.challengeCount.set(host, n);
    const renderer = this.ensureRenderer();
    if (!renderer || n > MAX_CHALLENGES_PER_HOST) {
      await this.fetching.error({ siteId: this.site.id, url, code: 'challenge', message: 'JS challenge not passed' });
      return null;
    }
    try {
      const r = await renderer.render(url, { referer: item.discoveredFrom ?? undefined, maxClicks: 0 });
      // The browser's cookies (bound to our UA) let plain HTTP through for the rest of the crawl.
      const cookies = r.cookies.filter((c) => host.endsWith(c.domain.replace(/^\./, '')));
      if (cookies.length) (await this.session())?.setCookies(cookies, url);
      this.stats.browserRenders++;
      return { html: r.html, finalUrl: normaliseUrl(r.finalUrl), links: r.links };
    } catch (e) {
      await this.fetching.error({ siteId: this.site.id, url, code: 'challenge', message: (e as Error).message });
      return null;
    }
  }
}

function normaliseSafe(u: string): string | null {
  try {
    return normaliseUrl(u);
  } catch {
    return null;
  }
}

/** The DOM a browser built, as a snapshot: what was archived as the report when its HTML was a shell. */
function renderedSnapshot(url: string, html: string): RawResponse {
  return {
    requestedUrl: url,
    finalUrl: url,
    status: 200,
    body: Buffer.from(html),
    fetchedAt: new Date().toISOString(),
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-nianbao-rendered': 'dom' },
  };
}
