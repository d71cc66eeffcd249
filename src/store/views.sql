-- Views: ready-made queries over the archive. Dropped and recreated on every Archive.open, so editing
-- this file needs no migration. Every view is documented in docs/schema.md (checked by a test).

-- Reports with the summary of the parse run their figures come from.
CREATE VIEW v_reports AS
SELECT
  r.id AS report_id, r.doc_key, r.url, r.page_url, r.site_id, s.name AS site_name,
  r.title, r.year, r.region_code, r.region_name, r.issuer, r.published_at, r.format, r.status,
  r.snapshot_sha, p.id AS parse_run_id, p.parser_version, p.parsed_at,
  p.figures_count, p.checks_count, p.checks_failed, p.warnings_count,
  (SELECT count(*) FROM report_sources rs WHERE rs.report_id = r.id) AS sources_count,
  (SELECT count(*) FROM report_sources rs WHERE rs.report_id = r.id AND rs.agrees = 0) AS sources_disagreeing,
  r.first_seen, r.updated_at
FROM reports r
JOIN parse_runs p ON p.id = r.latest_parse_run_id
LEFT JOIN sites s ON s.id = r.site_id;

-- The table researchers query: one row per figure of each report's latest parse.
CREATE VIEW v_figures AS
SELECT
  r.id AS report_id, r.site_id, s.name AS site_name, r.region_code, r.region_name, r.year, r.format,
  r.issuer, r.title, k.key, f.value, r.url, r.status, p.parser_version, f.parse_run_id
FROM reports r
JOIN figure_values f ON f.parse_run_id = r.latest_parse_run_id
JOIN figure_keys k ON k.id = f.key_id
JOIN parse_runs p ON p.id = r.latest_parse_run_id
LEFT JOIN sites s ON s.id = r.site_id;

-- Arithmetic identities that do not hold in a report's latest parse.
CREATE VIEW v_report_checks_failed AS
SELECT
  r.id AS report_id, r.site_id, r.region_code, r.region_name, r.year, r.format, r.title, r.url,
  c.rule, c.detail, c.parse_run_id
FROM reports r
JOIN checks c ON c.parse_run_id = r.latest_parse_run_id AND c.ok = 0;

-- One row per crawl run with what it fetched and what went wrong.
CREATE VIEW v_crawl_summary AS
SELECT
  cr.id AS crawl_run_id, cr.started_at, cr.finished_at, cr.status,
  (SELECT count(*) FROM fetches f WHERE f.crawl_run_id = cr.id) AS fetches,
  (SELECT count(*) FROM fetches f WHERE f.crawl_run_id = cr.id AND f.status BETWEEN 200 AND 299) AS fetches_ok,
  (SELECT count(*) FROM fetches f WHERE f.crawl_run_id = cr.id AND (f.status IS NULL OR f.status >= 400)) AS fetches_failed,
  (SELECT count(DISTINCT f.sha256) FROM fetches f WHERE f.crawl_run_id = cr.id) AS distinct_snapshots,
  (SELECT count(DISTINCT f.site_id) FROM fetches f WHERE f.crawl_run_id = cr.id) AS sites,
  (SELECT ifnull(sum(e.occurrences), 0) FROM errors e WHERE e.crawl_run_id = cr.id) AS errors,
  cr.stats, cr.args
FROM crawl_runs cr;

CREATE VIEW v_reports_by_year AS
SELECT
  year,
  count(*) AS reports,
  count(DISTINCT region_code) AS regions,
  count(DISTINCT site_id) AS sites,
  sum(format = '2019') AS format_2019,
  sum(format = '2021') AS format_2021,
  sum(format = 'legacy') AS format_legacy,
  sum(format = 'unknown' OR format IS NULL) AS format_unknown
FROM reports
GROUP BY year;

-- Snapshots without their bodies, with how often and where they were fetched.
CREATE VIEW v_snapshots AS
SELECT
  sn.sha256, sn.size, sn.stored_size, sn.content_type, sn.first_seen,
  (SELECT count(*) FROM fetches f WHERE f.sha256 = sn.sha256) AS fetches,
  (SELECT min(ifnull(f.final_url, f.requested_url)) FROM fetches f WHERE f.sha256 = sn.sha256) AS example_url,
  (SELECT count(*) FROM parse_runs p WHERE p.snapshot_sha = sn.sha256) AS parse_runs
FROM snapshots sn;

-- Headline figures, one row per report, for spreadsheets.
CREATE VIEW v_figures_wide AS
SELECT
  r.id AS report_id, r.site_id, r.region_code, r.region_name, r.year, r.format, r.issuer, r.title, r.url,
  max(CASE WHEN f.key = 'applications.new.total' THEN f.value END) AS applications_new,
  max(CASE WHEN f.key = 'applications.carried_over.total' THEN f.value END) AS applications_carried_over,
  max(CASE WHEN f.key = 'applications.granted.total' THEN f.value END) AS applications_granted,
  max(CASE WHEN f.key = 'applications.partial.total' THEN f.value END) AS applications_partial,
  max(CASE WHEN f.key = 'applications.total.total' THEN f.value END) AS applications_handled,
  max(CASE WHEN f.key = 'applications.carried_forward.total' THEN f.value END) AS applications_carried_forward,
  max(CASE WHEN f.key = 'review.total' THEN f.value END) AS review_total,
  max(CASE WHEN f.key = 'litigation_direct.total' THEN f.value END) AS litigation_direct_total,
  max(CASE WHEN f.key = 'litigation_after_review.total' THEN f.value END) AS litigation_after_review_total,
  max(CASE WHEN f.key = 'summary.applications' THEN f.value END) AS summary_applications,
  max(CASE WHEN f.key = 'summary.active_items' THEN f.value END) AS summary_active_items
FROM reports r
LEFT JOIN (SELECT fv.parse_run_id, k.key, fv.value FROM figure_values fv JOIN figure_keys k ON k.id = fv.key_id) f
  ON f.parse_run_id = r.latest_parse_run_id
GROUP BY r.id;

-- Reports read from more than one document, and whether the copies agree.
CREATE VIEW v_report_sources AS
SELECT
  rs.report_id, r.year, r.region_name, r.title, rs.url, rs.role, rs.is_primary, rs.is_report,
  rs.figures_count, rs.agrees, rs.diff, rs.snapshot_sha, rs.parse_run_id, p.parser_version
FROM report_sources rs
JOIN reports r ON r.id = rs.report_id
JOIN parse_runs p ON p.id = rs.parse_run_id;

-- Per site: what the archive holds and what went wrong (coverage at a glance).
CREATE VIEW v_site_summary AS
SELECT
  s.id AS site_id, s.name, s.region_code, s.home,
  (SELECT count(*) FROM reports r WHERE r.site_id = s.id) AS reports,
  (SELECT min(r.year) FROM reports r WHERE r.site_id = s.id) AS first_year,
  (SELECT max(r.year) FROM reports r WHERE r.site_id = s.id) AS last_year,
  (SELECT group_concat(y, ',') FROM (SELECT DISTINCT r.year AS y FROM reports r WHERE r.site_id = s.id AND r.year IS NOT NULL ORDER BY r.year)) AS years,
  (SELECT count(*) FROM fetches f WHERE f.site_id = s.id) AS fetches,
  (SELECT max(f.fetched_at) FROM fetches f WHERE f.site_id = s.id) AS last_fetched_at,
  (SELECT ifnull(sum(e.occurrences), 0) FROM errors e WHERE e.site_id = s.id) AS errors
FROM sites s;

-- Each report's versions: its first document, then every time one of its URLs served other bytes
-- (a corrected page, a replaced PDF), with the figures that changed.
CREATE VIEW v_report_versions AS
SELECT
  v.report_id, v.version, v.snapshot_sha, v.url, v.first_seen, v.figures_changed, v.changes,
  v.parse_run_id, p.parser_version, r.year, r.region_name, r.title
FROM report_versions v
JOIN reports r ON r.id = v.report_id
LEFT JOIN parse_runs p ON p.id = v.parse_run_id;
