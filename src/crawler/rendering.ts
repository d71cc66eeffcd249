import {
  Configuration,
  EventManager,
  LocalEventManager,
  Log,
  LogLevel,
  MemoryStorage,
  PlaywrightCrawler,
  type PlaywrightCrawlingContext,
} from 'crawlee';
import { availableParallelism, totalmem } from 'node:os';
import { chromium, type Page, type Route } from 'playwright-core';
import './crawlee-compat.ts';
import type { RawResponse, RequestSpec } from './fetching-http.ts';
import { FifoPicker, ITEM, PickerRequestManager } from './request-manager.ts';

// Rendering: headless Chromium for pages scripts build (Epoint/gkmlpt/Lonsun shells, SPAs, script-filled
// articles) and for JS cookie challenges. Runs on Crawlee's PlaywrightCrawler (BrowserPool, Debian's
// Chromium through playwright-core). Every request a page makes is intercepted: hosts outside the allow list
// and robots-disallowed paths are aborted, the rest are fetched by the crawler's own HTTP path (same proxy,
// per-host gate and session cookies, so politeness holds) and handed back as snapshots. Anything that slips
// past routing (the browser's own background traffic) goes to a closed loopback port; WebRTC is confined to
// proxied UDP (none), so no page script can reach a host directly.

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-pings',
  '--disable-features=OptimizationHints,MediaRouter,Translate',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Where the browser's un-routed traffic goes: the discard port on loopback, which nothing listens on. */
export const BLACKHOLE_PROXY = 'http://127.0.0.1:9';

export interface BrowserResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
  resourceType: string;
  fetchedAt: string;
  /** The page that made the request (its Referer), for the snapshot's discoveredFrom. */
  referer: string | null;
  error?: string;
}

export interface RenderResult {
  finalUrl: string;
  html: string;
  /** Links from every state the page went through while paging. */
  links: { url: string; text: string }[];
  cookies: { name: string; value: string; domain: string; path: string }[];
  pagesClicked: number;
  /** The page's own requests that got no answer or a 5xx/429 (its data did not arrive). */
  failedRequests: number;
  /** Requests still in flight when the render gave up waiting (a starved machine, a stalled API). */
  pendingRequests: number;
}

/** A render's timeouts grow by this factor on each retry, up to MAX_RENDER_SCALE times the base. */
export const MAX_RENDER_SCALE = 4;

export type RendererOptions = { userAgent: string; timeoutMs: number; executablePath?: string; concurrency?: number; log?: Log };
export type RenderOptions = { referer?: string; maxClicks?: number; scale?: number };

const shared = new Map<string, { renderer: Renderer; users: number }>();

/**
 * The process's Renderer for these options, shared by every site crawl that asks for the same ones; each
 * holder calls `release` when its crawl ends, and the last one out closes the browser.
 */
export function sharedRenderer(opts: RendererOptions): { render: Renderer['render']; release(): Promise<void> } {
  const key = JSON.stringify([opts.userAgent, opts.timeoutMs, opts.executablePath ?? null, opts.concurrency ?? null]);
  let entry = shared.get(key);
  if (!entry) shared.set(key, (entry = { renderer: new Renderer(opts), users: 0 }));
  const held = entry;
  held.users++;
  let released = false;
  return {
    render: (url, hooks, o) => held.renderer.render(url, hooks, o),
    async release() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      await held.renderer.close();
    },
  };
}

export interface BrowserHooks {
  allow(url: string): boolean; // allowed host and robots
  onResponse(r: BrowserResponse): Promise<void>;
  onBlocked(url: string): void;
  /** Performs the page's request over the crawler's own HTTP path (proxy, per-host gate, cookies). */
  fetch(spec: RequestSpec): Promise<RawResponse>;
}

interface RenderJob {
  url: string;
  /** The site crawl's gate, allow list and snapshots: one browser serves many sites' renders. */
  hooks: BrowserHooks;
  referer?: string;
  maxClicks: number;
  /** Multiplies the navigation timeout and every wait of the render (a retry on a loaded machine). */
  scale: number;
  resolve(r: RenderResult): void;
  reject(e: Error): void;
}

/**
 * A PlaywrightCrawler fed by `render()` calls: each call is a request on its FIFO queue, answered when
 * the crawler's handler has rendered the page. The crawler (and its browser) start on the first render.
 * Each render brings its site's hooks, so one Renderer (one Chromium) serves every site crawl of a
 * process (`sharedRenderer`): a browser per site cost a Chromium's memory and start-up per site in flight.
 */
export class Renderer {
  private readonly picker = new FifoPicker<RenderJob>();
  private readonly queue: PickerRequestManager<RenderJob>;
  private crawler: PlaywrightCrawler | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly opts: RendererOptions) {
    this.queue = new PickerRequestManager(this.picker, { keepOpen: true });
  }

  render(url: string, hooks: BrowserHooks, o: RenderOptions = {}): Promise<RenderResult> {
    this.start();
    const scale = Math.min(MAX_RENDER_SCALE, Math.max(1, o.scale ?? 1));
    return new Promise<RenderResult>((resolve, reject) => {
      this.picker.push({ url, hooks, referer: o.referer, maxClicks: o.maxClicks ?? 60, scale, resolve, reject });
      this.queue.notify();
    });
  }

  private start(): void {
    if (this.crawler) return;
    // Pages at once: one per core, 2 to 4. On two cores, 4 gave no more requests or reports than 2 (the machine is
    // CPU-bound) and cost ~130 MB of renderer processes (bench:scale, 30 sites).
    const concurrency = this.opts.concurrency ?? Math.min(4, Math.max(2, availableParallelism()));
    const crawler = new PlaywrightCrawler(
      {
        requestManager: this.queue,
        maxRequestRetries: 0, // the caller decides whether an empty render is worth another go
        useSessionPool: false, // cookies travel through the HTTP crawler's SessionPool (see fetching)
        persistCookiesPerSession: false,
        // The crawler-wide bounds fit the slowest retry; each render's own timeouts are set per job below.
        navigationTimeoutSecs: Math.ceil((this.opts.timeoutMs * MAX_RENDER_SCALE) / 1000),
        requestHandlerTimeoutSecs: Math.ceil((this.opts.timeoutMs * MAX_RENDER_SCALE) / 1000) * 8 + 60,
        headless: true,
        launchContext: {
          launcher: chromium,
          // A fresh incognito context per render: no state leaks from one site page to the next; a challenge's
          // cookies are read from the render's own context and kept in the HTTP crawler's session.
          useIncognitoPages: true,
          userAgent: this.opts.userAgent,
          launchOptions: {
            executablePath: this.opts.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
            args: CHROMIUM_ARGS,
            headless: true,
            proxy: { server: BLACKHOLE_PROXY },
          },
        },
        browserPoolOptions: {
          useFingerprints: false,
          maxOpenPagesPerBrowser: concurrency,
          prePageCreateHooks: [
            (_id, _controller, pageOptions) => {
              if (!pageOptions) return;
              Object.assign(pageOptions, {
                userAgent: this.opts.userAgent,
                locale: 'zh-CN',
                serviceWorkers: 'block',
                extraHTTPHeaders: { 'accept-language': 'zh-CN,zh;q=0.9' },
              });
            },
          ],
        },
        autoscaledPoolOptions: {
          minConcurrency: concurrency,
          maxConcurrency: concurrency,
          desiredConcurrency: concurrency,
          maybeRunIntervalSecs: 0.1,
        },
        preNavigationHooks: [
          async ({ page, request }, gotoOptions) => {
            const job = request.userData[ITEM] as RenderJob;
            await (page as Page).route('**/*', (route: Route) => this.handle(route, job.hooks));
            if (gotoOptions) {
              gotoOptions.waitUntil = 'load';
              gotoOptions.timeout = this.opts.timeoutMs * job.scale;
              if (job.referer) (gotoOptions as { referer?: string }).referer = job.referer;
            }
          },
        ],
        requestHandler: async (ctx) => {
          const job = ctx.request.userData[ITEM] as RenderJob;
          try {
            job.resolve(await this.harvest(ctx, job));
          } catch (e) {
            job.reject(e as Error);
          }
        },
        failedRequestHandler: async ({ request }, error) => {
          (request.userData[ITEM] as RenderJob).reject(error);
        },
        log: this.opts.log ?? quietLog('render'),
      },
      memoryConfiguration(),
    );
    this.crawler = crawler;
    this.queue.onWork = () => void crawler.autoscaledPool?.notify();
    this.running = crawler.run().catch((e: Error) => {
      // The pool died (browser could not start): every waiting render fails with the reason.
      for (let j = this.picker.next(); j; j = this.picker.next()) j.reject(e);
    });
  }

  private async handle(route: Route, hooks: BrowserHooks): Promise<void> {
    const req = route.request();
    const url = req.url();
    const type = req.resourceType();
    if (!/^https?:/.test(url)) return route.continue();
    if (!hooks.allow(url)) {
      hooks.onBlocked(url);
      return route.abort('blockedbyclient');
    }
    // Pictures, fonts and styles never change what links a page holds.
    if (type === 'image' || type === 'font' || type === 'media' || type === 'stylesheet') return route.abort('blockedbyclient');
    const activity = activityOf(req.frame().page());
    activity.inflight++;
    activity.last = Date.now();
    try {
      if (!(await this.fulfil(route, url, type, hooks))) activity.failed++;
    } finally {
      activity.inflight--;
      activity.last = Date.now();
    }
  }

  /** False when the page's request got no usable answer (nothing, 5xx, 429). */
  private async fulfil(route: Route, url: string, type: string, hooks: BrowserHooks): Promise<boolean> {
    const req = route.request();
    try {
      const headers = await req.allHeaders();
      for (const h of Object.keys(headers)) if (h.startsWith(':') || h === 'host' || h === 'content-length') delete headers[h];
      const post = req.postData();
      const r = await hooks.fetch({ url, method: req.method() === 'POST' ? 'POST' : 'GET', headers, ...(post ? { body: post } : {}) });
      await hooks.onResponse({
        url,
        status: r.status,
        headers: r.headers,
        body: r.body,
        resourceType: type,
        fetchedAt: r.fetchedAt,
        error: r.error,
        referer: headers.referer ?? null,
      });
      if (r.status === 0) {
        await route.abort('failed');
        return false;
      }
      // A redirect is answered as such; Chromium follows it with a new, again routed, request.
      const out: Record<string, string> = { ...r.headers };
      // The body arrives decompressed; the original encoding headers would make Chromium decode it twice.
      delete out['content-encoding'];
      delete out['content-length'];
      delete out['transfer-encoding'];
      await route.fulfill({ status: r.status, headers: out, body: r.body ?? Buffer.alloc(0) });
      return r.status < 500 && r.status !== 429;
    } catch {
      // The page went away mid-request (navigation, close): nothing to fulfil.
      await route.abort('failed').catch(() => {});
      return true;
    }
  }

  /** Waits for scripts to build the page, then clicks through a "下一页" pager, collecting links. */
  private async harvest({ page: p }: PlaywrightCrawlingContext, job: RenderJob): Promise<RenderResult> {
    const page = p as unknown as Page;
    const links = new Map<string, string>();
    let pagesClicked = 0;
    const timeoutMs = this.opts.timeoutMs * job.scale;
    const capMs = 10_000 * job.scale;
    await settle(page, timeoutMs, capMs);
    const collect = async () => {
      let added = 0;
      // Same-origin iframes hold the list on some shells.
      for (const f of page.frames()) {
        const found = await f
          .$$eval('a[href]', (as) =>
            as.map((a) => ({
              url: (a as HTMLAnchorElement).href,
              text: ((a as HTMLElement).innerText || a.getAttribute('title') || '').trim(),
            })),
          )
          .catch(() => [] as { url: string; text: string }[]);
        for (const l of found) {
          if (!links.has(l.url)) {
            links.set(l.url, l.text);
            added++;
          }
        }
      }
      return added;
    };
    await collect();
    // On a loaded machine a script may start its data request after the network looked idle: look again
    // until the links stop changing (pager links drawn last are how the rest of a list is found).
    // A short second look: a script that starts its data request late (on a starved machine) is waited for
    // only when the page is still changing.
    await quiet(page, timeoutMs, 200, capMs);
    if (await collect()) {
      await quiet(page, timeoutMs, 0, capMs);
      await collect();
    }
    let pageNo = 1;
    for (let i = 0; i < job.maxClicks; i++) {
      let next = page
        .locator('a, button, span, li')
        .filter({ hasText: /^\s*(下一页|下页|>|›|»|next)\s*$/i })
        .first();
      if (!(await next.count())) {
        // A numbered pager drawn by a script (`javascript:` links or data-page attributes): page N+1.
        next = page
          .locator('a[href^="javascript"], a[href="#"], a[data-page], a:not([href])')
          .filter({ hasText: new RegExp(`^\\s*${pageNo + 1}\\s*$`) })
          .first();
        if (!(await next.count())) break;
      }
      const disabled = await next
        .evaluate(
          (el) =>
            /disabled|unable|no-more/i.test((el as HTMLElement).className + ' ' + (el.parentElement?.className ?? '')) ||
            el.hasAttribute('disabled'),
        )
        .catch(() => true);
      if (disabled) break;
      await next.click({ timeout: 3000 }).catch(() => {});
      await quiet(page, timeoutMs, 0, capMs);
      pagesClicked++;
      pageNo++;
      if (await collect()) continue;
      // Nothing new: on a starved machine the page's data request may still be on its way. One more look.
      await quiet(page, timeoutMs, 400, capMs);
      if (!(await collect())) break;
    }
    if (job.maxClicks > 0) {
      // Disclosure platforms list their units (bureaus, townships) as script links that load each unit's
      // catalogue in place (Lonsun's organ tree): open each one and keep the links it shows.
      const units = page.locator('a[href^="javascript"], a[href="#"], a:not([href])').filter({ hasText: UNIT_NAME });
      const n = Math.min(await units.count().catch(() => 0), MAX_UNIT_CLICKS);
      for (let i = 0; i < n; i++) {
        await units
          .nth(i)
          .click({ timeout: 3000 })
          .catch(() => {});
        await quiet(page, timeoutMs, 0, capMs);
        if (await collect()) continue;
        await quiet(page, timeoutMs, 400, capMs);
        await collect();
      }
    }
    const html = await page.content();
    const cookies = (await page.context().cookies(page.url())).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
    }));
    const activity = activityOf(page);
    return {
      finalUrl: page.url(),
      html,
      links: [...links].map(([u, text]) => ({ url: u, text })),
      cookies,
      pagesClicked,
      failedRequests: activity.failed,
      pendingRequests: activity.inflight,
    };
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.running;
  }
}

async function settle(page: Page, timeoutMs: number, capMs = 10_000): Promise<void> {
  // A challenge script reloads the page; lists arrive by XHR. Network idle covers both, bounded.
  await page.waitForLoadState('networkidle', { timeout: Math.min(timeoutMs, capMs) }).catch(() => {});
  await page.waitForLoadState('load', { timeout: Math.min(timeoutMs, capMs / 2) }).catch(() => {});
}

interface Activity {
  inflight: number;
  last: number;
  failed: number;
}
const activities = new WeakMap<Page, Activity>();
function activityOf(page: Page): Activity {
  let a = activities.get(page);
  if (!a) activities.set(page, (a = { inflight: 0, last: Date.now(), failed: 0 }));
  return a;
}

/**
 * Waits until the page has had no request in flight for 500 ms (at least `minMs` after now), bounded.
 * Playwright's 'networkidle' is a lifecycle state reached once per navigation: after a click that loads data
 * in place it answers at once, before the click's request has even started.
 */
async function quiet(page: Page, timeoutMs: number, minMs = 0, capMs = 10_000): Promise<void> {
  const start = Date.now();
  const a = activityOf(page as Page);
  const cap = Math.min(timeoutMs, capMs);
  for (;;) {
    await page.waitForTimeout(100).catch(() => {});
    const now = Date.now();
    if (now - start >= cap) return;
    if (now - start >= Math.max(minMs, 300) && a.inflight === 0 && now - a.last >= 500) return;
  }
}

/** Names of publishing units: the county government, its bureaus and offices, townships and streets. */
const UNIT_NAME = /(人民政府|局|委员会|委|办公室|办|中心|院|所|站|队|镇|乡|街道|街道办事处|管委会)\s*$/;
const MAX_UNIT_CLICKS = 80;

/**
 * Crawlee's local event manager measures the machine for its autoscaling: at once and every second it spawns `ps`
 * for the memory of the process tree. Concurrency is fixed here, so that was pure cost, and it is paid per crawler:
 * with 30 site crawls at once, spawning took 30 % of the crawl's main thread (a fork of a large process). This
 * one keeps only the persistState timer: no systemInfo events, so the autoscaled pool sees no overload.
 */
class FixedConcurrencyEvents extends LocalEventManager {
  override async init(): Promise<void> {
    if (this.isInitialized()) return;
    await EventManager.prototype.init.call(this);
  }
}

/**
 * Crawlee keeps its queues, statistics and sessions in a storage folder by default. Crawl state lives in
 * Redis and SQLite here, so each crawler gets a private in-memory storage that writes nothing to disk.
 */
export function memoryConfiguration(): Configuration {
  const config = new Configuration({
    // Concurrency is fixed here (per-host gates decide the pace), so Crawlee's memory-based scaling has nothing
    // to do; measured against the whole machine it stops warning about a share it assumed (¼ of RAM).
    memoryMbytes: Math.floor(totalmem() / 1024 / 1024),
    persistStorage: false,
    purgeOnStart: false,
    storageClient: new MemoryStorage({ persistStorage: false, writeMetadata: false }),
  });
  config.useEventManager(new FixedConcurrencyEvents(config));
  return config;
}

export function quietLog(prefix: string): Log {
  return new Log({ level: LogLevel.WARNING, prefix });
}
