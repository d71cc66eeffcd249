import type { CrawlDefaults } from '../schema/site-config.ts';
import type { fetchOnce } from './fetching-http.ts';
import type { HostGate } from './host-gate.ts';

export type SnapshotKind = 'page' | 'list' | 'report' | 'attachment' | 'robots' | 'api' | 'asset';

export interface FetchedSnapshot {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
  fetchedAt: string;
  contentType: string | null;
  sha256: string | null;
  siteId: string;
  kind: SnapshotKind;
  discoveredFrom: string | null;
  linkText: string | null;
  error?: string;
  /** A 304 Not Modified: the archived snapshot it confirms (body is null, status 304). */
  confirmsSha?: string;
}

/** What the archive knows of a URL, for a re-crawl (src/store/recrawl-policy.ts decides). */
export type RevalidationDecision =
  | { action: 'revalidate'; sha256: string; etag: string | null; lastModified: string | null; contentType: string | null }
  | { action: 'reuse'; sha256: string; contentType: string | null };

export interface Revalidator {
  /** null: an ordinary request. */
  decide(url: string): RevalidationDecision | null;
  /** The archived bytes of a snapshot (null if they are gone: then the URL is fetched normally). */
  body(sha256: string): Buffer | null;
}

export interface CandidateDocument {
  url: string;
  sha256: string;
  body: Buffer;
  contentType: string | null;
  role: 'report-page' | 'attachment';
  parentUrl: string | null;
  linkText: string | null;
  title: string | null;
  /**
   * Later pages of the same report (an article split over `…_2.html`, `?page=2`), in page order: one report,
   * each page its own snapshot. Parse the document and these with `parseDocumentPages` (src/parse/parse-file.ts).
   */
  continuation?: { url: string; sha256: string; body: Buffer; contentType: string | null }[];
}

export type CrawlErrorCode =
  | 'http_error'
  | 'network'
  | 'robots_disallowed'
  | 'host_not_allowed'
  | 'challenge'
  | 'too_large'
  | 'browser'
  | 'callback'
  /** A list (rendered, paged over HTTP or through a list API) left unread after its retries. */
  | 'list_unfinished';

export interface CrawlError {
  siteId: string;
  url: string;
  code: CrawlErrorCode;
  status?: number;
  message: string;
}

export interface CrawlLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface CrawlSiteOptions {
  defaults: CrawlDefaults;
  /** Every request goes through this HTTP forward proxy (how the simulated `.test` web is reached). */
  proxyUrl?: string;
  extraAllowHosts?: string[];
  crawlRunId: number | null;
  onSnapshot(s: FetchedSnapshot): Promise<void>;
  onDocument(d: CandidateDocument): Promise<void>;
  onError?(e: CrawlError): void | Promise<void>;
  signal?: AbortSignal;
  log?: CrawlLogger;
  /** Lists a previous run left unread (src/store/unfinished-lists.ts): queued before the home page. */
  resumeLists?: string[];
  /** First-attempt render timeout (default: requestTimeoutSecs); retries double it. */
  renderTimeoutMs?: number;
  /**
   * URLs one site crawl remembers (queued, plus fetched or refused): links to new URLs past it are not
   * followed (stats.linksDropped). Bounds the frontier and seen-set of a site whatever it links to. Default
   * max(5,000, 25 × maxPages): the highest-priority links are met first, so the budget holds what gets fetched.
   */
  maxUrls?: number;
  /** Use headless Chromium for script-built lists and JS challenges (default true). */
  browser?: boolean;
  chromiumPath?: string;
  /**
   * The per-host politeness gate, shared by every crawl that should share limits (the crawl workers pass one
   * held in Redis: src/workers/host-gate-redis.ts). Default: a gate of this crawl's own.
   */
  gate?: HostGate;
  /** The wire (tests pass a fake; default: fetchOnce over HTTP through the host gate). */
  transport?: typeof fetchOnce;
  /** Re-crawl: conditional GETs from the last fetch of each URL, archived bytes for a 304 (issue 10). */
  revalidate?: Revalidator;
}

export interface CrawlSiteStats {
  siteId: string;
  pagesFetched: number; // HTML pages (incl. lists and report pages), HTTP or browser
  requests: number; // every HTTP exchange incl. retries, redirects, robots, API, attachments
  lists: number;
  apiRequests: number;
  candidates: number; // report pages + attachments emitted
  reportPages: number;
  attachments: number;
  errors: number;
  robotsBlocked: number;
  skippedHosts: number; // links/requests to hosts outside the allow list (never requested)
  /** Links to new URLs not followed because the crawl already remembered maxUrls URLs. */
  linksDropped?: number;
  browserRenders: number;
  /** Lists left unread after their retries (recorded as `list_unfinished` errors). */
  unfinishedLists?: number;
  challenges: number;
  budgetExhausted: boolean;
  families: Record<string, number>; // list pages by CMS family
  durationMs: number;
}
