import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { ParseResultSchema, type ParseResult, type Site } from '../schema/index.ts';
import { ArchiveError } from './errors.ts';
import { checkExistingFile, recreateViews } from './file-checks.ts';
import { migrate, pendingMigrations } from './migrations.ts';
import { registerSqlFunctions } from './sql-functions.ts';
import { compareFigures, compatible, diffFigures, identityOf, type Identity } from './report-identity.ts';
import type {
  ArchiveOptions,
  ArchiveStats,
  CrawlRunStatus,
  FigureChange,
  LastFetch,
  PagePart,
  ParseRunRow,
  SearchHit,
  PutSnapshotInput,
  PutSnapshotResult,
  RecordErrorInput,
  RecordUrlInput,
  ReparseItem,
  ReportRow,
  ReportSourceRow,
  SaveExtractionInput,
  SaveParseInput,
  SaveParseResult,
  SourceRole,
  StoredExtraction,
} from './types.ts';
import { urlKey } from './url-key.ts';

export { ArchiveError } from './errors.ts';
export { diffFigures } from './report-identity.ts';
export * from './types.ts';
export { urlKey } from './url-key.ts';

type Meta = Pick<ReportRow, 'title' | 'year' | 'region_code' | 'region_name' | 'issuer' | 'published_at' | 'format' | 'status'>;
const META_FIELDS = ['title', 'year', 'region_code', 'region_name', 'issuer', 'published_at', 'format', 'status'] as const;

interface PreparedBody {
  sha: string;
  size: number;
  gz: Buffer | null;
  raw: Buffer;
}

const toBuffer = (b: Buffer | Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The SQLite archive. One writer process per file (architecture.md); readers may use the file freely. */
export class Archive {
  readonly path: string;
  /** The connection, for read queries (CLI exports, tests). Write through the methods: they keep the invariants. */
  readonly db: Database.Database;
  readonly readonly: boolean;
  private readonly clock: () => Date;
  private readonly stmts = new Map<string, Database.Statement>();

  private constructor(path: string, db: Database.Database, clock: () => Date, readonly: boolean) {
    this.path = path;
    this.db = db;
    this.clock = clock;
    this.readonly = readonly;
  }

  /**
   * Opens (creating folders and file if needed) and migrates the archive. A file that exists but is not
   * a readable SQLite database is refused before anything is written to it.
   */
  static open(path: string, options: ArchiveOptions = {}): Archive {
    const memory = path === ':memory:';
    const file = memory ? path : resolve(path);
    const clock = options.now ?? (() => new Date());
    if (options.readonly) return Archive.openReadonly(file, path, clock, options);
    if (!memory) {
      if (existsSync(file)) checkExistingFile(file, path);
      else {
        try {
          mkdirSync(dirname(file), { recursive: true });
        } catch (cause) {
          throw new ArchiveError('open_failed', path, `cannot create the folder ${dirname(file)}: ${(cause as Error).message}`, { cause });
        }
      }
    }
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (cause) {
      throw new ArchiveError('open_failed', path, (cause as Error).message, { cause });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      // WAL + NORMAL is durable across application crashes; only an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL');
      registerSqlFunctions(db);
      const applied = migrate(db, path, undefined, () => clock().toISOString());
      recreateViews(db, path);
      // A migration that rebuilt tables (0002) leaves their old pages free: give them back to the disk.
      if (applied.length > 0 && !memory) {
        const free = db.pragma('freelist_count', { simple: true }) as number;
        const pages = db.pragma('page_count', { simple: true }) as number;
        if (free > 0.1 * pages) db.exec('VACUUM');
      }
      return new Archive(path, db, clock, false);
    } catch (err) {
      db.close();
      if (err instanceof ArchiveError) throw err;
      throw new ArchiveError('open_failed', path, (err as Error).message, { cause: err });
    }
  }

  private static openReadonly(file: string, shown: string, clock: () => Date, options: ArchiveOptions): Archive {
    if (!existsSync(file)) throw new ArchiveError('open_failed', shown, 'does not exist (a read-only open never creates an archive)');
    checkExistingFile(file, shown);
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (cause) {
      throw new ArchiveError('open_failed', shown, `cannot open read-only: ${(cause as Error).message}`, {
        cause,
        suggestion:
          'an archive left in WAL mode (a writer still running, or one that crashed) needs a writable folder; close the writer or copy the file',
      });
    }
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      registerSqlFunctions(db);
      const pending = pendingMigrations(db);
      if (pending.length > 0) {
        throw new ArchiveError('schema_outdated', shown, `needs migration${pending.length > 1 ? 's' : ''} ${pending.join(', ')}`, {
          suggestion: 'open it read-write once (any nianbao command that writes) to migrate',
        });
      }
      return new Archive(shown, db, clock, true);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Closes the connection. The writer leaves the file in rollback-journal mode when it is the last
   * connection: a WAL file cannot be opened by a reader who may not write the folder (SQLite must create
   * -wal/-shm there), and a plain file leaves nothing beside it. Busy (another connection) → stays WAL.
   */
  close(): void {
    if (!this.db.open) return;
    if (!this.readonly && this.path !== ':memory:') {
      try {
        this.db.pragma('busy_timeout = 0');
        this.db.pragma('journal_mode = DELETE');
      } catch {
        /* another connection is open: it (or the next writer) will do it */
      }
    }
    this.db.close();
  }

  /** Runs several archive calls as one transaction (one fsync for a batch of archive jobs); all or nothing. */
  transaction<T>(fn: (archive: this) => T): T {
    return this.write(() => fn(this));
  }

  // ---- sites and crawl runs ------------------------------------------------------------------------

  upsertSite(site: Site): void {
    const now = this.now();
    this.write(() =>
      this.stmt(`INSERT INTO sites (id, name, region_code, home, config, first_seen, updated_at)
        VALUES (@id, @name, @regionCode, @home, @config, @now, @now)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, region_code = excluded.region_code, home = excluded.home,
          config = excluded.config, updated_at = excluded.updated_at
        WHERE config IS NOT excluded.config`).run({
        id: site.id,
        name: site.name,
        regionCode: site.regionCode,
        home: site.home,
        config: json(site),
        now,
      }),
    );
  }

  /**
   * @param owner `host:pid` of the process that runs the crawl itself; a run whose owner died is later
   * marked interrupted (markDeadRunsInterrupted). null for runs only enqueued for workers elsewhere.
   */
  startCrawlRun(args: unknown = null, startedAt?: string, owner: string | null = null): number {
    return this.write(() =>
      Number(
        this.stmt('INSERT INTO crawl_runs (started_at, status, args, owner) VALUES (?, ?, ?, ?)').run(
          startedAt ?? this.now(),
          'running',
          json(args),
          owner,
        ).lastInsertRowid,
      ),
    );
  }

  /**
   * Runs still 'running' whose owner process is gone (killed, crashed, machine rebooted) become
   * 'interrupted'. Only owners on this host can be checked; `isAlive` is injectable for tests.
   * Returns the ids marked.
   */
  markDeadRunsInterrupted(host: string, isAlive: (pid: number) => boolean): number[] {
    const rows = this.stmt("SELECT id, owner FROM crawl_runs WHERE status = 'running' AND owner IS NOT NULL").all() as {
      id: number;
      owner: string;
    }[];
    const dead = rows.filter((r) => {
      const at = r.owner.lastIndexOf(':');
      const pid = Number(r.owner.slice(at + 1));
      return r.owner.slice(0, at) === host && Number.isInteger(pid) && !isAlive(pid);
    });
    if (dead.length === 0) return [];
    this.write(() => {
      for (const r of dead) {
        this.stmt("UPDATE crawl_runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'").run(
          this.now(),
          r.id,
        );
      }
    });
    return dead.map((r) => r.id);
  }

  finishCrawlRun(id: number, status: Exclude<CrawlRunStatus, 'running'>, stats: unknown = null, finishedAt?: string): void {
    this.write(() => {
      const r = this.stmt('UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?').run(
        finishedAt ?? this.now(),
        status,
        json(stats),
        id,
      );
      if (r.changes === 0) throw new ArchiveError('invalid_input', this.path, `finishCrawlRun: no crawl run ${id}`);
    });
  }

  // ---- snapshots, fetches, urls -------------------------------------------------------------------

  putSnapshot(input: PutSnapshotInput): PutSnapshotResult {
    const fetchedAt = input.fetchedAt ?? this.now();
    // Hash and compress before taking the write lock: a 50 MB PDF must not stall other writers.
    const prepared = input.body ? this.prepareBody(toBuffer(input.body)) : null;
    return this.write(() => {
      let sha: string | null = null;
      let isNewBody = false;
      if (prepared) {
        const stored = this.storeBody(prepared, input.contentType ?? null, fetchedAt);
        sha = stored.sha256;
        isNewBody = stored.isNew;
      } else if (input.status === 304 && input.confirmsSha && this.hasSnapshot(input.confirmsSha)) {
        sha = input.confirmsSha;
      }
      const existing = this.stmt('SELECT id FROM fetches WHERE requested_url = ? AND fetched_at = ? AND ifnull(crawl_run_id, 0) = ?').get(
        input.requestedUrl,
        fetchedAt,
        input.crawlRunId ?? 0,
      ) as { id: number } | undefined;
      let fetchId: number;
      if (existing) fetchId = existing.id;
      else {
        fetchId = Number(
          this.stmt(`INSERT INTO fetches (crawl_run_id, site_id, requested_url, final_url, status, headers, content_type, fetched_at, sha256, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
            input.crawlRunId ?? null,
            input.siteId ?? null,
            input.requestedUrl,
            input.finalUrl ?? null,
            input.status ?? null,
            json(input.headers ?? null),
            input.contentType ?? null,
            fetchedAt,
            sha,
            input.error ?? null,
          ).lastInsertRowid,
        );
      }
      if (input.kind) {
        const urls = new Set([input.requestedUrl, input.finalUrl ?? input.requestedUrl]);
        for (const url of urls) {
          this.recordUrlRow({
            url,
            siteId: input.siteId,
            kind: input.kind,
            discoveredFrom: input.discoveredFrom,
            linkText: input.linkText,
            status: input.status,
            snapshotSha: sha,
            seenAt: fetchedAt,
          });
        }
      }
      return { sha256: sha, isNewBody, fetchId, isNewFetch: !existing };
    });
  }

  getSnapshotBody(sha: string): Buffer | null {
    const row = this.stmt('SELECT body FROM snapshots WHERE sha256 = ?').get(sha) as { body: Buffer } | undefined;
    return row ? gunzipSync(row.body) : null;
  }

  /**
   * The last fetch of `url` (as requested) that served or confirmed a body, with the validators a
   * conditional re-fetch sends back. null when the URL never answered with a body.
   */
  lastFetch(url: string): LastFetch | null {
    const row = this.stmt(`SELECT requested_url AS url, fetched_at AS fetchedAt, status, sha256, headers FROM fetches
      WHERE requested_url = ? AND sha256 IS NOT NULL AND (status BETWEEN 200 AND 299 OR status = 304)
      ORDER BY fetched_at DESC LIMIT 1`).get(url) as (Omit<LastFetch, 'etag' | 'lastModified'> & { headers: string | null }) | undefined;
    if (!row) return null;
    const { headers, ...rest } = row;
    let etag: string | null = null;
    let lastModified: string | null = null;
    // A 304 may omit the validators: fall back to the last response that carried them for these bytes.
    for (const h of [headers, this.validatorsOf(url, row.sha256)]) {
      const parsed = h ? (JSON.parse(h) as Record<string, unknown>) : {};
      const get = (name: string) => {
        const k = Object.keys(parsed).find((x) => x.toLowerCase() === name);
        const v = k ? parsed[k] : null;
        return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null;
      };
      etag ??= get('etag');
      lastModified ??= get('last-modified');
    }
    return { ...rest, etag, lastModified };
  }

  /** The kind the crawler gave a URL (`urls.kind`), for the recrawl policy. */
  urlKind(url: string): string | null {
    return (this.stmt('SELECT kind FROM urls WHERE url = ?').get(url) as { kind: string } | undefined)?.kind ?? null;
  }

  /** The content type the bytes were first served with (a 304 answer does not repeat it). */
  snapshotContentType(sha: string): string | null {
    return (
      (this.stmt('SELECT content_type FROM snapshots WHERE sha256 = ?').get(sha) as { content_type: string | null } | undefined)
        ?.content_type ?? null
    );
  }

  private validatorsOf(url: string, sha: string): string | null {
    const row = this.stmt(`SELECT headers FROM fetches WHERE requested_url = ? AND sha256 = ? AND status BETWEEN 200 AND 299
      ORDER BY fetched_at DESC LIMIT 1`).get(url, sha) as { headers: string | null } | undefined;
    return row?.headers ?? null;
  }

  /**
   * Full-text search over each report's latest text (FTS5 trigram: any substring of three or more
   * characters; shorter terms cannot match). `query` is taken literally, not as FTS5 syntax.
   */
  search(query: string, opts: { year?: number; siteId?: string; regionCode?: string; limit?: number } = {}): SearchHit[] {
    const needle = query.trim();
    if ([...needle].length < 3) {
      throw new ArchiveError('invalid_input', this.path, `search "${query}": the trigram index needs at least three characters`);
    }
    const phrase = `"${needle.replace(/"/g, '""')}"`;
    const rows =
      this.stmt(`SELECT r.id AS reportId, r.title, r.year, r.region_name AS regionName, r.site_id AS siteId, r.url, r.latest_parse_run_id AS run
      FROM report_search s JOIN reports r ON r.id = s.rowid
      WHERE report_search MATCH @phrase AND (@year IS NULL OR r.year = @year) AND (@site IS NULL OR r.site_id = @site)
        AND (@region IS NULL OR r.region_code LIKE @region || '%')
      ORDER BY r.year DESC, r.id LIMIT @limit`).all({
        phrase,
        year: opts.year ?? null,
        site: opts.siteId ?? null,
        region: opts.regionCode ?? null,
        limit: opts.limit ?? 100,
      }) as (Omit<SearchHit, 'snippet'> & { run: number })[];
    return rows.map(({ run, ...r }) => {
      const p = this.parseResultOf(run);
      const text = [p.title, p.body ?? (p.sections ?? []).map((s) => s.text).join('\n')].filter(Boolean).join('\n');
      const at = text.indexOf(needle);
      const snippet = at < 0 ? '' : text.slice(Math.max(0, at - 30), at + needle.length + 30).replace(/\s+/g, ' ');
      return { ...r, snippet };
    });
  }

  hasSnapshot(sha: string): boolean {
    return this.stmt('SELECT 1 FROM snapshots WHERE sha256 = ?').get(sha) !== undefined;
  }

  recordUrl(input: RecordUrlInput): void {
    this.write(() => this.recordUrlRow(input));
  }

  /** Records that `pageUrl` links `attachmentUrl`; if both were already archived as separate reports, they become one. */
  linkAttachment(pageUrl: string, attachmentUrl: string, linkText: string | null = null): void {
    this.write(() => {
      this.linkRow(pageUrl, attachmentUrl, linkText);
      this.mergeLinked(pageUrl, attachmentUrl);
    });
  }

  recordError(input: RecordErrorInput): number {
    const at = input.at ?? this.now();
    return this.write(() => {
      const same = this.stmt(
        `SELECT id FROM errors WHERE crawl_run_id IS ? AND site_id IS ? AND url IS ? AND stage = ? AND code = ? AND message = ?`,
      ).get(input.crawlRunId ?? null, input.siteId ?? null, input.url ?? null, input.stage, input.code, input.message) as
        | { id: number }
        | undefined;
      if (same) {
        this.stmt('UPDATE errors SET occurrences = occurrences + 1, last_at = max(last_at, ?) WHERE id = ?').run(at, same.id);
        return same.id;
      }
      return Number(
        this.stmt('INSERT INTO errors (at, last_at, crawl_run_id, site_id, url, stage, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          at,
          at,
          input.crawlRunId ?? null,
          input.siteId ?? null,
          input.url ?? null,
          input.stage,
          input.code,
          input.message,
        ).lastInsertRowid,
      );
    });
  }

  // ---- parse results and reports ------------------------------------------------------------------

  /**
   * Has this snapshot already been parsed by this parser version? (re-parse skips those) With `partShas`
   * (the later pages of a split report, in order), only if it was parsed together with exactly those pages.
   */
  hasParse(snapshotSha: string, parserVersion: string, partShas: readonly string[] = []): boolean {
    if (this.stmt('SELECT 1 FROM parse_runs WHERE snapshot_sha = ? AND parser_version = ?').get(snapshotSha, parserVersion) === undefined) {
      return false;
    }
    if (!partShas.length) return true;
    const stored = this.pagePartsOf(snapshotSha).map((p) => p.sha256);
    return stored.length === partShas.length && stored.every((sha, i) => sha === partShas[i]);
  }

  // ---- extractions (the stage before parsing of binary documents) ---------------------------------------

  /** Stores a document's extraction for its extractor version, replacing an earlier one of the same version. */
  saveExtraction(input: SaveExtractionInput): void {
    // Compressed before taking the write lock, like snapshot bodies.
    const gz = typeof input.body === 'string' ? gzipSync(Buffer.from(input.body, 'utf8')) : input.body.gzip;
    const size = typeof input.body === 'string' ? Buffer.byteLength(input.body, 'utf8') : gunzipSync(input.body.gzip).length;
    this.write(() => {
      this.stmt(`INSERT INTO extractions (snapshot_sha, extractor_version, kind, pages, ocr, warnings, body, body_size, extract_ms, extracted_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (snapshot_sha, extractor_version) DO UPDATE SET kind = excluded.kind, pages = excluded.pages, ocr = excluded.ocr,
          warnings = excluded.warnings, body = excluded.body, body_size = excluded.body_size, extract_ms = excluded.extract_ms,
          extracted_at = excluded.extracted_at`).run(
        input.snapshotSha,
        input.extractorVersion,
        input.kind,
        input.pages ?? null,
        input.ocr ? 1 : 0,
        JSON.stringify(input.warnings),
        gz,
        size,
        input.extractMs ?? null,
        input.extractedAt ?? this.now(),
      );
    });
  }

  /** The stored extraction of a snapshot by this extractor version, or null. */
  getExtraction(snapshotSha: string, extractorVersion: string): StoredExtraction | null {
    const row = this.stmt('SELECT * FROM extractions WHERE snapshot_sha = ? AND extractor_version = ?').get(
      snapshotSha,
      extractorVersion,
    ) as
      | {
          kind: StoredExtraction['kind'];
          pages: number | null;
          ocr: number;
          warnings: string;
          body: Buffer;
          body_size: number;
          extract_ms: number | null;
          extracted_at: string;
        }
      | undefined;
    if (!row) return null;
    return {
      snapshotSha,
      extractorVersion,
      kind: row.kind,
      pages: row.pages,
      ocr: row.ocr === 1,
      warnings: JSON.parse(row.warnings) as string[],
      bodyGzip: row.body,
      bodySize: row.body_size,
      extractMs: row.extract_ms,
      extractedAt: row.extracted_at,
    };
  }

  /** Extractor versions a snapshot has a stored extraction of (empty for HTML, text, and documents never extracted since 0004). */
  extractorVersionsOf(snapshotSha: string): string[] {
    return (this.stmt('SELECT extractor_version AS v FROM extractions WHERE snapshot_sha = ?').all(snapshotSha) as { v: string }[]).map(
      (r) => r.v,
    );
  }

  /**
   * The first bytes of a snapshot (up to about `n`), without inflating the whole body: enough to tell a PDF or
   * Word file from a page (src/parse/sniff-input.ts).
   */
  snapshotHead(sha: string, n = 1024): Buffer | null {
    const row = this.stmt('SELECT substr(body, 1, ?) AS head FROM snapshots WHERE sha256 = ?').get(2 * Math.max(64, n), sha) as
      | { head: Buffer }
      | undefined;
    if (!row) return null;
    // A cut-off gzip stream inflates up to the cut with a sync flush instead of failing.
    return gunzipSync(row.head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, n);
  }

  /** The later pages a first page's snapshot was parsed with (a report split over pages), in order. */
  pagePartsOf(pageSha: string): PagePart[] {
    return this.stmt('SELECT url, part_sha AS sha256 FROM page_parts WHERE page_sha = ? ORDER BY ord').all(pageSha) as PagePart[];
  }

  saveParse(input: SaveParseInput): SaveParseResult {
    const checked = ParseResultSchema.safeParse(input.result);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new ArchiveError('invalid_input', this.path, `saveParse(${input.url}): the result is not a ParseResult: ${issues}`);
    }
    const result = input.result;
    const now = input.parsedAt ?? this.now();
    return this.write(() => {
      if (!this.hasSnapshot(input.snapshotSha)) {
        if (!input.body) {
          throw new ArchiveError('unknown_snapshot', this.path, `saveParse(${input.url}): snapshot ${input.snapshotSha} is not archived`, {
            suggestion: 'store it with putSnapshot first, or pass body',
          });
        }
        const stored = this.storeBody(this.prepareBody(toBuffer(input.body)), input.contentType ?? null, now);
        if (stored.sha256 !== input.snapshotSha) {
          throw new ArchiveError(
            'invalid_input',
            this.path,
            `saveParse(${input.url}): body hashes to ${stored.sha256}, not ${input.snapshotSha}`,
          );
        }
      }
      if (input.parts) {
        // The pages this parse read: the newest parse of these first-page bytes says which pages they continue on.
        this.stmt('DELETE FROM page_parts WHERE page_sha = ?').run(input.snapshotSha);
        input.parts.forEach((p, i) =>
          this.stmt('INSERT INTO page_parts (page_sha, ord, url, url_key, part_sha) VALUES (?, ?, ?, ?, ?)').run(
            input.snapshotSha,
            i + 1,
            p.url,
            urlKey(p.url),
            p.sha256,
          ),
        );
      }
      let pageUrl = input.pageUrl ?? null;
      if (pageUrl) this.linkRow(pageUrl, input.url, null);
      else {
        const link = this.stmt('SELECT page_url FROM attachment_links WHERE attachment_key = ? ORDER BY first_seen, page_key LIMIT 1').get(
          urlKey(input.url),
        ) as { page_url: string } | undefined;
        pageUrl = link?.page_url ?? null;
      }
      const role: SourceRole = pageUrl ? 'attachment' : 'page';
      const key = urlKey(input.url);
      const source = this.stmt('SELECT * FROM report_sources WHERE url_key = ?').get(key) as ReportSourceRow | undefined;

      const stale =
        !!source && source.snapshot_sha !== input.snapshotSha && this.isOlderSnapshot(input.url, input.snapshotSha, source.snapshot_sha);
      let reportId: number | null = source?.report_id ?? null;
      if (reportId === null && result.isReport) {
        reportId =
          this.findReportFor(input.url, pageUrl, input.snapshotSha, identityOf(result)) ??
          this.findContentTwin(input.siteId ?? null, result);
      }

      const before = reportId === null ? null : (this.stmt('SELECT * FROM reports WHERE id = ?').get(reportId) as ReportRow);
      const beforeFigures = before ? this.figuresOf(before.latest_parse_run_id) : {};

      const parseRunId = this.writeParseRun(input.snapshotSha, input.parserVersion, input.url, result, now);
      const noChange = (extra: Partial<SaveParseResult> = {}): SaveParseResult => ({
        parseRunId,
        reportId,
        isNewReport: false,
        changed: false,
        figuresChanged: 0,
        figureChanges: [],
        previousParseRunId: before?.latest_parse_run_id ?? null,
        disputed: before?.status === 'disputed',
        stale,
        ...extra,
      });
      if (stale) return noChange();
      if (!result.isReport && !source) return noChange({ reportId: null });

      let isNewReport = false;
      if (reportId === null) {
        reportId = Number(
          this.stmt(`INSERT INTO reports (doc_key, url, site_id, snapshot_sha, page_url, latest_parse_run_id, first_seen, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(key, input.url, input.siteId ?? null, input.snapshotSha, pageUrl, parseRunId, now, now)
            .lastInsertRowid,
        );
        isNewReport = true;
      }
      this.stmt(`INSERT INTO report_sources (url_key, report_id, url, role, page_url, snapshot_sha, parse_run_id, is_report, figures_count, first_seen, updated_at)
        VALUES (@key, @reportId, @url, @role, @pageUrl, @sha, @run, @isReport, @figures, @now, @now)
        ON CONFLICT (url_key) DO UPDATE SET url = excluded.url, role = excluded.role, page_url = coalesce(excluded.page_url, page_url),
          snapshot_sha = excluded.snapshot_sha, parse_run_id = excluded.parse_run_id, is_report = excluded.is_report,
          figures_count = excluded.figures_count, updated_at = excluded.updated_at`).run({
        key,
        reportId,
        url: input.url,
        role,
        pageUrl,
        sha: input.snapshotSha,
        run: parseRunId,
        isReport: result.isReport ? 1 : 0,
        figures: Object.keys(result.figures).length,
        now,
      });
      if (input.siteId) this.stmt('UPDATE reports SET site_id = coalesce(site_id, ?) WHERE id = ?').run(input.siteId, reportId);
      if (result.isReport && role === 'page') {
        // Attachments of this page archived before it (each then its own report) are the same document.
        for (const other of this.attachmentReportsOf(key, identityOf(result))) if (other !== reportId) this.absorb(reportId, other);
      }

      const after = this.refreshReport(reportId);
      const afterFigures = this.figuresOf(after.latest_parse_run_id);
      const figureChanges = diffFigures(beforeFigures, afterFigures);
      const metaChanged = !before || META_FIELDS.some((f) => before[f] !== after[f]);
      if (!result.isReport) {
        this.recordErrorRow({
          stage: 'parse',
          code: 'no_longer_report',
          url: input.url,
          siteId: input.siteId ?? after.site_id,
          at: now,
          message: `parser ${input.parserVersion} reads snapshot ${input.snapshotSha.slice(0, 12)} as not a report; report ${reportId} is kept${after.status === 'disputed' ? ' and marked disputed' : ''}`,
        });
      }
      if (figureChanges.length > 0 || metaChanged) this.stmt('UPDATE reports SET updated_at = ? WHERE id = ?').run(now, reportId);
      // A version is new bytes of the report: its first document, or a source URL serving other bytes than
      // before (a corrected page, a replaced PDF). A copy or attachment joining the report is not one.
      if (isNewReport || (source && source.snapshot_sha !== input.snapshotSha)) {
        // The first version lists no changes (all its figures are new: figures_changed counts them).
        this.addVersion(
          reportId,
          input.url,
          input.snapshotSha,
          parseRunId,
          isNewReport ? Object.keys(afterFigures).length : figureChanges,
          now,
        );
      }
      return {
        parseRunId,
        reportId,
        isNewReport,
        changed: isNewReport || figureChanges.length > 0 || metaChanged,
        figuresChanged: figureChanges.length,
        figureChanges,
        previousParseRunId: before?.latest_parse_run_id ?? null,
        disputed: after.status === 'disputed',
        stale: false,
      };
    });
  }

  getReport(id: number): ReportRow | null {
    return (this.stmt('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined) ?? null;
  }

  /** The report a URL (page, attachment or byte-identical copy; any scheme, with or without www.) belongs to. */
  findReportByUrl(url: string): ReportRow | null {
    const key = urlKey(url);
    return (
      (this.stmt(`SELECT r.* FROM reports r WHERE r.doc_key = @key
        UNION ALL SELECT r.* FROM report_sources rs JOIN reports r ON r.id = rs.report_id WHERE rs.url_key = @key LIMIT 1`).get({ key }) as
        | ReportRow
        | undefined) ?? null
    );
  }

  getReportSources(reportId: number): ReportSourceRow[] {
    return this.stmt('SELECT * FROM report_sources WHERE report_id = ? ORDER BY is_primary DESC, first_seen, url_key').all(
      reportId,
    ) as ReportSourceRow[];
  }

  /** The figures of a report's latest parse run. */
  getFigures(reportId: number): Record<string, number> {
    const r = this.getReport(reportId);
    return r ? this.figuresOf(r.latest_parse_run_id) : {};
  }

  getParseRun(snapshotSha: string, parserVersion: string): (ParseRunRow & { parsed: ParseResult }) | null {
    const row = this.stmt('SELECT * FROM parse_runs WHERE snapshot_sha = ? AND parser_version = ?').get(snapshotSha, parserVersion) as
      | (Omit<ParseRunRow, 'result'> & { result_gz: Buffer })
      | undefined;
    if (!row) return null;
    const { result_gz: _gz, ...rest } = row;
    const parsed = this.parseResultOf(row.id);
    return { ...rest, result: JSON.stringify(parsed), parsed };
  }

  /**
   * The whole ParseResult of a parse run, reassembled: figures, checks and warnings from their tables, the
   * rest (metadata, body, sections with their text) from the compressed result_gz.
   */
  parseResultOf(parseRunId: number): ParseResult {
    const row = this.stmt('SELECT result_gz FROM parse_runs WHERE id = ?').get(parseRunId) as { result_gz: Buffer } | undefined;
    if (!row) throw new ArchiveError('invalid_input', this.path, `no parse run ${parseRunId}`);
    const rest = JSON.parse(gunzipSync(row.result_gz).toString('utf8')) as Omit<ParseResult, 'figures' | 'checks' | 'warnings'>;
    const checks = (
      this.stmt('SELECT rule, ok, detail FROM checks WHERE parse_run_id = ? ORDER BY ord').all(parseRunId) as {
        rule: string;
        ok: number;
        detail: string;
      }[]
    ).map((c) => ({ rule: c.rule, ok: c.ok === 1, detail: c.detail }));
    const warnings = (this.stmt('SELECT text FROM warnings WHERE parse_run_id = ? ORDER BY ord').all(parseRunId) as { text: string }[]).map(
      (w) => w.text,
    );
    return { ...rest, figures: this.figuresOf(parseRunId), checks, warnings } as ParseResult;
  }

  /**
   * Every snapshot that is or might be a report, for `nianbao reparse`: the current snapshot of each
   * report source, and the last fetched snapshot of every URL the crawler classified as report or attachment.
   */
  listSnapshotsForReparse(): ReparseItem[] {
    const rows = this.stmt(`
      SELECT rs.snapshot_sha AS sha256, rs.url, r.site_id AS siteId, sn.content_type AS contentType, rs.page_url AS pageUrl, rs.role
        FROM report_sources rs JOIN reports r ON r.id = rs.report_id JOIN snapshots sn ON sn.sha256 = rs.snapshot_sha
      UNION
      SELECT u.last_snapshot_sha, u.url, u.site_id, sn.content_type,
             (SELECT al.page_url FROM attachment_links al WHERE al.attachment_key = u.url_key ORDER BY al.first_seen LIMIT 1),
             CASE u.kind WHEN 'attachment' THEN 'attachment' ELSE 'page' END
        FROM urls u JOIN snapshots sn ON sn.sha256 = u.last_snapshot_sha
       WHERE u.kind IN ('report', 'attachment') AND (u.last_status IS NULL OR u.last_status BETWEEN 200 AND 299)
      ORDER BY 2, 1`).all() as (Omit<ReparseItem, 'role'> & { role: string })[];
    // A later page of a split report is read with its first page, never on its own.
    const partKeys = new Set((this.stmt('SELECT url_key FROM page_parts').all() as { url_key: string }[]).map((r) => r.url_key));
    const seen = new Set<string>();
    const out: ReparseItem[] = [];
    for (const r of rows) {
      const key = urlKey(r.url);
      const id = `${r.sha256} ${key}`;
      if (seen.has(id) || partKeys.has(key)) continue;
      seen.add(id);
      const parts = this.pagePartsOf(r.sha256);
      out.push({ ...r, role: r.role === 'attachment' || r.pageUrl ? 'attachment' : 'report-page', ...(parts.length ? { parts } : {}) });
    }
    return out;
  }

  stats(): ArchiveStats {
    const count = (table: string) => (this.stmt(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const bytes = this.stmt('SELECT ifnull(sum(size), 0) AS raw, ifnull(sum(stored_size), 0) AS stored FROM snapshots').get() as {
      raw: number;
      stored: number;
    };
    const byYear = this.stmt("SELECT ifnull(year, 'unknown') AS year, count(*) AS n FROM reports GROUP BY year ORDER BY year").all() as {
      year: string | number;
      n: number;
    }[];
    return {
      sites: count('sites'),
      crawlRuns: count('crawl_runs'),
      fetches: count('fetches'),
      snapshots: count('snapshots'),
      snapshotBytes: bytes.raw,
      snapshotStoredBytes: bytes.stored,
      urls: count('urls'),
      reports: count('reports'),
      reportsByYear: Object.fromEntries(byYear.map((r) => [String(r.year), r.n])),
      figures: (
        this.stmt('SELECT count(*) AS n FROM figure_values f JOIN reports r ON r.latest_parse_run_id = f.parse_run_id').get() as {
          n: number;
        }
      ).n,
      figureRows: count('figure_values'),
      errors: count('errors'),
      parseRuns: count('parse_runs'),
    };
  }

  // ---- internals ----------------------------------------------------------------------------------

  private now(): string {
    return this.clock().toISOString();
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      if (!this.db.open) throw new ArchiveError('closed', this.path, 'the archive is closed');
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs fn in a transaction (nested calls join the outer one) and names constraint failures. */
  private write<T>(fn: () => T): T {
    if (!this.db.open) throw new ArchiveError('closed', this.path, 'the archive is closed');
    if (this.readonly) throw new ArchiveError('readonly', this.path, 'the archive was opened read-only');
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      if (err instanceof ArchiveError) throw err;
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CONSTRAINT')) {
        throw new ArchiveError('constraint', this.path, `${(err as Error).message} (${code})`, {
          cause: err,
          suggestion:
            code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ? 'upsertSite / startCrawlRun / putSnapshot before referring to them' : undefined,
        });
      }
      throw err;
    }
  }

  private prepareBody(body: Buffer): PreparedBody {
    const sha = sha256Of(body);
    // Skip compressing bytes already stored (the common case on a re-crawl).
    return { sha, size: body.length, gz: this.hasSnapshot(sha) ? null : gzipSync(body), raw: body };
  }

  private storeBody(body: PreparedBody, contentType: string | null, at: string): { sha256: string; isNew: boolean } {
    if (this.hasSnapshot(body.sha)) return { sha256: body.sha, isNew: false };
    const gz = body.gz ?? gzipSync(body.raw);
    this.stmt('INSERT INTO snapshots (sha256, body, size, stored_size, content_type, first_seen) VALUES (?, ?, ?, ?, ?, ?)').run(
      body.sha,
      gz,
      body.size,
      gz.length,
      contentType,
      at,
    );
    return { sha256: body.sha, isNew: true };
  }

  private recordUrlRow(input: RecordUrlInput): void {
    const at = input.seenAt ?? this.now();
    // A later sighting as a plain link must not demote a URL already known to be a report or list.
    this.stmt(`INSERT INTO urls (url, url_key, site_id, kind, first_seen, last_seen, last_status, last_snapshot_sha, discovered_from, link_text)
      VALUES (@url, @key, @siteId, @kind, @at, @at, @status, @sha, @from, @text)
      ON CONFLICT (url) DO UPDATE SET
        site_id = coalesce(excluded.site_id, site_id),
        kind = CASE WHEN excluded.kind = 'page' AND kind IN ('report', 'attachment', 'list') THEN kind ELSE excluded.kind END,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        last_status = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.last_status, last_status) ELSE last_status END,
        last_snapshot_sha = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.last_snapshot_sha, last_snapshot_sha) ELSE last_snapshot_sha END,
        discovered_from = coalesce(discovered_from, excluded.discovered_from),
        link_text = coalesce(link_text, excluded.link_text)`).run({
      url: input.url,
      key: urlKey(input.url),
      siteId: input.siteId ?? null,
      kind: input.kind,
      at,
      status: input.status ?? null,
      sha: input.snapshotSha ?? null,
      from: input.discoveredFrom ?? null,
      text: input.linkText ?? null,
    });
  }

  private recordErrorRow(input: RecordErrorInput): void {
    const at = input.at ?? this.now();
    const same = this.stmt(
      `SELECT id FROM errors WHERE crawl_run_id IS ? AND site_id IS ? AND url IS ? AND stage = ? AND code = ? AND message = ?`,
    ).get(input.crawlRunId ?? null, input.siteId ?? null, input.url ?? null, input.stage, input.code, input.message) as
      | { id: number }
      | undefined;
    if (same) return; // the same save replayed: already recorded
    this.stmt('INSERT INTO errors (at, last_at, crawl_run_id, site_id, url, stage, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      at,
      at,
      input.crawlRunId ?? null,
      input.siteId ?? null,
      input.url ?? null,
      input.stage,
      input.code,
      input.message,
    );
  }

  private linkRow(pageUrl: string, attachmentUrl: string, linkText: string | null): void {
    this.stmt(`INSERT INTO attachment_links (page_key, attachment_key, page_url, attachment_url, link_text, first_seen) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET link_text = coalesce(link_text, excluded.link_text)`).run(
      urlKey(pageUrl),
      urlKey(attachmentUrl),
      pageUrl,
      attachmentUrl,
      linkText,
      this.now(),
    );
  }

  /** The page's report and the attachment's report, archived separately before the link was known, become one. */
  private mergeLinked(pageUrl: string, attachmentUrl: string): void {
    const source = (url: string) =>
      this.stmt('SELECT * FROM report_sources WHERE url_key = ?').get(urlKey(url)) as ReportSourceRow | undefined;
    const page = source(pageUrl);
    const att = source(attachmentUrl);
    if (!att) return;
    this.stmt("UPDATE report_sources SET role = 'attachment', page_url = coalesce(page_url, ?) WHERE url_key = ?").run(
      pageUrl,
      att.url_key,
    );
    if (page && page.is_report === 1 && page.report_id !== att.report_id) {
      const attReport = this.getReport(att.report_id)!;
      if (
        compatible(this.getReport(page.report_id)!, { year: attReport.year, regionCode: attReport.region_code, issuer: attReport.issuer })
      ) {
        this.absorb(page.report_id, att.report_id);
        return;
      }
    }
    this.refreshReport(att.report_id);
  }

  /** Moves every source of report `from` into report `into` and removes the emptied row (its parses stay). */
  private absorb(into: number, from: number): void {
    this.stmt('UPDATE report_sources SET report_id = ? WHERE report_id = ?').run(into, from);
    this.stmt('UPDATE parse_runs SET report_id = ? WHERE report_id = ?').run(into, from);
    this.moveVersions(from, into);
    this.stmt('DELETE FROM report_search WHERE rowid = ?').run(from);
    this.stmt('DELETE FROM reports WHERE id = ?').run(from);
    this.refreshReport(into);
  }

  /** Reports whose sources are attachments linked from the page `pageKey` and that could be the same document. */
  private attachmentReportsOf(pageKey: string, id: Identity): number[] {
    const rows = this.stmt(`SELECT DISTINCT r.* FROM reports r JOIN report_sources rs ON rs.report_id = r.id
      WHERE rs.url_key IN (SELECT attachment_key FROM attachment_links WHERE page_key = ?) ORDER BY r.id`).all(pageKey) as ReportRow[];
    const fits = rows.filter((r) => compatible(r, id));
    return [...fits.filter((r) => r.year === id.year), ...fits.filter((r) => r.year !== id.year)].map((r) => r.id);
  }

  /**
   * The existing report a new report document joins. An attachment joins its page only when the page
   * itself was read as a report: a list page linking 30 departments' PDFs of one year must not make them
   * one report. A page joins the reports of its attachments. Either way year, region and issuer must not
   * contradict (a wrong split costs a duplicate; a wrong merge would hide a report). Byte-identical
   * copies at other URLs are always the same document.
   */
  private findReportFor(url: string, pageUrl: string | null, sha: string, id: Identity): number | null {
    if (pageUrl) {
      const page = this.stmt('SELECT report_id FROM report_sources WHERE url_key = ? AND is_report = 1').get(urlKey(pageUrl)) as
        | { report_id: number }
        | undefined;
      if (page && compatible(this.getReport(page.report_id)!, id)) return page.report_id;
    } else {
      const first = this.attachmentReportsOf(urlKey(url), id)[0];
      if (first !== undefined) return first;
    }
    const twin = this.stmt('SELECT report_id FROM report_sources WHERE snapshot_sha = ? ORDER BY report_id LIMIT 1').get(sha) as
      | { report_id: number }
      | undefined;
    if (twin) return twin.report_id;
    const byKey = this.stmt('SELECT id FROM reports WHERE doc_key = ?').get(urlKey(url)) as { id: number } | undefined;
    return byKey?.id ?? null;
  }

  /**
   * A report already archived from the same site with the same title, year, region and every figure equal:
   * the same document posted again at another address (a 繁體 converter copy, the same report in two columns,
   * http and https twins with different chrome). Requiring all of title, year, region and a non-empty,
   * identical figure set keeps two different units' reports apart even when one county posts both.
   */
  private findContentTwin(siteId: string | null, result: ParseResult): number | null {
    const title = result.title?.replace(/\s+/g, '');
    if (!siteId || !title || result.year === null || Object.keys(result.figures).length === 0) return null;
    const candidates = this.stmt(`SELECT id, title, latest_parse_run_id FROM reports
      WHERE site_id = ? AND year = ? AND region_code IS ? ORDER BY id`).all(siteId, result.year, result.region.code) as Pick<
      ReportRow,
      'id' | 'title' | 'latest_parse_run_id'
    >[];
    for (const c of candidates) {
      if (c.title?.replace(/\s+/g, '') !== title) continue;
      if (diffFigures(this.figuresOf(c.latest_parse_run_id), result.figures).length === 0) return c.id;
    }
    return null;
  }

  /** True when `sha` was last fetched from `url` before `currentSha` was: an out-of-order or historical save. */
  private isOlderSnapshot(url: string, sha: string, currentSha: string): boolean {
    const lastFetch = (s: string) =>
      (
        this.stmt('SELECT max(fetched_at) AS at FROM fetches WHERE sha256 = @s AND (final_url = @url OR requested_url = @url)').get({
          s,
          url,
        }) as { at: string | null }
      ).at;
    const a = lastFetch(sha);
    const b = lastFetch(currentSha);
    return a !== null && b !== null && a < b;
  }

  private writeParseRun(sha: string, version: string, url: string, result: ParseResult, at: string): number {
    const failed = result.checks.filter((c) => !c.ok).length;
    const { figures, checks, warnings, ...rest } = result;
    const { id } =
      this.stmt(`INSERT INTO parse_runs (snapshot_sha, parser_version, parsed_at, url, is_report, format, year, figures_count, checks_count, checks_failed, warnings_count, result_gz)
      VALUES (@sha, @version, @at, @url, @isReport, @format, @year, @figures, @checks, @failed, @warnings, @result)
      ON CONFLICT (snapshot_sha, parser_version) DO UPDATE SET parsed_at = excluded.parsed_at, url = excluded.url, is_report = excluded.is_report,
        format = excluded.format, year = excluded.year, figures_count = excluded.figures_count, checks_count = excluded.checks_count,
        checks_failed = excluded.checks_failed, warnings_count = excluded.warnings_count, result_gz = excluded.result_gz
      RETURNING id`).get({
        sha,
        version,
        at,
        url,
        isReport: result.isReport ? 1 : 0,
        format: result.format,
        year: result.year,
        figures: Object.keys(figures).length,
        checks: checks.length,
        failed,
        warnings: warnings.length,
        // Figures, checks and warnings have tables; stored once, there. Body and sections go compressed.
        result: gzipSync(JSON.stringify(rest)),
      }) as { id: number };
    const reportId =
      (this.stmt('SELECT report_id FROM report_sources WHERE parse_run_id = ? LIMIT 1').get(id) as { report_id: number } | undefined)
        ?.report_id ?? null;
    if (reportId !== null) this.stmt('UPDATE parse_runs SET report_id = ? WHERE id = ?').run(reportId, id);
    for (const table of ['figure_values', 'checks', 'warnings', 'sections'])
      this.stmt(`DELETE FROM ${table} WHERE parse_run_id = ?`).run(id);
    const fig = this.stmt('INSERT INTO figure_values (parse_run_id, key_id, value) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(figures)) fig.run(id, this.figureKeyId(k), v);
    const chk = this.stmt('INSERT INTO checks (parse_run_id, ord, rule, ok, detail) VALUES (?, ?, ?, ?, ?)');
    checks.forEach((c, i) => chk.run(id, i, c.rule, c.ok ? 1 : 0, c.detail));
    const warn = this.stmt('INSERT INTO warnings (parse_run_id, ord, code, text) VALUES (?, ?, ?, ?)');
    warnings.forEach((w, i) => warn.run(id, i, /^([a-z][a-z0-9_]*):/.exec(w)?.[1] ?? null, w));
    const sec = this.stmt('INSERT INTO sections (parse_run_id, ord, key, title, chars) VALUES (?, ?, ?, ?, ?)');
    (result.sections ?? []).forEach((s, i) => sec.run(id, i, s.key, s.title, s.text.length));
    return id;
  }

  private addVersion(reportId: number, url: string, sha: string, parseRunId: number, changes: FigureChange[] | number, at: string): void {
    const n = typeof changes === 'number' ? changes : changes.length;
    const list = typeof changes === 'number' || changes.length === 0 ? null : JSON.stringify(changes);
    const seen =
      (this.stmt('SELECT first_seen FROM snapshots WHERE sha256 = ?').get(sha) as { first_seen: string } | undefined)?.first_seen ?? at;
    this.stmt(`INSERT INTO report_versions (report_id, version, url, snapshot_sha, parse_run_id, first_seen, figures_changed, changes)
      VALUES (@reportId, (SELECT ifnull(max(version), 0) + 1 FROM report_versions WHERE report_id = @reportId), @url, @sha, @run, @seen, @n, @changes)`).run(
      {
        reportId,
        url,
        sha,
        run: parseRunId,
        seen,
        n,
        changes: list,
      },
    );
  }

  /** A merged report's versions follow its sources, numbered after the surviving report's own. */
  private moveVersions(from: number, into: number): void {
    const { top } = this.stmt('SELECT ifnull(max(version), 0) AS top FROM report_versions WHERE report_id = ?').get(into) as {
      top: number;
    };
    this.stmt('UPDATE report_versions SET report_id = @into, version = version + @top WHERE report_id = @from').run({ from, into, top });
  }

  /** Keeps the report's row of the full-text index on its current primary parse (contentless: text not stored). */
  private indexForSearch(reportId: number, primary: ParseResult): void {
    const text = [primary.title, primary.body ?? (primary.sections ?? []).map((s) => `${s.title}\n${s.text}`).join('\n')]
      .filter(Boolean)
      .join('\n');
    this.stmt('DELETE FROM report_search WHERE rowid = ?').run(reportId);
    this.stmt('INSERT INTO report_search (rowid, body) VALUES (?, ?)').run(reportId, text);
  }

  private figureKeyId(key: string): number {
    const found = this.stmt('SELECT id FROM figure_keys WHERE key = ?').get(key) as { id: number } | undefined;
    return found?.id ?? Number(this.stmt('INSERT INTO figure_keys (key) VALUES (?)').run(key).lastInsertRowid);
  }

  private figuresOf(parseRunId: number): Record<string, number> {
    const rows = this.stmt(`SELECT k.key, f.value FROM figure_values f JOIN figure_keys k ON k.id = f.key_id
      WHERE f.parse_run_id = ? ORDER BY k.key`).all(parseRunId) as { key: string; value: number }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /**
   * Re-derives a report from its sources: the primary source (most figures; the page on a tie, its text
   * being more reliable than extracted PDF text) supplies figures, the others are compared with it, and
   * metadata is taken from the primary, then the page, then the rest.
   */
  private refreshReport(reportId: number): ReportRow {
    const sources = this.getReportSources(reportId);
    const reportish = sources.filter((s) => s.is_report === 1);
    if (reportish.length === 0) {
      this.stmt("UPDATE reports SET status = 'disputed' WHERE id = ?").run(reportId);
      return this.getReport(reportId)!;
    }
    const rank = (s: ReportSourceRow) => [-s.figures_count, s.role === 'page' ? 0 : 1, s.first_seen, s.url_key] as const;
    const ordered = [...reportish].sort((x, y) => {
      const a = rank(x);
      const b = rank(y);
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return 0;
    });
    const primary = ordered[0];
    const primaryFigures = this.figuresOf(primary.parse_run_id);
    for (const s of sources) {
      let agrees: 0 | 1 | null = null;
      let diff: string | null = null;
      if (s !== primary && s.is_report === 1) {
        const cmp = compareFigures(primaryFigures, this.figuresOf(s.parse_run_id));
        if (cmp) {
          agrees = cmp.agrees ? 1 : 0;
          diff = JSON.stringify(cmp.diff);
        }
      }
      this.stmt('UPDATE report_sources SET is_primary = ?, agrees = ?, diff = ? WHERE url_key = ?').run(
        s === primary ? 1 : 0,
        agrees,
        diff,
        s.url_key,
      );
    }
    const results = [primary, ...ordered.slice(1).sort((x, y) => (x.role === y.role ? 0 : x.role === 'page' ? -1 : 1))].map((s) =>
      this.parseResultOf(s.parse_run_id),
    );
    const pick = <T>(get: (r: ParseResult) => T | null | undefined, skip?: (v: T) => boolean): T | null => {
      for (const r of results) {
        const v = get(r);
        if (v !== null && v !== undefined && !skip?.(v)) return v;
      }
      return null;
    };
    const meta: Meta = {
      title: pick((r) => r.title),
      year: pick((r) => r.year),
      region_code: pick((r) => r.region.code),
      region_name: pick((r) => r.region.name),
      issuer: pick((r) => r.issuer),
      published_at: pick((r) => r.publishedAt),
      format:
        pick(
          (r) => r.format,
          (f) => f === 'unknown',
        ) ?? results[0].format,
      status: 'report',
    };
    this.stmt(`UPDATE reports SET snapshot_sha = @sha, latest_parse_run_id = @run, title = @title, year = @year, region_code = @region_code,
      region_name = @region_name, issuer = @issuer, published_at = @published_at, format = @format, status = @status WHERE id = @id`).run({
      ...meta,
      sha: primary.snapshot_sha,
      run: primary.parse_run_id,
      id: reportId,
    });
    this.stmt('UPDATE parse_runs SET report_id = ? WHERE id IN (SELECT parse_run_id FROM report_sources WHERE report_id = ?)').run(
      reportId,
      reportId,
    );
    this.indexForSearch(reportId, results[0]);
    return this.getReport(reportId)!;
  }
}
