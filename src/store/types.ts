import type { ParseResult } from '../schema/index.ts';

// The archive's inputs and outputs. Row types mirror src/store/migrations/*.sql (documented in docs/schema.md).

export type UrlKind = 'page' | 'list' | 'report' | 'attachment' | 'asset' | 'robots';
export type CrawlRunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted' | 'cancelled';
export type ErrorStage = 'fetch' | 'parse' | 'archive' | 'crawl';
export type SourceRole = 'page' | 'attachment';

export interface ArchiveOptions {
  /** Clock for every timestamp the archive writes (tests pin it). */
  now?: () => Date;
  /** busy_timeout in ms: how long a write waits for another connection's lock. */
  busyTimeoutMs?: number;
  /**
   * For reports and queries while a crawl writes: never writes, never migrates (refuses a file with
   * pending migrations), keeps the views as they are. The file must exist.
   */
  readonly?: boolean;
}

export interface PutSnapshotInput {
  requestedUrl: string;
  finalUrl?: string | null;
  status?: number | null;
  headers?: Record<string, unknown> | null;
  body: Buffer | Uint8Array | null;
  /** ISO time of the response; with requestedUrl and crawlRunId it identifies the fetch (a replay is a no-op). */
  fetchedAt?: string;
  contentType?: string | null;
  siteId?: string | null;
  crawlRunId?: number | null;
  error?: string | null;
  /** When given, the URL(s) are also recorded in `urls` with this kind, status and snapshot. */
  kind?: UrlKind;
  discoveredFrom?: string | null;
  linkText?: string | null;
  /**
   * For a 304 Not Modified (no body): the snapshot the answer confirms, normally `lastFetch(url).sha256`.
   * The fetch row then points at it, so "what did this URL serve on that day" has an answer.
   */
  confirmsSha?: string | null;
}
export interface PutSnapshotResult {
  sha256: string | null;
  /** false when these exact bytes were already stored (or there is no body). */
  isNewBody: boolean;
  fetchId: number;
  /** false when this very fetch (same requestedUrl, fetchedAt, crawlRunId) was already recorded. */
  isNewFetch: boolean;
}

export interface RecordUrlInput {
  url: string;
  siteId?: string | null;
  kind: UrlKind;
  discoveredFrom?: string | null;
  linkText?: string | null;
  status?: number | null;
  snapshotSha?: string | null;
  seenAt?: string;
}

export interface RecordErrorInput {
  stage: ErrorStage;
  code: string;
  message: string;
  url?: string | null;
  siteId?: string | null;
  crawlRunId?: number | null;
  at?: string;
}

export interface SaveParseInput {
  snapshotSha: string;
  parserVersion: string;
  result: ParseResult;
  /** The URL the snapshot was fetched from (final URL after redirects). */
  url: string;
  /** For an attachment: the report page that links it. Makes page + attachment one report. */
  pageUrl?: string | null;
  siteId?: string | null;
  /** Raw bytes, stored if the snapshot is not in the archive yet (parse results may overtake their fetch). */
  body?: Buffer | Uint8Array | null;
  contentType?: string | null;
  parsedAt?: string;
  /** The later pages read with this one (a report split over pages), in order; replaces what was stored. */
  parts?: PagePart[];
}

/** A binary document's extraction (src/parse/parse-file.ts `Extraction`) as the archive stores it. */
export interface SaveExtractionInput {
  snapshotSha: string;
  extractorVersion: string;
  kind: 'pdf' | 'docx' | 'doc' | 'xls' | 'image';
  pages?: number | null;
  ocr: boolean;
  warnings: string[];
  /** The body text, or already gzipped (as parse jobs carry it) to save a round of compression. */
  body: string | { gzip: Buffer };
  extractMs?: number | null;
  extractedAt?: string;
}

export interface StoredExtraction {
  snapshotSha: string;
  extractorVersion: string;
  kind: SaveExtractionInput['kind'];
  pages: number | null;
  ocr: boolean;
  warnings: string[];
  /** gzip of the body text: a parse job carries it as is. */
  bodyGzip: Buffer;
  bodySize: number;
  extractMs: number | null;
  extractedAt: string;
}

/** A later page of a report split over several pages. */
export interface PagePart {
  url: string;
  sha256: string;
}

export interface FigureChange {
  key: string;
  before: number | null;
  after: number | null;
}

export interface SaveParseResult {
  parseRunId: number;
  /** The report this document belongs to; for a non-report, the report it used to belong to (kept), else null. */
  reportId: number | null;
  isNewReport: boolean;
  /** The report's figures or metadata differ from before this save (always true for a new report). */
  changed: boolean;
  /** Number of keys added, removed or changed in the report's figures. */
  figuresChanged: number;
  figureChanges: FigureChange[];
  /** The report's latest parse run before this save. */
  previousParseRunId: number | null;
  /** Every source of the report now says "not a report"; the report row and its figures are kept. */
  disputed: boolean;
  /** This snapshot is older than the one already archived for the URL: stored, but the report was not moved back. */
  stale: boolean;
}

export interface ReparseItem {
  sha256: string;
  url: string;
  siteId: string | null;
  contentType: string | null;
  pageUrl: string | null;
  role: 'report-page' | 'attachment';
  /** For a report split over pages: its later pages, read with this one. */
  parts?: PagePart[];
}

export interface ArchiveStats {
  sites: number;
  crawlRuns: number;
  fetches: number;
  snapshots: number;
  /** Raw (uncompressed) bytes of all snapshots; `snapshotStoredBytes` is what they take on disk. */
  snapshotBytes: number;
  snapshotStoredBytes: number;
  urls: number;
  reports: number;
  /** Reports per covered year; key 'unknown' for reports without a year. */
  reportsByYear: Record<string, number>;
  /** Figures of the reports' latest parses (rows of v_figures), not of every parse run. */
  figures: number;
  /** Rows of the `figures` view: every parse run's figures, all parser versions. */
  figureRows: number;
  errors: number;
  parseRuns: number;
}

export interface ReportRow {
  id: number;
  doc_key: string;
  url: string;
  site_id: string | null;
  snapshot_sha: string;
  page_url: string | null;
  title: string | null;
  year: number | null;
  region_code: string | null;
  region_name: string | null;
  issuer: string | null;
  published_at: string | null;
  format: string | null;
  status: 'report' | 'disputed';
  latest_parse_run_id: number;
  first_seen: string;
  updated_at: string;
}

export interface ReportSourceRow {
  url_key: string;
  report_id: number;
  url: string;
  role: SourceRole;
  page_url: string | null;
  snapshot_sha: string;
  parse_run_id: number;
  is_report: 0 | 1;
  is_primary: 0 | 1;
  figures_count: number;
  agrees: 0 | 1 | null;
  diff: string | null;
  first_seen: string;
  updated_at: string;
}

export interface ParseRunRow {
  id: number;
  snapshot_sha: string;
  parser_version: string;
  parsed_at: string;
  url: string | null;
  is_report: 0 | 1;
  format: string | null;
  year: number | null;
  figures_count: number;
  checks_count: number;
  checks_failed: number;
  warnings_count: number;
  result: string;
}

/** What the last useful fetch of a URL said, for a conditional re-fetch (If-None-Match / If-Modified-Since). */
export interface LastFetch {
  url: string;
  fetchedAt: string;
  status: number;
  /** The snapshot that fetch served (or, for a 304, confirmed). */
  sha256: string;
  etag: string | null;
  lastModified: string | null;
}

export interface SearchHit {
  reportId: number;
  title: string | null;
  year: number | null;
  regionName: string | null;
  siteId: string | null;
  url: string;
  /** A few dozen characters around the first match. */
  snippet: string;
}
