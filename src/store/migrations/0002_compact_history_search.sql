-- 0002_compact_history_search — parse output stored once and compressed, report versions, full-text search,
-- crawl-run owners. Converts an 0001 archive without losing anything:
--   * parse_runs.result (JSON text, which repeated figures, checks and warnings) becomes result_gz: gzip of the
--     same JSON minus `figures`, `checks` and `warnings`, which live only in their tables. Body and sections
--     (with their text) stay in result_gz, where the section texts cost almost nothing (they repeat the body
--     inside the same deflate window). Archive.getParseRun reassembles the whole ParseResult.
--   * figures: the key text was stored three times per row (table, primary key, key index) plus a report
--     index. Now figure_values (parse_run_id, key_id, value) WITHOUT ROWID + figure_keys; `figures` is a view
--     with the old columns, and the report a parse run belongs to is parse_runs.report_id (once per run).
--   * checks, warnings, sections: WITHOUT ROWID (the primary key is the table); sections keep key, title and
--     length, their text is in result_gz.
--   * report_versions: each report's versions (a source URL serving new bytes); report_search: FTS5 trigram
--     index over each report's latest body text (contentless: the text itself is in result_gz).
-- Uses nianbao_gzip(text), an application function that Archive.open registers before migrating.
-- Views (v_*) are dropped before migrations run and recreated after, so they may refer to anything here.

-- Which process is running a crawl run: one left 'running' by a dead process is marked 'interrupted'.
ALTER TABLE crawl_runs ADD COLUMN owner TEXT;

-- ---- parse_runs: report_id once per run, result compressed ---------------------------------------------
ALTER TABLE parse_runs ADD COLUMN report_id INTEGER REFERENCES reports(id);
ALTER TABLE parse_runs ADD COLUMN result_gz BLOB;
UPDATE parse_runs SET report_id = coalesce(
  (SELECT f.report_id FROM figures f WHERE f.parse_run_id = parse_runs.id AND f.report_id IS NOT NULL LIMIT 1),
  (SELECT rs.report_id FROM report_sources rs WHERE rs.parse_run_id = parse_runs.id LIMIT 1));
CREATE INDEX parse_runs_report ON parse_runs (report_id);

-- Search index, filled from the old JSON before it goes.
CREATE VIRTUAL TABLE report_search USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO report_search (rowid, body)
  SELECT r.id, coalesce(json_extract(p.result, '$.body'), r.title, '')
  FROM reports r JOIN parse_runs p ON p.id = r.latest_parse_run_id;

-- Versions: what an 0001 archive knows is each report's current primary snapshot (earlier bytes were not linked).
CREATE TABLE report_versions (
  report_id       INTEGER NOT NULL REFERENCES reports(id),
  version         INTEGER NOT NULL,             -- 1, 2, … in order of first sighting
  url             TEXT NOT NULL,                -- the source whose bytes changed (or the first document)
  snapshot_sha    TEXT NOT NULL REFERENCES snapshots(sha256),
  parse_run_id    INTEGER REFERENCES parse_runs(id),
  first_seen      TEXT NOT NULL,                -- when these bytes were first fetched
  figures_changed INTEGER NOT NULL,             -- figure keys added, removed or changed against the version before
  changes         TEXT CHECK (changes IS NULL OR json_valid(changes)),  -- [{key, before, after}]
  PRIMARY KEY (report_id, version)
) WITHOUT ROWID;
CREATE INDEX report_versions_sha ON report_versions (snapshot_sha);
INSERT INTO report_versions (report_id, version, url, snapshot_sha, parse_run_id, first_seen, figures_changed, changes)
  SELECT r.id, 1,
         coalesce((SELECT rs.url FROM report_sources rs WHERE rs.report_id = r.id AND rs.snapshot_sha = r.snapshot_sha ORDER BY rs.is_primary DESC LIMIT 1), r.url),
         r.snapshot_sha, r.latest_parse_run_id, coalesce((SELECT sn.first_seen FROM snapshots sn WHERE sn.sha256 = r.snapshot_sha), r.first_seen),
         (SELECT count(*) FROM figures f WHERE f.parse_run_id = r.latest_parse_run_id), NULL
  FROM reports r;

UPDATE parse_runs SET result_gz = nianbao_gzip(json_remove(result, '$.figures', '$.checks', '$.warnings'));
ALTER TABLE parse_runs DROP COLUMN result;

-- ---- figures -----------------------------------------------------------------------------------------
CREATE TABLE figure_keys (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE figure_values (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  key_id       INTEGER NOT NULL REFERENCES figure_keys(id),
  value        NUMERIC NOT NULL,
  PRIMARY KEY (parse_run_id, key_id)
) WITHOUT ROWID;
INSERT INTO figure_keys (key) SELECT DISTINCT key FROM figures ORDER BY key;
INSERT INTO figure_values (parse_run_id, key_id, value)
  SELECT f.parse_run_id, k.id, f.value FROM figures f JOIN figure_keys k ON k.key = f.key;
DROP TABLE figures;
CREATE VIEW figures AS
  SELECT fv.parse_run_id, p.report_id, k.key, fv.value
  FROM figure_values fv JOIN figure_keys k ON k.id = fv.key_id JOIN parse_runs p ON p.id = fv.parse_run_id;

-- ---- checks, warnings, sections: WITHOUT ROWID ------------------------------------------------------
CREATE TABLE checks_new (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  rule         TEXT NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  detail       TEXT NOT NULL,
  PRIMARY KEY (parse_run_id, ord)
) WITHOUT ROWID;
INSERT INTO checks_new SELECT parse_run_id, ord, rule, ok, detail FROM checks;
DROP TABLE checks;
ALTER TABLE checks_new RENAME TO checks;
CREATE INDEX checks_failed ON checks (rule) WHERE ok = 0;

CREATE TABLE warnings_new (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  code         TEXT,
  text         TEXT NOT NULL,
  PRIMARY KEY (parse_run_id, ord)
) WITHOUT ROWID;
INSERT INTO warnings_new SELECT parse_run_id, ord, code, text FROM warnings;
DROP TABLE warnings;
ALTER TABLE warnings_new RENAME TO warnings;

CREATE TABLE sections_new (
  parse_run_id INTEGER NOT NULL REFERENCES parse_runs(id) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,
  key          TEXT NOT NULL,
  title        TEXT NOT NULL,
  chars        INTEGER NOT NULL,                -- length of the text (in result_gz)
  PRIMARY KEY (parse_run_id, ord)
) WITHOUT ROWID;
INSERT INTO sections_new SELECT parse_run_id, ord, key, title, length(text) FROM sections;
DROP TABLE sections;
ALTER TABLE sections_new RENAME TO sections;

-- ---- indexes that did not pay for themselves ----------------------------------------------------------
-- No query looks fetches up by final_url alone (isOlderSnapshot goes through fetches_sha256).
DROP INDEX fetches_final_url;
