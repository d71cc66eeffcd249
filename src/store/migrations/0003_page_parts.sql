-- 0003_page_parts — reports split over several pages (…_2.html, ?page=2, 下一页 inside the article).
-- The first page's snapshot is the report's snapshot (report_sources, parse_runs); its later pages, each kept
-- as a snapshot of its own, are listed here in order, so `reparse` rebuilds the report from all of them and a
-- re-crawl knows whether the pages it fetched are the ones already parsed.
-- No foreign keys, like errors: the parse result may reach the archive writer before a page's snapshot job.
CREATE TABLE page_parts (
  page_sha  TEXT NOT NULL,                    -- the first page's snapshot
  ord       INTEGER NOT NULL,                 -- 1 for the second page, 2 for the third …
  url       TEXT NOT NULL,
  url_key   TEXT NOT NULL,
  part_sha  TEXT NOT NULL,                    -- that page's snapshot
  PRIMARY KEY (page_sha, ord)
) WITHOUT ROWID;
CREATE INDEX page_parts_url ON page_parts (url_key);
