-- 0001_init — the archive's tables.
-- Append-only: once a migration has been applied anywhere, never edit or reorder it; add 0002_….sql.
-- Applied by src/store/migrations.ts in one transaction together with its `_migrations` row.
-- Timestamps are ISO-8601 UTC text ("2026-11-29T18:00:00.000Z"); JSON columns are text checked by json_valid.

-- Portals from config/sites.yaml, as last configured.
CREATE TABLE sites (
  id          TEXT PRIMARY KEY,              -- "yongxiu"
  name        TEXT NOT NULL,                 -- "永修县"
  region_code TEXT,                          -- GB/T 2260, 6 digits
  home        TEXT NOT NULL,                 -- where the crawl starts
  config      TEXT NOT NULL CHECK (json_valid(config)),  -- the whole validated Site entry
  first_seen  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE crawl_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL DEFAULT 'running'
              CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted', 'cancelled')),
  stats       TEXT CHECK (stats IS NULL OR json_valid(stats)),
  args        TEXT CHECK (args IS NULL OR json_valid(args))
);

-- Response bodies, content-addressed: identical bytes are stored once however often they are fetched.
CREATE TABLE snapshots (
  sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),  -- of the raw (uncompressed) bytes
  body         BLOB NOT NULL,                                 -- gzip of the raw bytes
  size         INTEGER NOT NULL,                              -- raw bytes
  stored_size  INTEGER NOT NULL,                              -- gzip bytes
  content_type TEXT,                                          -- as first served
  first_seen   TEXT NOT NULL
);

-- Every HTTP exchange, including errors without a body.
CREATE TABLE fetches (
  id            INTEGER PRIMARY KEY,
  crawl_run_id  INTEGER REFERENCES crawl_runs(id),
  site_id       TEXT REFERENCES sites(id),
  requested_url TEXT NOT NULL,
  final_url     TEXT,                         -- after redirects; NULL when nothing answered
  status        INTEGER,                      -- HTTP status; NULL for network errors
  headers       TEXT CHECK (headers IS NULL OR json_valid(headers)),
  content_type  TEXT,
  fetched_at    TEXT NOT NULL,
  sha256        TEXT REFERENCES snapshots(sha256),  -- NULL for bodiless errors
  error         TEXT
);
-- A retried archive job must not record the same exchange twice.
CREATE UNIQUE INDEX fetches_identity ON fetches (requested_url, fetched_at, ifnull(crawl_run_id, 0));
CREATE INDEX fetches_sha256 ON fetches (sha256);
CREATE INDEX fetches_final_url ON fetches (final_url);
CREATE INDEX fetches_crawl_run ON fetches (crawl_run_id);

-- Every URL the crawler met, with its latest classification.
CREATE TABLE urls (
  url               TEXT PRIMARY KEY,
  url_key           TEXT NOT NULL,            -- without scheme, www. and fragment: http/https copies share it
  site_id           TEXT REFERENCES sites(id),
  kind              TEXT NOT NULL CHECK (kind IN ('page', 'list', 'report', 'attachment', 'asset', 'robots')),
  first_seen        TEXT NOT NULL,
  last_seen         TEXT NOT NULL,
  last_status       INTEGER,
  last_snapshot_sha TEXT REFERENCES snapshots(sha256),
  discovered_from   TEXT,
  link_text         TEXT
);
CREATE INDEX urls_url_key ON urls (url_key);
CREATE INDEX urls_site_kind ON urls (site_id, kind);

-- One row per (snapshot, parser version); earlier versions' results are kept for comparison.
CREATE TABLE parse_runs (
  id             INTEGER PRIMARY KEY,
  snapshot_sha   TEXT NOT NULL REFERENCES snapshots(sha256),
  parser_version TEXT NOT NULL,
  parsed_at      TEXT NOT NULL,
  url            TEXT,                        -- the URL the snapshot was parsed as
  is_report      INTEGER NOT NULL CHECK (is_report IN (0, 1)),
  format         TEXT,
  year           INTEGER,
  figures_count  INTEGER NOT NULL,
  checks_count   INTEGER NOT NULL,
  checks_failed  INTEGER NOT NULL,
  warnings_count INTEGER NOT NULL,
  result         TEXT NOT NULL CHECK (json_valid(result)),  -- the whole ParseResult
  UNIQUE (snapshot_sha, parser_version)
);

-- One row per report DOCUMENT (a page and its attachment carrying the same report are one row).
CREATE TABLE reports (
  id                  INTEGER PRIMARY KEY,
  doc_key             TEXT NOT NULL UNIQUE,   -- url_key of the URL that first established the report
  url                 TEXT NOT NULL,
  site_id             TEXT REFERENCES sites(id),
  snapshot_sha        TEXT NOT NULL REFERENCES snapshots(sha256),  -- of the primary source
  page_url            TEXT,                   -- the report page, when url is its attachment
  title               TEXT,
  year                INTEGER,
  region_code         TEXT,
  region_name         TEXT,
  issuer              TEXT,
  published_at        TEXT,
  format              TEXT,
  status              TEXT NOT NULL DEFAULT 'report' CHECK (status IN ('report', 'disputed')),
  latest_parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id),
  first_seen          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX reports_year ON reports (year);
CREATE INDEX reports_region ON reports (region_code);
CREATE INDEX reports_site ON reports (site_id);

-- The documents a report was read from: its page, its attachment(s), byte-identical copies elsewhere.
CREATE TABLE report_sources (
  url_key       TEXT PRIMARY KEY,             -- a URL belongs to at most one report
  report_id     INTEGER NOT NULL REFERENCES reports(id),
  url           TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('page', 'attachment')),
  page_url      TEXT,
  snapshot_sha  TEXT NOT NULL REFERENCES snapshots(sha256),
  parse_run_id  INTEGER NOT NULL REFERENCES parse_runs(id),
  is_report     INTEGER NOT NULL CHECK (is_report IN (0, 1)),
  is_primary    INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  figures_count INTEGER NOT NULL,
  agrees        INTEGER CHECK (agrees IS NULL OR agrees IN (0, 1)),  -- NULL: nothing to compare
  diff          TEXT CHECK (diff IS NULL OR json_valid(diff)),
  first_seen    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX report_sources_report ON report_sources (report_id);
CREATE INDEX report_sources_sha ON report_sources (snapshot_sha);

-- "This page links that attachment", known before either is parsed.
CREATE TABLE attachment_links (
  page_key       TEXT NOT NULL,
  attachment_key TEXT NOT NULL,
  page_url       TEXT NOT NULL,
  attachment_url TEXT NOT NULL,
  link_text      TEXT,
  first_seen     TEXT NOT NULL,
  PRIMARY KEY (page_key, attachment_key)
);
CREATE INDEX attachment_links_attachment ON attachment_links (attachment_key);

CREATE TABLE figures (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  report_id    INTEGER REFERENCES reports(id),
  key          TEXT NOT NULL,                 -- canonical key, docs/figures.md
  value        NUMERIC NOT NULL,              -- integers stay integers, money may have decimals
  PRIMARY KEY (parse_run_id, key)
);
CREATE INDEX figures_report ON figures (report_id);
CREATE INDEX figures_key ON figures (key);

CREATE TABLE checks (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  rule         TEXT NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  detail       TEXT NOT NULL,
  PRIMARY KEY (parse_run_id, ord)
);
CREATE INDEX checks_failed ON checks (rule) WHERE ok = 0;

CREATE TABLE warnings (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  code         TEXT,                          -- the leading "code:" of the text, if any
  text         TEXT NOT NULL,
  PRIMARY KEY (parse_run_id, ord)
);

CREATE TABLE sections (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  key          TEXT NOT NULL,
  title        TEXT NOT NULL,
  text         TEXT NOT NULL,
  PRIMARY KEY (parse_run_id, ord)
);

-- Anything that went wrong; a repeat of the same error in the same run bumps `occurrences`.
-- No foreign keys: recording an error must never fail.
CREATE TABLE errors (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  last_at      TEXT NOT NULL,
  occurrences  INTEGER NOT NULL DEFAULT 1,
  crawl_run_id INTEGER,
  site_id      TEXT,
  url          TEXT,
  stage        TEXT NOT NULL CHECK (stage IN ('fetch', 'parse', 'archive', 'crawl')),
  code         TEXT NOT NULL,
  message      TEXT NOT NULL
);
CREATE INDEX errors_run ON errors (crawl_run_id);
CREATE INDEX errors_site ON errors (site_id, stage);
