import type { Browser, BrowserContext, Route } from 'playwright-core';
import type { RawResponse, RequestSpec } from './fetcher.ts';

// Headless Chromium for lists built by scripts (Epoint, gkmlpt, Lonsun shells, SPAs) and for JS cookie
// challenges. Every request the page makes is intercepted: hosts outside the allow list and robots-
// disallowed paths are aborted, the rest are fetched by the crawler's HTTP client (same proxy, per-host
// gate and cookie jar, so politeness holds) and handed back as snapshots.

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-domain-reliability',
  '--disable-client-side-phishing-detection', '--no-pings', '--disable-features=OptimizationHints,MediaRouter,Translate',
];

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
  /** Links from every state the list went through while paging. */
  links: { url: string; text: string }[];
  cookies: { name: string; value: string; domain: string }[];
  pagesClicked: number;
}

export interface BrowserHooks {
  allow(url: string): boolean; // allowed host and robots
  onResponse(r: BrowserResponse): Promise<void>;
  onBlocked(url: string): void;
  /** Performs the page's request over the crawler's own HTTP path (proxy, per-host gate, cookies). */
  fetch(spec: RequestSpec): Promise<RawResponse>;
}

export class Renderer {
  private browser: Browser | null = null;
  private context: BrowserContext | null = null;
  private launching: Promise<void> | null = null;

  constructor(
    private readonly opts: { userAgent: string; timeoutMs: number; executablePath?: string },
    private readonly hooks: BrowserHooks,
  ) {}

  private async ensure(): Promise<BrowserContext> {
    if (this.context) return this.context;
    if (!this.launching) {
      this.launching = (async () => {
        const { chromium } = await import('playwright-core');
        this.browser = await chromium.launch({
          executablePath: this.opts.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: CHROMIUM_ARGS,
          headless: true,
          // All page traffic is fulfilled by the crawler (route below); anything that slips past routing —
          // the browser's own background traffic — goes to a closed loopback port, never to the network.
          proxy: { server: 'http://127.0.0.1:9' },
        });
        this.context = await this.browser.newContext({
          userAgent: this.opts.userAgent,
          locale: 'zh-CN',
          extraHTTPHeaders: { 'accept-language': 'zh-CN,zh;q=0.9' },
          serviceWorkers: 'block',
        });
        await this.context.route('**/*', (route) => this.handle(route));
      })();
    }
    await this.launching;
    return this.context!;
  }

  private async handle(route: Route): Promise<void> {
    const req = route.request();
    const url = req.url();
    const type = req.resourceType();
    if (!/^https?:/.test(url)) return route.continue();
    if (!this.hooks.allow(url)) {
      this.hooks.onBlocked(url);
      return route.abort('blockedbyclient');
    }
    // Pictures, fonts and styles never change what links a list holds.
    if (type === 'image' || type === 'font' || type === 'media' || type === 'stylesheet') return route.abort('blockedbyclient');
    try {
      const headers = await req.allHeaders();
      for (const h of Object.keys(headers)) if (h.startsWith(':') || h === 'host' || h === 'content-length') delete headers[h];
      const post = req.postData();
      const r = await this.hooks.fetch({ url, method: req.method() === 'POST' ? 'POST' : 'GET', headers, ...(post ? { body: post } : {}) });
      await this.hooks.onResponse({
        url, status: r.status, headers: r.headers, body: r.body, resourceType: type, fetchedAt: r.fetchedAt, error: r.error,
        referer: headers.referer ?? null,
      });
      if (r.status === 0) return route.abort('failed');
      const out: Record<string, string> = { ...r.headers };
      // The body arrives decompressed; the original encoding headers would make Chromium decode it twice.
      delete out['content-encoding'];
      delete out['content-length'];
      delete out['transfer-encoding'];
      await route.fulfill({ status: r.status, headers: out, body: r.body ?? Buffer.alloc(0) });
    } catch {
      // The page went away mid-request (navigation, close): nothing to fulfil.
      await route.abort('failed').catch(() => {});
    }
  }

  /** Opens url, waits for scripts to build the page, then clicks through a "下一页" pager. */
  async render(url: string, opts: { referer?: string; maxClicks?: number } = {}): Promise<RenderResult> {
    const context = await this.ensure();
    const page = await context.newPage();
    const links = new Map<string, string>();
    let pagesClicked = 0;
    try {
      await page.goto(url, { waitUntil: 'load', timeout: this.opts.timeoutMs, referer: opts.referer });
      await settle(page, this.opts.timeoutMs);
      const harvest = async () => {
        const found = await page.$$eval('a[href]', (as) =>
          as.map((a) => ({ url: (a as HTMLAnchorElement).href, text: ((a as HTMLElement).innerText || a.getAttribute('title') || '').trim() })),
        );
        let added = 0;
        for (const l of found) {
          if (!links.has(l.url)) {
            links.set(l.url, l.text);
            added++;
          }
        }
        // Same-origin iframes hold the list on some shells.
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const inner = await f.$$eval('a[href]', (as) => as.map((a) => ({ url: (a as HTMLAnchorElement).href, text: ((a as HTMLElement).innerText || '').trim() }))).catch(() => []);
          for (const l of inner) if (!links.has(l.url)) { links.set(l.url, l.text); added++; }
        }
        return added;
      };
      await harvest();
      const maxClicks = opts.maxClicks ?? 60;
      for (let i = 0; i < maxClicks; i++) {
        const next = page.locator('a, button, span, li').filter({ hasText: /^\s*(下一页|下页|>|›|»|next)\s*$/i }).first();
        if (!(await next.count())) break;
        const disabled = await next.evaluate((el) => /disabled|unable|no-more/i.test((el as HTMLElement).className + ' ' + (el.parentElement?.className ?? '')) || el.hasAttribute('disabled')).catch(() => true);
        if (disabled) break;
        const before = await page.content();
        await next.click({ timeout: 3000 }).catch(() => {});
        await settle(page, this.opts.timeoutMs);
        pagesClicked++;
        const added = await harvest();
        if (!added && (await page.content()) === before) break;
        if (!added) break;
      }
      const html = await page.content();
      const cookies = (await context.cookies(page.url())).map((c) => ({ name: c.name, value: c.value, domain: c.domain }));
      return { finalUrl: page.url(), html, links: [...links].map(([u, text]) => ({ url: u, text })), cookies, pagesClicked };
    } finally {
      await page.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    await this.browser?.close().catch(() => {});
    this.context = null;
    this.browser = null;
  }
}

async function settle(page: import('playwright-core').Page, timeoutMs: number): Promise<void> {
  // A challenge script reloads the page; lists arrive by XHR. Network idle covers both, bounded.
  await page.waitForLoadState('networkidle', { timeout: Math.min(timeoutMs, 10_000) }).catch(() => {});
  await page.waitForLoadState('load', { timeout: Math.min(timeoutMs, 5_000) }).catch(() => {});
}
